package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/** Event-time windows on the CPU backend: assignment, per-partition lateness, determinism and restore. */
class WindowQueryTest {

    private static final long HOUR = 3_600_000L;
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private static Plan hourly(Window window) {
        return Plan.of(new ClfFormat(), Query.builder("traffic-hourly").groupBy("host").count("requests").sum("bytes", "bytes")
                .window(window).running().build());
    }

    /** A CLF line of {@code host} at {@code minutes} past 1 Jul 1995 00:00 UTC. */
    private static byte[] line(String host, int minutes, long bytes) {
        OffsetDateTime t = OffsetDateTime.parse("1995-07-01T00:00:00Z").plusMinutes(minutes);
        return (host + " - - [" + CLF_TIME.format(t) + "] \"GET / HTTP/1.0\" 200 " + bytes).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static long at(int minutes) {
        return OffsetDateTime.parse("1995-07-01T00:00:00Z").plusMinutes(minutes).toInstant().toEpochMilli();
    }

    /** A batch of {@code lines}, the i-th from partition {@code partitions[i]}. */
    private static RecordBatch batch(List<byte[]> lines, int[] partitions) {
        RecordBatchBuilder b = RecordBatch.builder(1024, lines.size());
        long[] offsets = new long[8];
        for (int i = 0; i < lines.size(); i++) {
            byte[] v = lines.get(i);
            b.append(v, 0, v.length, "weblogs", partitions[i], offsets[partitions[i]]++);
        }
        return b.build(SourceOffsets.NONE, 0);
    }

    @Test
    void shouldCountEachRecordInItsTumblingWindowWithWindowKeys() {
        BatchResult r = new CpuBackend().execute(hourly(Window.tumbling("timestamp", Duration.ofHours(1))),
                batch(List.of(line("a", 5, 10), line("a", 59, 20), line("a", 61, 30), line("b", 70, 1)), new int[4]));
        Frame f = r.frames().get(0);
        assertEquals(List.of("window_start", "window_end", "host", "requests", "bytes"), f.columns().stream().map(Column::name).toList());
        Map<List<Object>, List<Object>> rows = FrameRows.byKey(f);
        assertEquals(Map.of(
                List.of(at(0), at(60), "a"), List.of(2L, 30L),
                List.of(at(60), at(120), "a"), List.of(1L, 30L),
                List.of(at(60), at(120), "b"), List.of(1L, 1L)), rows);
        assertEquals(0, r.late().length);
        assertEquals(List.of(new PartitionTime(0, "weblogs", 0, at(70))), r.times());
    }

    @Test
    void shouldGiveEachBatchItsOwnWindowCountsWhenNotRunning() {
        Plan perBatch = Plan.of(new ClfFormat(), Query.builder("w").groupBy("host").count("requests")
                .window(Window.tumbling("timestamp", Duration.ofHours(1))).build());
        CpuBackend backend = new CpuBackend();
        backend.execute(perBatch, batch(List.of(line("a", 5, 1), line("a", 6, 1)), new int[2]));
        BatchResult second = backend.execute(perBatch, batch(List.of(line("a", 7, 1)), new int[1]));
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(1L)), FrameRows.byKey(second.frames().get(0)));
    }

    @Test
    void shouldPutEachRecordInEveryHoppingWindowThatHoldsIt() {
        Window w = Window.hopping("timestamp", Duration.ofHours(2), Duration.ofHours(1));
        Frame f = new CpuBackend().execute(hourly(w), batch(List.of(line("a", 90, 5)), new int[1])).frames().get(0);
        assertEquals(Map.of(
                List.of(at(0), at(120), "a"), List.of(1L, 5L),
                List.of(at(60), at(180), "a"), List.of(1L, 5L)), FrameRows.byKey(f));
    }

    @Test
    void shouldDeadLetterRecordsBehindTheirPartitionsWatermarkOnly() {
        CpuBackend backend = new CpuBackend();
        Plan plan = hourly(Window.tumbling("timestamp", Duration.ofHours(1)).withOutOfOrderness(Duration.ofMinutes(10)));
        // Partition 0 reaches 01:30; its watermark is 01:20, so the 00:xx window is closed there.
        backend.execute(plan, batch(List.of(line("a", 90, 1)), new int[] {0}));
        BatchResult r = backend.execute(plan, batch(List.of(line("a", 50, 1), line("a", 85, 1), line("b", 50, 1)), new int[] {0, 0, 1}));
        assertArrayEquals(new int[] {0}, r.late(), "00:50 on partition 0 is late; on partition 1 it is not");
        assertArrayEquals(new int[] {0}, r.lateQuery());
        assertEquals(Map.of(List.of(at(60), at(120), "a"), List.of(2L, 2L), List.of(at(0), at(60), "b"), List.of(1L, 1L)),
                FrameRows.byKey(r.frames().get(0)));
    }

    @Test
    void shouldAcceptLateRecordsWithinTheAllowedLateness() {
        CpuBackend backend = new CpuBackend();
        Plan plan = hourly(Window.tumbling("timestamp", Duration.ofHours(1)).withAllowedLateness(Duration.ofMinutes(30)));
        backend.execute(plan, batch(List.of(line("a", 10, 1), line("a", 80, 1)), new int[2]));
        BatchResult r = backend.execute(plan, batch(List.of(line("a", 20, 1)), new int[1]));
        assertEquals(0, r.late().length);
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L, 2L)), FrameRows.byKey(r.frames().get(0)));
        BatchResult after = backend.execute(plan, batch(List.of(line("a", 100, 1), line("a", 30, 1)), new int[2]));
        assertArrayEquals(new int[] {1}, after.late(), "01:40 passed 00:xx's end plus 30 minutes");
    }

    @Test
    void shouldDropWindowsPastTheirRetentionOnEveryPartition() {
        Window kept = Window.tumbling("timestamp", Duration.ofHours(1));
        Window dropped = kept.withRetention(Duration.ZERO);
        for (Window w : List.of(kept, dropped)) {
            CpuBackend backend = new CpuBackend();
            backend.execute(hourly(w), batch(List.of(line("a", 10, 1), line("a", 300, 1)), new int[2]));
            // Partition 1 has not been seen: by its own watermark 00:30 is on time, but the window may be gone.
            BatchResult r = backend.execute(hourly(w), batch(List.of(line("a", 30, 1)), new int[] {1}));
            if (w == kept) {
                assertEquals(0, r.late().length);
                assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L, 2L)), FrameRows.byKey(r.frames().get(0)));
            } else {
                assertArrayEquals(new int[] {0}, r.late(), "the 00:xx window was dropped, not restarted from zero");
                assertEquals(0, r.frames().get(0).rows());
            }
        }
    }

    @Test
    void shouldKeepWindowsWhileAKnownPartitionHasNotBeenReadFrom() {
        Plan plan = hourly(Window.tumbling("timestamp", Duration.ofHours(1)).withRetention(Duration.ZERO));
        CpuBackend backend = new CpuBackend();
        backend.restoreTime(plan, new PartitionTime(0, "weblogs", 1, Long.MIN_VALUE));
        backend.execute(plan, batch(List.of(line("a", 10, 1), line("a", 300, 1)), new int[2]));
        BatchResult r = backend.execute(plan, batch(List.of(line("a", 30, 1)), new int[] {1}));
        assertEquals(0, r.late().length, "partition 1 was known, so 00:xx was kept for it");
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L, 2L)), FrameRows.byKey(r.frames().get(0)));
    }

    /** Tab-separated host and time lines, windowed hourly on the time read in {@code unit}. */
    private static BatchResult hourlyTsv(Window.Unit unit, String... lines) {
        Plan plan = Plan.of(DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader("host\ttime:long", (byte) '\t')),
                Query.builder("traffic-hourly").groupBy("host").count("requests")
                        .window(Window.tumbling("time", Duration.ofHours(1)).withUnit(unit)).running().build());
        List<byte[]> values = new ArrayList<>();
        for (String line : lines) {
            values.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new CpuBackend().execute(plan, batch(values, new int[values.size()]));
    }

    @Test
    void shouldReadWindowTimesInTheColumnsUnitAndKeepMillisecondWindows() {
        long s = at(0) / 1000;
        BatchResult seconds = hourlyTsv(Window.Unit.SECONDS, "a\t" + (s + 300), "a\t" + (s + 3599), "a\t" + (s + 3600));
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L), List.of(at(60), at(120), "a"), List.of(1L)),
                FrameRows.byKey(seconds.frames().get(0)));
        assertEquals(List.of(new PartitionTime(0, "weblogs", 0, at(60))), seconds.times(), "event time is kept in milliseconds");
        BatchResult micros = hourlyTsv(Window.Unit.MICROS, "a\t" + (at(60) * 1000 - 1), "a\t" + at(60) * 1000);
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(1L), List.of(at(60), at(120), "a"), List.of(1L)),
                FrameRows.byKey(micros.frames().get(0)));
        BatchResult millis = hourlyTsv(Window.Unit.MILLIS, "a\t" + at(5));
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(1L)), FrameRows.byKey(millis.frames().get(0)));
    }

    @Test
    void shouldDeadLetterSecondsThatDoNotFitInMillisecondsRatherThanWrap() {
        long s = at(0) / 1000;
        BatchResult r = hourlyTsv(Window.Unit.SECONDS, "a\t" + s, "b\t" + (Long.MAX_VALUE / 1000 + 1), "c\t" + Long.MIN_VALUE);
        assertArrayEquals(new int[] {1, 2}, r.late());
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(1L)), FrameRows.byKey(r.frames().get(0)));
        assertEquals(List.of(new PartitionTime(0, "weblogs", 0, at(0))), r.times(), "out-of-range times do not move event time");
    }

    @Test
    void shouldReadIsoDateTimeStringsAsWindowTimes() {
        Plan plan = Plan.of(DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader("host\ttime", (byte) '\t')),
                Query.builder("traffic-hourly").groupBy("host").count("requests")
                        .window(Window.tumbling("time", Duration.ofHours(1))).running().build());
        List<byte[]> lines = new ArrayList<>();
        for (String l : List.of("a\t1995-07-01T00:05:00Z", "a\t1995-06-30T20:59:59.999-04:00", "a\t1995-07-01 01:00:00.5z",
                "b\tyesterday", "c\t1995-07-01T01:30:00")) {
            lines.add(l.getBytes(StandardCharsets.ISO_8859_1));
        }
        BatchResult r = new CpuBackend().execute(plan, batch(lines, new int[lines.size()]));
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L), List.of(at(60), at(120), "a"), List.of(1L)),
                FrameRows.byKey(r.frames().get(0)));
        assertArrayEquals(new int[] {3, 4}, r.late(), "not a date-time, and no offset: never on time");
        assertEquals(List.of(new PartitionTime(0, "weblogs", 0, at(60) + 500)), r.times());
    }

    @Test
    void shouldReadClfTimeStringsAsWindowTimesFromTheArena() {
        // JSON strings are decoded into the side arena, so the times are read from there, not the batch.
        Plan plan = Plan.of(new JsonFormat(List.of(new Field("host", ColumnType.UTF8), new Field("time", ColumnType.UTF8))),
                Query.builder("traffic-hourly").groupBy("host").count("requests")
                        .window(Window.tumbling("time", Duration.ofHours(1))).running().build());
        List<byte[]> lines = new ArrayList<>();
        for (String l : List.of("{\"host\":\"a\",\"time\":\"01/Jul/1995:00:05:00 +0000\"}",
                "{\"host\":\"a\",\"time\":\"[30\\/Jun\\/1995:20:59:59 -0400]\"}",
                "{\"host\":\"a\",\"time\":\"1995-07-01T01:00:00\\u002B00:00\"}",
                "{\"host\":\"b\",\"time\":\"01/Jul/1995:00:05:00\"}")) {
            lines.add(l.getBytes(StandardCharsets.ISO_8859_1));
        }
        BatchResult r = new CpuBackend().execute(plan, batch(lines, new int[lines.size()]));
        assertEquals(Map.of(List.of(at(0), at(60), "a"), List.of(2L), List.of(at(60), at(120), "a"), List.of(1L)),
                FrameRows.byKey(r.frames().get(0)));
        assertArrayEquals(new int[] {3}, r.late(), "a CLF time without its offset is never on time");
        assertEquals(List.of(new PartitionTime(0, "weblogs", 0, at(60))), r.times());
    }

    @Test
    void shouldRejectBadWindows() {
        assertThrows(IllegalArgumentException.class, () -> Window.hopping("timestamp", Duration.ofHours(1), Duration.ofMinutes(7)));
        assertThrows(IllegalArgumentException.class, () -> Plan.of(DelimitedFormat.tsv(DelimitedFormat.columnsFromHeader("host\tt:double", (byte) '\t')),
                Query.builder("q").count("n").window(Window.tumbling("t", Duration.ofHours(1))).build()));
        assertThrows(IllegalArgumentException.class, () -> Window.tumbling("timestamp", Duration.ZERO));
    }

    /**
     * The NASA log spread over three partitions, with out-of-orderness 0 so that lateness matters:
     * the last value of every (window, host) and the set of late records are the same for one big
     * batch, for random small batches interleaving the partitions differently, and across a
     * restart from the saved outputs and event times; and they match an independent model.
     */
    @Test
    void shouldGiveTheSameWindowsWhateverTheBatchesAndRestarts() {
        List<byte[]> log = NasaLog.lines().subList(0, 60_000);
        int partitions = 3;
        List<List<byte[]>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (int i = 0; i < log.size(); i++) {
            byPartition.get(i % partitions).add(log.get(i));
        }
        // Swap some lines a few thousand apart, so that some come after their window closed.
        Random disorder = new Random(5);
        for (List<byte[]> partition : byPartition) {
            for (int k = 0; k < partition.size() / 100; k++) {
                int i = disorder.nextInt(partition.size());
                int j = Math.min(partition.size() - 1, i + disorder.nextInt(3000));
                partition.set(i, partition.set(j, partition.get(i)));
            }
        }
        Window window = Window.hopping("timestamp", Duration.ofHours(2), Duration.ofHours(1));
        Plan plan = hourly(window);

        Run whole = new Run(plan);
        whole.feed(byPartition, new Random(1), Integer.MAX_VALUE);
        Run small = new Run(plan);
        small.feed(byPartition, new Random(2), 700);
        Run restarted = new Run(plan);
        restarted.feedAndRestart(byPartition, new Random(3), 1500);

        Map<List<Object>, List<Object>> expected = model(byPartition, window);
        assertEquals(expected, whole.last, "one batch against the model");
        assertEquals(expected, small.last, "small batches");
        assertEquals(expected, restarted.last, "restarted half way");
        assertEquals(whole.lateCount, small.lateCount);
        assertEquals(whole.lateCount, restarted.lateCount);
        assertTrue(whole.lateCount > 0, "some lines came after their windows closed");
    }

    /** Feeds batches, keeping the last value per (window, host) and the saved event times. */
    private static final class Run {
        final Plan plan;
        CpuBackend backend = new CpuBackend();
        final Map<List<Object>, List<Object>> last = new HashMap<>();
        final Map<List<Object>, PartitionTime> times = new HashMap<>();
        int lateCount;

        Run(Plan plan) {
            this.plan = plan;
        }

        void feed(List<List<byte[]>> byPartition, Random random, int maxBatch) {
            feed(byPartition, random, maxBatch, new int[byPartition.size()], Integer.MAX_VALUE);
        }

        /** Feeds until {@code stopAfter} records were taken from the partitions, from positions {@code next}. */
        void feed(List<List<byte[]>> byPartition, Random random, int maxBatch, int[] next, int stopAfter) {
            int taken = 0;
            while (taken < stopAfter) {
                List<byte[]> lines = new ArrayList<>();
                List<Integer> parts = new ArrayList<>();
                int size = maxBatch == Integer.MAX_VALUE ? Integer.MAX_VALUE : 1 + random.nextInt(maxBatch);
                while (lines.size() < size && taken < stopAfter) {
                    // A random partition that has records left: interleavings differ from run to run.
                    List<Integer> open = new ArrayList<>();
                    for (int p = 0; p < next.length; p++) {
                        if (next[p] < byPartition.get(p).size()) {
                            open.add(p);
                        }
                    }
                    if (open.isEmpty()) {
                        break;
                    }
                    int p = open.get(random.nextInt(open.size()));
                    int run = Math.min(1 + random.nextInt(50), byPartition.get(p).size() - next[p]);
                    for (int k = 0; k < run; k++) {
                        lines.add(byPartition.get(p).get(next[p]++));
                        parts.add(p);
                        taken++;
                    }
                }
                if (lines.isEmpty()) {
                    return;
                }
                BatchResult r = backend.execute(plan, batch(lines, parts.stream().mapToInt(Integer::intValue).toArray()));
                last.putAll(FrameRows.byKey(r.frames().get(0)));
                lateCount += r.late().length;
                r.times().forEach(t -> times.put(List.of(t.topic(), t.partition()), t));
            }
        }

        /** Feeds half the records, then continues on a new backend restored from what was written. */
        void feedAndRestart(List<List<byte[]>> byPartition, Random random, int maxBatch) {
            int[] next = new int[byPartition.size()];
            int total = byPartition.stream().mapToInt(List::size).sum();
            feed(byPartition, random, maxBatch, next, total / 2);
            backend = new CpuBackend();
            backend.restore(plan, 0, savedFrame());
            times.values().forEach(t -> backend.restoreTime(plan, t));
            feed(byPartition, random, maxBatch, next, Integer.MAX_VALUE);
        }

        /** The last value per key as the output topic would hold it. */
        private Frame savedFrame() {
            List<Map.Entry<List<Object>, List<Object>>> rows = new ArrayList<>(last.entrySet());
            int n = rows.size();
            long[] start = new long[n];
            long[] end = new long[n];
            List<byte[]> host = new ArrayList<>();
            long[] requests = new long[n];
            long[] bytes = new long[n];
            for (int i = 0; i < n; i++) {
                List<Object> k = rows.get(i).getKey();
                start[i] = (Long) k.get(0);
                end[i] = (Long) k.get(1);
                host.add(((String) k.get(2)).getBytes(StandardCharsets.ISO_8859_1));
                requests[i] = (Long) rows.get(i).getValue().get(0);
                bytes[i] = (Long) rows.get(i).getValue().get(1);
            }
            return new Frame(List.of(new LongColumn("window_start", start, n), new LongColumn("window_end", end, n),
                    Utf8Column.ofBytes("host", host), new LongColumn("requests", requests, n),
                    new LongColumn("bytes", bytes, n)), 3, n);
        }
    }

    /** The windows computed record by record with java.time and maps, per partition in order. */
    private static Map<List<Object>, List<Object>> model(List<List<byte[]>> byPartition, Window window) {
        long size = window.size().toMillis();
        long advance = window.advance().toMillis();
        Map<List<Object>, List<Object>> out = new HashMap<>();
        List<NasaLog.Hit> hits = NasaLog.hits();
        Map<String, NasaLog.Hit> byLine = new HashMap<>();
        List<byte[]> lines = NasaLog.lines();
        for (int i = 0; i < lines.size(); i++) {
            byLine.putIfAbsent(new String(lines.get(i), StandardCharsets.ISO_8859_1), hits.get(i));
        }
        for (List<byte[]> partition : byPartition) {
            long max = Long.MIN_VALUE;
            for (byte[] line : partition) {
                String text = new String(line, StandardCharsets.ISO_8859_1);
                String time = text.substring(text.indexOf('[') + 1, text.indexOf(']'));
                long t = OffsetDateTime.parse(time, CLF_TIME).toInstant().toEpochMilli();
                long watermark = max == Long.MIN_VALUE ? Long.MIN_VALUE : max - 1;
                NasaLog.Hit hit = byLine.get(text);
                for (long start = Math.floorDiv(t, advance) * advance; start > t - size; start -= advance) {
                    if (start + size - 1 > watermark) {
                        List<Object> v = out.computeIfAbsent(List.of(start, start + size, hit.host()), k -> new ArrayList<>(List.of(0L, 0L)));
                        v.set(0, (Long) v.get(0) + 1);
                        v.set(1, (Long) v.get(1) + hit.bytes());
                    }
                }
                max = Math.max(max, t);
            }
        }
        return out;
    }
}
