package io.spate.internal.codec;

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

    /** Decodes one record; returns null when it is well formed, else why not. */
    private String decodeRecord(byte[] d, int start, int end, int row, DecodedBatch out) {
        while (end > start && (d[end - 1] == '\n' || d[end - 1] == '\r')) {
            end--;
        }
        if (start == end) {
            return EMPTY;
        }
        for (int i = start; i < end; i++) {
            if (d[i] == '\n' || d[i] == '\r') {
                return MULTI_LINE;
            }
        }
        int p = start;
        int sp = indexOf(d, p, end, (byte) ' ');
        if (sp < 0) {
            return TOO_FEW_FIELDS;
        }
        if (sp == p) {
            return EMPTY_HOST;
        }
        if (host >= 0) {
            out.setSlice(host, row, p, sp - p);
        }
        p = sp + 1;
        sp = indexOf(d, p, end, (byte) ' ');
        if (sp < 0) {
            return TOO_FEW_FIELDS;
        }
        if (sp == p) {
            return EMPTY_IDENT;
        }
        if (ident >= 0) {
            out.setSlice(ident, row, p, sp - p);
        }
        p = sp + 1;
        sp = indexOf(d, p, end, (byte) ' ');
        if (sp < 0) {
            return TOO_FEW_FIELDS;
        }
        if (sp == p) {
            return EMPTY_AUTHUSER;
        }
        if (authuser >= 0) {
            out.setSlice(authuser, row, p, sp - p);
        }
        p = sp + 1;
        if (p >= end || d[p] != '[') {
            return NO_OPEN_BRACKET;
        }
        int timeStart = p + 1;
        int timeEnd = indexOf(d, timeStart, end, (byte) ']');
        if (timeEnd < 0) {
            return NO_CLOSE_BRACKET;
        }
        long millis = ClfTime.parse(d, timeStart, timeEnd);
        if (millis == ClfTime.INVALID) {
            return BAD_TIME;
        }
        if (time >= 0) {
            out.setSlice(time, row, timeStart, timeEnd - timeStart);
        }
        if (timestamp >= 0) {
            out.longs(timestamp)[row] = millis;
        }
        p = timeEnd + 1;
        if (p + 1 >= end || d[p] != ' ' || d[p + 1] != '"') {
            return NO_OPEN_QUOTE;
        }
        int requestStart = p + 2;
        // Requests may contain quotes, so the request ends at the last quote of the record.
        int requestEnd = lastIndexOf(d, requestStart, end, (byte) '"');
        if (requestEnd < 0) {
            return NO_CLOSE_QUOTE;
        }
        return tail(d, requestStart, requestEnd, end, row, out);
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
            int methodEnd = indexOf(d, requestStart, requestEnd, (byte) ' ');
            if (methodEnd < 0) {
                methodEnd = requestEnd;
            }
            if (method >= 0) {
                out.setSlice(method, row, requestStart, methodEnd - requestStart);
            }
            if (path >= 0) {
                int pathStart = Math.min(methodEnd + 1, requestEnd);
                int pathEnd = indexOf(d, pathStart, requestEnd, (byte) ' ');
                if (pathEnd < 0) {
                    pathEnd = requestEnd;
                }
                out.setSlice(path, row, pathStart, pathEnd - pathStart);
            }
        }
        return null;
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
