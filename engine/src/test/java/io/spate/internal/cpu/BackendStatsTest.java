package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.spi.BackendStats;

/** The CPU backend says how many groups its running outputs hold; the pipeline's meters show it. */
class BackendStatsTest {

    private static final Pipeline WORDS = Pipeline.builder("words").source("texts")
            .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
            .output("word-counts", q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
            .output("per-batch", q -> q.tokenize("text", "word", true).groupBy("word").count("count"))
            .build();

    private static RecordBatch texts(String... texts) {
        return RecordBatch.of("texts", Arrays.stream(texts)
                .map(t -> ("{\"text\": \"" + t + "\"}").getBytes(StandardCharsets.UTF_8)).toList());
    }

    @Test
    void shouldSayHowManyGroupsTheRunningOutputsHold() {
        try (CpuBackend cpu = new CpuBackend()) {
            assertEquals(BackendStats.NONE, cpu.stats(), "nothing before a plan");
            cpu.execute(WORDS.plan(), texts("a b c", "a"));
            assertEquals(new BackendStats(3, 0, 0, 0), cpu.stats(), "a, b, c in the running output; the per-batch one holds nothing");
            cpu.execute(WORDS.plan(), texts("d a"));
            assertEquals(4, cpu.stats().stateGroups());
        }
    }

    @Test
    void shouldShowTheBackendStatsAsMeters() {
        PipelineMetrics metrics = new PipelineMetrics(WORDS);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        metrics.bindTo(registry);
        metrics.backendStats(new BackendStats(42, 1_000, 2_500_000_000L, 1 << 20));
        assertEquals(42.0, registry.get(PipelineMetrics.STATE_GROUPS).gauge().value());
        assertEquals(1_000.0, registry.get(PipelineMetrics.DEVICE_COPIED_BYTES).functionCounter().count());
        assertEquals(2.5, registry.get(PipelineMetrics.DEVICE_TIME).functionCounter().count(), 1e-9);
        assertEquals(1 << 20, registry.get(PipelineMetrics.DEVICE_MEMORY).gauge().value());
    }
}
