package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.testkit.SampleData;

/**
 * The {@code spate gpu bench} workloads without a device: the CPU backend, the baseline the bench
 * times, runs each exact one and counts every request it accepts (GpuBackendContractTest compares
 * the device with it).
 */
class BenchWorkloadTest {

    @Test
    void shouldCountEveryRecordOfTheExactWorkloadsOnTheCpu(@TempDir Path models) throws IOException {
        try (CpuBackend cpu = new CpuBackend()) {
            for (BenchWorkload w : BenchWorkload.values()) {
                if (w == BenchWorkload.HIGGS || w == BenchWorkload.RECOMMEND) {
                    // Model inference: GpuInferenceTest covers it.
                    continue;
                }
                RecordBatch batch = w.batch(SampleData.nasaLog(), 20_000);
                BatchResult r = cpu.execute(w.plan(models), batch);
                assertEquals(CpuBackend.NAME, r.backend(), w.id());
                assertTrue(r.rejectedCount() < batch.count() / 100, w.id() + ": " + r.rejectedCount() + " rejected");
                long accepted = batch.count() - r.rejectedCount();
                long[] sums = new long[4];
                ResultSums.add(sums, r);
                if (w == BenchWorkload.WORD_COUNT_JSON) {
                    assertTrue(sums[1] >= accepted, w.id() + ": every request has a word, " + sums[1] + " words");
                } else {
                    assertEquals(accepted, sums[1], w.id() + ": requests per host");
                    assertEquals(accepted, sums[3], w.id() + ": requests per status");
                }
            }
        }
    }
}
