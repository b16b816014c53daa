package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.spate.RecordBatch;
import io.spate.internal.SharedData;
import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;

/**
 * Queries of one plan that filter and group alike share one grouping of each batch (a windowed
 * one pairing it with its own windows): their results must be those each query gets alone, batch
 * after batch (running state and windows included).
 */
class SharedGroupingTest {

    private static final Window HOURLY = Window.tumbling("timestamp", Duration.ofHours(1)).withOutOfOrderness(Duration.ofMinutes(10));
    private static final List<Query> QUERIES = List.of(
            Query.builder("traffic").groupBy("host").count("requests").build(),
            Query.builder("errors").where("status >= 500").groupBy("host", "status as response").count("errors").build(),
            Query.builder("mb-sent").groupBy("host as h").sum("bytes", "bytes").build(),
            Query.builder("big").where("status >= 500").groupBy("host", "status").max("bytes", "largest").having("largest > 0").build(),
            Query.builder("running").groupBy("host").sum("bytes", "total").mean("bytes", "mean").running().build(),
            Query.builder("other-filter").where("status < 300").groupBy("host").count("ok").build(),
            Query.builder("traffic-hourly").groupBy("host").count("requests").window(HOURLY).running().build(),
            Query.builder("mb-sent-hourly").groupBy("host").sum("bytes", "bytes").window(HOURLY).running().build(),
            Query.builder("errors-hourly").where("status >= 500").groupBy("host", "status as response").count("errors").window(HOURLY)
                    .running().build(),
            Query.builder("hopping").groupBy("host").max("bytes", "largest")
                    .window(Window.hopping("timestamp", Duration.ofHours(2), Duration.ofMinutes(30))).build());

    private final CpuBackend together = new CpuBackend();
    private final List<CpuBackend> alone = new ArrayList<>();

    @AfterEach
    void close() {
        together.close();
        alone.forEach(CpuBackend::close);
    }

    @Test
    void shouldGroupLikeQueriesAsEachDoesAlone() {
        Plan plan = Plan.of(new ClfFormat(), QUERIES.toArray(new Query[0]));
        List<Plan> single = new ArrayList<>();
        for (Query q : QUERIES) {
            single.add(Plan.of(new ClfFormat(), q));
            alone.add(new CpuBackend());
        }
        List<byte[]> lines = NasaLog.lines();
        int batches = 0;
        for (int from = 0; from < lines.size(); from += 7_919) {
            List<byte[]> part = lines.subList(from, Math.min(lines.size(), from + 7_919));
            RecordBatch batch = SharedData.batch(part);
            var frames = together.execute(plan, batch).frames();
            for (int q = 0; q < QUERIES.size(); q++) {
                var expected = alone.get(q).execute(single.get(q), SharedData.batch(part)).frames().get(0);
                assertEquals(FrameRows.byKey(expected), FrameRows.byKey(frames.get(q)), QUERIES.get(q).name() + " in batch " + batches);
            }
            batches++;
        }
        assertTrue(batches > 3, "several batches: " + batches);
    }

    @Test
    void shouldShareOnlyWhereFiltersAndKeyColumnsAreTheSame() {
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(0), QUERIES.get(2)), "host and host as h");
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(1), QUERIES.get(3)), "same filter, host and status");
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(0), QUERIES.get(4)), "a running query groups each batch alike");
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(0), QUERIES.get(6)), "a windowed query groups alike before its windows");
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(6), QUERIES.get(9)), "other windows");
        assertTrue(QueryKernel.selectsAlike(QUERIES.get(1), QUERIES.get(8)), "same filter and keys, one windowed");
        assertFalse(QueryKernel.selectsAlike(QUERIES.get(0), QUERIES.get(1)), "a filter and other keys");
        assertFalse(QueryKernel.selectsAlike(QUERIES.get(0), QUERIES.get(5)), "a filter");
        assertFalse(QueryKernel.selectsAlike(QUERIES.get(1), QUERIES.get(5)), "another filter");
        assertFalse(QueryKernel.selectsAlike(QUERIES.get(6), QUERIES.get(8)), "windowed alike, but a filter");
    }
}
