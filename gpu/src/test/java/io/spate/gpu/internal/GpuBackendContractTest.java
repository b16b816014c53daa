package io.spate.gpu.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.typesafe.config.ConfigFactory;

import io.spate.spi.ComputeBackend;
import io.spate.testkit.BackendContract;
import io.spate.testkit.SampleData;

/**
 * The backend contract on the GPU backend, on a real device or the CUDA driver stand-in (see
 * {@link GpuTestDevice}); skipped, with the reason, where neither answers. Beside the suite, the
 * {@code spate gpu bench} workloads this module defines.
 */
@Tag("gpu")
@DisplayName("backend contract on the GPU backend (a real device or the CUDA driver stand-in)")
class GpuBackendContractTest extends BackendContract {

    @Override
    protected ComputeBackend newBackend() {
        GpuTestDevice.require();
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()));
    }

    @Override
    protected ComputeBackend collidingBackend() {
        return new GpuBackend(GpuSettings.create(ConfigFactory.load()), 0L);
    }

    @Test
    void shouldMatchTheCpuOnTheBenchWorkloads(@TempDir Path models) throws IOException {
        for (BenchWorkload w : BenchWorkload.values()) {
            if (w == BenchWorkload.HIGGS || w == BenchWorkload.RECOMMEND) {
                // Model inference: GpuInferenceTest compares it with its tolerance; here the frames are checked where exact.
                continue;
            }
            assertSameAsReference(w.plan(models), w.batch(SampleData.nasaLog(), 20_000));
        }
    }
}
