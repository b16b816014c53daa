package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.typesafe.config.ConfigFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.LongColumn;
import io.spate.internal.codec.ClfDecoder;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.ClfFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * Long sums on the GPU backend, on a real device or the CUDA driver stand-in (see
 * {@link GpuTestDevice}): the device adds in no order, so a batch whose sums could leave the long
 * range in some order goes to the CPU twin, which dead-letters what the CPU backend does; other
 * batches stay on the device. The backend contract holds both backends to the same results.
 */
@Tag("gpu")
class GpuSumOverflowTest {

    private static final long MAX = Long.MAX_VALUE;
    private static final Plan BYTES = Plan.of(new ClfFormat(),
            Query.builder("mb-sent").groupBy("host").count("requests").sum("bytes", "bytes").running().build(),
            Query.builder("per-status").groupBy("status").count("requests").build());

    private static RecordBatch batch(String... records) {
        List<byte[]> out = new ArrayList<>();
        for (String r : records) {
            out.add(r.getBytes(StandardCharsets.US_ASCII));
        }
        return RecordBatch.of("weblogs", out);
    }

    private static String clf(String host, long bytes) {
        return host + " - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 " + bytes;
    }

    private static long bytesOf(BatchResult r, int row) {
        return ((LongColumn) r.frames().get(0).column("bytes")).get(row);
    }

    @Test
    void shouldRunABatchWhoseSumCouldOverflowOnTheTwinAndTheNextOnTheDevice() {
        GpuTestDevice.require();
        try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load()))) {
            BatchResult first = gpu.execute(BYTES, batch(clf("a", MAX), clf("a", MAX)));
            assertEquals(CpuBackend.NAME, first.backend());
            assertArrayEquals(new int[] {1}, first.rejected());
            assertTrue(first.reasons()[0].startsWith("overflow: sum(bytes) "), first.reasons()[0]);
            assertEquals(MAX, bytesOf(first, 0));
            assertEquals(1L, ((LongColumn) first.frames().get(1).column("requests")).get(0), "the other query leaves it out too");

            BatchResult next = gpu.execute(BYTES, batch(clf("b", 5)));
            assertEquals(GpuBackend.NAME, next.backend());
            assertEquals(0, next.rejectedCount());
        }
    }

    @Test
    void shouldTellFromTheLargestValueAndTheRunningSumWhetherAnyOrderCouldOverflow() {
        assertTrue(QueryFinish.fits(2, MAX / 2, 0));
        assertFalse(QueryFinish.fits(3, MAX / 2, 0));
        assertTrue(QueryFinish.fits(1, 10, MAX - 10));
        assertFalse(QueryFinish.fits(2, 10, MAX - 10));
        assertFalse(QueryFinish.fits(2, 10, Long.MIN_VALUE + 10), "below the range too");
        assertTrue(QueryFinish.fits(1, Long.MIN_VALUE, 0), "magnitude 2^63 is Long.MIN_VALUE's: it fits alone");
        assertFalse(QueryFinish.fits(1, Long.MIN_VALUE, -1));
        assertFalse(QueryFinish.fits(1, 1, Long.MIN_VALUE));
        assertTrue(QueryFinish.fits(1_000_000, 0, MAX));
        assertTrue(QueryFinish.fitsAround(1, 10, MAX - 10));
        assertFalse(QueryFinish.fitsAround(1, 10, Long.MIN_VALUE), "some group may hold Long.MAX_VALUE");
    }

    @Test
    void shouldRejectARecordOfSeveralLinesOnTheDevice() {
        GpuTestDevice.require();
        try (GpuBackend gpu = new GpuBackend(GpuSettings.create(ConfigFactory.load()))) {
            BatchResult r = gpu.execute(BYTES, batch(clf("a", 1) + "\n" + clf("a", 2), clf("b", 3) + "\r\n", clf("c", 4) + "\r" + clf("c", 5)));
            assertEquals(GpuBackend.NAME, r.backend());
            assertArrayEquals(new int[] {0, 2}, r.rejected());
            assertArrayEquals(new String[] {ClfDecoder.MULTI_LINE, ClfDecoder.MULTI_LINE}, r.reasons());
            assertEquals(3L, bytesOf(r, 0));
        }
    }
}
