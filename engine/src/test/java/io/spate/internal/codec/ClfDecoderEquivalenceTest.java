package io.spate.internal.codec;

import static io.spate.internal.codec.RecordEdits.delete;
import static io.spate.internal.codec.RecordEdits.exactBatch;
import static io.spate.internal.codec.RecordEdits.insert;
import static io.spate.internal.codec.RecordEdits.latin1;
import static io.spate.internal.codec.RecordEdits.mutate;
import static io.spate.internal.codec.RecordEdits.replace;
import static io.spate.internal.codec.RecordEdits.show;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.SharedData;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;

/**
 * {@link ClfDecoder} against {@link ReferenceClfDecoder}, a verbatim copy of the decoder before its
 * scans were fused and made word-at-a-time: on generated, mutated and real log lines, both must
 * accept and reject the same records, for the same reasons, with the same column values (the same
 * slices, not only equal bytes), whatever fields the plan reads.
 */
class ClfDecoderEquivalenceTest {

    private static final List<Field> ALL = new ClfFormat().schema();
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /** Bytes that matter to the shape, to the word scans (0x00, 0x01 and '!', 0x0B, 0x0C next to the searched bytes), and Latin-1. */
    private static final byte[] SPECIAL = latin1(" \"[]\n\r-+:/09a\t\u0000\u0001!\u000b\u000c\u0080\u00ff\u00e9,");
    private static final String[] NASA_LINES = {
        "199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245",
        "unicomp6.unicomp.net - - [01/Jul/1995:00:00:06 -0400] \"GET /shuttle/countdown/ HTTP/1.0\" 200 3985",
        "burger.letters.com - - [01/Jul/1995:00:00:12 -0400] \"GET /images/NASA-logosmall.gif HTTP/1.0\" 304 0",
        "d104.aa.net - - [01/Jul/1995:00:00:13 -0400] \"GET /shuttle/countdown/count.gif HTTP/1.0\" 200 -",
        "h - - [01/Jul/1995:00:00:01 -0400] \"GET /a\"b\" HTTP/1.0\" 404 12",
        "a b c [29/Feb/2000:12:30:00 +0530] \"\" 0 0",
    };

    /** The field lists the decoders are compared on: all, the benchmark's, none, the golden-signals ones, and odd orders. */
    private static List<List<Field>> fieldSets() {
        List<List<Field>> sets = new ArrayList<>();
        sets.add(ALL);
        sets.add(fields("host", "status", "bytes"));
        sets.add(List.of());
        sets.add(fields("host", "timestamp", "method", "path", "status", "bytes"));
        sets.add(fields("path", "time", "method"));
        List<Field> reversed = new ArrayList<>(ALL);
        Collections.reverse(reversed);
        sets.add(reversed);
        return sets;
    }

    private static List<Field> fields(String... names) {
        List<Field> out = new ArrayList<>();
        for (String name : names) {
            out.add(ALL.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow());
        }
        return out;
    }

    @Test
    void shouldMatchTheReferenceOnGeneratedLinesAndTheirMutations() {
        SplittableRandom random = new SplittableRandom(20_261_203);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            records.add(validLine(random));
        }
        for (int i = 0; i < 60_000; i++) {
            records.add(mutate(validLine(random), SPECIAL, random));
        }
        Map<String, Integer> reasons = assertSameDecodes(records, random);

        assertTrue(reasons.get("accepted") > 5_000, reasons.toString());
        for (String reason : allReasons()) {
            assertTrue(reasons.containsKey(reason), "no record was rejected with '" + reason + "': " + reasons);
        }
    }

    @Test
    void shouldMatchTheReferenceWithSpecialBytesAtEveryPosition() {
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> records = new ArrayList<>();
        for (String text : NASA_LINES) {
            byte[] line = latin1(text);
            for (int at = 0; at <= line.length; at++) {
                for (byte b : SPECIAL) {
                    records.add(insert(line, at, b));
                    if (at < line.length) {
                        records.add(replace(line, at, b));
                    }
                }
                records.add(Arrays.copyOf(line, at));
                if (at < line.length) {
                    records.add(delete(line, at));
                    records.add(Arrays.copyOfRange(line, at, line.length));
                }
            }
            for (String end : new String[] {"\n", "\r", "\r\n", "\n\r", "\n\n", "\r\r\n", " \n", "\"\n"}) {
                records.add(SharedData.concat(line, latin1(end)));
                records.add(SharedData.concat(latin1(end), line));
            }
        }
        assertSameDecodes(records, random);
    }

    @Test
    void shouldMatchTheReferenceOnEmptyAndShortRecords() {
        SplittableRandom random = new SplittableRandom(7);
        List<byte[]> records = new ArrayList<>();
        // Every record of up to 4 bytes over a small alphabet.
        byte[] alphabet = latin1(" \n\r\"[]-0a");
        records.add(new byte[0]);
        List<byte[]> previous = List.of(new byte[0]);
        for (int length = 1; length <= 4; length++) {
            List<byte[]> next = new ArrayList<>();
            for (byte[] p : previous) {
                for (byte b : alphabet) {
                    next.add(insert(p, p.length, b));
                }
            }
            records.addAll(next);
            previous = next;
        }
        for (int i = 0; i < 30_000; i++) {
            byte[] r = new byte[1 + random.nextInt(20)];
            for (int j = 0; j < r.length; j++) {
                r[j] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : SPECIAL[random.nextInt(SPECIAL.length)];
            }
            records.add(r);
        }
        assertSameDecodes(records, random);
    }

    @Test
    void shouldMatchTheReferenceOnRecordsAssembledFromCLFPieces() {
        SplittableRandom random = new SplittableRandom(99);
        String[] pieces = {
            "h", "199.72.81.55", " ", " ", " ", "-", "-", "[", "]", "\"", "\"", "01/Jul/1995:00:00:01 -0400",
            "29/Feb/1995:00:00:01 -0400", "01/Jul/1995:00:00:01 -0400]", "GET", "/", "GET / HTTP/1.0", "200", "1",
            "304 -", "9223372036854775807", "9223372036854775808", "99999999999999999999", "\n", "\r", "\r\n", "x",
            "\u00e9", "] \"", "\" 200 ", "\" 200 1",
        };
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(16);
            for (int j = 0; j < n; j++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            records.add(latin1(sb.toString()));
        }
        // And well-formed lines cut short or grown at every length, through the same pieces.
        for (int i = 0; i < 2_000; i++) {
            byte[] line = validLine(random);
            records.add(Arrays.copyOf(line, random.nextInt(line.length + 1)));
            records.add(SharedData.concat(line, latin1(pieces[random.nextInt(pieces.length)])));
        }
        assertSameDecodes(records, random);
    }

    @Test
    void shouldMatchTheReferenceOnRunsOfTimesOfOneDay() {
        // Times mostly share their day and offset with the record before, the case the decoder
        // reads only HH:mm:ss of; among them bad times of day, and bytes of the time changed.
        SplittableRandom random = new SplittableRandom(11);
        String[] days = {"01/Jul/1995", "29/Feb/2000", "31/Dec/1999", "01/Jan/1970", "15/Mar/1960", "28/Feb/2100"};
        String[] offsets = {"-0400", "+0000", "+1400", "-1100", "+0530"};
        byte[] changes = latin1("0123456789:/ +-]x\n");
        List<byte[]> records = new ArrayList<>();
        String day = days[0];
        String offset = offsets[0];
        for (int i = 0; i < 40_000; i++) {
            if (random.nextInt(50) == 0) {
                day = days[random.nextInt(days.length)];
            }
            if (random.nextInt(80) == 0) {
                offset = offsets[random.nextInt(offsets.length)];
            }
            String timeOfDay = two(random.nextInt(random.nextInt(20) == 0 ? 100 : 24)) + ":"
                    + two(random.nextInt(random.nextInt(20) == 0 ? 100 : 60)) + ":"
                    + two(random.nextInt(random.nextInt(20) == 0 ? 100 : 60));
            byte[] line = latin1("h - - [" + day + ":" + timeOfDay + " " + offset + "] \"GET / HTTP/1.0\" 200 1");
            if (random.nextInt(10) == 0) {
                line = replace(line, 7 + random.nextInt(ClfTime.LENGTH), changes[random.nextInt(changes.length)]);
            }
            records.add(line);
        }
        Map<String, Integer> outcomes = assertSameDecodes(records, random);

        assertTrue(outcomes.get("accepted") > 25_000, outcomes.toString());
        assertTrue(outcomes.get(ClfDecoder.BAD_TIME) > 2_000, outcomes.toString());
    }

    @Test
    void shouldMatchTheReferenceOnTheBundledNasaSample() throws IOException {
        Path sample = Path.of("../testkit/src/main/resources/io/spate/testkit/nasa-sample.log.gz");
        assumeTrue(Files.isRegularFile(sample), "no " + sample.toAbsolutePath());
        List<byte[]> lines;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(sample))) {
            lines = SharedData.splitLines(in.readAllBytes());
        }
        assertEquals(50_000, lines.size());
        assertSameOnRealLines(lines, new SplittableRandom(3));
    }

    @Test
    void shouldMatchTheReferenceOnTheSharedNasaLog() {
        Optional<Path> file = SharedData.find(SharedData.NASA);
        assumeTrue(file.isPresent(), "no shared/data/" + SharedData.NASA);
        List<byte[]> lines = SharedData.lines(SharedData.NASA);
        assertEquals(200_000, lines.size());
        assertSameOnRealLines(lines, new SplittableRandom(5));
    }

    /** The lines as they are (all accepted), then a mutated copy of one in four. */
    private static void assertSameOnRealLines(List<byte[]> lines, SplittableRandom random) {
        Map<String, Integer> reasons = assertSameDecodes(lines, random);
        assertEquals(Map.of("accepted", lines.size()), reasons);
        List<byte[]> mutated = new ArrayList<>();
        for (int i = 0; i < lines.size(); i += 4) {
            mutated.add(mutate(lines.get(i), SPECIAL, random));
        }
        assertSameDecodes(mutated, random);
    }

    private static List<String> allReasons() {
        return List.of(ClfDecoder.EMPTY, ClfDecoder.EMPTY_HOST, ClfDecoder.EMPTY_IDENT, ClfDecoder.EMPTY_AUTHUSER,
                ClfDecoder.TOO_FEW_FIELDS, ClfDecoder.NO_OPEN_BRACKET, ClfDecoder.NO_CLOSE_BRACKET, ClfDecoder.BAD_TIME,
                ClfDecoder.NO_OPEN_QUOTE, ClfDecoder.NO_CLOSE_QUOTE, ClfDecoder.NO_STATUS, ClfDecoder.BAD_STATUS,
                ClfDecoder.BIG_STATUS, ClfDecoder.BAD_BYTES, ClfDecoder.BIG_BYTES, ClfDecoder.MULTI_LINE);
    }

    /**
     * Decodes {@code records} with both decoders for every field set, in two layouts: one batch as
     * {@link RecordBatch#of} builds it (spare capacity after the last record), and batches of 1 to
     * 8 records whose bytes end exactly where their last record does, so that the word reads meet
     * the end of the array. Returns how often the reference gave each outcome.
     */
    private static Map<String, Integer> assertSameDecodes(List<byte[]> records, SplittableRandom random) {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<RecordBatch> batches = new ArrayList<>();
        batches.add(SharedData.batch(records));
        for (int i = 0; i < records.size(); ) {
            int n = Math.min(records.size() - i, 1 + random.nextInt(8));
            batches.add(exactBatch(records.subList(i, i + n), 'x'));
            i += n;
        }
        for (List<Field> fields : fieldSets()) {
            DecodedBatch expected = new DecodedBatch(fields);
            DecodedBatch actual = new DecodedBatch(fields);
            ReferenceClfDecoder reference = new ReferenceClfDecoder(fields);
            ClfDecoder decoder = new ClfDecoder(fields);
            for (int b = 0; b < batches.size(); b++) {
                RecordBatch batch = batches.get(b);
                expected.reset(batch);
                reference.decode(batch, expected);
                actual.reset(batch);
                decoder.decode(batch, actual);
                assertSame(batch, fields, expected, actual);
                if (b == 0 && fields == ALL) {
                    for (int row = 0; row < batch.count(); row++) {
                        String reason = expected.reasonFor(row);
                        outcomes.merge(reason == null ? "accepted" : reason, 1, Integer::sum);
                    }
                }
            }
        }
        return outcomes;
    }

    private static void assertSame(RecordBatch batch, List<Field> fields, DecodedBatch expected, DecodedBatch actual) {
        int[] bounds = batch.bounds();
        for (int row = 0; row < batch.count(); row++) {
            String want = expected.reasonFor(row);
            String got = actual.reasonFor(row);
            if (want == null ? got != null : !want.equals(got)) {
                fail("record " + show(batch, row) + " with fields " + names(fields) + ": expected "
                        + (want == null ? "accepted" : want) + ", got " + (got == null ? "accepted" : got));
            }
        }
        assertEquals(expected.acceptedCount(), actual.acceptedCount());
        assertArrayEquals(Arrays.copyOf(expected.accepted(), expected.acceptedCount()),
                Arrays.copyOf(actual.accepted(), actual.acceptedCount()));
        assertArrayEquals(expected.rejectedRows(), actual.rejectedRows());
        assertArrayEquals(expected.rejectedReasons(), actual.rejectedReasons());
        for (int i = 0; i < expected.acceptedCount(); i++) {
            int row = expected.accepted()[i];
            for (int col = 0; col < fields.size(); col++) {
                boolean same = fields.get(col).type() == ColumnType.UTF8
                        ? expected.starts(col)[row] == actual.starts(col)[row] && expected.lengths(col)[row] == actual.lengths(col)[row]
                        : expected.longs(col)[row] == actual.longs(col)[row];
                if (!same) {
                    fail("record " + show(batch, row) + ": " + fields.get(col).name() + " differs (batch bytes "
                            + bounds[row] + ".." + bounds[row + 1] + ")");
                }
            }
        }
        assertEquals(0, actual.arena().size(), "slices only");
    }

    /** A NASA-like line: mostly well formed, with the odd invalid time, huge number, Latin-1 byte or trailing line end. */
    private static byte[] validLine(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(host(r)).append(' ').append(token(r)).append(' ').append(token(r)).append(" [").append(time(r)).append("] \"");
        sb.append(request(r)).append("\" ").append(number(r, false)).append(' ').append(number(r, true));
        switch (r.nextInt(12)) {
            case 0: sb.append('\n'); break;
            case 1: sb.append("\r\n"); break;
            case 2: sb.append('\r'); break;
            default: break;
        }
        return latin1(sb.toString());
    }

    private static String host(SplittableRandom r) {
        switch (r.nextInt(4)) {
            case 0:
                return r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            case 1:
                return word(r, 1 + r.nextInt(60), "abcdefghijklmnopqrstuvwxyz0123456789.-_!\u00e9\u00ff");
            default:
                StringBuilder sb = new StringBuilder();
                int labels = 1 + r.nextInt(5);
                for (int i = 0; i < labels; i++) {
                    sb.append(i == 0 ? "" : ".").append(word(r, 1 + r.nextInt(12), "abcdefghijklmnopqrstuvwxyz0123456789-"));
                }
                return sb.toString();
        }
    }

    private static String token(SplittableRandom r) {
        return r.nextInt(5) == 0 ? word(r, 1 + r.nextInt(12), "abcdefghij-_.@!\"[]") : "-";
    }

    private static String time(SplittableRandom r) {
        int year = 1900 + r.nextInt(220);
        int month = 1 + r.nextInt(12);
        int day = 1 + r.nextInt(ClfTime.daysInMonth(year, month));
        int hour = r.nextInt(24);
        int minute = r.nextInt(60);
        int second = r.nextInt(60);
        String offset = (r.nextBoolean() ? "-" : "+") + two(r.nextInt(24)) + two(r.nextInt(60));
        String monthName = MONTHS[month - 1];
        switch (r.nextInt(30)) {
            case 0: day = 29 + r.nextInt(4); break; // sometimes past the month's end
            case 1: hour = 24 + r.nextInt(76); break;
            case 2: minute = 60; break;
            case 3: offset = "*" + offset.substring(1); break;
            case 4: monthName = monthName.toLowerCase(Locale.ROOT); break;
            case 5: offset = offset.substring(1); break; // 25 bytes
            case 6: offset = offset + "0"; break; // 27 bytes
            case 7: offset = offset.substring(0, 4) + "]"; break; // a ']' inside the time
            default: break;
        }
        return two(day) + "/" + monthName + "/" + year + ":" + two(hour) + ":" + two(minute) + ":" + two(second) + " " + offset;
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String request(SplittableRandom r) {
        String method = new String[] {"GET", "POST", "HEAD", "", "get"}[r.nextInt(5)];
        String path = word(r, r.nextInt(70), "abcdefghijklmnopqrstuvwxyz0123456789/._-~%?=&");
        switch (r.nextInt(12)) {
            case 0: return method;
            case 1: return "";
            case 2: return method + " " + path + "\"quoted\" HTTP/1.0";
            case 3: return method + "  " + path + " HTTP/1.0";
            case 4: return method + " " + path + " HTTP/1.0 ";
            case 5: return method + " " + word(r, 1 + r.nextInt(40), "ab/\"[] -\u00e9\u00ff\t");
            case 6: return method + " " + path;
            default: return method + " " + path + " HTTP/1.0";
        }
    }

    private static String number(SplittableRandom r, boolean bytes) {
        switch (r.nextInt(20)) {
            case 0: return "9223372036854775807";
            case 1: return "9223372036854775808";
            case 2: return word(r, 19 + r.nextInt(3), "0123456789");
            case 3: return "0" + r.nextInt(1000);
            case 4: return bytes ? "-" : "0";
            case 5: return "";
            default: return Integer.toString(bytes ? r.nextInt(1_000_000) : 100 + r.nextInt(500));
        }
    }

    private static String word(SplittableRandom r, int length, String chars) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(chars.charAt(r.nextInt(chars.length())));
        }
        return sb.toString();
    }

    private static List<String> names(List<Field> fields) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            out.add(f.name());
        }
        return out;
    }

    /** The decoder as it was before the fused, word-at-a-time scans, kept verbatim as the reference. */
    private static final class ReferenceClfDecoder implements BatchDecoder {

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
        ReferenceClfDecoder(List<Field> fields) {
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
                return ClfDecoder.EMPTY;
            }
            for (int i = start; i < end; i++) {
                if (d[i] == '\n' || d[i] == '\r') {
                    return ClfDecoder.MULTI_LINE;
                }
            }
            int p = start;
            int sp = indexOf(d, p, end, (byte) ' ');
            if (sp < 0) {
                return ClfDecoder.TOO_FEW_FIELDS;
            }
            if (sp == p) {
                return ClfDecoder.EMPTY_HOST;
            }
            if (host >= 0) {
                out.setSlice(host, row, p, sp - p);
            }
            p = sp + 1;
            sp = indexOf(d, p, end, (byte) ' ');
            if (sp < 0) {
                return ClfDecoder.TOO_FEW_FIELDS;
            }
            if (sp == p) {
                return ClfDecoder.EMPTY_IDENT;
            }
            if (ident >= 0) {
                out.setSlice(ident, row, p, sp - p);
            }
            p = sp + 1;
            sp = indexOf(d, p, end, (byte) ' ');
            if (sp < 0) {
                return ClfDecoder.TOO_FEW_FIELDS;
            }
            if (sp == p) {
                return ClfDecoder.EMPTY_AUTHUSER;
            }
            if (authuser >= 0) {
                out.setSlice(authuser, row, p, sp - p);
            }
            p = sp + 1;
            if (p >= end || d[p] != '[') {
                return ClfDecoder.NO_OPEN_BRACKET;
            }
            int timeStart = p + 1;
            int timeEnd = indexOf(d, timeStart, end, (byte) ']');
            if (timeEnd < 0) {
                return ClfDecoder.NO_CLOSE_BRACKET;
            }
            long millis = ClfTime.parse(d, timeStart, timeEnd);
            if (millis == ClfTime.INVALID) {
                return ClfDecoder.BAD_TIME;
            }
            if (time >= 0) {
                out.setSlice(time, row, timeStart, timeEnd - timeStart);
            }
            if (timestamp >= 0) {
                out.longs(timestamp)[row] = millis;
            }
            p = timeEnd + 1;
            if (p + 1 >= end || d[p] != ' ' || d[p + 1] != '"') {
                return ClfDecoder.NO_OPEN_QUOTE;
            }
            int requestStart = p + 2;
            // Requests may contain quotes, so the request ends at the last quote of the record.
            int requestEnd = lastIndexOf(d, requestStart, end, (byte) '"');
            if (requestEnd < 0) {
                return ClfDecoder.NO_CLOSE_QUOTE;
            }
            return tail(d, requestStart, requestEnd, end, row, out);
        }

        /** Decodes the request and what follows it: {@code " status bytes}. */
        private String tail(byte[] d, int requestStart, int requestEnd, int end, int row, DecodedBatch out) {
            int p = requestEnd + 1;
            if (p >= end || d[p] != ' ') {
                return ClfDecoder.NO_STATUS;
            }
            p++;
            int sp = indexOf(d, p, end, (byte) ' ');
            if (sp < 0) {
                return ClfDecoder.NO_STATUS;
            }
            long statusValue = ByteNumbers.parseUnsigned(d, p, sp);
            if (statusValue < 0) {
                return statusValue == -1 ? ClfDecoder.BAD_STATUS : ClfDecoder.BIG_STATUS;
            }
            long bytesValue = sp + 2 == end && d[sp + 1] == '-' ? 0 : ByteNumbers.parseUnsigned(d, sp + 1, end);
            if (bytesValue < 0) {
                return bytesValue == -1 ? ClfDecoder.BAD_BYTES : ClfDecoder.BIG_BYTES;
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
}
