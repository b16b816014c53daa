package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.frame.ColumnType;

class RunningQueryTest {

    private static final Plan WORD_COUNT = Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
            Query.builder("word-counts").tokenize("text", "word", true).groupBy("word").count("count").running().build());

    private static RecordBatch json(String... texts) {
        List<byte[]> records = new ArrayList<>();
        for (String t : texts) {
            records.add(("{\"text\": \"" + t + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return RecordBatch.of("texts", records);
    }

    private static Map<String, Long> rows(Frame f) {
        Map<String, Long> out = new HashMap<>();
        Utf8Column words = (Utf8Column) f.column("word");
        LongColumn counts = (LongColumn) f.column("count");
        for (int i = 0; i < f.rows(); i++) {
            out.put(words.getString(i), counts.get(i));
        }
        return out;
    }

    @Test
    void shouldSplitOnWhitespaceAndPunctuationAndLowerCase() {
        BatchResult r = new CpuBackend().execute(WORD_COUNT, json("Hello, hello WORLD!  It's\\tnew-ish; Ünïcode ÉTÉ été 42 x_y"));
        assertEquals(Map.of("hello", 2L, "world", 1L, "it", 1L, "s", 1L, "new", 1L, "ish", 1L,
                "ünïcode", 1L, "été", 2L, "42", 1L, "x_y", 1L), rows(r.frames().get(0)));
    }

    @Test
    void shouldKeepCaseWhenAskedTo() {
        Plan plan = Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                Query.builder("w").tokenize("text", "word", false).groupBy("word").count("count").build());
        BatchResult r = new CpuBackend().execute(plan, json("The the THE"));
        assertEquals(Map.of("The", 1L, "the", 1L, "THE", 1L), rows(r.frames().get(0)));
    }

    @Test
    void shouldEmitOnlyChangedWordsWithTheirRunningCounts() {
        CpuBackend backend = new CpuBackend();
        assertEquals(Map.of("a", 2L, "b", 1L), rows(backend.execute(WORD_COUNT, json("a b", "A")).frames().get(0)));
        assertEquals(Map.of("b", 3L, "c", 1L), rows(backend.execute(WORD_COUNT, json("b B c")).frames().get(0)));
        RecordBatch withBadRecord = RecordBatch.of("texts", List.of("{\"text\": \"a\"}".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8)));
        BatchResult third = backend.execute(WORD_COUNT, withBadRecord);
        assertEquals(Map.of("a", 3L), rows(third.frames().get(0)));
        assertEquals(1, third.rejectedCount());
    }

    @Test
    void shouldCountEveryWordWhenABatchHasManyMoreWordsThanTheLast() {
        CpuBackend backend = new CpuBackend();
        assertEquals(Map.of("a", 1L), rows(backend.execute(WORD_COUNT, json("a")).frames().get(0)));
        // 30,000 words: the word batch starts with room for 1,024 and must grow, keeping every word
        // so far, whether a slice of the batch, lower-cased or copied out of an escaped text.
        String[] texts = new String[3_000];
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < texts.length; i++) {
            StringBuilder t = new StringBuilder();
            for (int w = 0; w < 10; w++) {
                String word = (w % 3 == 0 ? "Word" : "w") + (i * 7 + w) % 500;
                t.append(word).append(i % 2 == 0 ? " " : "\\t");
                expected.merge(word.toLowerCase(Locale.ROOT), 1L, Long::sum);
            }
            texts[i] = t.toString();
        }
        assertEquals(expected, rows(backend.execute(WORD_COUNT, json(texts)).frames().get(0)));
    }

    @Test
    void shouldContinueFromRestoredState() {
        CpuBackend backend = new CpuBackend();
        backend.restore(WORD_COUNT, 0, new Frame(List.of(Utf8Column.of("word", "a", "b"), LongColumn.of("count", 5, 7)), 1, 2));
        assertEquals(Map.of("a", 6L, "c", 1L), rows(backend.execute(WORD_COUNT, json("A c")).frames().get(0)));
        assertEquals(Map.of("b", 8L), rows(backend.execute(WORD_COUNT, json("b")).frames().get(0)));
    }

    @Test
    void shouldRefuseToRestoreAMeanWithoutItsCount() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("r").groupBy("host").mean("bytes", "avg").running().build());
        assertThrows(UnsupportedOperationException.class, () -> new CpuBackend().restore(plan, 0,
                new Frame(List.of(Utf8Column.of("host", "h"), DoubleColumn.of("avg", 2.5)), 1, 1)));
    }

    @Test
    void shouldEndWithEachWordsTotalWhateverTheBatchBoundaries() {
        Random random = new Random(7);
        String[] vocabulary = new String[5000];
        for (int i = 0; i < vocabulary.length; i++) {
            vocabulary[i] = "w" + Integer.toString(i * 7919, 36);
        }
        List<String> texts = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int t = 0; t < 20_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int w = random.nextInt(12); w >= 0; w--) {
                String word = vocabulary[(int) Math.abs(random.nextGaussian() * 800) % vocabulary.length];
                sb.append(random.nextBoolean() ? word.toUpperCase(Locale.ROOT) : word).append(random.nextBoolean() ? " " : ", ");
                expected.merge(word, 1L, Long::sum);
            }
            texts.add(sb.toString());
        }
        CpuBackend backend = new CpuBackend();
        Map<String, Long> last = new HashMap<>();
        int i = 0;
        while (i < texts.size()) {
            int n = 1 + random.nextInt(3000);
            List<String> slice = texts.subList(i, Math.min(texts.size(), i + n));
            last.putAll(rows(backend.execute(WORD_COUNT, json(slice.toArray(new String[0]))).frames().get(0)));
            i += n;
        }
        assertEquals(expected, last);
    }

    @Test
    void shouldKeepRunningSumsMinMaxAndMeansPerCompositeKey() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("r").groupBy("host", "status")
                .count("n").sum("bytes", "total").min("bytes", "least").max("bytes", "most").mean("bytes", "avg").running().build());
        CpuBackend backend = new CpuBackend();
        String a = "h - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 ";
        backend.execute(plan, RecordBatch.of("t", List.of((a + "10").getBytes(StandardCharsets.US_ASCII), (a + "20").getBytes(StandardCharsets.US_ASCII))));
        Frame f = backend.execute(plan, RecordBatch.of("t", List.of((a + "60").getBytes(StandardCharsets.US_ASCII)))).frames().get(0);
        assertEquals(1, f.rows());
        assertEquals(3L, ((LongColumn) f.column("n")).get(0));
        assertEquals(90L, ((LongColumn) f.column("total")).get(0));
        assertEquals(10L, ((LongColumn) f.column("least")).get(0));
        assertEquals(60L, ((LongColumn) f.column("most")).get(0));
        assertEquals(30.0, ((DoubleColumn) f.column("avg")).get(0), 1e-12);
    }

    @Test
    void shouldRefuseColumnsOtherThanTheWordsAfterTokenize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plan.of(new ClfFormat(),
                Query.builder("w").tokenize("request", "word", true).groupBy("host").count("n").build()));
        assertTrue(e.getMessage().contains("host"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Plan.of(new ClfFormat(),
                Query.builder("w").tokenize("status", "word", true).groupBy("word").count("n").build()));
        assertTrue(e.getMessage().contains("string column"), e.getMessage());
    }
}
