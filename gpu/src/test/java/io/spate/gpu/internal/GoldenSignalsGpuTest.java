package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.spi.ComputeBackend;
import io.spate.testkit.SampleData;
import io.spate.testkit.SamplePlans;

/** The golden-signals plan over the whole NASA sample: the GPU backend's summed outputs equal the CPU's. */
@Tag("gpu")
@DisplayName("golden signals over the NASA sample, GPU backend vs CPU (a real device or the CUDA driver stand-in)")
class GoldenSignalsGpuTest {

    @Test
    void shouldSumToTheCpuTotalsOnTheNasaSample() throws IOException {
        GpuTestDevice.require();
        List<byte[]> nasa = SampleData.nasaLog();
        try (ComputeBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load())); CpuBackend cpu = new CpuBackend()) {
            assertEquals(GpuBackend.NAME, gpu.name());
            long[] gpuSums = new long[8];
            long[] cpuSums = new long[8];
            for (int from = 0; from < nasa.size(); from += 50_000) {
                RecordBatch batch = RecordBatch.of("nasa", nasa.subList(from, Math.min(nasa.size(), from + 50_000)));
                ResultSums.add(gpuSums, gpu.execute(SamplePlans.GOLDEN, batch));
                ResultSums.add(cpuSums, cpu.execute(SamplePlans.GOLDEN, batch));
            }
            assertEquals(java.util.Arrays.toString(cpuSums), java.util.Arrays.toString(gpuSums));
        }
    }
}
