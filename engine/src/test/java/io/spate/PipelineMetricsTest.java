package io.spate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.spate.plan.ClfFormat;

class PipelineMetricsTest {

    private static final Pipeline PIPELINE = Pipeline.builder("p")
            .source("in")
            .format(new ClfFormat())
            .output("traffic", q -> q.groupBy("host").count("requests"))
            .build();

    private static BatchResult result(int records, String backend, String... reasons) {
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            values.add(("r" + i).getBytes(StandardCharsets.US_ASCII));
        }
        int[] rejected = new int[reasons.length];
        for (int i = 0; i < rejected.length; i++) {
            rejected[i] = i;
        }
        return new BatchResult(RecordBatch.of("in", values), List.of(), rejected, reasons, backend);
    }

    @Test
    void shouldShowEveryCountInARegistryBoundAfterTheBatches() {
        PipelineMetrics metrics = new PipelineMetrics(PIPELINE);
        metrics.batchComputed(result(10, "gpu"), 3);
        metrics.batchComputed(result(5, "cpu", "clf: too few fields", "clf: empty host", "overflow: sum(bytes)"), 4);
        MeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.batchComputed(result(7, "gpu"), 1);

        assertEquals(22, registry.get(PipelineMetrics.RECORDS_IN).tag("pipeline", "p").functionCounter().count());
        assertEquals(2, registry.get(PipelineMetrics.BATCHES).tag("backend", "gpu").functionCounter().count());
        assertEquals(1, registry.get(PipelineMetrics.BATCHES).tag("backend", "cpu").functionCounter().count());
        assertEquals(2, registry.get(PipelineMetrics.DEAD_LETTERS).tag("reason", "clf").functionCounter().count());
        assertEquals(1, registry.get(PipelineMetrics.DEAD_LETTERS).tag("reason", "overflow").functionCounter().count());
        assertEquals(Map.of("clf", 2L, "overflow", 1L), metrics.deadLetters());
        assertEquals(Map.of("cpu", 1L, "gpu", 2L), metrics.batchesByBackend());
        assertTrue(registry.find(PipelineMetrics.OUTPUT_RECORDS).tag("output", "traffic").functionCounter() != null);
        // A distribution counts what it saw: its own copy saw all three batches.
        assertEquals(3, metrics.batchSize().count());
    }

    @Test
    void shouldRecordComputeTimeByBackendAndLatencyFromTheOldestTimestamp() {
        PipelineMetrics metrics = new PipelineMetrics(PIPELINE);
        metrics.batchComputeTime("cpu", TimeUnit.MILLISECONDS.toNanos(3));
        metrics.batchWritten(System.currentTimeMillis() - 2_000);
        metrics.batchWritten(RecordBatch.NO_TIMESTAMP);
        assertEquals(1, metrics.computeTime("cpu").count());
        assertNull(metrics.computeTime("gpu"));
        assertEquals(1, metrics.latency().count());
        assertTrue(metrics.latency().max(TimeUnit.MILLISECONDS) >= 2_000);
    }

    @Test
    void shouldRemoveItsMetersFromARegistryItIsUnboundFrom() {
        PipelineMetrics metrics = new PipelineMetrics(PIPELINE);
        metrics.batchComputed(result(3, "cpu", "json: empty record"), 0);
        MeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        assertTrue(registry.getMeters().size() > 3);
        metrics.unbindFrom(registry);
        assertEquals(List.of(), registry.getMeters());
        // Replaced by a new run of the pipeline: its meters, not the old ones.
        PipelineMetrics again = new PipelineMetrics(PIPELINE);
        again.bindTo(registry);
        assertEquals(0, registry.get(PipelineMetrics.RECORDS_IN).functionCounter().count());
    }

    @Test
    void shouldTagDeadLettersByABoundedKindOfReason() {
        assertEquals("clf", PipelineMetrics.reasonKind("clf: expected status and bytes after the request"));
        assertEquals("late", PipelineMetrics.reasonKind("late"));
        assertEquals("other", PipelineMetrics.reasonKind("Some unexpected: message"));
        assertEquals("other", PipelineMetrics.reasonKind("a reason without a colon that goes on and on"));
        assertEquals("other", PipelineMetrics.reasonKind(": nothing before"));
    }
}
