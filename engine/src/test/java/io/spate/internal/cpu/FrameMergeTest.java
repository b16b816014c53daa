package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.SharedData;
import io.spate.plan.ClfFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.frame.ColumnType;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Merging the frames a query gave for several batches must give what the query gives over all
 * their records as one batch (per-batch aggregates: computed by the CPU backend both ways over the
 * same records), or each key's last running value (running queries).
 */
class FrameMergeTest {

    private static final List<Query> QUERIES = List.of(
            Query.builder("traffic").groupBy("host").count("requests").build(),
            Query.builder("errors").where("status >= 500").groupBy("host", "status as response").count("errors").build(),
            Query.builder("bytes").groupBy("host").sum("bytes", "bytes").min("bytes", "smallest").max("bytes", "largest").build(),
            Query.builder("all").count("requests").sum("bytes", "bytes").build(),
            Query.builder("running").groupBy("host").sum("bytes", "total").mean("bytes", "mean").count("n").running().build(),
            Query.builder("running-having").groupBy("status").count("n").having("n > 100").running().build());

    private final List<CpuBackend> backends = new ArrayList<>();

    @AfterEach
    void close() {
        backends.forEach(CpuBackend::close);
    }

    @Test
    void shouldMergeBatchesOfGeneratedLogAsOneBatchWouldGive() {
        assertMergesLikeOneBatch(generatedLog(30_000, new Random(7)), 2_503);
    }

    @Test
    void shouldMergeBatchesOfTheNasaLogAsOneBatchWouldGive() {
        assertMergesLikeOneBatch(SharedData.lines(SharedData.NASA).subList(0, 60_000), 7_919);
    }

    @Test
    void shouldMergeWordCountsOfJsonTexts() {
        Plan plan = Plan.of(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))),
                Query.builder("words").tokenize("text", "word", true).groupBy("word").count("count").build(),
                Query.builder("running").tokenize("text", "word", true).groupBy("word").count("count").running().build());
        Random random = new Random(11);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = random.nextInt(8); w >= 0; w--) {
                text.append(random.nextBoolean() ? "Word" : "w").append(random.nextInt(300)).append(' ');
            }
            records.add(("{\"text\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        assertMergesLikeOneBatch(plan, records, 401);
    }

    private void assertMergesLikeOneBatch(List<byte[]> lines, int batchSize) {
        assertMergesLikeOneBatch(Plan.of(new ClfFormat(), QUERIES.toArray(new Query[0])), lines, batchSize);
    }

    private void assertMergesLikeOneBatch(Plan plan, List<byte[]> lines, int batchSize) {
        CpuBackend perBatch = backend();
        List<List<Frame>> parts = new ArrayList<>();
        for (int from = 0; from < lines.size(); from += batchSize) {
            parts.add(perBatch.execute(plan, SharedData.batch(lines.subList(from, Math.min(lines.size(), from + batchSize)))).frames());
        }
        assertTrue(parts.size() > 5, "several batches: " + parts.size());
        List<Frame> whole = backend().execute(plan, SharedData.batch(lines)).frames();
        for (int q = 0; q < plan.queries().size(); q++) {
            Query query = plan.queries().get(q);
            List<Frame> frames = new ArrayList<>();
            for (List<Frame> p : parts) {
                frames.add(p.get(q));
            }
            Frame merged = new FrameMerge(query).merge(frames);
            // A running query's rows are its running values: the last one of each key. (Its mean is
            // kept as it goes, so a whole batch may round it otherwise.)
            Map<List<Object>, List<Object>> expected = query.running() ? lastByKey(frames) : FrameRows.byKey(whole.get(q));
            Map<List<Object>, List<Object>> actual = FrameRows.byKey(merged);
            Map<List<Object>, String> differences = new HashMap<>();
            expected.forEach((k, v) -> {
                if (!v.equals(actual.get(k))) {
                    differences.put(k, v + " merged as " + actual.get(k));
                }
            });
            actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> differences.put(k, "only merged: " + actual.get(k)));
            assertEquals(Map.of(), differences, query.name() + ": " + expected.size() + " keys");
        }
    }

    @Test
    void shouldWriteAKeysMergedRowAndStartAnotherRatherThanOverflow() {
        Query sum = Query.builder("sum").groupBy("host").sum("bytes", "bytes").count("n").build();
        Frame a = new Frame(List.of(Utf8Column.of("host", "x", "y"), LongColumn.of("bytes", Long.MAX_VALUE - 5, 1), LongColumn.of("n", 1, 1)), 1, 2);
        Frame b = new Frame(List.of(Utf8Column.of("host", "y", "x"), LongColumn.of("bytes", 2, 10), LongColumn.of("n", 1, 1)), 1, 2);
        Frame c = new Frame(List.of(Utf8Column.of("host", "x"), LongColumn.of("bytes", 7), LongColumn.of("n", 1)), 1, 1);
        Frame merged = new FrameMerge(sum).merge(List.of(a, b, c));
        Map<String, List<Long>> bytesByHost = new HashMap<>();
        Map<String, Long> countByHost = new HashMap<>();
        for (int r = 0; r < merged.rows(); r++) {
            String host = ((Utf8Column) merged.columns().get(0)).getString(r);
            bytesByHost.computeIfAbsent(host, h -> new ArrayList<>()).add(((LongColumn) merged.columns().get(1)).get(r));
            countByHost.merge(host, ((LongColumn) merged.columns().get(2)).get(r), Long::sum);
        }
        assertEquals(List.of(Long.MAX_VALUE - 5, 17L), bytesByHost.get("x"), "x's rows add up without wrapping");
        assertEquals(List.of(3L), bytesByHost.get("y"));
        assertEquals(Map.of("x", 3L, "y", 2L), countByHost);
    }

    @Test
    void shouldMergeDoubleKeysAndKeepEmptyFramesTyped() {
        Query q = Query.builder("q").groupBy("x").sum("y", "y").min("y", "low").build();
        Frame a = new Frame(List.of(new DoubleColumn("x", new double[] {1.5, -0.0}, 2), new DoubleColumn("y", new double[] {1, 2}, 2),
                new DoubleColumn("low", new double[] {1, 2}, 2)), 1, 2);
        Frame empty = new Frame(List.of(new DoubleColumn("x", new double[0], 0), new DoubleColumn("y", new double[0], 0),
                new DoubleColumn("low", new double[0], 0)), 1, 0);
        Frame b = new Frame(List.of(new DoubleColumn("x", new double[] {0.0, 1.5}, 2), new DoubleColumn("y", new double[] {4, 8}, 2),
                new DoubleColumn("low", new double[] {4, -8}, 2)), 1, 2);
        Map<List<Object>, List<Object>> rows = FrameRows.byKey(new FrameMerge(q).merge(List.of(a, empty, b)));
        assertEquals(Map.of(List.of(1.5), List.of(9.0, -8.0), List.of(-0.0), List.of(2.0, 2.0), List.of(0.0), List.of(4.0, 4.0)), rows,
                "-0.0 and 0.0 are different keys, as the group-by keeps them");
        Frame none = new FrameMerge(q).merge(List.of(empty, empty));
        assertEquals(0, none.rows());
        assertEquals(ColumnType.DOUBLE, none.columns().get(1).type());
    }

    @Test
    void shouldConcatenateModelAnswersKeepingNestedRecordsWhole() {
        Frame a = new Frame(List.of(LongColumn.of("uid", 1, 1, 2), Utf8Column.of("title", "a", "b", "c")), 1, 3,
                new Frame.Nesting("top", new int[] {0, 2, 3}));
        Frame b = new Frame(List.of(LongColumn.of("uid", 3), Utf8Column.of("title", "d")), 1, 1, new Frame.Nesting("top", new int[] {0, 1}));
        Frame both = FrameMerge.concat(List.of(a, b));
        assertEquals(4, both.rows());
        assertEquals(List.of(0, 2, 3, 4), java.util.Arrays.stream(both.nesting().bounds()).boxed().toList());
        assertEquals("abcd", new String(((Utf8Column) both.columns().get(1)).bytes(), StandardCharsets.UTF_8));
        assertEquals(3L, ((LongColumn) both.columns().get(0)).get(3));
    }

    @Test
    void shouldRefuseToMergeAPerBatchMeanOrHaving() {
        assertTrue(FrameMerge.unmergeable(Query.builder("m").groupBy("host").mean("bytes", "m").build()).isPresent());
        assertTrue(FrameMerge.unmergeable(Query.builder("h").groupBy("host").count("n").having("n > 3").build()).isPresent());
        assertTrue(FrameMerge.unmergeable(Query.builder("r").groupBy("host").mean("bytes", "m").running().build()).isEmpty(),
                "a running mean is a running value: the last one wins");
    }

    private static Map<List<Object>, List<Object>> lastByKey(List<Frame> frames) {
        Map<List<Object>, List<Object>> last = new HashMap<>();
        frames.forEach(f -> last.putAll(FrameRows.byKey(f)));
        return last;
    }

    private CpuBackend backend() {
        CpuBackend b = new CpuBackend();
        backends.add(b);
        return b;
    }

    /** CLF lines over a few hundred hosts, with errors and sizes of every kind (including "-"). */
    static List<byte[]> generatedLog(int n, Random random) {
        List<byte[]> lines = new ArrayList<>(n);
        int[] statuses = {200, 200, 200, 304, 404, 500, 501, 503};
        for (int i = 0; i < n; i++) {
            int status = statuses[random.nextInt(statuses.length)];
            String bytes = random.nextInt(10) == 0 ? "-" : Integer.toString(random.nextInt(100_000));
            String line = "host" + random.nextInt(400) + ".example - - [01/Jul/1995:00:" + String.format("%02d:%02d", i / 600 % 60, i / 10 % 60)
                    + " -0400] \"GET /x/" + random.nextInt(50) + " HTTP/1.0\" " + status + " " + bytes;
            lines.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        return lines;
    }
}
