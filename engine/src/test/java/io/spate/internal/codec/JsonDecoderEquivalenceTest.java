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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import org.junit.jupiter.api.Test;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.SharedData;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

/**
 * {@link JsonDecoder} against {@link ReferenceJsonDecoder}, a verbatim copy of the decoder before
 * it had a fast path (Jackson for every record): on generated, mutated and real JSON, both must
 * accept and reject the same records, for the same reasons, with the same column values (the same
 * string bytes, longs, and double bits), whatever fields the plan reads.
 */
class JsonDecoderEquivalenceTest {

    private static final Field TEXT = new Field("text", ColumnType.UTF8);
    /** The wanted paths the generator builds records around: every type, nesting, and keys that are not ASCII. */
    private static final List<Field> MIXED = List.of(
            new Field("a", ColumnType.LONG), new Field("b", ColumnType.DOUBLE), new Field("c", ColumnType.UTF8),
            new Field("n.x", ColumnType.UTF8), new Field("n.y", ColumnType.LONG), new Field("n.m.z", ColumnType.DOUBLE));
    private static final List<Field> UNICODE = List.of(
            new Field("\u00e9t\u00e9", ColumnType.UTF8), new Field("\ud83d\ude00.\u20ac", ColumnType.LONG));
    private static final List<Field> COMMITS = List.of(
            new Field("commit.committer.name", ColumnType.UTF8), new Field("commit.comment_count", ColumnType.LONG));

    /** One way to read records: the format (which decides whether the root must be an object) and the fields read. */
    private record Reading(String label, JsonFormat format, List<Field> fields) {

        static Reading of(String label, List<Field> fields) {
            return new Reading(label, new JsonFormat(fields), fields);
        }
    }

    private static final Reading READ_TEXT = Reading.of("text", List.of(TEXT));
    private static final Reading READ_MIXED = Reading.of("mixed", MIXED);
    private static final Reading READ_DOT_UTF8 = Reading.of(". utf8", List.of(new Field(".", ColumnType.UTF8)));
    private static final Reading READ_DOT_DOUBLE = Reading.of(". double", List.of(new Field(".", ColumnType.DOUBLE)));
    private static final Reading READ_DOT_LONG = Reading.of(". long", List.of(new Field(".", ColumnType.LONG)));
    /** No field at all: only whether the record is a JSON object counts. */
    private static final Reading READ_NOTHING = new Reading("nothing", new JsonFormat(List.of(TEXT)), List.of());

    private static final List<Reading> READINGS = List.of(
            READ_TEXT,
            READ_MIXED,
            Reading.of("mixed reversed", reversed(MIXED)),
            Reading.of("commits", COMMITS),
            Reading.of("unicode", UNICODE),
            READ_DOT_UTF8,
            READ_DOT_DOUBLE,
            READ_DOT_LONG,
            Reading.of(". and a", List.of(new Field(".", ColumnType.UTF8), new Field("a", ColumnType.LONG))),
            READ_NOTHING,
            new Reading("a of a format with .", new JsonFormat(List.of(new Field(".", ColumnType.UTF8),
                    new Field("a", ColumnType.LONG))), List.of(new Field("a", ColumnType.LONG))),
            Reading.of("n and n.x", List.of(new Field("n", ColumnType.UTF8), new Field("n.x", ColumnType.UTF8))),
            Reading.of("lone surrogate", List.of(new Field("\ud800", ColumnType.UTF8))));
    /** The readings for tests of syntax rather than paths: strings, numbers and whole records, with and without an object around them. */
    private static final List<Reading> SYNTAX = List.of(READ_TEXT, READ_MIXED, READ_DOT_UTF8, READ_DOT_DOUBLE, READ_DOT_LONG,
            READ_NOTHING);

    /** Keys the generator adds besides the wanted ones: near misses, empty, and ones that need escaping or are not ASCII. */
    private static final String[] NOISE_KEYS = {
        "", "t", "tex", "texts", "Text", "x", "y", "m", "nn", "commit", "committer", "name", "sha", "url",
        "\u00e9", "\u00e9t\u00e9s", "\ud83d\ude00", "\u20ac", "a\"b", "\\", "\u0001", "\ud800", "key with spaces",
        "a.b", "long_key_that_is_longer_than_a_word_of_eight_bytes",
    };
    private static final String[] WORDS = {
        "the", "quick", "brown", "fox", "GET", "/history/apollo/", "HTTP/1.0", "caf\u00e9", "na\u00efve", "\u20ac",
        "\u65e5\u672c", "\ud83d\ude00", "\uffff", "\ud800\udc00", "\udbff\udfff", "\u0080", "\u07ff", "\u0800", "\u007f",
        "a", "", "x".repeat(40), "tab\there", "new\nline", "quote\"d", "back\\slash", "\u0000", "\u001f",
    };
    /** Bytes that matter to the scanner: structure, white space and near-white space, escapes, number bytes, UTF-8 leads and continuations. */
    private static final byte[] SPECIAL = latin1("{}[]:,\" \t\n\r\\/0-+.eE1tfnu\u0000\u0001\u000b\u000c\u001f\u007f\u0080\u00a0\u00bf"
            + "\u00c0\u00c3\u00e0\u00ed\u00ef\u00f0\u00f4\u00f5\u00ffa");
    private static final JsonFactory FACTORY = new JsonFactory();

    @Test
    void shouldMatchTheReferenceOnGeneratedRecordsAndTheirMutations() {
        SplittableRandom random = new SplittableRandom(20_261_202);
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            valid.add(record(random));
        }
        Map<String, Integer> outcomes = assertSameDecodes(valid, random);
        // The generated records are mostly accepted, and the fast path takes most of those; it
        // leaves to Jackson those with an escaped key or a string that is not strict UTF-8.
        assertTrue(outcomes.get("accepted") > 8_000, outcomes.toString());
        assertTrue(outcomes.get("fast") > outcomes.get("accepted") / 2, outcomes.toString());

        List<byte[]> mutated = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            mutated.add(mutate(valid.get(i % valid.size()), SPECIAL, random));
        }
        assertSameDecodes(mutated, random).forEach((k, v) -> outcomes.merge(k, v, Integer::sum));
        for (String reason : List.of("json: invalid json at byte", "json: missing field", "json: trailing content at byte",
                "json: record is not an object", "json: empty record", "is null", "is not a long", "is not a double",
                "is not a string")) {
            assertTrue(outcomes.keySet().stream().anyMatch(k -> k.contains(reason)), "no '" + reason + "': " + outcomes);
        }
    }

    @Test
    void shouldMatchTheReferenceOnWordCountMessages() {
        SplittableRandom random = new SplittableRandom(5);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            int words = random.nextInt(40);
            for (int w = 0; w < words; w++) {
                text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(random.nextInt(4) == 0 ? WORDS.length : 7)]);
            }
            Json j = new Json().raw("{").ws(random).raw("\"text\"").ws(random).raw(":").ws(random);
            j.string(random, text.toString()).ws(random).raw("}");
            records.add(j.bytes());
        }
        List<Reading> readings = List.of(READ_TEXT, READ_DOT_UTF8, READ_NOTHING);
        Map<String, Integer> outcomes = assertSameDecodes(records, random, readings);
        assertTrue(outcomes.get("fast") > outcomes.get("accepted") * 3 / 4, outcomes.toString());

        List<byte[]> mutated = new ArrayList<>();
        for (byte[] r : records) {
            mutated.add(mutate(r, SPECIAL, random));
        }
        assertSameDecodes(mutated, random, readings);
    }

    @Test
    void shouldMatchTheReferenceWithSpecialBytesAtEveryPosition() {
        SplittableRandom random = new SplittableRandom(42);
        String[] seeds = {
            "{\"text\":\"the quick brown fox\"}",
            "{\"a\":-12,\"b\":1.5e-3,\"c\":\"caf\u00e9 \\u00e9\\n\",\"n\":{\"x\":\"\ud83d\ude00\",\"y\":0,\"m\":{\"z\":-0.0}}}",
            " { \"n\" : { \"m\" : { \"z\" : 10 } , \"y\" : 9223 , \"x\" : true } , \"c\" : 12.50 , \"b\" : 7 , \"a\" : 1 } ",
            "{\"commit\":{\"committer\":{\"name\":\"Nico Williams\",\"date\":\"2017\"},\"comment_count\":0},\"x\":[1,{\"y\":null},[]]}",
            "\"word\"", "-12.5e+3", "[1,2,{\"a\":3}]", "true",
        };
        List<byte[]> records = new ArrayList<>();
        for (String seed : seeds) {
            byte[] record = seed.getBytes(StandardCharsets.UTF_8);
            for (int at = 0; at <= record.length; at++) {
                for (byte b : SPECIAL) {
                    records.add(insert(record, at, b));
                    if (at < record.length) {
                        records.add(replace(record, at, b));
                    }
                }
                records.add(Arrays.copyOf(record, at));
                if (at < record.length) {
                    records.add(delete(record, at));
                    records.add(Arrays.copyOfRange(record, at, record.length));
                }
            }
        }
        assertSameDecodes(records, random, List.of(READ_TEXT, READ_MIXED, READ_DOT_UTF8, READ_NOTHING));
    }

    @Test
    void shouldMatchTheReferenceOnShortRecords() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] alphabet = latin1("{}[]\"0-1 :,t\\\u00c3");
        List<byte[]> records = new ArrayList<>();
        records.add(new byte[0]);
        List<byte[]> previous = List.of(new byte[0]);
        for (int length = 1; length <= 3; length++) {
            List<byte[]> next = new ArrayList<>();
            for (byte[] p : previous) {
                for (byte b : alphabet) {
                    next.add(insert(p, p.length, b));
                }
            }
            records.addAll(next);
            previous = next;
        }
        // And a sample of the longer ones, up to 8 bytes: the 8-byte string scan meets their end.
        for (int i = 0; i < 10_000; i++) {
            byte[] r = new byte[4 + random.nextInt(5)];
            for (int j = 0; j < r.length; j++) {
                r[j] = alphabet[random.nextInt(alphabet.length)];
            }
            records.add(r);
        }
        assertSameDecodes(records, random, List.of(READ_TEXT, READ_DOT_UTF8, READ_DOT_DOUBLE, READ_NOTHING));
    }

    @Test
    void shouldMatchTheReferenceOnNumbersStringsAndWhiteSpaceOfEveryKind() {
        SplittableRandom random = new SplittableRandom(11);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String number = number(random);
            String string = new Json().string(random, WORDS[random.nextInt(WORDS.length)] + WORDS[random.nextInt(WORDS.length)])
                    .text();
            for (String key : new String[] {"a", "b", "c"}) {
                records.add(latin1("{\"" + key + "\":" + number + "}"));
                records.add(latin1("{\"" + key + "\":" + string + "}"));
            }
            records.add(latin1(number));
            records.add(latin1(string));
            records.add(latin1(whitespace(random) + number + whitespace(random)));
            records.add(latin1("{\"n\":{\"y\":" + number + ",\"x\":" + string + ",\"m\":{\"z\":" + number + "}}}"));
        }
        assertSameDecodes(records, random, SYNTAX);
    }

    @Test
    void shouldMatchTheReferenceOnDeepNesting() {
        SplittableRandom random = new SplittableRandom(13);
        List<byte[]> records = new ArrayList<>();
        for (int depth : new int[] {1, 2, 10, 100, 499, 500, 501, 502, 998, 999, 1000, 1001, 1500}) {
            for (String open : new String[] {"[", "{\"k\":"}) {
                String close = open.equals("[") ? "]" : "}";
                records.add(latin1("{\"text\":\"t\",\"x\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}"));
                records.add(latin1(open.repeat(depth) + "1" + close.repeat(depth)));
                records.add(latin1("{\"text\":\"t\",\"x\":" + open.repeat(depth) + "1" + close.repeat(depth - 1) + "}"));
            }
            records.add(latin1("{\"n\":".repeat(depth) + "{\"x\":\"v\"}" + "}".repeat(depth)));
        }
        assertSameDecodes(records, random);
    }

    @Test
    void shouldMatchTheReferenceOnLongKeysStringsAndNumbers() {
        SplittableRandom random = new SplittableRandom(17);
        List<byte[]> records = new ArrayList<>();
        for (int length : new int[] {99, 100, 101, 999, 1000, 1001, 49_999, 50_000, 50_001}) {
            String digits = "1" + "0".repeat(length - 1);
            records.add(latin1("{\"text\":\"t\",\"" + "k".repeat(length) + "\":1}"));
            records.add(latin1("{\"text\":\"" + "w ".repeat(length) + "\"}"));
            records.add(latin1("{\"text\":\"t\",\"x\":" + digits + "}"));
            records.add(latin1("{\"text\":" + digits + "}"));
            records.add(latin1("{\"b\":0." + digits + "}"));
        }
        assertSameDecodes(records, random);
    }

    @Test
    void shouldMatchTheReferenceOnTheGithubCommits() throws IOException {
        assumeTrue(SharedData.find(SharedData.GITHUB).isPresent(), "no shared/data/" + SharedData.GITHUB);
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> compact = JsonRecords.split(SharedData.bytes(SharedData.GITHUB));
        List<byte[]> records = new ArrayList<>(compact);
        for (byte[] r : compact) {
            records.add(pretty(r));
        }
        Map<String, Integer> outcomes = assertSameDecodes(records, random, commitReadings());
        // Real commits hold nothing the fast path leaves to Jackson: it takes every accepted one.
        assertEquals(outcomes.get("accepted"), outcomes.get("fast"), outcomes.toString());

        List<byte[]> mutated = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            for (byte[] r : records) {
                mutated.add(mutate(r, SPECIAL, random));
            }
        }
        assertSameDecodes(mutated, random, commitReadings());
    }

    private static List<Reading> commitReadings() {
        List<Reading> readings = new ArrayList<>(READINGS);
        readings.add(Reading.of("commit details", List.of(new Field("sha", ColumnType.UTF8),
                new Field("commit.message", ColumnType.UTF8), new Field("commit.verification.verified", ColumnType.UTF8),
                new Field("author.id", ColumnType.LONG), new Field("committer.id", ColumnType.DOUBLE))));
        readings.add(Reading.of("commit dates", List.of(new Field("commit.committer.date", ColumnType.UTF8),
                new Field("commit.author.date", ColumnType.UTF8), new Field("commit.tree.sha", ColumnType.UTF8))));
        return readings;
    }

    /**
     * Decodes {@code records} with both decoders for every reading, in two layouts: one batch as
     * {@link RecordBatch#of} builds it (spare capacity after the last record), and batches of 1 to
     * 8 records whose bytes end exactly where their last record does, so that the 8-byte reads meet
     * the end of the array. Returns, summed over the readings, how often the reference gave each
     * outcome, and under {@code fast} how many records the fast path accepted alone.
     */
    private static Map<String, Integer> assertSameDecodes(List<byte[]> records, SplittableRandom random) {
        return assertSameDecodes(records, random, READINGS);
    }

    private static Map<String, Integer> assertSameDecodes(List<byte[]> records, SplittableRandom random, List<Reading> readings) {
        Map<String, Integer> outcomes = new TreeMap<>();
        List<RecordBatch> batches = new ArrayList<>();
        batches.add(SharedData.batch(records));
        for (int i = 0; i < records.size(); ) {
            int n = Math.min(records.size() - i, 1 + random.nextInt(8));
            batches.add(exactBatch(records.subList(i, i + n), ' '));
            i += n;
        }
        for (Reading reading : readings) {
            List<Field> fields = reading.fields();
            DecodedBatch expected = new DecodedBatch(fields);
            DecodedBatch actual = new DecodedBatch(fields);
            ReferenceJsonDecoder reference = new ReferenceJsonDecoder(reading.format(), fields);
            JsonDecoder decoder = new JsonDecoder(reading.format(), fields);
            for (int b = 0; b < batches.size(); b++) {
                RecordBatch batch = batches.get(b);
                expected.reset(batch);
                reference.decode(batch, expected);
                actual.reset(batch);
                decoder.decode(batch, actual);
                assertSame(batch, reading, expected, actual);
                if (b == 0) {
                    for (int row = 0; row < batch.count(); row++) {
                        String reason = expected.reasonFor(row);
                        outcomes.merge(reason == null ? "accepted" : reason.replaceAll("[0-9]+$", "N"), 1, Integer::sum);
                    }
                    outcomes.merge("fast", fastAccepted(reading, batch), Integer::sum);
                }
            }
        }
        return outcomes;
    }

    /** How many records of {@code batch} the fast path accepts without Jackson. */
    private static int fastAccepted(Reading reading, RecordBatch batch) {
        JsonFastReader fast = new JsonFastReader(JsonPathTree.build(reading.fields()),
                reading.format().field(".").isEmpty(), reading.fields());
        DecodedBatch out = new DecodedBatch(reading.fields());
        out.reset(batch);
        int accepted = 0;
        for (int row = 0; row < batch.count(); row++) {
            if (fast.read(batch.data(), batch.bounds()[row], batch.bounds()[row + 1], out, row)) {
                accepted++;
            }
        }
        return accepted;
    }

    private static void assertSame(RecordBatch batch, Reading reading, DecodedBatch expected, DecodedBatch actual) {
        List<Field> fields = reading.fields();
        for (int row = 0; row < batch.count(); row++) {
            String want = expected.reasonFor(row);
            String got = actual.reasonFor(row);
            if (want == null ? got != null : !want.equals(got)) {
                fail("record " + show(batch, row) + " read as " + reading.label() + ": expected "
                        + (want == null ? "accepted" : want) + ", got " + (got == null ? "accepted" : got));
            }
        }
        assertArrayEquals(Arrays.copyOf(expected.accepted(), expected.acceptedCount()),
                Arrays.copyOf(actual.accepted(), actual.acceptedCount()));
        assertArrayEquals(expected.rejectedRows(), actual.rejectedRows());
        assertArrayEquals(expected.rejectedReasons(), actual.rejectedReasons());
        for (int i = 0; i < expected.acceptedCount(); i++) {
            int row = expected.accepted()[i];
            for (int col = 0; col < fields.size(); col++) {
                boolean same;
                switch (fields.get(col).type()) {
                    case LONG:
                        same = expected.longs(col)[row] == actual.longs(col)[row];
                        break;
                    case DOUBLE:
                        same = Double.doubleToRawLongBits(expected.doubles(col)[row])
                                == Double.doubleToRawLongBits(actual.doubles(col)[row]);
                        break;
                    default:
                        same = Arrays.equals(expected.bytes(col, row), actual.bytes(col, row));
                        break;
                }
                if (!same) {
                    fail("record " + show(batch, row) + " read as " + reading.label() + ": " + fields.get(col).name()
                            + " differs: expected " + value(expected, col, row) + ", got " + value(actual, col, row));
                }
            }
        }
    }

    private static String value(DecodedBatch d, int col, int row) {
        switch (d.type(col)) {
            case LONG: return Long.toString(d.longs(col)[row]);
            case DOUBLE: return Double.toString(d.doubles(col)[row]);
            default: return Arrays.toString(d.bytes(col, row));
        }
    }

    /**
     * A record built around one of the readings' wanted paths: mostly an object holding them (in
     * any order, some twice, some missing, some of another type), with other keys and values
     * between; sometimes a bare value.
     */
    private static byte[] record(SplittableRandom r) {
        Json j = new Json().ws(r);
        switch (r.nextInt(20)) {
            case 0:
                j.value(r, 0);
                break;
            case 1:
                j.raw(number(r));
                break;
            case 2:
                j.string(r, WORDS[r.nextInt(WORDS.length)]);
                break;
            default:
                List<Field> fields = List.of(List.of(TEXT), MIXED, MIXED, COMMITS, UNICODE).get(r.nextInt(5));
                j.wanted(r, tree(fields), 0);
                break;
        }
        j.ws(r);
        if (r.nextInt(40) == 0) {
            j.raw(new String[] {"{}", "x", "1", "\"s\"", ",", "]", "}", "\u0000", "/* c */", "  \n"}[r.nextInt(10)]);
        }
        return j.bytes();
    }

    /** The paths of {@code fields} as nested maps; a leaf maps to its type. */
    private static Map<String, Object> tree(List<Field> fields) {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Field f : fields) {
            Map<String, Object> node = root;
            List<String> path = JsonFormat.path(f.name());
            for (int i = 0; i < path.size() - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) node.computeIfAbsent(path.get(i), k -> new LinkedHashMap<>());
                node = child;
            }
            node.put(path.get(path.size() - 1), f.type());
        }
        return root;
    }

    /** Numbers of every form: ints at the int and long limits, big ones, decimals and exponents, and invalid ones. */
    private static String number(SplittableRandom r) {
        switch (r.nextInt(16)) {
            case 0: return new String[] {"0", "-0", "1", "-1", "7", "10", "-10", "123456789", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "999999999999999999", "-999999999999999999", "1000000000000000000",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
                "18446744073709551616", "123456789012345678901234567890"}[r.nextInt(21)];
            case 1: return new String[] {"0.0", "-0.0", "1.0", "1.5", "0.1", "0.30000000000000004", "1e5", "1E5", "1e+5",
                "1e-5", "-1.5e-300", "1e308", "1.7976931348623157e308", "1.8e308", "1e400", "-1e400", "4.9e-324", "2e-324",
                "1e-400", "0e0", "0E-0", "-0e5", "9007199254740993", "9007199254740993.0", "9007199254740992.5",
                "123456789012345678.5", "1.00000000000000000000001", "0.000000000000000000000000001", "1e22", "1e23",
                "12345678901234567890e-5", "2.2250738585072011e-308"}[r.nextInt(32)];
            case 2: return new String[] {"01", "-", "+1", ".5", "1.", "1e", "1e+", "0x10", "NaN", "Infinity", "-Infinity",
                "--1", "1.5.2", "00", "-01", "1e5.5", "1ee5", "- 1", "0.e1", "1.e1", "1_000", "1 2"}[r.nextInt(22)];
            case 3: return Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)) * (r.nextBoolean() ? 1 : -1));
            case 4: return Long.toString(r.nextLong());
            case 5: return Long.toString(r.nextLong() >> r.nextInt(64));
            case 6: {
                StringBuilder sb = new StringBuilder(r.nextBoolean() ? "-" : "");
                sb.append(1 + r.nextInt(9)).append(digits(r, r.nextInt(25)));
                if (r.nextBoolean()) {
                    sb.append('.').append(digits(r, 1 + r.nextInt(25)));
                }
                if (r.nextBoolean()) {
                    sb.append(r.nextBoolean() ? 'e' : 'E').append(new String[] {"", "+", "-"}[r.nextInt(3)]).append(r.nextInt(400));
                }
                return sb.toString();
            }
            default: return Integer.toString(r.nextInt(-1000, 100_000));
        }
    }

    private static String digits(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        return sb.toString();
    }

    private static String whitespace(SplittableRandom r) {
        switch (r.nextInt(30)) {
            case 0: return "\n  ";
            case 1: return "\t";
            case 2: return "\r\n";
            case 3: return " \r ";
            case 4: return new String[] {"\u000b", "\u000c", "\u0000", "\u00a0", "\u001f", "\u0085"}[r.nextInt(6)];
            case 5:
            case 6:
            case 7: return " ";
            default: return "";
        }
    }

    /** A record being built, as raw bytes so that it can hold any byte sequence. */
    private static final class Json {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Appends {@code s} with each char as one byte (Latin-1): for ASCII and for raw bytes. */
        Json raw(String s) {
            byte[] b = latin1(s);
            out.write(b, 0, b.length);
            return this;
        }

        Json utf8(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            return this;
        }

        Json ws(SplittableRandom r) {
            return raw(whitespace(r));
        }

        /** An object holding the wanted {@code paths} (a leaf maps to its column type) and noise. */
        Json wanted(SplittableRandom r, Map<String, Object> paths, int depth) {
            List<Runnable> members = new ArrayList<>();
            for (Map.Entry<String, Object> e : paths.entrySet()) {
                int copies = r.nextInt(25) == 0 ? 0 : r.nextInt(12) == 0 ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    members.add(() -> {
                        key(r, e.getKey());
                        if (e.getValue() instanceof ColumnType type) {
                            leaf(r, type, depth);
                        } else {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> child = (Map<String, Object>) e.getValue();
                            if (r.nextInt(30) == 0) {
                                value(r, depth + 1);
                            } else {
                                wanted(r, child, depth + 1);
                            }
                        }
                    });
                }
            }
            int noise = r.nextInt(4) == 0 ? r.nextInt(6) : 0;
            for (int i = 0; i < noise; i++) {
                members.add(() -> {
                    key(r, NOISE_KEYS[r.nextInt(NOISE_KEYS.length)]);
                    value(r, depth + 1);
                });
            }
            Collections.shuffle(members, new Random(r.nextLong()));
            return members(r, members, "{", "}");
        }

        private Json members(SplittableRandom r, List<Runnable> members, String open, String close) {
            raw(open).ws(r);
            for (int i = 0; i < members.size(); i++) {
                if (i > 0) {
                    raw(",").ws(r);
                }
                members.get(i).run();
                ws(r);
            }
            if (!members.isEmpty() && r.nextInt(200) == 0) {
                raw(",");
            }
            return raw(close);
        }

        /** A key, now and then escaped although it need not be. */
        private void key(SplittableRandom r, String key) {
            if (r.nextInt(30) == 0 && !key.isEmpty()) {
                raw("\"").raw(String.format(Locale.ROOT, "\\u%04x", (int) key.charAt(0))).utf8escaped(key.substring(1)).raw("\"");
            } else {
                string(r, key);
            }
            ws(r).raw(r.nextInt(300) == 0 ? "=" : ":").ws(r);
        }

        /** A value for a column of {@code type}: mostly of that type, else anything. */
        private void leaf(SplittableRandom r, ColumnType type, int depth) {
            if (r.nextInt(10) == 0) {
                value(r, depth + 1);
                return;
            }
            switch (type) {
                case LONG:
                    raw(r.nextInt(3) == 0 ? number(r) : Integer.toString(r.nextInt(-100_000, 100_000)));
                    break;
                case DOUBLE:
                    raw(r.nextInt(3) == 0 ? number(r) : Double.toString(r.nextDouble() * 1000));
                    break;
                default:
                    switch (r.nextInt(12)) {
                        case 0: raw(number(r)); break;
                        case 1: raw(r.nextBoolean() ? "true" : "false"); break;
                        default: string(r, sentence(r)); break;
                    }
                    break;
            }
        }

        /** Any value, nested up to a few levels. */
        Json value(SplittableRandom r, int depth) {
            switch (r.nextInt(depth > 4 ? 6 : 9)) {
                case 0: return raw(number(r));
                case 1: return string(r, sentence(r));
                case 2: return raw(new String[] {"true", "false", "null", "nul", "tru", "True", "NULL", "nulll"}[r.nextInt(r.nextInt(4) == 0 ? 8 : 3)]);
                case 3: return raw(number(r));
                case 4: return string(r, WORDS[r.nextInt(WORDS.length)]);
                case 5: return raw("null");
                case 6:
                case 7: {
                    List<Runnable> members = new ArrayList<>();
                    int n = r.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        members.add(() -> {
                            key(r, NOISE_KEYS[r.nextInt(NOISE_KEYS.length)]);
                            value(r, depth + 1);
                        });
                    }
                    return members(r, members, "{", "}");
                }
                default: {
                    List<Runnable> elements = new ArrayList<>();
                    int n = r.nextInt(5);
                    for (int i = 0; i < n; i++) {
                        elements.add(() -> value(r, depth + 1));
                    }
                    return members(r, elements, "[", "]");
                }
            }
        }

        private static String sentence(SplittableRandom r) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(r.nextInt(3) == 0 ? WORDS.length : 7)]);
            }
            return sb.toString();
        }

        /**
         * {@code s} as a JSON string: its chars raw in UTF-8 or escaped in every allowed way, at
         * random; now and then a broken escape, a raw control byte, or a byte that is not UTF-8.
         */
        Json string(SplittableRandom r, String s) {
            raw("\"");
            // One string in four is rough: many escapes, and now and then bytes that break it.
            boolean rough = r.nextInt(4) == 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                int dice = r.nextInt(rough ? 100 : 1000);
                if (rough && dice < 2) {
                    raw(new String[] {"\\x", "\\'", "\\u12", "\\u12G4", "\\U0041", "\\", "\u0001", "\n", "\t", "\u007f",
                        "\u0080", "\u00c0\u0080", "\u00c1\u00bf", "\u00e0\u0080\u0080", "\u00ed\u00a0\u0080", "\u00f4\u0090\u0080\u0080",
                        "\u00f5\u0080\u0080\u0080", "\u00ff", "\u00c3", "\u00e2\u0082", "\u00f0\u009f\u0098", "\u00c3(",
                        "\u00ef\u00bb\u00bf", "\u00f8\u0088\u0080\u0080\u0080"}[r.nextInt(24)]);
                }
                if (c == '"' || c == '\\') {
                    raw(r.nextBoolean() ? "\\" + c : String.format(Locale.ROOT, "\\u%04X", (int) c));
                } else if (c < 0x20 || dice < 10) {
                    escape(r, c);
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                            && r.nextInt(5) != 0) {
                        utf8(s.substring(i, i + 2));
                        i++;
                    } else {
                        escape(r, c);
                    }
                } else {
                    utf8(String.valueOf(c));
                }
            }
            if (rough && r.nextInt(20) == 0) {
                // A lone or misordered surrogate escape, which Jackson keeps and the arena writes as '?'.
                raw(new String[] {"\\ud800", "\\udc00", "\\udc00\\ud800", "\\ud83d\\ud83d\\ude00", "\\uDBFF\\uDFFF"}[r.nextInt(5)]);
                if (r.nextBoolean()) {
                    utf8("\ud83d\ude00");
                }
            }
            return raw("\"");
        }

        private void escape(SplittableRandom r, char c) {
            String shortForm = switch (c) {
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '/' -> "\\/";
                default -> null;
            };
            if (shortForm != null && r.nextBoolean()) {
                raw(shortForm);
            } else {
                raw(String.format(Locale.ROOT, r.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c));
            }
        }

        /** {@code s} with quotes and backslashes escaped, the rest raw UTF-8 (for the tail of an escaped key). */
        private Json utf8escaped(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                    raw(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    utf8(String.valueOf(c));
                }
            }
            return this;
        }

        String text() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /** {@code json} re-serialized with Jackson's default pretty printer: new lines, indentation, {@code " : "}. */
    private static byte[] pretty(byte[] json) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonParser p = FACTORY.createParser(json); JsonGenerator g = FACTORY.createGenerator(bytes)) {
            g.useDefaultPrettyPrinter();
            p.nextToken();
            g.copyCurrentStructure(p);
        }
        return bytes.toByteArray();
    }

    private static List<Field> reversed(List<Field> fields) {
        List<Field> out = new ArrayList<>(fields);
        Collections.reverse(out);
        return out;
    }

    /** The decoder as it was before the fast path, Jackson for every record, kept verbatim as the reference. */
    private static final class ReferenceJsonDecoder implements BatchDecoder {

        /** Thread-safe and meant to be shared; it also shares its canonical field-name table across parsers. */
        private static final JsonFactory FACTORY = new JsonFactory();

        private final JsonPathTree.Node root;
        private final boolean rootMustBeObject;
        private final ColumnType[] types;
        private final String[] missing;
        private final String[] nulls;
        private final String[] wrongType;
        /** The record stamp at which each column was last set; a stamp never repeats, so nothing is cleared per record. */
        private final long[] seenAt;
        private long stamp;
        private DecodedBatch out;
        private int row;

        /** A decoder of {@code format} filling columns for {@code fields}, a subset of its fields, in that order. */
        ReferenceJsonDecoder(JsonFormat format, List<Field> fields) {
            root = JsonPathTree.build(fields);
            rootMustBeObject = format.field(".").isEmpty();
            int n = fields.size();
            types = new ColumnType[n];
            missing = new String[n];
            nulls = new String[n];
            wrongType = new String[n];
            seenAt = new long[n];
            for (int c = 0; c < n; c++) {
                Field f = fields.get(c);
                types[c] = f.type();
                missing[c] = "json: missing field '" + f.name() + "'";
                nulls[c] = "json: field '" + f.name() + "' is null";
                wrongType[c] = "json: field '" + f.name() + "' is not a "
                        + (f.type() == ColumnType.LONG ? "long" : f.type() == ColumnType.DOUBLE ? "double" : "string");
            }
            Arrays.fill(seenAt, -1);
        }

        @Override
        public void decode(RecordBatch batch, DecodedBatch out) {
            this.out = out;
            byte[] d = batch.data();
            int[] bounds = batch.bounds();
            int n = batch.count();
            try {
                for (int r = 0; r < n; r++) {
                    row = r;
                    stamp++;
                    String reason = decodeRecord(d, bounds[r], bounds[r + 1]);
                    if (reason == null) {
                        out.accept(r);
                    } else {
                        out.reject(r, reason);
                    }
                }
            } finally {
                this.out = null;
            }
        }

        private String decodeRecord(byte[] d, int start, int end) {
            try (JsonParser p = FACTORY.createParser(d, start, end - start)) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return "json: empty record";
                }
                String reason;
                if (root.column >= 0) {
                    reason = readLeaf(p, t, root.column);
                } else if (t == JsonToken.START_OBJECT) {
                    reason = readObject(p, root);
                } else if (rootMustBeObject) {
                    reason = "json: record is not an object";
                } else {
                    p.skipChildren();
                    reason = null;
                }
                if (reason != null) {
                    return reason;
                }
                if (p.nextToken() != null) {
                    return "json: trailing content at byte " + byteOffset(p.currentTokenLocation());
                }
            } catch (JsonProcessingException e) {
                return "json: invalid json at byte " + byteOffset(e.getLocation());
            } catch (IOException e) {
                // A byte-array source cannot fail to read, so anything else is a parse failure too.
                return "json: invalid json";
            }
            for (int c = 0; c < seenAt.length; c++) {
                if (seenAt[c] != stamp) {
                    return missing[c];
                }
            }
            return null;
        }

        /** Walks the object just started, reading wanted leaves and skipping unwanted subtrees. */
        private String readObject(JsonParser p, JsonPathTree.Node node) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                JsonPathTree.Node child = node.child(p.currentName());
                JsonToken t = p.nextToken();
                if (child == null) {
                    p.skipChildren();
                } else if (child.column >= 0) {
                    String reason = readLeaf(p, t, child.column);
                    if (reason != null) {
                        return reason;
                    }
                } else if (t == JsonToken.START_OBJECT && child.hasChildren()) {
                    String reason = readObject(p, child);
                    if (reason != null) {
                        return reason;
                    }
                } else {
                    // Not an object where a path goes through: its fields stay unseen and are reported missing.
                    p.skipChildren();
                }
            }
            return null;
        }

        /** Reads the value at token {@code t} into column {@code col}; returns why it does not fit, or null. */
        private String readLeaf(JsonParser p, JsonToken t, int col) throws IOException {
            if (t == JsonToken.VALUE_NULL) {
                return nulls[col];
            }
            switch (types[col]) {
                case LONG:
                    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return wrongType[col];
                    }
                    out.longs(col)[row] = p.getLongValue();
                    break;
                case DOUBLE:
                    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                        return wrongType[col];
                    }
                    out.doubles(col)[row] = p.getDoubleValue();
                    break;
                default:
                    if (t != JsonToken.VALUE_STRING && !t.isNumeric() && !t.isBoolean()) {
                        return wrongType[col];
                    }
                    ByteArena arena = out.arena();
                    int at = arena.appendUtf8(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    out.setArenaSlice(col, row, at, arena.size() - at);
                    break;
            }
            seenAt[col] = stamp;
            return null;
        }

        private static String byteOffset(JsonLocation location) {
            return location == null ? "?" : Long.toString(location.getByteOffset());
        }
    }
}
