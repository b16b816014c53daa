package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.spi.BackendStats;
import io.spate.testkit.SampleData;
import io.spate.testkit.SamplePlans;

/** What the GPU backend says it holds and spent (BackendStats), against the CPU's state and the batches it was given. */
@Tag("gpu")
@DisplayName("GPU backend stats: state groups as the CPU's, device bytes and time per device batch (a real device or the CUDA driver stand-in)")
class GpuBackendStatsTest {

    @Test
    void shouldCountTheBatchesBytesItCopiedAndTheGroupsItHolds() throws IOException {
        GpuTestDevice.require();
        List<byte[]> nasa = SampleData.nasaLog().subList(0, 20_000);
        try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load())); CpuBackend cpu = new CpuBackend()) {
            long expectedBytes = 0;
            for (int from = 0; from < nasa.size(); from += 5_000) {
                RecordBatch batch = RecordBatch.of("nasa", nasa.subList(from, from + 5_000));
                BatchResult r = gpu.execute(SamplePlans.RUNNING, batch);
                cpu.execute(SamplePlans.RUNNING, batch);
                if (r.backend().equals(GpuBackend.NAME)) {
                    expectedBytes += batch.byteSize() + 4L * (batch.count() + 1);
                }
            }
            BackendStats stats = gpu.stats();
            assertTrue(expectedBytes > 0, "some batches ran on the device");
            assertEquals(expectedBytes, stats.deviceCopiedBytes(), "each device batch's bytes and record bounds");
            assertTrue(stats.deviceNanos() > 0, "device work was timed");
            assertTrue(stats.deviceMemoryBytes() >= nasa.subList(0, 5_000).stream().mapToLong(b -> b.length).sum(),
                    "device buffers hold at least one batch");
            assertEquals(cpu.stats().stateGroups(), stats.stateGroups(), "the groups the running outputs hold, as on the CPU");
            assertTrue(stats.stateGroups() > 0);
        }
    }
}
