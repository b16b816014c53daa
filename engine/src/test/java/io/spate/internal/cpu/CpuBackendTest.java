package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.pekko.kafka.ConsumerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.frame.ColumnType;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.SharedData;
import io.spate.internal.codec.JsonRecords;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackendProvider;

class CpuBackendTest {

    private static final Query PER_HOST = Query.builder("per-host").groupBy("host")
            .count("requests").sum("bytes", "bytes").min("bytes", "smallest").max("bytes", "largest")
            .mean("bytes", "mean").build();
    private static final Query ERRORS = Query.builder("errors").where("status >= 500")
            .groupBy("host", "status as response").count("errors").build();
    private static final Query PER_STATUS = Query.builder("per-status").groupBy("status").count("requests").build();
    private static final Plan GOLDEN = Plan.of(new ClfFormat(), PER_HOST, ERRORS, PER_STATUS);

    private final CpuBackend backend = new CpuBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    /** The lines cut into consecutive batches whose sizes cycle through {@code sizes}. */
    private static List<RecordBatch> batches(List<byte[]> lines, int... sizes) {
        List<RecordBatch> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; from < lines.size(); i++) {
            int to = Math.min(lines.size(), from + sizes[i % sizes.length]);
            out.add(SharedData.batch(lines.subList(from, to)));
            from = to;
        }
        return out;
    }

    private static Map<Object, Long> countBy(List<NasaLog.Hit> hits, Predicate<NasaLog.Hit> where,
                                             Function<NasaLog.Hit, Object> key) {
        Map<Object, Long> out = new LinkedHashMap<>();
        for (NasaLog.Hit h : hits) {
            if (where.test(h)) {
                out.merge(key.apply(h), 1L, Long::sum);
            }
        }
        return out;
    }

    @Test
    void shouldCountRequestsPerStatusAsTheLogIsKnownToHave() {
        BatchResult result = backend.execute(GOLDEN, SharedData.batch(NasaLog.lines()));

        assertEquals("cpu", result.backend());
        assertEquals(200_000, result.acceptedCount());
        assertEquals(0, result.rejectedCount());
        assertEquals(Map.of(200L, 180_766L, 304L, 10_704L, 302L, 7_480L, 404L, 990L, 500L, 53L, 403L, 7L),
                FrameRows.longsByKey(result.frames().get(2)));
    }

    @Test
    void shouldSumBytesPerHostLikeAnIndependentScan() {
        Map<String, long[]> merged = new HashMap<>();
        Map<String, Double> meanTimesCount = new HashMap<>();
        for (RecordBatch batch : batches(NasaLog.lines(), 1, 999, 4_096, 33_333, 65_536, 7)) {
            Frame frame = backend.execute(GOLDEN, batch).frames().get(0);
            assertEquals(1, frame.keyCount());
            assertEquals(List.of("host", "requests", "bytes", "smallest", "largest", "mean"),
                    frame.columns().stream().map(c -> c.name()).toList());
            assertEquals(List.of(ColumnType.UTF8, ColumnType.LONG, ColumnType.LONG, ColumnType.LONG, ColumnType.LONG,
                    ColumnType.DOUBLE), frame.columns().stream().map(c -> c.type()).toList());
            FrameRows.byKey(frame).forEach((key, v) -> {
                String host = (String) key.get(0);
                long[] m = merged.computeIfAbsent(host, h -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                m[0] += (Long) v.get(0);
                m[1] += (Long) v.get(1);
                m[2] = Math.min(m[2], (Long) v.get(2));
                m[3] = Math.max(m[3], (Long) v.get(3));
                meanTimesCount.merge(host, (Double) v.get(4) * (Long) v.get(0), Double::sum);
            });
        }
        Map<String, long[]> expected = new HashMap<>();
        for (NasaLog.Hit h : NasaLog.hits()) {
            long[] e = expected.computeIfAbsent(h.host(), k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            e[0]++;
            e[1] += h.bytes();
            e[2] = Math.min(e[2], h.bytes());
            e[3] = Math.max(e[3], h.bytes());
        }
        assertEquals(expected.keySet(), merged.keySet());
        expected.forEach((host, e) -> {
            assertArrayEquals(e, merged.get(host), host);
            double mean = (double) e[1] / e[0];
            assertEquals(mean, meanTimesCount.get(host) / e[0], 1e-9 * Math.max(1, mean), host);
        });
    }

    @Test
    void shouldCountServerErrorsPerHostAndStatus() {
        Map<Object, Long> merged = new HashMap<>();
        for (RecordBatch batch : batches(NasaLog.lines(), 10_000, 3_000, 50_001)) {
            Frame frame = backend.execute(GOLDEN, batch).frames().get(1);
            assertEquals(List.of("host", "response", "errors"), frame.columns().stream().map(c -> c.name()).toList());
            FrameRows.byKey(frame).forEach((k, v) -> merged.merge(k, (Long) v.get(0), Long::sum));
        }

        Map<Object, Long> expected = countBy(NasaLog.hits(), h -> h.status() >= 500, h -> List.of(h.host(), h.status()));
        assertEquals(expected, merged);
        assertEquals(53L, merged.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void shouldEmitGroupsInOrderOfFirstAppearance() {
        List<byte[]> lines = NasaLog.lines().subList(0, 50_000);

        Frame frame = backend.execute(GOLDEN, SharedData.batch(lines)).frames().get(0);

        Map<Object, Long> expected = countBy(NasaLog.hits().subList(0, 50_000), h -> true, NasaLog.Hit::host);
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(FrameRows.longsByKey(frame).entrySet()));
    }

    @Test
    void shouldFilterOnStringsByteWise() {
        Query images = Query.builder("images").where("method == GET", "path >= \"/images/\"", "path < \"/images0\"")
                .groupBy("path").count("n").build();
        Query notGet = Query.builder("not-get").where("method != GET").groupBy("method").count("n").build();
        Query lateHosts = Query.builder("late-hosts").where("host > \"www\"").groupBy("host").count("n").build();
        Plan plan = Plan.of(new ClfFormat(), images, notGet, lateHosts);

        BatchResult result = backend.execute(plan, SharedData.batch(NasaLog.lines()));

        List<NasaLog.Hit> hits = NasaLog.hits();
        assertEquals(countBy(hits, h -> h.method().equals("GET") && h.path().startsWith("/images/"), NasaLog.Hit::path),
                FrameRows.longsByKey(result.frames().get(0)));
        assertEquals(countBy(hits, h -> !h.method().equals("GET"), NasaLog.Hit::method),
                FrameRows.longsByKey(result.frames().get(1)));
        assertEquals(countBy(hits, h -> h.host().compareTo("www") > 0, NasaLog.Hit::host),
                FrameRows.longsByKey(result.frames().get(2)));
        assertTrue(result.frames().get(0).rows() > 100);
    }

    @Test
    void shouldKeepOnlyGroupsThatPassHaving() {
        Query busy = Query.builder("busy").groupBy("host").count("requests").sum("bytes", "bytes")
                .having("requests > 300").build();

        Frame frame = backend.execute(Plan.of(new ClfFormat(), busy), SharedData.batch(NasaLog.lines())).frames().get(0);

        Map<Object, Long> all = countBy(NasaLog.hits(), h -> true, NasaLog.Hit::host);
        all.values().removeIf(n -> n <= 300);
        assertEquals(all, FrameRows.longsByKey(frame));
        assertTrue(frame.rows() > 5 && frame.rows() < 1000, "a threshold that keeps some groups, not all");
    }

    @Test
    void shouldGroupByManyKeysOfMixedTypes() {
        Query q = Query.builder("multi").groupBy("method", "status", "host").count("n").sum("bytes", "bytes").build();

        Frame frame = backend.execute(Plan.of(new ClfFormat(), q), SharedData.batch(NasaLog.lines())).frames().get(0);

        Map<List<Object>, List<Object>> expected = new LinkedHashMap<>();
        for (NasaLog.Hit h : NasaLog.hits()) {
            List<Object> v = expected.computeIfAbsent(List.of(h.method(), h.status(), h.host()), k -> Arrays.asList(0L, 0L));
            v.set(0, (Long) v.get(0) + 1);
            v.set(1, (Long) v.get(1) + h.bytes());
        }
        assertEquals(3, frame.keyCount());
        assertEquals(expected, FrameRows.byKey(frame));
    }

    @Test
    void shouldAggregateAllPassingRecordsIntoOneRowWithoutKeys() {
        Query notFound = Query.builder("404").where("status == 404").count("n").sum("bytes", "bytes").build();
        Query none = Query.builder("none").where("status == 999").count("n").build();

        BatchResult result = backend.execute(Plan.of(new ClfFormat(), notFound, none), SharedData.batch(NasaLog.lines()));

        Frame frame = result.frames().get(0);
        assertEquals(1, frame.rows());
        assertEquals(0, frame.keyCount());
        assertEquals(990L, FrameRows.value(frame.column("n"), 0));
        assertEquals(0, result.frames().get(1).rows());
    }

    @Test
    void shouldReturnEmptyFramesForAnEmptyBatch() {
        BatchResult result = backend.execute(GOLDEN, SharedData.batch(List.of()));

        assertEquals(3, result.frames().size());
        result.frames().forEach(f -> assertEquals(0, f.rows()));
        assertEquals(0, result.rejectedCount());
        assertEquals(List.of("host", "response", "errors"),
                result.frames().get(1).columns().stream().map(c -> c.name()).toList());
    }

    @Test
    void shouldAnswerForASingleRecord() {
        BatchResult result = backend.execute(GOLDEN,
                SharedData.batchOf("a.b - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 503 12"));

        assertEquals(Map.of(List.of("a.b"), List.of(1L, 12L, 12L, 12L, 12.0)), FrameRows.byKey(result.frames().get(0)));
        assertEquals(Map.of(List.of("a.b", 503L), List.of(1L)), FrameRows.byKey(result.frames().get(1)));
    }

    @Test
    void shouldRejectEveryRecordOfAnAllMalformedBatch() {
        Query total = Query.builder("total").count("n").build();

        BatchResult result = backend.execute(Plan.of(new ClfFormat(), PER_HOST, total),
                SharedData.batchOf("", "garbage", "h - - [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 x"));

        assertArrayEquals(new int[] {0, 1, 2}, result.rejected());
        assertArrayEquals(new String[] {"clf: empty record", "clf: too few fields", "clf: bytes is not a number or -"},
                result.reasons());
        assertEquals(0, result.acceptedCount());
        result.frames().forEach(f -> assertEquals(0, f.rows()));
    }

    @Test
    void shouldReportRejectedRecordsInOrderAndLeaveThemOutOfEveryQuery() {
        List<byte[]> lines = new ArrayList<>(NasaLog.lines().subList(0, 1_000));
        lines.set(10, "broken".getBytes(StandardCharsets.US_ASCII));
        lines.set(500, Arrays.copyOf(lines.get(500), 20));

        BatchResult result = backend.execute(GOLDEN, SharedData.batch(lines));

        assertArrayEquals(new int[] {10, 500}, result.rejected());
        assertEquals(998, result.acceptedCount());
        assertEquals(998L, FrameRows.longsByKey(result.frames().get(2)).values().stream().mapToLong(Long::longValue).sum());
    }

    /** Two columns, {@code k} (string) and {@code v} (long), tab-separated, never a header. */
    private static final List<Field> KV = List.of(new Field("k", ColumnType.UTF8), new Field("v", ColumnType.LONG));
    private static final DelimitedFormat KV_FORMAT = new DelimitedFormat((byte) '\t', KV, false, false, false);
    private static final Plan KV_SUMS = Plan.of(KV_FORMAT, Query.builder("sums").groupBy("k").count("n").sum("v", "v").build());

    @Test
    void shouldGroupHugeKeys() {
        byte[] a = new byte[100_000];
        Arrays.fill(a, (byte) 'a');
        byte[] b = a.clone();
        b[b.length - 1] = 'b';
        byte[] c = Arrays.copyOf(a, a.length + 1);
        c[a.length] = 'a';
        List<byte[]> records = new ArrayList<>();
        for (byte[] key : List.of(a, b, a, c, b, a)) {
            records.add(SharedData.concat(key, "\t1".getBytes(StandardCharsets.US_ASCII)));
        }

        Frame frame = backend.execute(KV_SUMS, SharedData.batch(records)).frames().get(0);

        assertEquals(3, frame.rows());
        Utf8Column keys = (Utf8Column) frame.column("k");
        assertArrayEquals(a, keys.getBytes(0));
        assertArrayEquals(b, keys.getBytes(1));
        assertArrayEquals(c, keys.getBytes(2));
        assertEquals(List.of(3L, 2L, 1L), List.of(FrameRows.value(frame.column("n"), 0), FrameRows.value(frame.column("n"), 1),
                FrameRows.value(frame.column("n"), 2)));
    }

    @Test
    void shouldGroupAMillionDistinctKeysInOneBatch() {
        int distinct = 1_000_000;
        RecordBatchBuilder builder = RecordBatch.builder(16 * distinct, distinct + 1_000);
        byte[] record = new byte[32];
        for (int i = 0; i < distinct + 1_000; i++) {
            int key = i < distinct ? i : i - distinct;
            int n = keyRecord(record, key);
            builder.append(record, 0, n, "t", 0, i);
        }
        RecordBatch batch = builder.build(SourceOffsets.NONE, 0);

        Frame frame = backend.execute(KV_SUMS, batch).frames().get(0);

        assertEquals(distinct, frame.rows());
        Utf8Column keys = (Utf8Column) frame.column("k");
        long[] counts = ((LongColumn) frame.column("n")).values();
        long[] sums = ((LongColumn) frame.column("v")).values();
        for (int i = 0; i < distinct; i++) {
            int n = keyRecord(record, i) - 2;
            assertTrue(Arrays.equals(record, 0, n, keys.bytes(), keys.start(i), keys.start(i) + keys.length(i)), "key " + i);
            long expectedCount = i < 1_000 ? 2 : 1;
            assertEquals(expectedCount, counts[i]);
            assertEquals(expectedCount * (i % 7), sums[i]);
        }
    }

    /** Writes {@code k<key>\t<key % 7>} into {@code record}; returns its length. */
    private static int keyRecord(byte[] record, int key) {
        byte[] text = ("k" + key + "\t" + key % 7).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, record, 0, text.length);
        return text.length;
    }

    @Test
    void shouldSeparateKeysWhoseHashesCollide() {
        List<byte[]> lines = NasaLog.lines().subList(0, 8_000);
        Query multi = Query.builder("multi").groupBy("host", "status").count("n").sum("bytes", "bytes").build();
        Plan plan = Plan.of(new ClfFormat(), PER_HOST, multi);
        BatchResult reference = backend.execute(plan, SharedData.batch(lines));

        for (int hashMask : new int[] {0, 1, 0xFF}) {
            try (CpuBackend colliding = new CpuBackend(hashMask)) {
                BatchResult result = colliding.execute(plan, SharedData.batch(lines));
                for (int q = 0; q < 2; q++) {
                    assertEquals(new ArrayList<>(FrameRows.byKey(reference.frames().get(q)).entrySet()),
                            new ArrayList<>(FrameRows.byKey(result.frames().get(q)).entrySet()), "hash mask " + hashMask);
                }
            }
        }
        assertTrue(reference.frames().get(0).rows() > 500, "enough hosts to collide a lot");
    }

    @Test
    void shouldSeparateCollidingKeysOfEveryType() {
        List<Field> cols = List.of(new Field("s", ColumnType.UTF8), new Field("l", ColumnType.LONG), new Field("d", ColumnType.DOUBLE));
        Plan plan = Plan.of(new DelimitedFormat((byte) ',', cols, true, false, false),
                Query.builder("q").groupBy("s", "l", "d").count("n").build());
        RecordBatch batch = SharedData.batchOf("a,1,1.5", "a,1,1.5", "b,1,1.5", "a,2,1.5", "a,1,2.5", "\"a\",1,1.50",
                "ab,1,1.5", "\"a\"\"\",1,1.5", "a\",1,1.5", ",0,0", ",0,-0", ",0,0.0");

        Frame frame;
        try (CpuBackend colliding = new CpuBackend(0)) {
            frame = colliding.execute(plan, batch).frames().get(0);
        }

        assertEquals(List.of(List.of("a", 1L, 1.5), List.of("b", 1L, 1.5), List.of("a", 2L, 1.5), List.of("a", 1L, 2.5),
                List.of("ab", 1L, 1.5), List.of("a\"", 1L, 1.5), List.of("", 0L, 0.0), List.of("", 0L, -0.0)),
                new ArrayList<>(FrameRows.byKey(frame).keySet()));
        assertEquals(List.of(List.of(3L), List.of(1L), List.of(1L), List.of(1L), List.of(1L), List.of(2L), List.of(2L), List.of(1L)),
                new ArrayList<>(FrameRows.byKey(frame).values()));
    }

    @Test
    void shouldCountCommitsPerCommitterAlongNestedJsonPaths() throws Exception {
        List<byte[]> records = JsonRecords.split(SharedData.bytes(SharedData.GITHUB));
        JsonFormat format = new JsonFormat(List.of(new Field("sha", ColumnType.UTF8),
                new Field("commit.committer.name", ColumnType.UTF8), new Field("commit.comment_count", ColumnType.LONG)));
        Plan plan = Plan.of(format, Query.builder("per-committer").groupBy("commit.committer.name as committer")
                .count("commits").sum("commit.comment_count", "comments").build());

        BatchResult result = backend.execute(plan, SharedData.batch(records));

        Map<Object, Long> counts = FrameRows.longsByKey(result.frames().get(0));
        assertEquals(Map.of("Nicolas Williams", 70L, "William Langford", 20L, "Nico Williams", 7L, "GitHub", 3L), counts);
        assertEquals(List.of("Nico Williams", "Nicolas Williams", "William Langford", "GitHub"), new ArrayList<>(counts.keySet()));
        assertEquals(0, result.rejectedCount());
    }

    @Test
    void shouldAggregateTheAtlasHiggsCsvWithItsCrlfLines() {
        List<byte[]> lines = SharedData.lines(SharedData.ATLAS);
        List<Field> fields = new ArrayList<>();
        String[] names = new String(lines.get(0), StandardCharsets.US_ASCII).strip().split(",");
        for (String name : names) {
            fields.add(new Field(name, name.equals("EventId") ? ColumnType.LONG
                    : name.equals("Label") || name.equals("KaggleSet") ? ColumnType.UTF8 : ColumnType.DOUBLE));
        }
        Query perSet = Query.builder("per-set").where("DER_mass_MMC != -999").groupBy("Label", "KaggleSet")
                .count("n").sum("Weight", "weight").mean("DER_mass_MMC", "mass").min("PRI_tau_pt", "tau_min")
                .max("EventId", "last").build();
        Query perJets = Query.builder("per-jets").groupBy("PRI_jet_num as jets").count("n").mean("PRI_met", "met").build();

        BatchResult result = backend.execute(Plan.of(DelimitedFormat.csv(fields), perSet, perJets), SharedData.batch(lines));

        // BatchResult.acceptedCount() counts the skipped header too, so count what the queries saw.
        assertEquals(4_999L, FrameRows.byKey(result.frames().get(1)).values().stream().mapToLong(v -> (Long) v.get(0)).sum(),
                "the header line is skipped, not aggregated");
        assertEquals(0, result.rejectedCount());
        int mass = Arrays.asList(names).indexOf("DER_mass_MMC");
        Map<List<Object>, double[]> perSetExpected = new LinkedHashMap<>();
        Map<Double, double[]> perJetsExpected = new LinkedHashMap<>();
        for (byte[] line : lines.subList(1, lines.size())) {
            String[] v = new String(line, StandardCharsets.US_ASCII).strip().split(",");
            double[] j = perJetsExpected.computeIfAbsent(Double.parseDouble(v[23]), k -> new double[2]);
            j[0]++;
            j[1] += Double.parseDouble(v[20]);
            if (Double.parseDouble(v[mass]) == -999) {
                continue;
            }
            double[] e = perSetExpected.computeIfAbsent(List.of(v[32], v[33]),
                    k -> new double[] {0, 0, 0, Double.POSITIVE_INFINITY, Long.MIN_VALUE});
            e[0]++;
            e[1] += Double.parseDouble(v[31]);
            e[2] += Double.parseDouble(v[mass]);
            e[3] = Math.min(e[3], Double.parseDouble(v[14]));
            e[4] = Math.max(e[4], Long.parseLong(v[0]));
        }
        Map<List<Object>, List<Object>> actual = FrameRows.byKey(result.frames().get(0));
        assertEquals(new ArrayList<>(perSetExpected.keySet()), new ArrayList<>(actual.keySet()));
        perSetExpected.forEach((k, e) -> {
            List<Object> a = actual.get(k);
            assertEquals((long) e[0], a.get(0));
            assertEquals(e[1], (Double) a.get(1), 1e-12);
            assertEquals(e[2] / e[0], (Double) a.get(2), 1e-9);
            assertEquals(e[3], a.get(3));
            assertEquals((long) e[4], a.get(4));
        });
        Map<List<Object>, List<Object>> jets = FrameRows.byKey(result.frames().get(1));
        assertEquals(perJetsExpected.keySet().stream().map(List::<Object>of).toList(), new ArrayList<>(jets.keySet()));
        perJetsExpected.forEach((k, e) -> assertEquals(e[1] / e[0], (Double) jets.get(List.of(k)).get(1), 1e-9));
    }

    @Test
    void shouldGroupQuotedTsvFieldsByTheirUnquotedBytes() {
        List<Field> cols = List.of(new Field("name", ColumnType.UTF8), new Field("note", ColumnType.UTF8), new Field("n", ColumnType.LONG));
        DelimitedFormat format = new DelimitedFormat((byte) '\t', cols, true, true, true);
        Plan plan = Plan.of(format, Query.builder("q").where("note == \"x\"").groupBy("name").sum("n", "n").build());

        BatchResult result = backend.execute(plan, SharedData.batchOf(
                "name\tnote\tn\r",
                "\"say \"\"hi\"\"\"\tx\t1\r",
                "say \"hi\"\t\"x\"\t2\r",
                "\"tab\there\"\tx\t4",
                "\"say \"\"hi\"\"\"\ty\t8",
                "broken\tx\r"));

        assertArrayEquals(new int[] {5}, result.rejected());
        assertEquals("tsv: expected 3 fields, found 2", result.reasons()[0]);
        assertEquals(Map.of("say \"hi\"", 3L, "tab\there", 4L), FrameRows.longsByKey(result.frames().get(0)));
    }

    @Test
    void shouldSwitchBetweenPlansOnOneBackend() {
        RecordBatch nasa = SharedData.batch(NasaLog.lines().subList(0, 5_000));
        Plan other = Plan.of(new ClfFormat(), Query.builder("methods").groupBy("method").count("n").build());

        Frame first = backend.execute(GOLDEN, nasa).frames().get(2);
        backend.execute(other, nasa);
        backend.execute(KV_SUMS, SharedData.batchOf("a\t1"));
        Frame again = backend.execute(GOLDEN, nasa).frames().get(2);

        assertEquals(FrameRows.byKey(first), FrameRows.byKey(again));
    }

    @Test
    void shouldBeFoundByTheServiceLoader() {
        ComputeBackendProvider cpu = ServiceLoader.load(ComputeBackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("cpu")).findFirst().orElseThrow();

        assertEquals(0, cpu.priority());
        assertTrue(cpu.create(ConfigFactory.empty()).orElseThrow() instanceof CpuBackend);
    }

    @Test
    void shouldPrintGoldenSignalsThroughputOnTheNasaLog() {
        List<byte[]> lines = NasaLog.lines();
        RecordBatch batch = SharedData.batch(lines);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = System.nanoTime();
            backend.execute(GOLDEN, batch);
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf(Locale.ROOT, "cpu backend, golden signals (3 queries) on the NASA log: %.0f MB/s, %.1f M records/s%n",
                batch.byteSize() / (best / 1e3), lines.size() / (best / 1e3));
    }
}
