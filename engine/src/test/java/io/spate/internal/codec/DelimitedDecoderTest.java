package io.spate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.SharedData;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;

class DelimitedDecoderTest {

    private static final List<Field> RATINGS = DelimitedFormat.columnsFromHeader("user,item:long,rating:double,comment", (byte) ',');
    private static final DelimitedFormat CSV = DelimitedFormat.csv(RATINGS);

    private static DecodedBatch decode(DelimitedFormat format, List<Field> fields, RecordBatch batch) {
        DecodedBatch out = new DecodedBatch(fields);
        out.reset(batch);
        new DelimitedDecoder(format, fields).decode(batch, out);
        return out;
    }

    private static DecodedBatch decodeCsv(String... records) {
        return decode(CSV, RATINGS, SharedData.batchOf(records));
    }

    private static String text(DecodedBatch d, String field, int row) {
        return new String(d.bytes(d.columnIndex(field), row), StandardCharsets.UTF_8);
    }

    @Test
    void shouldSplitRecordsIntoTypedColumns() {
        DecodedBatch d = decodeCsv("alice,42,4.5,great", "bob,-7,1.00E+00,");

        assertEquals(2, d.acceptedCount());
        assertEquals("alice", text(d, "user", 0));
        assertEquals(42, d.longs(d.columnIndex("item"))[0]);
        assertEquals(4.5, d.doubles(d.columnIndex("rating"))[0]);
        assertEquals("great", text(d, "comment", 0));
        assertEquals(-7, d.longs(d.columnIndex("item"))[1]);
        assertEquals(1.0, d.doubles(d.columnIndex("rating"))[1]);
        assertEquals("", text(d, "comment", 1));
    }

    @Test
    void shouldUnquoteFieldsHoldingDelimitersAndDoubledQuotes() {
        DecodedBatch d = decodeCsv("\"smith, j\",1,2,\"she said \"\"hi\"\"\"", "\"\",\"3\",\"0.5\",\"\"\"\"");

        assertEquals(2, d.acceptedCount());
        assertEquals("smith, j", text(d, "user", 0));
        assertTrue(d.starts(d.columnIndex("user"))[0] >= 0, "a quoted field without escapes stays a slice of the batch");
        assertEquals("she said \"hi\"", text(d, "comment", 0));
        assertTrue(d.starts(d.columnIndex("comment"))[0] < 0, "an unescaped field lives in the arena");
        assertEquals("", text(d, "user", 1));
        assertEquals(3, d.longs(d.columnIndex("item"))[1]);
        assertEquals(0.5, d.doubles(d.columnIndex("rating"))[1]);
        assertEquals("\"", text(d, "comment", 1));
    }

    @Test
    void shouldSkipHeaderRecordsWithoutRejectingThem() {
        DecodedBatch d = decodeCsv("user,item,rating,comment", "a,1,2,c", "user,item,rating,comment\r");

        assertArrayEquals(new int[] {1}, Arrays.copyOf(d.accepted(), d.acceptedCount()));
        assertEquals(0, d.rejectedCount());
    }

    @Test
    void shouldDropATrailingCarriageReturnOnlyWhenAsked() {
        RecordBatch batch = SharedData.batchOf("a,1,2.5,x\r");
        DelimitedFormat keepCr = new DelimitedFormat((byte) ',', RATINGS, true, true, false);

        DecodedBatch trimmed = decode(CSV, RATINGS, batch);
        DecodedBatch kept = decode(keepCr, RATINGS, batch);

        assertEquals("x", text(trimmed, "comment", 0));
        assertEquals("x\r", text(kept, "comment", 0));
    }

    @Test
    void shouldRejectAWrongFieldCount() {
        DecodedBatch d = decodeCsv("a,1,2", "a,1,2,c,d", "", "\"x,y\",1,2");

        assertArrayEquals(new int[] {0, 1, 2, 3}, d.rejectedRows());
        assertEquals("csv: expected 4 fields, found 3", d.reasonFor(0));
        assertEquals("csv: expected 4 fields, found 5", d.reasonFor(1));
        assertEquals("csv: expected 4 fields, found 1", d.reasonFor(2));
        assertEquals("csv: expected 4 fields, found 3", d.reasonFor(3));
    }

    @Test
    void shouldRejectFieldsThatDoNotParseAsTheirType() {
        DecodedBatch d = decodeCsv(
                "a,x,2,c", "a,1,two,c", "a,9223372036854775808,2,c", "a, 1,2,c", "a,1,,c", "a,1,NaN,c", "a,1,1e,c",
                "a,-9223372036854775808,2,c", "a,+5,+.5,c");

        assertEquals("csv: field 'item' is not a long", d.reasonFor(0));
        assertEquals("csv: field 'rating' is not a double", d.reasonFor(1));
        assertEquals("csv: field 'item' is not a long", d.reasonFor(2));
        assertEquals("csv: field 'item' is not a long", d.reasonFor(3));
        assertEquals("csv: field 'rating' is not a double", d.reasonFor(4));
        assertEquals("csv: field 'rating' is not a double", d.reasonFor(5));
        assertEquals("csv: field 'rating' is not a double", d.reasonFor(6));
        assertEquals(2, d.acceptedCount());
        assertEquals(Long.MIN_VALUE, d.longs(d.columnIndex("item"))[7]);
        assertEquals(5, d.longs(d.columnIndex("item"))[8]);
        assertEquals(0.5, d.doubles(d.columnIndex("rating"))[8]);
    }

    @Test
    void shouldRejectBrokenQuoting() {
        DecodedBatch d = decodeCsv("\"a,1,2,c", "\"a\"b,1,2,c");

        assertEquals("csv: missing closing quote in field 1", d.reasonFor(0));
        assertEquals("csv: unexpected character after closing quote in field 1", d.reasonFor(1));
    }

    @Test
    void shouldIgnoreUnreadFieldsEvenWhenTheyWouldNotParse() {
        List<Field> userOnly = List.of(RATINGS.get(0));

        DecodedBatch d = decode(CSV, userOnly, SharedData.batchOf("a,not-a-long,not-a-double,c", "b,1,2"));

        assertEquals(1, d.acceptedCount());
        assertEquals("a", text(d, "user", 0));
        assertEquals("csv: expected 4 fields, found 3", d.reasonFor(1));
    }

    @Test
    void shouldTakeQuotesLiterallyInUnquotedFormats() {
        List<Field> cols = List.of(new Field("a", ColumnType.UTF8), new Field("b", ColumnType.LONG));
        DelimitedFormat tsv = DelimitedFormat.tsv(cols);

        DecodedBatch d = decode(tsv, cols, SharedData.batchOf("\"x,y\"\t3", "say \"hi\"\t4\r", "a\tx"));

        assertEquals("\"x,y\"", text(d, "a", 0));
        assertEquals("say \"hi\"", text(d, "a", 1));
        assertEquals(4, d.longs(1)[1]);
        assertEquals("tsv: field 'b' is not a long", d.reasonFor(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "123456789012345678", "1234567890123456789012",
        "0.1", "0.30000000000000004", "3.141592653589793", "2.718281828459045235360287", "1e22", "1e23", "1E-22",
        "1e-23", "4.9e-324", "2e-324", "1.7976931348623157e308", "1.8e308", "1e99999999999", "1e-99999999999",
        "9007199254740993", "9007199254740992", "0.00081448039868", "-999.0", "1.00E+00", "+.5", "5.", ".5e1",
        "000000000000000000000000000001.5", "0.000000000000000000000000000015",
    })
    void shouldParseDoublesExactlyAsDoubleParseDouble(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);

        assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                Double.doubleToRawLongBits(ByteNumbers.parseDouble(b, 0, b.length)), text);
    }

    @Test
    void shouldParseRandomDecimalsExactlyAsDoubleParseDouble() {
        Random random = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            if (random.nextBoolean()) {
                sb.append('-');
            }
            int intDigits = random.nextInt(12);
            for (int k = 0; k < intDigits; k++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
            if (intDigits == 0 || random.nextBoolean()) {
                sb.append('.');
                int fracDigits = 1 + random.nextInt(18);
                for (int k = 0; k < fracDigits; k++) {
                    sb.append((char) ('0' + random.nextInt(10)));
                }
            }
            if (random.nextInt(4) == 0) {
                sb.append(random.nextBoolean() ? 'e' : 'E').append(random.nextBoolean() ? "-" : "+").append(random.nextInt(40));
            }
            String text = sb.toString();
            byte[] b = text.getBytes(StandardCharsets.US_ASCII);
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)),
                    Double.doubleToRawLongBits(ByteNumbers.parseDouble(b, 0, b.length)), text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+", ".", "e5", "1e", "1e+", "NaN", "Infinity", "-Infinity", " 1", "1 ", "0x1p3",
        "1d", "1f", "1.2.3", "1,5", "--1", "1e5.5"})
    void shouldRejectTextThatIsNotADecimalLiteral(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);

        assertTrue(Double.isNaN(ByteNumbers.parseDouble(b, 0, b.length)), text);
    }

    /** The ATLAS columns, typed: EventId a long, Label and KaggleSet strings, the rest doubles. */
    private static List<Field> atlasFields(List<byte[]> lines) {
        String header = new String(lines.get(0), StandardCharsets.US_ASCII).strip();
        List<Field> fields = new ArrayList<>();
        for (String name : header.split(",")) {
            fields.add(new Field(name, name.equals("EventId") ? ColumnType.LONG
                    : name.equals("Label") || name.equals("KaggleSet") ? ColumnType.UTF8 : ColumnType.DOUBLE));
        }
        return fields;
    }

    @Test
    void shouldDecodeWithoutAllocatingPerRecord() {
        List<byte[]> lines = SharedData.lines(SharedData.ATLAS);
        List<Field> fields = atlasFields(lines);
        RecordBatch batch = SharedData.batch(lines);
        DecodedBatch out = new DecodedBatch(fields);
        DelimitedDecoder decoder = new DelimitedDecoder(DelimitedFormat.csv(fields), fields);
        out.reset(batch);
        decoder.decode(batch, out);

        long allocated = Allocations.during(() -> {
            out.reset(batch);
            decoder.decode(batch, out);
        });

        assertEquals(4_999, out.acceptedCount());
        assertTrue(allocated < 16_384, allocated + " bytes allocated decoding 4,999 records of 35 fields");
    }

    @Test
    void shouldPrintDecodeThroughputOfTheAtlasCsv() {
        List<byte[]> lines = SharedData.lines(SharedData.ATLAS);
        List<Field> fields = atlasFields(lines);
        DelimitedFormat format = DelimitedFormat.csv(fields);
        RecordBatch batch = SharedData.batch(lines);
        DecodedBatch out = new DecodedBatch(fields);
        DelimitedDecoder decoder = new DelimitedDecoder(format, fields);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 30; i++) {
            long t0 = System.nanoTime();
            out.reset(batch);
            decoder.decode(batch, out);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertEquals(4_999, out.acceptedCount());
        assertEquals(0, out.rejectedCount());
        System.out.printf(Locale.ROOT, "csv decode (all 35 ATLAS columns, 32 doubles): %.0f MB/s%n", batch.byteSize() / (best / 1e3));
    }
}
