package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/** Long sums never wrap: the record that would take its group's sum out of the long range is a dead letter, counted nowhere. */
class SumOverflowTest {

    private static final long MAX = Long.MAX_VALUE;
    private static final Plan PER_HOST = Plan.of(new ClfFormat(),
            Query.builder("mb-sent").groupBy("host").count("requests").sum("bytes", "bytes").build(),
            Query.builder("per-status").groupBy("status").count("requests").build());
    private static final DelimitedFormat XY = DelimitedFormat.csv(List.of(new Field("k", ColumnType.UTF8),
            new Field("x", ColumnType.LONG), new Field("y", ColumnType.LONG), new Field("t", ColumnType.LONG)));

    private final CpuBackend backend = new CpuBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    private static byte[] clf(String host, long bytes) {
        return (host + " - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 " + bytes).getBytes(StandardCharsets.US_ASCII);
    }

    private static RecordBatch batch(byte[]... records) {
        return RecordBatch.of("weblogs", List.of(records));
    }

    private static RecordBatch csv(String... lines) {
        List<byte[]> records = new ArrayList<>();
        for (String l : lines) {
            records.add(l.getBytes(StandardCharsets.US_ASCII));
        }
        return RecordBatch.of("xy", records);
    }

    private static void assertOverflow(String sum, String query, String reason) {
        assertEquals("overflow: " + sum + " of the record's group in " + query + " exceeds the long range", reason);
    }

    @Test
    void shouldDeadLetterTheRecordThatWouldOverflowASumAndCountItInNoQuery() {
        BatchResult r = backend.execute(PER_HOST, batch(clf("a", MAX), clf("a", MAX), clf("b", 1)));

        assertEquals(Map.of(List.of("a"), List.of(1L, MAX), List.of("b"), List.of(1L, 1L)), FrameRows.byKey(r.frames().get(0)));
        assertEquals(Map.of(List.of(200L), List.of(2L)), FrameRows.byKey(r.frames().get(1)), "the other query leaves it out too");
        assertArrayEquals(new int[] {1}, r.rejected());
        assertOverflow("sum(bytes)", "mb-sent", r.reasons()[0]);
    }

    @Test
    void shouldCheckEachValueInBatchOrderAndKeepAddingTheOthers() {
        Plan plan = Plan.of(XY, Query.builder("s").count("n").sum("x", "x").build());
        BatchResult r = backend.execute(plan, csv("k,9223372036854775807,0,0", "k,1,0,0", "k,-1,0,0", "k,-9223372036854775807,0,0",
                "k,-9223372036854775807,0,0", "k,-2,0,0"));

        // MAX, then +1 overflows, -1 fits; -MAX twice lands on exactly MIN, below which -2 would go.
        assertArrayEquals(new int[] {1, 5}, r.rejected());
        assertEquals(Map.of(List.of(), List.of(4L, Long.MIN_VALUE)), FrameRows.byKey(r.frames().get(0)));
    }

    @Test
    void shouldTakeTheBatchAgainUntilLeavingOutRecordsOverflowsNothingElse() {
        Plan plan = Plan.of(XY, Query.builder("xs").count("n").sum("x", "x").build(), Query.builder("ys").count("n").sum("y", "y").build());
        // Row 1 overflows x; without it, row 2 takes y past MAX (with it, -5 kept y in range).
        BatchResult r = backend.execute(plan, csv("k,9223372036854775807,9223372036854775806,0", "k,1,-5,0", "k,0,3,0", "k,0,0,0"));

        assertArrayEquals(new int[] {1, 2}, r.rejected());
        assertOverflow("sum(x)", "xs", r.reasons()[0]);
        assertOverflow("sum(y)", "ys", r.reasons()[1]);
        assertEquals(Map.of(List.of(), List.of(2L, MAX)), FrameRows.byKey(r.frames().get(0)));
        assertEquals(Map.of(List.of(), List.of(2L, MAX - 1)), FrameRows.byKey(r.frames().get(1)));
    }

    @Test
    void shouldNotLetARunningSumWrapAcrossBatches() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("mb-sent").groupBy("host").count("requests").sum("bytes", "bytes").running().build());
        backend.execute(plan, batch(clf("a", MAX - 10), clf("b", 7)));

        BatchResult r = backend.execute(plan, batch(clf("a", 5), clf("a", 6), clf("a", 5), clf("b", MAX - 7), clf("b", 1)));

        assertArrayEquals(new int[] {1, 4}, r.rejected());
        assertOverflow("sum(bytes)", "mb-sent", r.reasons()[0]);
        assertEquals(Map.of(List.of("a"), List.of(3L, MAX), List.of("b"), List.of(2L, MAX)), FrameRows.byKey(r.frames().get(0)));
        BatchResult next = backend.execute(plan, batch(clf("a", 0)));
        assertEquals(Map.of(List.of("a"), List.of(4L, MAX)), FrameRows.byKey(next.frames().get(0)), "the state holds the exact totals");
    }

    @Test
    void shouldSumFromEachGroupsOwnRunningSumWhenTheLargestLeavesTooLittleRoomForTheWholeBatch() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("mb-sent").groupBy("host").count("requests").sum("bytes", "bytes").running().build());
        backend.execute(plan, batch(clf("a", MAX - 10), clf("b", 7)));

        // The batch's values add up to more than the room beside a's sum, but each fits its own group's.
        BatchResult r = backend.execute(plan, batch(clf("b", MAX - 20), clf("a", 5), clf("c", 1)));

        assertArrayEquals(new int[0], r.rejected());
        assertEquals(Map.of(List.of("a"), List.of(2L, MAX - 5), List.of("b"), List.of(2L, MAX - 13), List.of("c"), List.of(1L, 1L)),
                FrameRows.byKey(r.frames().get(0)));
    }

    @Test
    void shouldTakeTheLargestMagnitudeIntoANewGroupBesideARunningSum() {
        Plan plan = Plan.of(DelimitedFormat.csv(List.of(new Field("k", ColumnType.UTF8), new Field("x", ColumnType.LONG))),
                Query.builder("sums").groupBy("k").sum("x", "x").running().build());
        backend.execute(plan, csv("a,5"));

        BatchResult r = backend.execute(plan, csv("c," + Long.MIN_VALUE, "a,-5", "c,-1"));

        assertArrayEquals(new int[] {2}, r.rejected(), "below Long.MIN_VALUE");
        assertEquals(Map.of(List.of("a"), List.of(0L), List.of("c"), List.of(Long.MIN_VALUE)), FrameRows.byKey(r.frames().get(0)));
    }

    @Test
    void shouldLeaveAnOverflowingRecordOutOfEveryWindowAndOfTheEventTime() {
        Plan plan = Plan.of(XY, Query.builder("w").groupBy("k").count("n").sum("x", "x")
                .window(Window.hopping("t", Duration.ofSeconds(2), Duration.ofSeconds(1))).running().build());
        backend.execute(plan, csv("a,9223372036854774807,0,500"));

        // Row 1 fits its new window [1s, 3s), but not [0s, 2s): it goes to neither, and moves no event time.
        BatchResult r = backend.execute(plan, csv("a,500,0,900", "a,600,0,1999", "b,1,0,1200"));

        assertArrayEquals(new int[] {1}, r.rejected());
        assertEquals(Map.of(List.of(-1000L, 1000L, "a"), List.of(2L, MAX - 500), List.of(0L, 2000L, "a"), List.of(2L, MAX - 500),
                List.of(0L, 2000L, "b"), List.of(1L, 1L), List.of(1000L, 3000L, "b"), List.of(1L, 1L)), FrameRows.byKey(r.frames().get(0)));
        assertEquals(List.of(new PartitionTime(0, "xy", 0, 1200)), r.times());
    }

    @Test
    void shouldTakeAMeanOfLongsWhoseSumLeavesTheLongRangeExactly() {
        Plan plan = Plan.of(new ClfFormat(), Query.builder("m").groupBy("host").mean("bytes", "mean").build());
        BatchResult r = backend.execute(plan, batch(clf("a", MAX), clf("a", MAX), clf("a", MAX - 2)));

        assertEquals(0, r.rejectedCount());
        assertEquals(MAX - 2.0 / 3, ((DoubleColumn) r.frames().get(0).column("mean")).get(0), 1e3);
        assertTrue(((DoubleColumn) r.frames().get(0).column("mean")).get(0) > 9e18, "no wrap");
    }

    @Test
    void shouldFinishEveryQueryAfterAPassThatOverflowed() {
        Frame f = backend.execute(PER_HOST, batch(clf("a", MAX), clf("a", MAX))).frames().get(0);
        Frame again = backend.execute(PER_HOST, batch(clf("a", 1), clf("b", 2))).frames().get(0);

        assertEquals(Map.of(List.of("a"), List.of(1L, MAX)), FrameRows.byKey(f));
        assertEquals(Map.of(List.of("a"), List.of(1L, 1L), List.of("b"), List.of(1L, 2L)), FrameRows.byKey(again));
    }
}
