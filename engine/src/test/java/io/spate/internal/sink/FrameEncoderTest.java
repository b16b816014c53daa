package io.spate.internal.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;

/**
 * The encoder writes JSON itself; its output must stay byte for byte what the Jackson generator it
 * replaced wrote ({@link JacksonEncoder}, kept here as the reference), since consumers and the
 * integration tests compare records as bytes.
 */
class FrameEncoderTest {

    private final FrameEncoder encoder = new FrameEncoder();

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Frame flat(int keys, Column... columns) {
        return new Frame(List.of(columns), keys, columns[0].size());
    }

    @Test
    void shouldEncodeARowAsAnObjectWithTheKeysFirst() {
        Frame frame = flat(1, Utf8Column.of("host", "a", "b"), LongColumn.of("requests", 3, -4), DoubleColumn.of("avg", 2.5, 1e21));

        assertEquals("{\"host\":\"a\",\"requests\":3,\"avg\":2.5}", utf8(encoder.value(frame, 0)));
        assertEquals("{\"host\":\"b\",\"requests\":-4,\"avg\":1.0E21}", utf8(encoder.value(frame, 1)));
        assertEquals("a", utf8(encoder.key(frame, 0)));
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharactersButNotSlashOrDel() {
        Frame frame = flat(0, Utf8Column.of("path", "a\"b\\c\n\t\u0001\u001f/\u007fé€"));

        assertEquals("{\"path\":\"a\\\"b\\\\c\\n\\t\\u0001\\u001F/\u007fé€\"}", utf8(encoder.value(frame, 0)));
    }

    @Test
    void shouldReadStringsThatAreNotUtf8AsLatin1() {
        byte[] cafe = {'c', 'a', 'f', (byte) 0xE9, '"'};
        Frame frame = flat(1, Utf8Column.ofBytes("word", List.of(cafe)));

        assertEquals("{\"word\":\"café\\\"\"}", utf8(encoder.value(frame, 0)));
        assertEquals("café\"", utf8(encoder.key(frame, 0)));
    }

    @Test
    void shouldWriteNonFiniteDoublesAsNull() {
        Frame frame = flat(0, DoubleColumn.of("x", Double.NaN, Double.POSITIVE_INFINITY, -0.0));

        assertEquals("{\"x\":null}", utf8(encoder.value(frame, 0)));
        assertEquals("{\"x\":null}", utf8(encoder.value(frame, 1)));
        assertEquals("{\"x\":-0.0}", utf8(encoder.value(frame, 2)));
    }

    @Test
    void shouldKeyByTheKeyTextAnObjectOfSeveralKeysOrNothing() {
        Column host = Utf8Column.of("host", "a");
        Column status = LongColumn.of("status", Long.MIN_VALUE);
        Column bytes = LongColumn.of("bytes", 7);

        assertEquals("-9223372036854775808", utf8(encoder.key(flat(1, status, bytes), 0)));
        assertEquals("{\"host\":\"a\",\"status\":-9223372036854775808}", utf8(encoder.key(flat(2, host, status, bytes), 0)));
        assertNull(encoder.key(flat(0, host, status, bytes), 0));
    }

    @Test
    void shouldNestTheRowsOfARecordUnderItsKeys() {
        Frame frame = new Frame(List.of(LongColumn.of("user", 1, 1, 2), LongColumn.of("item", 10, 11, 12),
                DoubleColumn.of("score", 0.5, 0.25, 1)), 1, 3, new Frame.Nesting("items", new int[] {0, 2, 3}));

        assertEquals("{\"user\":1,\"items\":[{\"item\":10,\"score\":0.5},{\"item\":11,\"score\":0.25}]}",
                utf8(encoder.nestedValue(frame, 0)));
        assertEquals("{\"user\":2,\"items\":[{\"item\":12,\"score\":1.0}]}", utf8(encoder.nestedValue(frame, 1)));
    }

    @Test
    void shouldEscapeColumnNamesAsJacksonDidSurrogatesIncluded() {
        Frame frame = flat(0, LongColumn.of("a\"\\\n\u0000é€\uD83D\uDE00\uD800", 1));

        assertEquals("{\"a\\\"\\\\\\n\\u0000é€\\uD83D\\uDE00\\uD800\":1}", utf8(encoder.value(frame, 0)));
    }

    @Test
    void shouldWriteEveryLongAsLongToStringDoesAtEachNumberOfDigits() {
        List<Long> values = new ArrayList<>(List.of(0L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        long p = 1;
        for (int digits = 1; digits <= 19; digits++, p *= 10) {
            // 10^18 is the largest power of ten in a long: 9 * 10^18 - 1 overflows, so its last is Long.MAX_VALUE.
            long last = digits == 19 ? Long.MAX_VALUE : 10 * p - 1;
            for (long v : new long[] {p, p + 1, 2 * p - 1, 5 * p, last - 1, last}) {
                values.add(v);
                values.add(-v);
            }
        }
        long[] column = values.stream().mapToLong(Long::longValue).toArray();
        Frame frame = new Frame(List.of(LongColumn.of("x", column)), 0, column.length);
        for (int row = 0; row < column.length; row++) {
            assertEquals("{\"x\":" + column[row] + "}", utf8(encoder.value(frame, row)));
        }
    }

    @Test
    void shouldEncodeLikeJacksonOnRandomFrames() {
        Random random = new Random(20_261_122L);
        JacksonEncoder reference = new JacksonEncoder();
        for (int f = 0; f < 3_000; f++) {
            Frame frame = randomFrame(random);
            String where = "frame " + f + " " + frame;
            if (frame.nesting() != null) {
                for (int r = 0; r < frame.nesting().records(); r++) {
                    assertArrayEquals(reference.nestedValue(frame, r), encoder.nestedValue(frame, r), where + " record " + r);
                    int first = frame.nesting().bounds()[r];
                    if (first < frame.rows()) {
                        assertArrayEquals(reference.key(frame, first), encoder.key(frame, first), where + " key " + r);
                    }
                }
            } else {
                for (int row = 0; row < frame.rows(); row++) {
                    assertArrayEquals(reference.key(frame, row), encoder.key(frame, row), where + " key " + row);
                    assertArrayEquals(reference.value(frame, row), encoder.value(frame, row), where + " row " + row);
                }
            }
        }
    }

    private static Frame randomFrame(Random random) {
        int rows = random.nextInt(6);
        int width = random.nextInt(random.nextInt(10) == 0 ? 40 : 6);
        int keys = width == 0 ? 0 : random.nextInt(Math.min(width, 3) + 1);
        List<Column> columns = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            String name = randomName(random);
            columns.add(switch (random.nextInt(3)) {
                case 0 -> LongColumn.of(name, randomLongs(random, rows));
                case 1 -> DoubleColumn.of(name, randomDoubles(random, rows));
                default -> Utf8Column.ofBytes(name, randomStrings(random, rows));
            });
        }
        if (width > 0 && random.nextInt(4) == 0) {
            return new Frame(columns, keys, rows, new Frame.Nesting(randomName(random), randomBounds(random, rows, keys)));
        }
        return new Frame(columns, keys, rows);
    }

    /** Records of 0 to 3 rows, but the last one not empty when it has keys to read from its first row. */
    private static int[] randomBounds(Random random, int rows, int keys) {
        List<Integer> bounds = new ArrayList<>(List.of(0));
        int at = 0;
        while (at < rows) {
            at = Math.min(rows, at + random.nextInt(4));
            bounds.add(at);
        }
        if (keys == 0 && random.nextBoolean()) {
            bounds.add(rows);
        }
        return bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    private static final String[] NAME_PARTS = {"host", "requests", "bytes", "a", "", "\"", "\\", "/", "\n", "\t", "\u0000",
        "\u001f", "\u007f", "é", "ÿ", "€", "\uD83D\uDE00", "\uD800", "\uDFFF", " ", "x.y"};

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            name.append(NAME_PARTS[random.nextInt(NAME_PARTS.length)]);
        }
        return name.toString();
    }

    private static final long[] SPECIAL_LONGS = {0, 1, -1, 9, 10, -10, 99, 100, Long.MIN_VALUE, Long.MAX_VALUE,
        Long.MIN_VALUE + 1, Long.MAX_VALUE - 1, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L,
        -1_000_000_000_000_000_000L, Integer.MIN_VALUE, Integer.MAX_VALUE + 1L};

    private static long[] randomLongs(Random random, int rows) {
        long[] values = new long[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = switch (random.nextInt(4)) {
                case 0 -> SPECIAL_LONGS[random.nextInt(SPECIAL_LONGS.length)];
                case 1 -> random.nextLong();
                case 2 -> random.nextLong() >> random.nextInt(64);
                default -> random.nextInt(2_000) - 1_000;
            };
        }
        return values;
    }

    private static final double[] SPECIAL_DOUBLES = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 1e7, 9_999_999.0,
        1e-3, 9.99e-4, 1.0, -3.0, 2.5, 0.1, 1.0 / 3, 1e21, 123_456_789_012_345_678.0, Long.MAX_VALUE};

    private static double[] randomDoubles(Random random, int rows) {
        double[] values = new double[rows];
        for (int i = 0; i < rows; i++) {
            values[i] = switch (random.nextInt(5)) {
                case 0 -> SPECIAL_DOUBLES[random.nextInt(SPECIAL_DOUBLES.length)];
                case 1 -> Double.longBitsToDouble(random.nextLong());
                case 2 -> random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
                case 3 -> random.nextInt(100_000) - 50_000;
                default -> random.nextGaussian();
            };
        }
        return values;
    }

    /** Pieces of valid UTF-8: ASCII, the characters JSON escapes, and 2-, 3- and 4-byte sequences. */
    private static final String[] TEXT_PARTS = {"GET /index.html", "a", "\"", "\\", "/", "\u007f", "é", "€", "\uD83D\uDE00",
        "ÿ", "\u0800", "\uFFFD", "  "};
    /** Bytes that make a string invalid UTF-8: stray continuations, truncated, overlong and surrogate sequences. */
    private static final byte[][] INVALID_PARTS = {{(byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE9}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};

    private static List<byte[]> randomStrings(Random random, int rows) {
        List<byte[]> values = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            values.add(randomString(random));
        }
        return values;
    }

    private static byte[] randomString(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean invalid = random.nextInt(4) == 0;
        int parts = random.nextInt(8) == 0 ? 400 : random.nextInt(6);
        for (int p = 0; p < parts; p++) {
            int kind = random.nextInt(invalid ? 4 : 3);
            if (kind == 0) {
                out.write(random.nextInt(0x20));
            } else if (kind == 1) {
                out.write(random.nextInt(0x80));
            } else if (kind == 2) {
                out.writeBytes(TEXT_PARTS[random.nextInt(TEXT_PARTS.length)].getBytes(StandardCharsets.UTF_8));
            } else {
                out.writeBytes(INVALID_PARTS[random.nextInt(INVALID_PARTS.length)]);
            }
        }
        return out.toByteArray();
    }

    /** The encoder as it was, on a Jackson generator per row: the bytes the new one must reproduce. */
    private static final class JacksonEncoder {

        private static final JsonFactory JSON = new JsonFactory();

        private final ByteArrayBuilder buffer = new ByteArrayBuilder(256);

        byte[] nestedValue(Frame frame, int record) {
            Frame.Nesting nesting = frame.nesting();
            int from = nesting.bounds()[record];
            int to = nesting.bounds()[record + 1];
            List<Column> columns = frame.columns();
            buffer.reset();
            try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
                g.writeStartObject();
                for (int k = 0; k < frame.keyCount(); k++) {
                    g.writeFieldName(columns.get(k).name());
                    writeValue(g, columns.get(k), from);
                }
                g.writeArrayFieldStart(nesting.field());
                for (int row = from; row < to; row++) {
                    g.writeStartObject();
                    for (int c = frame.keyCount(); c < columns.size(); c++) {
                        g.writeFieldName(columns.get(c).name());
                        writeValue(g, columns.get(c), row);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }

        byte[] value(Frame frame, int row) {
            return object(frame.columns(), frame.columns().size(), row);
        }

        byte[] key(Frame frame, int row) {
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
                int len = u.length(row);
                if (Utf8.isValid(u.bytes(), start, len)) {
                    return Arrays.copyOfRange(u.bytes(), start, start + len);
                }
                return new String(u.bytes(), start, len, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
            }
            if (c instanceof LongColumn l) {
                return Long.toString(l.get(row)).getBytes(StandardCharsets.US_ASCII);
            }
            return Double.toString(((DoubleColumn) c).get(row)).getBytes(StandardCharsets.US_ASCII);
        }

        private byte[] object(List<Column> columns, int count, int row) {
            buffer.reset();
            try (JsonGenerator g = JSON.createGenerator(buffer, JsonEncoding.UTF8)) {
                g.writeStartObject();
                for (int i = 0; i < count; i++) {
                    Column c = columns.get(i);
                    g.writeFieldName(c.name());
                    writeValue(g, c, row);
                }
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }

        private static void writeValue(JsonGenerator g, Column c, int row) throws IOException {
            if (c instanceof LongColumn l) {
                g.writeNumber(l.get(row));
            } else if (c instanceof DoubleColumn d) {
                double v = d.get(row);
                if (Double.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeNull();
                }
            } else {
                Utf8Column u = (Utf8Column) c;
                int start = u.start(row);
                int len = u.length(row);
                if (Utf8.isValid(u.bytes(), start, len)) {
                    g.writeUTF8String(u.bytes(), start, len);
                } else {
                    g.writeString(new String(u.bytes(), start, len, StandardCharsets.ISO_8859_1));
                }
            }
        }
    }
}
