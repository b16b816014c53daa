package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Recommend;

/** Which plans run their model inference on the device: those whose queries keep no state across batches. */
class DeviceInferenceTest {

    private static final Recommend RECOMMEND = new Recommend("recommend", "mf.safetensors", "status", 10, true);

    @Test
    void shouldRunInferenceOnTheDeviceBesidePerBatchQueries() {
        assertEquals(Optional.empty(), DeviceInference.whyNot(InferenceFixtures.higgsPlan(Path.of("mlp.safetensors"))));
        Plan withQuery = new Plan(new ClfFormat(), List.of(Query.builder("per-status").groupBy("status").count("n").build()), List.of(RECOMMEND));
        assertEquals(Optional.empty(), DeviceInference.whyNot(withQuery));
    }

    @Test
    void shouldKeepInferenceOnTheCpuBesideARunningQuery() {
        Plan running = new Plan(new ClfFormat(), List.of(Query.builder("hosts").groupBy("host").count("n").running().build()), List.of(RECOMMEND));
        assertTrue(DeviceInference.whyNot(running).orElseThrow().contains("keeps state across batches"));
        assertTrue(DeviceInference.whyNot(Plan.of(new ClfFormat(), Query.builder("total").count("n").build())).isPresent());
    }
}
