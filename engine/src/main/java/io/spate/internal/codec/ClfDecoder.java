package io.spate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.plan.Field;

/**
 * Decodes Common Log Format records
 * ({@code host ident authuser [dd/Mon/yyyy:HH:mm:ss +hhmm] "request" status bytes}) by scanning
 * the bytes once; strings become slices of the batch, so a record costs no allocation.
 *
 * <p>The whole shape is checked whatever fields the plan reads, including the time, the status
 * and the bytes, so the records rejected do not depend on the query: host, ident and authuser are
 * non-empty tokens separated by single spaces; the time sits in brackets and is a valid date; the
 * request runs from the first quote after the time to the last quote of the record, which must be
 * followed by exactly {@code " status bytes"}, where the status is a non-negative integer and the
 * bytes a non-negative integer or {@code -} (read as 0), both fitting a long. Trailing CR and LF
 * bytes are ignored; any other CR or LF means the record holds more than one line (a producer that
 * packed several log lines into one message), which is rejected rather than read as one request
 * made of its first and last lines. The method and the path are the first and second single-space-separated
 * words of the request (a one-word request has an empty path).
 */
public final class ClfDecoder implements BatchDecoder {

    public static final String EMPTY = "clf: empty record";
    public static final String EMPTY_HOST = "clf: empty host";
    public static final String EMPTY_IDENT = "clf: empty ident";
    public static final String EMPTY_AUTHUSER = "clf: empty authuser";
    public static final String TOO_FEW_FIELDS = "clf: too few fields";
    public static final String NO_OPEN_BRACKET = "clf: missing opening bracket of time";
    public static final String NO_CLOSE_BRACKET = "clf: missing closing bracket of time";
    public static final String BAD_TIME = "clf: malformed time";
    public static final String NO_OPEN_QUOTE = "clf: missing opening quote of request";
    public static final String NO_CLOSE_QUOTE = "clf: missing closing quote of request";
    public static final String NO_STATUS = "clf: expected status and bytes after the request";
    public static final String BAD_STATUS = "clf: status is not a number";
    public static final String BIG_STATUS = "clf: status is too large";
    public static final String BAD_BYTES = "clf: bytes is not a number or -";
    public static final String BIG_BYTES = "clf: bytes is too large";
    /** A CR or LF before the trailing ones: several log lines in one record. */
    public static final String MULTI_LINE = "clf: record holds more than one line";

    /** Reads 8 bytes of a {@code byte[]} as a little-endian long, for the word-at-a-time scans. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /** The byte repeated 8 times: XOR-ing a word with it turns the byte's occurrences into zero bytes. */
    private static final long SPACES = ONES * ' ';
    private static final long LFS = ONES * '\n';
    private static final long CRS = ONES * '\r';

    private final int host;
    private final int ident;
    private final int authuser;
    private final int time;
    private final int timestamp;
    private final int request;
    private final int method;
    private final int path;
    private final int status;
    private final int bytes;
    /** Parses the times, skipping the date when it is that of the record before. */
    private final ClfTime.SameDay times = new ClfTime.SameDay();

    /** A decoder filling columns for {@code fields}, a subset of the CLF schema, in that order. */
    public ClfDecoder(List<Field> fields) {
        host = indexOf(fields, "host");
        ident = indexOf(fields, "ident");
        authuser = indexOf(fields, "authuser");
        time = indexOf(fields, "time");
        timestamp = indexOf(fields, "timestamp");
        request = indexOf(fields, "request");
        method = indexOf(fields, "method");
        path = indexOf(fields, "path");
        status = indexOf(fields, "status");
        bytes = indexOf(fields, "bytes");
    }

    private static int indexOf(List<Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void decode(RecordBatch batch, DecodedBatch out) {
        byte[] d = batch.data();
        int[] bounds = batch.bounds();
        int n = batch.count();
        for (int row = 0; row < n; row++) {
            String reason = decodeRecord(d, bounds[row], bounds[row + 1], row, out);
            if (reason == null) {
                out.accept(row);
            } else {
                out.reject(row, reason);
            }
        }
    }

    /**
     * Decodes one record; returns null when it is well formed, else why not.
     *
     * <p>Every byte of the record is looked at about once. A CR or LF anywhere must win over any
     * other reason, but rather than a pass of its own, the check is folded into the scans the
     * shape needs anyway: the host, ident and authuser scans stop at a space, CR or LF; the time,
     * the status and the bytes are validated byte by byte as digits and punctuation, which no CR or
     * LF passes; only the request is scanned for CR and LF alone. So a record accepted has none.
     * A record rejected for another reason goes through {@link #rejected}, which looks for a line
     * break in the whole record first, so the reasons stay what a line-break pass up front gave.
     */
    private String decodeRecord(byte[] d, int start, int end, int row, DecodedBatch out) {
        while (end > start && (d[end - 1] == '\n' || d[end - 1] == '\r')) {
            end--;
        }
        if (start == end) {
            return EMPTY;
        }
        int p = start;
        int sp = spaceOrLineBreak(d, p, end);
        if (sp == end) {
            return rejected(d, start, end, TOO_FEW_FIELDS);
        }
        if (d[sp] != ' ') {
            return MULTI_LINE;
        }
        if (sp == p) {
            return rejected(d, start, end, EMPTY_HOST);
        }
        if (host >= 0) {
            out.setSlice(host, row, p, sp - p);
        }
        p = sp + 1;
        sp = spaceOrLineBreak(d, p, end);
        if (sp == end) {
            return rejected(d, start, end, TOO_FEW_FIELDS);
        }
        if (d[sp] != ' ') {
            return MULTI_LINE;
        }
        if (sp == p) {
            return rejected(d, start, end, EMPTY_IDENT);
        }
        if (ident >= 0) {
            out.setSlice(ident, row, p, sp - p);
        }
        p = sp + 1;
        sp = spaceOrLineBreak(d, p, end);
        if (sp == end) {
            return rejected(d, start, end, TOO_FEW_FIELDS);
        }
        if (d[sp] != ' ') {
            return MULTI_LINE;
        }
        if (sp == p) {
            return rejected(d, start, end, EMPTY_AUTHUSER);
        }
        if (authuser >= 0) {
            out.setSlice(authuser, row, p, sp - p);
        }
        p = sp + 1;
        if (p >= end || d[p] != '[') {
            return rejected(d, start, end, NO_OPEN_BRACKET);
        }
        int timeStart = p + 1;
        // A valid time has a fixed length and holds no ']', so its closing bracket can be checked
        // where it must be instead of searched for. When that fails, the first ']' (if any) is
        // elsewhere or bounds an invalid time: either way the record is rejected, and only the
        // reason needs the search.
        int timeEnd = timeStart + ClfTime.LENGTH;
        long millis = timeEnd < end && d[timeEnd] == ']' ? times.parse(d, timeStart, timeEnd) : ClfTime.INVALID;
        if (millis == ClfTime.INVALID) {
            return rejected(d, start, end, indexOf(d, timeStart, end, (byte) ']') < 0 ? NO_CLOSE_BRACKET : BAD_TIME);
        }
        if (time >= 0) {
            out.setSlice(time, row, timeStart, timeEnd - timeStart);
        }
        if (timestamp >= 0) {
            out.longs(timestamp)[row] = millis;
        }
        p = timeEnd + 1;
        if (p + 1 >= end || d[p] != ' ' || d[p + 1] != '"') {
            return rejected(d, start, end, NO_OPEN_QUOTE);
        }
        int requestStart = p + 2;
        // Requests may contain quotes, so the request ends at the last quote of the record: a
        // search from the end, which in practice only crosses " status bytes".
        int requestEnd = lastIndexOf(d, requestStart, end, (byte) '"');
        if (requestEnd < 0) {
            return rejected(d, start, end, NO_CLOSE_QUOTE);
        }
        // The request is the one part of the record that no other check keeps free of CR and LF.
        if (hasLineBreak(d, requestStart, requestEnd)) {
            return MULTI_LINE;
        }
        String reason = tail(d, requestStart, requestEnd, end, row, out);
        return reason == null ? null : rejected(d, start, end, reason);
    }

    /**
     * {@code reason}, or {@link #MULTI_LINE} when the record {@code d[start, end)} holds a CR or LF:
     * a record of several lines is rejected as such whatever else is wrong with it.
     */
    private static String rejected(byte[] d, int start, int end, String reason) {
        return hasLineBreak(d, start, end) ? MULTI_LINE : reason;
    }

    /** Decodes the request and what follows it: {@code " status bytes}. */
    private String tail(byte[] d, int requestStart, int requestEnd, int end, int row, DecodedBatch out) {
        int p = requestEnd + 1;
        if (p >= end || d[p] != ' ') {
            return NO_STATUS;
        }
        p++;
        int sp = indexOf(d, p, end, (byte) ' ');
        if (sp < 0) {
            return NO_STATUS;
        }
        long statusValue = ByteNumbers.parseUnsigned(d, p, sp);
        if (statusValue < 0) {
            return statusValue == -1 ? BAD_STATUS : BIG_STATUS;
        }
        long bytesValue = sp + 2 == end && d[sp + 1] == '-' ? 0 : ByteNumbers.parseUnsigned(d, sp + 1, end);
        if (bytesValue < 0) {
            return bytesValue == -1 ? BAD_BYTES : BIG_BYTES;
        }
        if (status >= 0) {
            out.longs(status)[row] = statusValue;
        }
        if (bytes >= 0) {
            out.longs(bytes)[row] = bytesValue;
        }
        if (request >= 0) {
            out.setSlice(request, row, requestStart, requestEnd - requestStart);
        }
        if (method >= 0 || path >= 0) {
            // The request holds no CR or LF (checked above), so these find its spaces.
            int methodEnd = spaceOrLineBreak(d, requestStart, requestEnd);
            if (method >= 0) {
                out.setSlice(method, row, requestStart, methodEnd - requestStart);
            }
            if (path >= 0) {
                int pathStart = Math.min(methodEnd + 1, requestEnd);
                int pathEnd = spaceOrLineBreak(d, pathStart, requestEnd);
                out.setSlice(path, row, pathStart, pathEnd - pathStart);
            }
        }
        return null;
    }

    /**
     * Where the first space, CR or LF of {@code d[from, to)} is, or {@code to} when there is none.
     * Reads 8 bytes at a time (hosts are 10 to 30 bytes) and finishes byte by byte.
     */
    private static int spaceOrLineBreak(byte[] d, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(d, i);
            long found = zeroBytes(w ^ SPACES) | zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS);
            if (found != 0) {
                // Little-endian: the lowest flagged byte is the first in the array.
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = d[i];
            if (b == ' ' || b == '\n' || b == '\r') {
                return i;
            }
        }
        return to;
    }

    /** Whether {@code d[from, to)} holds a CR or LF; 8 bytes at a time. */
    private static boolean hasLineBreak(byte[] d, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(d, i);
            if ((zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS)) != 0) {
                return true;
            }
        }
        if (i < to && to - from >= Long.BYTES) {
            // The last few bytes: reread the last whole word of the range rather than loop.
            long w = (long) LONGS.get(d, to - Long.BYTES);
            return (zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS)) != 0;
        }
        for (; i < to; i++) {
            if (d[i] == '\n' || d[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    /**
     * The high bit of each zero byte of {@code w}, and possibly of some bytes above one (later in
     * the array), where the borrow of the subtraction runs on. So it is non-zero exactly when
     * {@code w} has a zero byte, and its lowest set bit is that of the first zero byte; both still
     * hold for the OR of the results for several patterns, which is all the scans rely on.
     */
    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGHS;
    }

    private static int indexOf(byte[] d, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] d, int from, int to, byte b) {
        for (int i = to - 1; i >= from; i--) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
