package io.spate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.SharedData;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;

class ClfDecoderTest {

    private static final List<Field> ALL = new ClfFormat().schema();
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);
    private static final Pattern LINE = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d+) (\\S+)$");

    private static DecodedBatch decode(List<Field> fields, RecordBatch batch) {
        DecodedBatch out = new DecodedBatch(fields);
        out.reset(batch);
        new ClfDecoder(fields).decode(batch, out);
        return out;
    }

    private static DecodedBatch decodeAll(String... lines) {
        return decode(ALL, SharedData.batchOf(lines));
    }

    private static String text(DecodedBatch d, String field, int row) {
        return new String(d.bytes(d.columnIndex(field), row), StandardCharsets.UTF_8);
    }

    private static long number(DecodedBatch d, String field, int row) {
        return d.longs(d.columnIndex(field))[row];
    }

    private static long epochMillis(String clfTime) {
        return ZonedDateTime.parse(clfTime, CLF_TIME).toInstant().toEpochMilli();
    }

    @Test
    void shouldDecodeEveryFieldOfATypicalLine() {
        DecodedBatch d = decodeAll("199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245");

        assertEquals(1, d.acceptedCount());
        assertEquals("199.72.81.55", text(d, "host", 0));
        assertEquals("-", text(d, "ident", 0));
        assertEquals("-", text(d, "authuser", 0));
        assertEquals("01/Jul/1995:00:00:01 -0400", text(d, "time", 0));
        assertEquals(804571201000L, number(d, "timestamp", 0));
        assertEquals("GET /history/apollo/ HTTP/1.0", text(d, "request", 0));
        assertEquals("GET", text(d, "method", 0));
        assertEquals("/history/apollo/", text(d, "path", 0));
        assertEquals(200, number(d, "status", 0));
        assertEquals(6245, number(d, "bytes", 0));
    }

    @Test
    void shouldSliceStringsFromTheBatchWithoutCopying() {
        DecodedBatch d = decodeAll("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 1");

        assertTrue(d.starts(d.columnIndex("host"))[0] >= 0, "host is a slice of the batch bytes");
        assertEquals(0, d.arena().size());
    }

    @Test
    void shouldReadDashBytesAsZero() {
        DecodedBatch d = decodeAll("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 304 -");

        assertEquals(0, number(d, "bytes", 0));
        assertEquals(304, number(d, "status", 0));
    }

    @Test
    void shouldKeepQuotesInsideTheRequest() {
        DecodedBatch d = decodeAll("h - - [01/Jul/1995:00:00:01 -0400] \"GET /a\"b\" HTTP/1.0\" 404 12");

        assertEquals("GET /a\"b\" HTTP/1.0", text(d, "request", 0));
        assertEquals("/a\"b\"", text(d, "path", 0));
        assertEquals(404, number(d, "status", 0));
    }

    @Test
    void shouldIgnoreTrailingCarriageReturnAndLineFeed() {
        DecodedBatch d = decodeAll("h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 77\r\n", "\r\n");

        assertEquals(1, d.acceptedCount());
        assertEquals(77, number(d, "bytes", 0));
        assertEquals("clf: empty record", d.reasonFor(1));
    }

    @Test
    void shouldRejectARecordHoldingSeveralLinesRatherThanCountItAsOneRequest() {
        String line = "h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 77";
        String many = (line + "\n").repeat(999) + line.replace(" 77", " 5");
        DecodedBatch d = decodeAll(many, line + "\r\n" + line + "\n", line + "\r" + line, line + "\n\n\r\n", "a\nb");

        assertArrayEquals(new int[] {3}, Arrays.copyOf(d.accepted(), d.acceptedCount()), "trailing line ends are still ignored");
        assertArrayEquals(new int[] {0, 1, 2, 4}, d.rejectedRows());
        for (int row : d.rejectedRows()) {
            assertEquals(ClfDecoder.MULTI_LINE, d.reasonFor(row));
        }
    }

    @Test
    void shouldGiveShortRequestsAnEmptyPath() {
        DecodedBatch d = decodeAll(
                "h - - [01/Jul/1995:00:00:01 -0400] \"GET\" 400 0",
                "h - - [01/Jul/1995:00:00:01 -0400] \"\" 400 0",
                "h - - [01/Jul/1995:00:00:01 -0400] \"GET /only\" 200 0");

        assertEquals(3, d.acceptedCount());
        assertEquals("GET", text(d, "method", 0));
        assertEquals("", text(d, "path", 0));
        assertEquals("", text(d, "request", 1));
        assertEquals("", text(d, "method", 1));
        assertEquals("", text(d, "path", 1));
        assertEquals("/only", text(d, "path", 2));
    }

    @ParameterizedTest
    @CsvSource({
        "01/Jul/1995:00:00:01 -0400",
        "31/Dec/1999:23:59:59 +0000",
        "29/Feb/2000:12:30:00 +0530",
        "01/Jan/1970:00:00:00 +0000",
        "15/Mar/1960:08:00:00 -1100",
        "28/Feb/2100:06:07:08 +1400",
    })
    void shouldComputeTimestampsLikeJavaTime(String time) {
        DecodedBatch d = decodeAll("h - - [" + time + "] \"GET / HTTP/1.0\" 200 1");

        assertEquals(epochMillis(time), number(d, "timestamp", 0), time);
    }

    @Test
    void shouldAcceptAnyStatusThatFitsALong() {
        DecodedBatch d = decodeAll("h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 9223372036854775807 9223372036854775807");

        assertEquals(Long.MAX_VALUE, number(d, "status", 0));
        assertEquals(Long.MAX_VALUE, number(d, "bytes", 0));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "|clf: empty record",
        "host-only|clf: too few fields",
        "h - -|clf: too few fields",
        " - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1|clf: empty host",
        "h  - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1|clf: empty ident",
        "h -  [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1|clf: empty authuser",
        "h - - 01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1|clf: missing opening bracket of time",
        "h - - [01/Jul/1995:00:00:01 -0400 \"GET /\" 200 1|clf: missing closing bracket of time",
        "h - - [01/Jux/1995:00:00:01 -0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [32/Jul/1995:00:00:01 -0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [29/Feb/1995:00:00:01 -0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [01/Jul/1995:24:00:01 -0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [01/Jul/1995:00:00:01 0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [01/Jul/19x5:00:00:01 -0400] \"GET /\" 200 1|clf: malformed time",
        "h - - [] \"GET /\" 200 1|clf: malformed time",
        "h - - [01/Jul/1995:00:00:01 -0400] GET /\" 200 1|clf: missing opening quote of request",
        "h - - [01/Jul/1995:00:00:01 -0400]|clf: missing opening quote of request",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET / 200 1|clf: missing closing quote of request",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200|clf: expected status and bytes after the request",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\"|clf: expected status and bytes after the request",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\"200 1|clf: expected status and bytes after the request",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" OK 1|clf: status is not a number",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" -200 1|clf: status is not a number",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\"  200 1|clf: status is not a number",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 9223372036854775808 1|clf: status is too large",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 12k|clf: bytes is not a number or -",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1 2|clf: bytes is not a number or -",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 |clf: bytes is not a number or -",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 --|clf: bytes is not a number or -",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 99999999999999999999|clf: bytes is too large",
    })
    void shouldRejectMalformedRecordsWithTheirReason(String line, String reason) {
        DecodedBatch d = decodeAll("ok - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1", line == null ? "" : line);

        assertEquals(1, d.acceptedCount());
        assertEquals(1, d.rejectedCount());
        assertArrayEquals(new int[] {1}, d.rejectedRows());
        assertEquals(reason, d.reasonFor(1));
        assertNull(d.reasonFor(0));
    }

    @Test
    void shouldRejectTheSameRecordsWhateverFieldsThePlanReads() {
        RecordBatch batch = SharedData.batchOf(
                "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1",
                "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" x 1",
                "h - - [99/Jul/1995:00:00:01 -0400] \"GET /\" 200 1");
        List<Field> hostOnly = List.of(new Field("host", ColumnType.UTF8));

        DecodedBatch d = decode(hostOnly, batch);

        assertEquals(1, d.columnCount());
        assertArrayEquals(new int[] {1, 2}, d.rejectedRows());
    }

    @Test
    void shouldDecodeTheWholeNasaLogLikeARegexAndJavaTime() {
        List<byte[]> lines = SharedData.lines(SharedData.NASA);
        RecordBatch batch = SharedData.batch(lines);

        DecodedBatch d = decode(ALL, batch);

        assertEquals(200_000, lines.size());
        assertEquals(200_000, d.acceptedCount());
        assertEquals(0, d.rejectedCount());
        int nonAscii = 0;
        for (int row = 0; row < lines.size(); row++) {
            String line = new String(lines.get(row), StandardCharsets.ISO_8859_1);
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), line);
            assertEquals(m.group(1), latin1(d, "host", row));
            assertEquals(m.group(4), latin1(d, "time", row));
            assertEquals(m.group(5), latin1(d, "request", row));
            assertEquals(Long.parseLong(m.group(6)), number(d, "status", row));
            assertEquals(m.group(7).equals("-") ? 0 : Long.parseLong(m.group(7)), number(d, "bytes", row));
            if (row % 25 == 0) {
                // java.time is slow enough to dominate the test, so it checks a sample of the lines.
                assertEquals(epochMillis(m.group(4)), number(d, "timestamp", row));
            }
            assertTrue(row == 0 || number(d, "timestamp", row) >= number(d, "timestamp", row - 1), "the log never goes back in time");
            String[] words = m.group(5).split(" ", -1);
            assertEquals(words[0], latin1(d, "method", row));
            assertEquals(words.length > 1 ? words[1] : "", latin1(d, "path", row));
            if (!line.chars().allMatch(c -> c < 128)) {
                nonAscii++;
            }
        }
        assertEquals(2, nonAscii);
    }

    private static String latin1(DecodedBatch d, String field, int row) {
        return new String(d.bytes(d.columnIndex(field), row), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldDecodeWithoutAllocatingPerRecord() {
        RecordBatch batch = SharedData.batch(SharedData.lines(SharedData.NASA));
        DecodedBatch out = new DecodedBatch(ALL);
        ClfDecoder decoder = new ClfDecoder(ALL);
        out.reset(batch);
        decoder.decode(batch, out);

        long allocated = Allocations.during(() -> {
            out.reset(batch);
            decoder.decode(batch, out);
        });

        assertTrue(allocated < 16_384, allocated + " bytes allocated decoding 200,000 records");
    }

    @Test
    void shouldPrintDecodeThroughputOfTheNasaLog() {
        List<byte[]> lines = SharedData.lines(SharedData.NASA);
        RecordBatch batch = SharedData.batch(lines);
        List<Field> golden = List.of(ALL.get(0), ALL.get(4), ALL.get(6), ALL.get(7), ALL.get(8), ALL.get(9));
        DecodedBatch out = new DecodedBatch(golden);
        ClfDecoder decoder = new ClfDecoder(golden);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            out.reset(batch);
            decoder.decode(batch, out);
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertEquals(200_000, out.acceptedCount());
        System.out.printf(Locale.ROOT, "clf decode (host,timestamp,method,path,status,bytes): %.0f MB/s, %.1f M records/s%n",
                batch.byteSize() / (best / 1e3), lines.size() / (best / 1e3));
    }
}
