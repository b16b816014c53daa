package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.Plan;

/**
 * Device faults during model inference, injected by the CUDA driver stand-in (the gpu module's
 * fault run): a faulted batch throws, runs again on the CPU, the next batch gets a new context and
 * uploads the weights again there, once for all the batches of that context, and every answer
 * equals the CPU's.
 */
@Tag("gpu")
@Tag("fault")
@DisplayName("device faults during inference: CPU re-run, weights uploaded again once per new context")
class GpuInferenceFaultTest {

    @Test
    void shouldRerunFaultedInferenceOnTheCpuAndUploadTheWeightsOncePerContext(@TempDir Path dir) throws IOException {
        GpuTestDevice.requireAllowingFaults();
        assumeTrue(GpuTestDevice.faultsInjected(), "needs the stand-in with SPATE_CUDA_STANDIN_FAULT (the gpu module's fault run)");
        Plan plan = InferenceFixtures.higgsPlan(InferenceFixtures.seedNetwork(dir));
        // Six launches a batch: a launch fault every 23 launches hits every fourth batch or so.
        List<RecordBatch> batches = InferenceFixtures.higgsBatches(InferenceFixtures.higgsEvents(12 * 40), 40);
        int faults = 0;
        int contexts = 1;
        // The contexts (counted from 0, one more after each fault) in which a batch ran on the device.
        Set<Integer> ranModel = new HashSet<>();
        try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load())); CpuBackend cpu = new CpuBackend()) {
            for (int i = 0; i < batches.size(); i++) {
                BatchResult r;
                try {
                    r = gpu.execute(plan, batches.get(i));
                    assertEquals(GpuBackend.NAME, r.backend());
                    ranModel.add(faults);
                } catch (GpuDeviceFault e) {
                    r = gpu.execute(plan, batches.get(i));
                    assertEquals(CpuBackend.NAME, r.backend(), "the re-run of a faulted batch");
                    faults++;
                    // The next batch runs in a new context, which holds no weights yet.
                    contexts += i + 1 < batches.size() ? 1 : 0;
                }
                InferenceFixtures.assertCloseClassification(cpu.execute(plan, batches.get(i)), r, 0.5);
            }
            assertTrue(faults > 0, "some batches faulted");
            assertEquals(faults, gpu.deviceFaults());
            // Each context that ran a batch holds the weights, uploaded once; a context may also fault
            // while uploading (the stand-in counts blocking copies too), so that one may not count.
            assertTrue(ranModel.size() >= 2, "the device ran batches again after a fault: " + ranModel);
            assertTrue(gpu.weightUploads() >= ranModel.size() && gpu.weightUploads() <= contexts,
                    "uploads " + gpu.weightUploads() + ": once per context, " + ranModel.size() + " to " + contexts + " contexts");
        }
    }
}
