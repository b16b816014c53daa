package io.spate.testkit;

import static io.spate.testkit.ReferenceAssertions.assertSameResult;
import static io.spate.testkit.ReferenceAssertions.assertSameResultInTime;
import static io.spate.testkit.SamplePlans.GOLDEN;
import static io.spate.testkit.SamplePlans.PER_HOST;
import static io.spate.testkit.SamplePlans.PER_STATUS;
import static io.spate.testkit.SamplePlans.RUNNING;
import static io.spate.testkit.SamplePlans.RUNNING_WINDOWS;
import static io.spate.testkit.SamplePlans.WINDOWS;
import static io.spate.testkit.SamplePlans.WORDS;
import static io.spate.testkit.SampleRecords.batch;
import static io.spate.testkit.SampleRecords.clf;
import static io.spate.testkit.SampleRecords.clfAt;
import static io.spate.testkit.SampleRecords.concat;
import static io.spate.testkit.SampleRecords.lines;
import static io.spate.testkit.SampleRecords.partitioned;
import static io.spate.testkit.SampleRecords.windowBatches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.compute.Backends;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;
import io.spate.spi.ComputeBackend;

/**
 * The contract every {@link ComputeBackend} keeps, as a JUnit 5 suite to run against any backend
 * (a TCK): for the same plan and batches, the frames of the reference CPU backend (as sets of
 * rows; doubles within 1e-9 relative), the same rejected records and reasons, and for windowed
 * plans the same late records and event times. A backend's test extends it and says how to make
 * the backend:
 *
 * <pre>{@code
 * class MyBackendContractTest extends BackendContract {
 *
 *     @Override
 *     protected ComputeBackend newBackend() {
 *         return new MyBackend();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a new backend and a new CPU reference, and closes both. The cases cover the
 * NASA log as {@link SampleData} finds it (the {@code shared/data} file, else the 50,000 lines
 * this jar bundles), running aggregates, event-time windows (late records, eviction, restored
 * time), malformed records of every kind, long sums that would leave the long range (the record
 * that would take one there is a dead letter), huge and colliding keys, a million groups, CSV, TSV and
 * JSON records well and badly formed, word counts, byte-level mutations and the shipped sample
 * configs; the data they need is in this jar.
 *
 * <p>Most cases also check where the batch ran: {@link #ownName()}, not a fallback. A backend may
 * leave a batch to the CPU, and must where a double or JSON number is one only
 * {@link Double#parseDouble} rounds exactly: the suite expects the CPU's name ({@code cpu}) on
 * those results, and a backend whose records all decode on the CPU (the CPU backend) passes as it
 * is.
 */
public abstract class BackendContract {

    /** The reference backend's name: the CPU backend, made as a node makes it ({@code spate.compute.backend = cpu}). */
    private static final String CPU = "cpu";

    private final ComputeBackend reference = Backends.create(SpateSettings.create(ConfigFactory.load()).withBackend(CPU));
    private ComputeBackend backend;

    /** For subclasses; JUnit makes one instance per test. */
    protected BackendContract() {
    }

    /**
     * A new backend under test, called before each test. It may skip the test with a JUnit
     * assumption (where the device it needs is missing, say).
     */
    protected abstract ComputeBackend newBackend();

    /**
     * A backend whose hash table sends every key to the same slot first, for the collision case;
     * by default {@link #newBackend()}, for a backend with no such hook (the case then checks
     * nothing more than grouping does).
     */
    protected ComputeBackend collidingBackend() {
        return newBackend();
    }

    /**
     * The backend name results carry when a batch ran where the backend under test is meant to run
     * it (the device, for a GPU backend), as opposed to a fallback; by default its
     * {@link ComputeBackend#name()}.
     */
    protected String ownName() {
        return backend.name();
    }

    /**
     * Runs {@code batch} on the backend under test and on the CPU reference, and checks that the
     * results are the same (as the class comment says) and that the batch ran where the backend
     * means to run it ({@link #ownName()}): for a subclass's own cases.
     *
     * @return the result of the backend under test
     */
    protected final BatchResult assertSameAsReference(Plan plan, RecordBatch batch) {
        BatchResult got = assertSameAsCpu(plan, batch);
        assertEquals(ownName(), got.backend(), "where the batch ran");
        return got;
    }

    @BeforeEach
    void open() {
        backend = newBackend();
    }

    @AfterEach
    void close() {
        // No backend when making it skipped the test (no device).
        if (backend != null) {
            backend.close();
        }
        reference.close();
    }

    private BatchResult assertSameAsCpu(Plan plan, RecordBatch batch) {
        return assertSameResult(backend, reference, plan, batch);
    }

    private BatchResult assertSameInTimeAsCpu(Plan plan, RecordBatch batch) {
        return assertSameResultInTime(backend, reference, plan, batch);
    }

    @Test
    void shouldMatchTheCpuOnTheNasaLog() throws IOException {
        List<byte[]> nasa = SampleData.nasaLog();
        for (int from = 0; from < Math.min(nasa.size(), 60_000); from += 20_000) {
            RecordBatch b = batch(nasa.subList(from, Math.min(nasa.size(), from + 20_000)));
            assertSameAsCpu(GOLDEN, b);
            assertSameAsCpu(WORDS, b);
        }
    }

    @Test
    void shouldMatchTheCpuOnRunningAggregatesAcrossBatches() throws IOException {
        List<byte[]> nasa = SampleData.nasaLog();
        for (int from = 0; from < 40_000; from += 5_000) {
            assertSameAsCpu(RUNNING, batch(nasa.subList(from, from + 5_000)));
        }
    }

    @Test
    void shouldWindowPerBatchAsTheCpuWithLateRecordsAcrossPartitions() {
        for (RecordBatch b : windowBatches()) {
            assertEquals(ownName(), assertSameInTimeAsCpu(WINDOWS, b).backend(), "where the batch ran");
        }
    }

    @Test
    void shouldKeepRunningWindowsAndEvictThemAsTheCpu() {
        int late = 0;
        for (RecordBatch b : windowBatches()) {
            BatchResult r = assertSameInTimeAsCpu(RUNNING_WINDOWS, b);
            assertEquals(ownName(), r.backend(), "where the batch ran");
            late += r.late().length;
        }
        assertTrue(late > 0, "the batches have late records");
    }

    @Test
    void shouldWindowTheNasaLogAsTheCpu() throws IOException {
        List<byte[]> nasa = SampleData.nasaLog();
        for (int from = 0; from < 30_000; from += 10_000) {
            RecordBatch b = batch(nasa.subList(from, from + 10_000));
            assertEquals(ownName(), assertSameInTimeAsCpu(WINDOWS, b).backend());
            assertSameInTimeAsCpu(RUNNING_WINDOWS, b);
        }
    }

    @Test
    void shouldContinueFromRestoredEventTimeAsTheCpu() {
        List<PartitionTime> saved = List.of(new PartitionTime(0, "t", 0, 804_571_380_000L), new PartitionTime(1, "t", 0, 804_571_380_000L),
                new PartitionTime(0, "t", 1, Long.MIN_VALUE), new PartitionTime(1, "t", 1, Long.MIN_VALUE));
        for (PartitionTime t : saved) {
            backend.restoreTime(RUNNING_WINDOWS, t);
            reference.restoreTime(RUNNING_WINDOWS, t);
        }
        BatchResult r = null;
        for (RecordBatch b : windowBatches()) {
            r = assertSameInTimeAsCpu(RUNNING_WINDOWS, b);
        }
        assertEquals(ownName(), r.backend(), "where the batch ran");
    }

    @Test
    void shouldKeepOneEventTimeWhenABatchOfWindowsRunsOnTheCpu() {
        Plan plan = Plan.of(DelimitedFormat.csv(List.of(new Field("host", ColumnType.UTF8), new Field("ts", ColumnType.LONG),
                        new Field("latency", ColumnType.DOUBLE))),
                Query.builder("per-second").groupBy("host").count("n").max("latency", "slowest")
                        .window(Window.tumbling("ts", Duration.ofSeconds(1))).running().build());
        assertSameInTimeAsCpu(plan, batch(lines("a.com,1000,0.5", "b.com,2500,1.5", "a.com,1999,0.25")));
        BatchResult slow = assertSameInTimeAsCpu(plan,
                batch(lines("a.com,900,0.5", "a.com,3100,0.12345678901234567891", "b.com,2100,1")));
        assertEquals(CPU, slow.backend(), "a double only the CPU parses exactly");
        BatchResult after = assertSameInTimeAsCpu(plan, batch(lines("a.com,2999,2", "b.com,1500,1", "c.com,4000,3")));
        assertEquals(ownName(), after.backend());
        // 2999 is late only by the event time the batch on the CPU moved (3100), 1500 by either.
        assertEquals(2, after.late().length, "late by the time the CPU batch moved");
    }

    @Test
    void shouldAssignWindowsOnEpochSecondsAsTheCpuDoes() {
        Plan plan = Plan.of(DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader("host\ttime:long\tbytes:long", (byte) '\t')),
                Query.builder("per-minute").groupBy("host").count("n").sum("bytes", "bytes")
                        .window(Window.tumbling("time", Duration.ofMinutes(1)).withUnit(Window.Unit.SECONDS)).running().build());
        assertSameInTimeAsCpu(plan, batch(lines("a.com\t804571200\t10", "b.com\t804571259\t20", "a.com\t804571260\t30")));
        // Seconds beyond what milliseconds hold are late (dead letters), never wrapped around into some window.
        BatchResult r = assertSameInTimeAsCpu(plan, batch(lines("a.com\t804571261\t1", "b.com\t9223372036854776\t2",
                "c.com\t-9223372036854776\t3", "a.com\t804571199\t4")));
        assertEquals(3, r.late().length, "out of range twice, and behind the watermark once");
    }

    @Test
    void shouldAssignWindowsOnIsoDateTimeStringsAsTheCpuDoes() {
        Plan plan = Plan.of(DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader("host\ttime\tbytes:long", (byte) '\t')),
                Query.builder("per-minute").groupBy("host").count("n").sum("bytes", "bytes")
                        .window(Window.tumbling("time", Duration.ofMinutes(1))).running().build());
        assertSameInTimeAsCpu(plan, batch(lines("a.com\t1995-07-01T04:00:00Z\t10", "b.com\t1995-07-01T00:00:59-04:00\t20",
                "a.com\t1995-07-01 04:01:00.25Z\t30", "c.com\tnot a time\t1")));
        BatchResult r = assertSameInTimeAsCpu(plan, batch(lines("a.com\t1995-07-01T03:59:59Z\t1", "b.com\t1995-07-01T04:02:00Z\t2")));
        assertEquals(1, r.late().length, "behind the watermark");
    }

    @Test
    void shouldReadRecordMetadataColumnsAsTheCpu() {
        Plan plan = Plan.of(new ClfFormat(),
                Query.builder("by-key").where("_header.tenant = acme").groupBy("_key", "_partition").count("n").sum("bytes", "bytes")
                        .sum("_offset", "offsets").build(),
                Query.builder("per-minute").groupBy("host").count("n").window(Window.tumbling(Duration.ofMinutes(1))).running().build());
        List<byte[]> values = lines(clf("a.com", "/x", 200, "10"), clf("b.com", "/y", 500, "20"), clf("a.com", "/z", 200, "30"),
                "not a log line");
        RecordBatchBuilder b = RecordBatch.builder(1024, values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i);
            b.append(v, 0, v.length, "t", i % 2, 100 + i, 60_000L * i + 1, i == 1 ? null : ("k" + i % 2).getBytes(StandardCharsets.UTF_8));
            b.header("tenant", (i == 1 ? "other" : "acme").getBytes(StandardCharsets.UTF_8));
        }
        // Metadata columns may run on the host; the results must be the CPU's whatever the backend.
        assertSameInTimeAsCpu(plan, b.build(SourceOffsets.NONE, 0));
    }

    @Test
    void shouldGiveEmptyFramesForAnEmptyBatch() {
        assertSameAsCpu(GOLDEN, batch(List.of()));
        assertSameAsCpu(WORDS, batch(List.of()));
    }

    @Test
    void shouldHandleOneRecord() {
        assertSameAsCpu(GOLDEN, batch(lines(clf("a.com", "/x", 200, "1234"))));
        assertSameAsCpu(WORDS, batch(lines(clf("a.com", "/Hello/World_1", 200, "-"))));
    }

    @Test
    void shouldHandleHugeKeys() {
        String big = "h".repeat(200_000);
        assertSameAsCpu(GOLDEN, batch(lines(clf(big, "/x", 500, "10"), clf(big + "x", "/x", 500, "10"), clf(big, "/" + big, 200, "5"))));
    }

    @Test
    void shouldRejectEveryMalformedRecordWithTheCpuReasons() {
        assertSameAsCpu(GOLDEN, batch(lines("", "\r\n", "onlyhost", " x y [", "a  b", "a b  c", "a b c d", "a b c [x",
                "a b c [01/Jul/1995:00:00:01 -0400", "a b c [32/Jul/1995:00:00:01 -0400] \"GET /\" 200 1",
                "a b c [01/Jul/1995:00:00:01 -0400]\"GET /\" 200 1", "a b c [01/Jul/1995:00:00:01 -0400] \"GET /",
                "a b c [01/Jul/1995:00:00:01 -0400] \"GET /\"200 1", "a b c [01/Jul/1995:00:00:01 -0400] \"GET /\" x 1",
                "a b c [01/Jul/1995:00:00:01 -0400] \"GET /\" 99999999999999999999 1", "a b c [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 1 2",
                "a b c [01/Jul/1995:00:00:01 -0400] \"GET /\" 200 99999999999999999999", "a b c [29/Feb/1995:00:00:01 -0400] \"GET /\" 200 1",
                clf("a.com", "/x", 200, "1") + "\n" + clf("a.com", "/y", 200, "2"), clf("a.com", "/x", 200, "1") + "\r" + clf("a.com", "/y", 200, "2"),
                clf("a.com", "/x", 200, "1") + "\r\n")));
    }

    @Test
    void shouldDeadLetterTheRecordThatWouldTakeALongSumOutOfRangeAsTheCpu() {
        String max = Long.toString(Long.MAX_VALUE);
        BatchResult r = assertSameAsCpu(GOLDEN, batch(lines(clf("a.com", "/x", 200, max), clf("b.com", "/x", 200, "1"), clf("a.com", "/y", 500, max),
                clf("a.com", "/x", 200, "1"))));
        assertEquals(2, r.rejectedCount(), "the second and the last a.com records");
        assertTrue(r.reasons()[0].startsWith("overflow: sum(bytes) "), r.reasons()[0]);
        // Values that cannot overflow whatever the order of the adds: where the backend means to run them.
        String quarter = Long.toString(Long.MAX_VALUE / 4);
        assertSameAsReference(GOLDEN, batch(lines(clf("a.com", "/x", 200, quarter), clf("a.com", "/y", 200, quarter), clf("b.com", "/x", 200, quarter))));
        Plan means = Plan.of(new ClfFormat(), Query.builder("means").groupBy("host").count("n").mean("bytes", "mean").build());
        assertEquals(0, assertSameAsCpu(means, batch(lines(clf("a.com", "/x", 200, max), clf("a.com", "/x", 200, max)))).rejectedCount(),
                "a mean of longs takes its sum exactly");
    }

    @Test
    void shouldDeadLetterTheRecordThatWouldTakeARunningSumOutOfRangeAsTheCpu() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("hosts").groupBy("host").count("requests").sum("bytes", "bytes").mean("bytes", "mean")
                .running().build());
        assertSameAsReference(plan, batch(lines(clf("a.com", "/x", 200, Long.toString(Long.MAX_VALUE - 100)), clf("b.com", "/x", 200, "5"))));
        BatchResult over = assertSameAsCpu(plan, batch(lines(clf("a.com", "/x", 200, "60"), clf("a.com", "/x", 200, "50"), clf("b.com", "/x", 200, "7"),
                clf("a.com", "/x", 200, "30"))));
        assertArrayEquals(new int[] {1}, over.rejected(), "only the record the running sum has no room for");
        // Exactly the room left: where the backend means to run it, ending on Long.MAX_VALUE.
        assertSameAsReference(plan, batch(lines(clf("a.com", "/x", 200, "10"), clf("b.com", "/x", 200, "1"))));
    }

    @Test
    void shouldLeaveARecordThatWouldOverflowAWindowsSumOutOfItsEventTimeAsTheCpu() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("per-minute").groupBy("host").count("requests").sum("bytes", "bytes")
                .window(Window.hopping("timestamp", Duration.ofMinutes(2), Duration.ofMinutes(1))).running().build());
        assertSameInTimeAsCpu(plan, partitioned(0, 0, clfAt("a.com", 0, 30, 200, Long.MAX_VALUE - 1000), 1, clfAt("b.com", 0, 1, 200, 1)));
        BatchResult r = assertSameInTimeAsCpu(plan, partitioned(1, 0, clfAt("a.com", 1, 10, 200, 600), 0, clfAt("a.com", 1, 59, 200, 500),
                1, clfAt("b.com", 1, 0, 200, Long.MAX_VALUE - 1), 1, clfAt("a.com", 0, 40, 200, 400)));
        assertArrayEquals(new int[] {1}, r.rejected(), "the record that overflows window 00:00-00:02 of a.com");
    }

    @Test
    void shouldHandleAMillionDistinctKeys() {
        List<byte[]> many = new ArrayList<>(1_000_000);
        for (int i = 0; i < 1_000_000; i++) {
            many.add(clf("h" + i, "/p" + (i % 1000), 200 + i % 400, Integer.toString(i)).getBytes(StandardCharsets.UTF_8));
        }
        assertSameAsCpu(Plan.of(new ClfFormat(), PER_HOST, PER_STATUS), batch(many));
    }

    @Test
    void shouldGroupKeysThatCollideInTheHashTable() {
        List<byte[]> lines = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            lines.add(clf("host" + (i % 300), "/p" + (i % 7), i % 2 == 0 ? 200 : 503, Integer.toString(i)).getBytes(StandardCharsets.UTF_8));
        }
        try (ComputeBackend colliding = collidingBackend()) {
            assertSameResult(colliding, reference, GOLDEN, batch(lines));
            assertSameResult(colliding, reference, FormatSamples.csv(FormatSamples.CSV_COLUMNS),
                    batch(FormatSamples.mutated(FormatSamples.CSV_GOOD, 3_000, 31)));
            assertSameResult(colliding, reference, FormatSamples.jsonWords(true), batch(lines(FormatSamples.UNICODE_TEXTS)));
        }
    }

    @Test
    void shouldDecodeDelimitedRecordsWithDeclaredColumnsAsTheCpu() {
        assertSameAsReference(FormatSamples.csv(FormatSamples.CSV_COLUMNS), batch(lines(FormatSamples.CSV_GOOD)));
        assertSameAsReference(FormatSamples.csv(FormatSamples.CSV_COLUMNS), batch(lines(concat(FormatSamples.CSV_GOOD, FormatSamples.CSV_BAD))));
    }

    @Test
    void shouldDecodeDelimitedRecordsWithColumnsFromAHeaderAsTheCpu() {
        Plan plan = FormatSamples.csv(DelimitedFormat.columnsFromHeader("host,status:long,bytes:long,latency:double,note", (byte) ','));
        assertSameAsReference(plan, batch(lines(concat(FormatSamples.CSV_BAD, FormatSamples.CSV_GOOD))));
    }

    @Test
    void shouldTakeQuotesLiterallyInUnquotedDelimitedRecords() {
        assertSameAsReference(FormatSamples.tsv(), batch(lines(FormatSamples.TSV)));
    }

    @Test
    void shouldRunABatchWithADoubleOnlyTheCpuParsesExactlyOnTheCpu() {
        BatchResult r = assertSameAsCpu(FormatSamples.csv(FormatSamples.CSV_COLUMNS),
                batch(lines(concat(FormatSamples.CSV_GOOD, new String[] {FormatSamples.CSV_SLOW_DOUBLE}))));
        assertEquals(CPU, r.backend());
    }

    @Test
    void shouldMatchTheCpuOnGoldenSignalsOverTheNasaLogAsTsv() throws IOException {
        List<byte[]> tsv = FormatSamples.nasaTsv(40_000);
        for (int from = 0; from < tsv.size(); from += 20_000) {
            assertSameAsReference(FormatSamples.nasaTsvPlan(), batch(tsv.subList(from, from + 20_000)));
        }
    }

    @Test
    void shouldExtractJsonFieldsAsTheCpu() {
        assertSameAsReference(FormatSamples.commits(), batch(lines(FormatSamples.JSON_GOOD)));
        List<byte[]> all = lines(concat(FormatSamples.JSON_GOOD, FormatSamples.JSON_BAD));
        all.add(FormatSamples.jsonBadUtf8());
        assertSameAsReference(FormatSamples.commits(), batch(all));
    }

    @Test
    void shouldReadWholeJsonRecordsAsTheCpu() {
        assertSameAsReference(FormatSamples.wholeRecord(), batch(lines(FormatSamples.WHOLE_RECORDS)));
    }

    @Test
    void shouldRunABatchWithAJsonNumberOnlyTheCpuParsesExactlyOnTheCpu() {
        String big = FormatSamples.commit("\"s\"", "\"a\"", "\"b\"", "1", "1e400", "1");
        String huge = FormatSamples.commit("\"s\"", "\"a\"", "\"b\"", "1", "123456789012345678901234567890", "1");
        for (String record : List.of(big, huge)) {
            BatchResult r = assertSameAsCpu(FormatSamples.commits(), batch(lines(concat(FormatSamples.JSON_GOOD, new String[] {record}))));
            assertEquals(CPU, r.backend());
        }
    }

    @Test
    void shouldCountWordsOfJsonTextAsTheCpu() {
        for (boolean lowercase : new boolean[] {true, false}) {
            assertSameAsReference(FormatSamples.jsonWords(lowercase), batch(lines(FormatSamples.ASCII_TEXTS)));
        }
    }

    @Test
    void shouldCountNonAsciiWordsOfJsonTextAsTheCpu() {
        for (boolean lowercase : new boolean[] {true, false}) {
            assertSameAsReference(FormatSamples.jsonWords(lowercase), batch(lines(concat(FormatSamples.UNICODE_TEXTS, FormatSamples.ASCII_TEXTS))));
        }
    }

    @Test
    void shouldMatchTheCpuOnTheShippedWordCountConfig() throws IOException {
        List<byte[]> texts = new ArrayList<>();
        for (byte[] line : SampleData.nasaLog().subList(0, 20_000)) {
            String s = new String(line, StandardCharsets.ISO_8859_1).replace("\\", "\\\\").replace("\"", "\\\"");
            texts.add(("{\"text\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        texts.addAll(lines(FormatSamples.UNICODE_TEXTS));
        for (Plan plan : FormatSamples.shippedPlans("word-count.conf")) {
            assertSameAsReference(plan, batch(texts));
        }
    }

    @Test
    void shouldMatchTheCpuOnTheShippedGoldenSignalsConfigs() throws IOException {
        RecordBatch nasa = batch(SampleData.nasaLog().subList(0, 20_000));
        for (Plan plan : FormatSamples.shippedPlans("golden-signals.conf")) {
            assertSameAsReference(plan, nasa);
        }
        for (Plan plan : FormatSamples.shippedPlans("golden-signals-hourly.conf")) {
            assertEquals(ownName(), assertSameInTimeAsCpu(plan, nasa).backend(), "where the windowed batch ran");
        }
    }

    @Test
    void shouldMatchTheCpuOnGithubCommits() throws IOException {
        assertSameAsReference(FormatSamples.githubPlan(), batch(FormatSamples.githubCommits()));
    }

    @Test
    void shouldMatchTheCpuOnTheHiggsCsv() throws IOException {
        List<byte[]> higgs = FormatSamples.higgsCsv();
        assertSameAsReference(FormatSamples.higgsPlan(), batch(higgs));
    }

    /**
     * Records a byte or three away from good ones, one per batch, so that a record the device
     * would accept and the CPU reject cannot hide behind another that sends its batch to the CPU.
     */
    @Test
    void shouldJudgeEveryMutatedRecordAsTheCpu() {
        assertJudgedAsTheCpu(FormatSamples.csv(FormatSamples.CSV_COLUMNS), FormatSamples.mutated(FormatSamples.CSV_GOOD, 1_500, 11));
        assertJudgedAsTheCpu(FormatSamples.commits(), FormatSamples.mutated(FormatSamples.JSON_GOOD, 3_000, 17));
        assertJudgedAsTheCpu(FormatSamples.jsonWords(true), FormatSamples.mutated(FormatSamples.UNICODE_TEXTS, 500, 23));
    }

    /**
     * Each record in a batch of its own, so that a record the device would accept and the CPU
     * reject cannot hide behind another that sends its batch to the CPU; the records must include
     * both good and bad ones, and nearly all must run where the backend means to run them.
     */
    private void assertJudgedAsTheCpu(Plan plan, List<byte[]> records) {
        int own = 0;
        int rejected = 0;
        for (byte[] record : records) {
            BatchResult r = assertSameAsCpu(plan, batch(List.of(record)));
            own += r.backend().equals(ownName()) ? 1 : 0;
            rejected += r.rejectedCount();
        }
        assertTrue(rejected > records.size() / 10 && rejected < records.size(), rejected + " of " + records.size() + " rejected");
        assertTrue(own >= records.size() * 95 / 100, own + " of " + records.size() + " ran on " + ownName());
    }

    @Test
    void shouldJudgeGarbageHugeAndOddRecordsAsTheCpu() {
        Random random = new Random(29);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] garbage = new byte[1 + random.nextInt(300)];
            random.nextBytes(garbage);
            records.add(garbage);
        }
        records.addAll(lines(FormatSamples.JSON_GOOD));
        records.add(FormatSamples.commit("\"s\"", "\"" + "x".repeat(200_000) + "\"", "\"b\"", "1", "1", "1").getBytes(StandardCharsets.UTF_8));
        records.add(("\u0000" + FormatSamples.JSON_GOOD[0]).getBytes(StandardCharsets.UTF_8));
        records.add((FormatSamples.JSON_GOOD[0] + "\u0000").getBytes(StandardCharsets.UTF_8));
        assertJudgedAsTheCpu(FormatSamples.commits(), records);
        List<byte[]> csv = new ArrayList<>(records.subList(0, 200));
        csv.addAll(lines(FormatSamples.CSV_GOOD));
        csv.add(("a.com,200,1,0.5,\"" + "y\"\"".repeat(50_000) + "\"").getBytes(StandardCharsets.UTF_8));
        assertJudgedAsTheCpu(FormatSamples.csv(FormatSamples.CSV_COLUMNS), csv);
    }

    @Test
    void shouldMatchTheCpuOnAByteOrderMarkWhereverItRuns() {
        // Jackson skips a leading UTF-8 byte order mark; the device rejects it and the CPU decoder's acceptance sends the batch to the CPU.
        assertSameAsCpu(FormatSamples.commits(), batch(lines("\uFEFF" + FormatSamples.JSON_GOOD[0], FormatSamples.JSON_GOOD[1])));
    }

    @Test
    void shouldKeepRunningDoubleAggregatesAcrossBatchesAsTheCpu() {
        Plan plan = Plan.of(DelimitedFormat.csv(FormatSamples.CSV_COLUMNS),
                Query.builder("hosts").groupBy("host").count("n").sum("latency", "total").min("latency", "fastest")
                        .max("latency", "slowest").mean("latency", "mean").having("n >= 2").running().build());
        for (int i = 0; i < 3; i++) {
            assertSameAsReference(plan, batch(lines(concat(FormatSamples.CSV_GOOD, FormatSamples.CSV_BAD))));
        }
    }

    @Test
    void shouldCountWordsOfAQuotedCsvColumnAsTheCpu() {
        for (boolean lowercase : new boolean[] {true, false}) {
            Plan plan = Plan.of(DelimitedFormat.csv(FormatSamples.CSV_COLUMNS),
                    Query.builder("words").tokenize("note", "word", lowercase).groupBy("word").count("n").build());
            assertSameAsReference(plan, batch(lines(concat(FormatSamples.CSV_GOOD, new String[] {"x,1,1,1,\"\"\"Caf\u00c9\"\" caf\u00e9, CAFE\""}))));
        }
    }
}
