package io.spate.internal.sink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;

/**
 * Turns the rows of a result frame into JSON objects ({@code {"host":"a","requests":3}}) and
 * record keys. A frame has one row per group, so this runs per group, never per input record.
 *
 * <p>Keys: with one group key, the key is the value's text (a host name, a number in decimal);
 * with several, a JSON object of the key fields; with none, no key. Byte strings that are not
 * valid UTF-8 (the NASA log has Latin-1 bytes) are read as ISO-8859-1, so every output is valid
 * UTF-8 JSON and no byte is lost. Not thread-safe; one per stream.
 *
 * <p>The bytes are those Jackson 2.17's default UTF-8 generator wrote when this class used it,
 * so consumers see no change: no whitespace; {@code "}, {@code \} and control characters escaped
 * ({@code \n} and the like where JSON has a short form, else <code>&#92;u00XX</code>); all else
 * copied; finite doubles as {@link Double#toString(double)}, other doubles as {@code null}.
 * Writing them here instead of through a generator per row leaves the returned array as the only
 * allocation per row.
 */
public final class FrameEncoder {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    /** The one long whose negation overflows, so it cannot go through the digit loop. */
    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    /** The digits of 00 to 99, two bytes each. */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    /** 10^0 to 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];
    /** Per ASCII code: 0 to copy it, the letter of a two-character escape, or -1 for a six-character <code>&#92;u00XX</code>. */
    private static final byte[] ESCAPES = new byte[128];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = 10 * POWERS_OF_TEN[i - 1];
        }
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = -1;
        }
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\n'] = 'n';
        ESCAPES['\f'] = 'f';
        ESCAPES['\r'] = 'r';
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
    }

    private byte[] buf = new byte[256];
    private int len;

    // The field prefixes (,"name":) of the columns last encoded, by position. A frame's rows all
    // share one list of columns, so a check per row that the names are the same objects costs
    // little, and a new frame re-escapes only the names that changed.
    private String[] names = new String[0];
    private byte[][] prefixes = new byte[0][];
    private String arrayName;
    private byte[] arrayPrefix;

    /**
     * The JSON value of record {@code record} of a nested frame: the key columns of its first row,
     * then its rows' other columns as an array of objects under the nesting's field.
     */
    public byte[] nestedValue(Frame frame, int record) {
        Frame.Nesting nesting = frame.nesting();
        int from = nesting.bounds()[record];
        int to = nesting.bounds()[record + 1];
        List<Column> columns = frame.columns();
        int keys = frame.keyCount();
        byte[][] fields = prefixes(columns);
        if (!nesting.field().equals(arrayName)) {
            arrayPrefix = prefix(nesting.field());
            arrayName = nesting.field();
        }
        len = 0;
        put('{');
        writeFields(columns, fields, 0, keys, from);
        writePrefix(arrayPrefix, keys == 0);
        put('[');
        for (int row = from; row < to; row++) {
            if (row > from) {
                put(',');
            }
            put('{');
            writeFields(columns, fields, keys, columns.size(), row);
            put('}');
        }
        put(']');
        put('}');
        return Arrays.copyOf(buf, len);
    }

    /** The JSON value of row {@code row}: every column, keys first. */
    public byte[] value(Frame frame, int row) {
        return object(frame.columns(), frame.columns().size(), row);
    }

    /** The record key of row {@code row}, or {@code null} when the frame has no key columns. */
    public byte[] key(Frame frame, int row) {
        int keys = frame.keyCount();
        if (keys == 0) {
            return null;
        }
        if (keys > 1) {
            return object(frame.columns(), keys, row);
        }
        Column c = frame.columns().get(0);
        if (c instanceof Utf8Column u) {
            int start = u.start(row);
            int length = u.length(row);
            if (Utf8.isValid(u.bytes(), start, length)) {
                return Arrays.copyOfRange(u.bytes(), start, start + length);
            }
            len = 0;
            for (int i = start; i < start + length; i++) {
                putLatin1(u.bytes()[i] & 0xFF);
            }
            return Arrays.copyOf(buf, len);
        }
        if (c instanceof LongColumn l) {
            len = 0;
            writeLong(l.get(row));
            return Arrays.copyOf(buf, len);
        }
        return Double.toString(((DoubleColumn) c).get(row)).getBytes(StandardCharsets.US_ASCII);
    }

    private byte[] object(List<Column> columns, int count, int row) {
        byte[][] fields = prefixes(columns);
        len = 0;
        put('{');
        writeFields(columns, fields, 0, count, row);
        put('}');
        return Arrays.copyOf(buf, len);
    }

    /** Columns {@code [first, end)} of row {@code row} as the fields of an object already opened. */
    private void writeFields(List<Column> columns, byte[][] fields, int first, int end, int row) {
        for (int c = first; c < end; c++) {
            writePrefix(fields[c], c == first);
            writeValue(columns.get(c), row);
        }
    }

    private void writePrefix(byte[] prefix, boolean first) {
        int skip = first ? 1 : 0;
        write(prefix, skip, prefix.length - skip);
    }

    private void writeValue(Column c, int row) {
        if (c instanceof LongColumn l) {
            writeLong(l.get(row));
        } else if (c instanceof DoubleColumn d) {
            double v = d.get(row);
            if (Double.isFinite(v)) {
                writeAscii(Double.toString(v));
            } else {
                write(NULL, 0, NULL.length);
            }
        } else {
            Utf8Column u = (Utf8Column) c;
            int start = u.start(row);
            int length = u.length(row);
            if (Utf8.isValid(u.bytes(), start, length)) {
                writeUtf8String(u.bytes(), start, length);
            } else {
                writeLatin1String(u.bytes(), start, length);
            }
        }
    }

    /** A quoted string of valid UTF-8: only ASCII is escaped, so runs between escapes are copied whole. */
    private void writeUtf8String(byte[] bytes, int start, int length) {
        put('"');
        int end = start + length;
        int run = start;
        for (int i = start; i < end; i++) {
            int b = bytes[i];
            if (b >= 0 && ESCAPES[b] != 0) {
                write(bytes, run, i - run);
                putEscaped(b);
                run = i + 1;
            }
        }
        write(bytes, run, end - run);
        put('"');
    }

    private void writeLatin1String(byte[] bytes, int start, int length) {
        put('"');
        for (int i = start; i < start + length; i++) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80 && ESCAPES[b] != 0) {
                putEscaped(b);
            } else {
                putLatin1(b);
            }
        }
        put('"');
    }

    /** Latin-1 byte {@code b} as UTF-8: itself below 0x80, else two bytes. */
    private void putLatin1(int b) {
        if (b < 0x80) {
            put(b);
        } else {
            ensure(2);
            buf[len++] = (byte) (0xC0 | (b >> 6));
            buf[len++] = (byte) (0x80 | (b & 0x3F));
        }
    }

    /** ASCII code {@code c}, which {@link #ESCAPES} says must be escaped. */
    private void putEscaped(int c) {
        ensure(6);
        buf[len++] = '\\';
        byte letter = ESCAPES[c];
        if (letter > 0) {
            buf[len++] = letter;
        } else {
            buf[len++] = 'u';
            buf[len++] = '0';
            buf[len++] = '0';
            buf[len++] = HEX[c >> 4];
            buf[len++] = HEX[c & 0xF];
        }
    }

    /** Writes {@code v} in decimal, two digits per division (window bounds, in epoch milliseconds, have 13). */
    private void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            write(LONG_MIN, 0, LONG_MIN.length);
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        int digits = digits(v);
        int pos = len + digits;
        while (v >= 100) {
            long q = v / 100;
            int pair = 2 * (int) (v - 100 * q);
            buf[--pos] = DIGIT_PAIRS[pair + 1];
            buf[--pos] = DIGIT_PAIRS[pair];
            v = q;
        }
        if (v >= 10) {
            buf[--pos] = DIGIT_PAIRS[2 * (int) v + 1];
            buf[--pos] = DIGIT_PAIRS[2 * (int) v];
        } else {
            buf[--pos] = (byte) ('0' + v);
        }
        len += digits;
    }

    /** Number of decimal digits of {@code v >= 0}: from its highest bit, then one comparison. */
    private static int digits(long v) {
        if (v < 10) {
            return 1;
        }
        // floor(log10(2^bits)), as 1233 / 4096 is log10(2) to four places; v may be a power of ten more.
        int t = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12;
        return v < POWERS_OF_TEN[t] ? t : t + 1;
    }

    private void writeAscii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void write(byte[] bytes, int from, int length) {
        ensure(length);
        System.arraycopy(bytes, from, buf, len, length);
        len += length;
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** The field prefixes of {@code columns}, by position, re-escaping only names not seen there last time. */
    private byte[][] prefixes(List<Column> columns) {
        int n = columns.size();
        if (names.length != n) {
            names = new String[n];
            prefixes = new byte[n][];
        }
        for (int i = 0; i < n; i++) {
            String name = columns.get(i).name();
            if (name != names[i]) {
                if (!name.equals(names[i])) {
                    prefixes[i] = prefix(name);
                }
                names[i] = name;
            }
        }
        return prefixes;
    }

    /**
     * {@code ,"name":}, the comma dropped for an object's first field. Escaped as Jackson 2.17
     * escapes a Java string, which is not quite {@code JsonStringEncoder}'s: each surrogate char
     * becomes a <code>&#92;uXXXX</code> escape rather than the pair becoming 4 bytes of UTF-8.
     */
    private static byte[] prefix(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(name.length() + 4);
        out.write(',');
        out.write('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80) {
                byte letter = ESCAPES[c];
                if (letter == 0) {
                    out.write(c);
                } else if (letter > 0) {
                    out.write('\\');
                    out.write(letter);
                } else {
                    unicodeEscape(out, c);
                }
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(out, c);
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        out.write('"');
        out.write(':');
        return out.toByteArray();
    }

    private static void unicodeEscape(ByteArrayOutputStream out, char c) {
        out.write('\\');
        out.write('u');
        for (int shift = 12; shift >= 0; shift -= 4) {
            out.write(HEX[(c >> shift) & 0xF]);
        }
    }
}
