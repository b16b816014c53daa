package io.spate.internal.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;

/**
 * Decodes delimited records (CSV, TSV...). Each record is split once into field boundaries; only
 * the fields the plan reads are then converted, so an unread typed field that would not parse does
 * not make the record malformed, while a wrong field count always does.
 *
 * <p>When the format is quoted, a field that starts with {@code "} runs to the next lone quote,
 * which must end the field; {@code ""} inside it stands for one quote. Such a field that needs
 * unescaping is copied into the arena; every other string is a slice of the batch. A quote inside
 * an unquoted field is taken literally. A trailing {@code \r} is dropped when the format says so,
 * and records equal to the header line are skipped: neither accepted nor rejected.
 */
public final class DelimitedDecoder implements BatchDecoder {

    private final byte delimiter;
    private final boolean quoted;
    private final boolean trimCarriageReturn;
    private final byte[] header;
    private final int fieldCount;
    private final String prefix;
    /** For each field of the record, its column in the decoded batch, or -1 when not read. */
    private final int[] columnOf;
    private final ColumnType[] typeOf;
    private final String[] notALong;
    private final String[] notADouble;
    private final int[] fieldStart;
    private final int[] fieldEnd;
    /** Whether the field was quoted and holds {@code ""} pairs to unescape. */
    private final boolean[] escaped;

    /** A decoder of {@code format} filling columns for {@code fields}, a subset of its columns, in that order. */
    public DelimitedDecoder(DelimitedFormat format, List<Field> fields) {
        delimiter = format.delimiter();
        quoted = format.quoted();
        trimCarriageReturn = format.trimCarriageReturn();
        header = format.skipHeader() ? format.headerLine().getBytes(StandardCharsets.UTF_8) : null;
        List<Field> columns = format.columns();
        fieldCount = columns.size();
        prefix = format.name() + ": ";
        columnOf = new int[fieldCount];
        typeOf = new ColumnType[fieldCount];
        notALong = new String[fieldCount];
        notADouble = new String[fieldCount];
        for (int f = 0; f < fieldCount; f++) {
            Field field = columns.get(f);
            columnOf[f] = fields.indexOf(field);
            typeOf[f] = field.type();
            notALong[f] = prefix + "field '" + field.name() + "' is not a long";
            notADouble[f] = prefix + "field '" + field.name() + "' is not a double";
        }
        fieldStart = new int[fieldCount];
        fieldEnd = new int[fieldCount];
        escaped = new boolean[fieldCount];
    }

    @Override
    public void decode(RecordBatch batch, DecodedBatch out) {
        byte[] d = batch.data();
        int[] bounds = batch.bounds();
        int n = batch.count();
        for (int row = 0; row < n; row++) {
            int start = bounds[row];
            int end = bounds[row + 1];
            if (trimCarriageReturn && end > start && d[end - 1] == '\r') {
                end--;
            }
            if (header != null && end - start == header.length
                    && Arrays.equals(d, start, end, header, 0, header.length)) {
                continue;
            }
            String reason = quoted ? splitQuoted(d, start, end) : split(d, start, end);
            if (reason == null) {
                reason = convert(d, row, out);
            }
            if (reason == null) {
                out.accept(row);
            } else {
                out.reject(row, reason);
            }
        }
    }

    /** Finds the field boundaries of an unquoted record. */
    private String split(byte[] d, int start, int end) {
        int found = 0;
        int p = start;
        while (true) {
            int e = p;
            while (e < end && d[e] != delimiter) {
                e++;
            }
            if (found < fieldCount) {
                fieldStart[found] = p;
                fieldEnd[found] = e;
                escaped[found] = false;
            }
            found++;
            if (e == end) {
                break;
            }
            p = e + 1;
        }
        return found == fieldCount ? null : wrongCount(found);
    }

    /** Finds the field boundaries of a record that may quote fields. */
    private String splitQuoted(byte[] d, int start, int end) {
        int found = 0;
        int p = start;
        while (true) {
            int e;
            int contentStart = p;
            int contentEnd;
            boolean pairs = false;
            if (p < end && d[p] == '"') {
                contentStart = p + 1;
                int q = contentStart;
                while (true) {
                    while (q < end && d[q] != '"') {
                        q++;
                    }
                    if (q == end) {
                        return prefix + "missing closing quote in field " + (found + 1);
                    }
                    if (q + 1 < end && d[q + 1] == '"') {
                        pairs = true;
                        q += 2;
                        continue;
                    }
                    break;
                }
                contentEnd = q;
                e = q + 1;
                if (e < end && d[e] != delimiter) {
                    return prefix + "unexpected character after closing quote in field " + (found + 1);
                }
            } else {
                e = p;
                while (e < end && d[e] != delimiter) {
                    e++;
                }
                contentEnd = e;
            }
            if (found < fieldCount) {
                fieldStart[found] = contentStart;
                fieldEnd[found] = contentEnd;
                escaped[found] = pairs;
            }
            found++;
            if (e == end) {
                break;
            }
            p = e + 1;
        }
        return found == fieldCount ? null : wrongCount(found);
    }

    private String wrongCount(int found) {
        return prefix + "expected " + fieldCount + " fields, found " + found;
    }

    /** Converts the fields the plan reads; returns why one did not convert, or null. */
    private String convert(byte[] d, int row, DecodedBatch out) {
        for (int f = 0; f < fieldCount; f++) {
            int col = columnOf[f];
            if (col < 0) {
                continue;
            }
            byte[] src = d;
            int from = fieldStart[f];
            int to = fieldEnd[f];
            if (escaped[f]) {
                ByteArena arena = out.arena();
                int at = unescape(arena, d, from, to);
                src = arena.bytes();
                from = at;
                to = arena.size();
                if (typeOf[f] == ColumnType.UTF8) {
                    out.setArenaSlice(col, row, from, to - from);
                    continue;
                }
            }
            switch (typeOf[f]) {
                case LONG:
                    if (!ByteNumbers.isLong(src, from, to)) {
                        return notALong[f];
                    }
                    out.longs(col)[row] = ByteNumbers.parseLong(src, from, to);
                    break;
                case DOUBLE:
                    double v = ByteNumbers.parseDouble(src, from, to);
                    if (Double.isNaN(v)) {
                        return notADouble[f];
                    }
                    out.doubles(col)[row] = v;
                    break;
                default:
                    out.setSlice(col, row, from, to - from);
                    break;
            }
        }
        return null;
    }

    /** Copies {@code d[from, to)} into the arena with each {@code ""} made {@code "}; returns where it starts. */
    private static int unescape(ByteArena arena, byte[] d, int from, int to) {
        int at = arena.size();
        int run = from;
        for (int i = from; i < to; i++) {
            if (d[i] == '"') {
                // The splitter guarantees quotes inside come in pairs: keep the first, skip the second.
                arena.append(d, run, i + 1);
                i++;
                run = i + 1;
            }
        }
        arena.append(d, run, to);
        return at;
    }
}
