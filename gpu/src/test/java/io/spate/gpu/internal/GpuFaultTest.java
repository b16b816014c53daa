package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.Plan;
import io.spate.testkit.SampleData;
import io.spate.testkit.SamplePlans;

/**
 * The fault path, driven as the compute actor drives a backend, with device faults injected by the
 * CUDA driver stand-in (the gpu module's fault run sets SPATE_CUDA_STANDIN_FAULT: a launch and a
 * copy fail every so often with CUDA_ERROR_ILLEGAL_ADDRESS, a sticky error). A faulted batch throws,
 * runs again on the CPU twin, the batch after gets a new context on the device, and every output
 * (per-batch and running totals, windowed ones and their late records too) equals the CPU backend's.
 */
@Tag("gpu")
@Tag("fault")
@DisplayName("device faults injected by the CUDA driver stand-in: CPU re-run, new context, exact totals")
class GpuFaultTest {

    @Test
    void shouldRerunFaultedBatchesOnTheCpuAndRecoverTheDevice() throws IOException {
        GpuTestDevice.requireAllowingFaults();
        assumeTrue(GpuTestDevice.faultsInjected(), "needs the stand-in with SPATE_CUDA_STANDIN_FAULT (the gpu module's fault run)");
        List<byte[]> nasa = SampleData.nasaLog();
        List<RecordBatch> batches = new ArrayList<>();
        for (int from = 0; from < Math.min(nasa.size(), 100_000); from += 2_500) {
            batches.add(RecordBatch.of("nasa", nasa.subList(from, Math.min(nasa.size(), from + 2_500))));
        }
        for (Plan plan : List.of(SamplePlans.GOLDEN, SamplePlans.RUNNING, SamplePlans.WINDOWS, SamplePlans.RUNNING_WINDOWS)) {
            long[] gpuSums = new long[8];
            long[] cpuSums = new long[8];
            int rerun = 0;
            int recovered = 0;
            try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load())); CpuBackend cpu = new CpuBackend()) {
                boolean faultedBefore = false;
                for (int i = 0; i < batches.size(); i++) {
                    if (i + 1 < batches.size()) {
                        gpu.prepare(plan, batches.get(i + 1));
                    }
                    BatchResult r;
                    try {
                        r = gpu.execute(plan, batches.get(i));
                        if (faultedBefore && r.backend().equals(GpuBackend.NAME)) {
                            recovered++;
                        }
                        faultedBefore = false;
                    } catch (GpuDeviceFault e) {
                        // What the compute actor does: run the batch again, which the backend sends to the CPU.
                        r = gpu.execute(plan, batches.get(i));
                        assertEquals(CpuBackend.NAME, r.backend(), "the re-run of a faulted batch");
                        rerun++;
                        faultedBefore = true;
                    }
                    ResultSums.add(gpuSums, r);
                    BatchResult want = cpu.execute(plan, batches.get(i));
                    ResultSums.add(cpuSums, want);
                    // A windowed batch re-run after its device run moved event time would find its own records late.
                    gpuSums[7] += r.late().length;
                    cpuSums[7] += want.late().length;
                }
                assertTrue(gpu.deviceFaults() >= rerun, "faults counted");
            }
            assertTrue(rerun > 0, "some batches faulted and ran again on the CPU");
            assertTrue(recovered > 0, "the device ran batches again after a fault, in a new context");
            assertEquals(java.util.Arrays.toString(cpuSums), java.util.Arrays.toString(gpuSums), "totals of " + plan);
        }
    }
}
