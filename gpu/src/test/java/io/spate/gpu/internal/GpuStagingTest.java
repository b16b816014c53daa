package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.internal.cpu.CpuBackend;
import io.spate.testkit.SampleData;
import io.spate.testkit.SamplePlans;

/**
 * The data path on a device: batches built in pinned staging buffers (and, once the small pool
 * is exhausted, on the heap), each copied ahead with {@code prepare} while the one before runs,
 * as the compute actor does; the outputs equal the CPU's and every buffer comes back.
 */
@Tag("gpu")
@DisplayName("staged data path on the GPU backend (a real device or the CUDA driver stand-in)")
class GpuStagingTest {

    @Test
    void shouldGiveTheCpuResultsForStagedAndHeapBatchesCopiedAhead() throws IOException {
        GpuTestDevice.require();
        List<byte[]> nasa = SampleData.nasaLog();
        GpuSettings settings = GpuSettings.create(ConfigFactory.load());
        // Room for about three batches: the rest are built on the heap.
        StagingPool pool = new StagingPool(3L << 20, 1 << 20, new PinnedMemory(settings.device()));
        List<RecordBatch> batches = new ArrayList<>();
        for (int from = 0, seq = 0; from < nasa.size(); from += 5_000, seq++) {
            RecordBatchBuilder b = RecordBatch.builder(1 << 20, 5_000, pool);
            for (int i = from; i < Math.min(nasa.size(), from + 5_000); i++) {
                b.append(nasa.get(i), 0, nasa.get(i).length, "nasa", 0, i);
            }
            batches.add(b.build(SourceOffsets.NONE, seq));
        }
        assertTrue(batches.stream().anyMatch(b -> b.stagedIn().isPresent()));
        assertTrue(batches.stream().anyMatch(b -> b.stagedIn().isEmpty()));
        long[] gpuSums = new long[8];
        long[] cpuSums = new long[8];
        try (GpuBackend gpu = new GpuBackend(settings); CpuBackend cpu = new CpuBackend()) {
            for (int i = 0; i < batches.size(); i++) {
                if (i + 1 < batches.size()) {
                    gpu.prepare(SamplePlans.GOLDEN, batches.get(i + 1));
                }
                if (i % 7 == 0 && i + 2 < batches.size()) {
                    // A batch prepared out of turn is dropped or used, never mixed up.
                    gpu.prepare(SamplePlans.GOLDEN, batches.get(i + 2));
                }
                RecordBatch batch = batches.get(i);
                BatchResult r = gpu.execute(SamplePlans.GOLDEN, batch);
                assertEquals(GpuBackend.NAME, r.backend(), batch::toString);
                ResultSums.add(gpuSums, r);
                ResultSums.add(cpuSums, cpu.execute(SamplePlans.GOLDEN, batch));
                if (i % 5 == 4) {
                    // The batches run so far given back, as after encoding (only the first few were staged, the rest
                    // are heap batches that give nothing back), so that a new batch is staged again in a reused buffer.
                    batches.subList(0, i + 1).forEach(RecordBatch::release);
                    RecordBatchBuilder b = RecordBatch.builder(1 << 20, 16, pool);
                    b.append(nasa.get(i), 0, nasa.get(i).length, "nasa", 0, i);
                    RecordBatch reused = b.build(SourceOffsets.NONE, 1000 + i);
                    assertTrue(reused.stagedIn().isPresent(), "a given-back buffer is lent again");
                    assertEquals(GpuBackend.NAME, gpu.execute(SamplePlans.GOLDEN, reused).backend());
                    reused.release();
                }
            }
            assertEquals(0, gpu.deviceFaults());
        }
        assertEquals(java.util.Arrays.toString(cpuSums), java.util.Arrays.toString(gpuSums));
        batches.forEach(RecordBatch::release);
        assertEquals(0, pool.lentCount());
        pool.close();
    }
}
