package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;

/** The pool's accounting against its cap, on direct buffers standing in for pinned memory (no CUDA needed). */
class StagingPoolTest {

    /** Direct buffers, noting what was made and freed; fails when told to. */
    private static final class FakeMemory implements StagingPool.Memory {
        final List<Long> made = new ArrayList<>();
        final List<Integer> freed = new ArrayList<>();
        boolean failing;
        int closed;

        @Override
        public ByteBuffer allocate(long bytes) {
            if (failing) {
                throw new IllegalStateException("out of pinned memory");
            }
            made.add(bytes);
            return ByteBuffer.allocateDirect((int) bytes);
        }

        @Override
        public void free(ByteBuffer buffer) {
            freed.add(buffer.capacity());
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @Test
    void shouldRoundUpToTheGranuleAndReuseGivenBackBuffers() {
        FakeMemory memory = new FakeMemory();
        StagingPool pool = new StagingPool(1000, 100, memory);
        ByteBuffer a = pool.allocate(150);
        assertEquals(200, a.capacity());
        pool.release(a);
        ByteBuffer again = pool.allocate(120);
        assertSame(a, again);
        assertEquals(0, again.position());
        assertEquals(List.of(200L), memory.made);
        assertEquals(200, pool.totalBytes());
        assertEquals(1, pool.lentCount());
    }

    @Test
    void shouldTakeTheSmallestFreeBufferThatFits() {
        StagingPool pool = new StagingPool(1000, 100, new FakeMemory());
        ByteBuffer big = pool.allocate(400);
        ByteBuffer small = pool.allocate(200);
        pool.release(big);
        pool.release(small);
        assertSame(small, pool.allocate(150));
        assertSame(big, pool.allocate(150));
    }

    @Test
    void shouldAnswerNullInsteadOfPassingTheCap() {
        FakeMemory memory = new FakeMemory();
        StagingPool pool = new StagingPool(500, 100, memory);
        assertNotNull(pool.allocate(300));
        assertNotNull(pool.allocate(200));
        assertNull(pool.allocate(1), "the cap is reached and every buffer is lent");
        assertNull(pool.allocate(600), "larger than the cap");
        assertEquals(500, pool.totalBytes());
        assertEquals(List.of(300L, 200L), memory.made);
    }

    @Test
    void shouldFreeTooSmallFreeBuffersToMakeRoomForALargerOne() {
        FakeMemory memory = new FakeMemory();
        StagingPool pool = new StagingPool(500, 100, memory);
        ByteBuffer a = pool.allocate(100);
        ByteBuffer b = pool.allocate(100);
        ByteBuffer c = pool.allocate(200);
        pool.release(a);
        pool.release(b);
        ByteBuffer large = pool.allocate(300);
        assertNotNull(large);
        assertEquals(List.of(100, 100), memory.freed);
        assertEquals(500, pool.totalBytes());
        pool.release(c);
        assertNull(pool.allocate(400), "300 lent + 400 > 500 even without the free 200");
        assertEquals(List.of(100, 100), memory.freed, "the free 200 is kept for smaller batches");
        assertEquals(500, pool.totalBytes());
    }

    @Test
    void shouldAnswerNullWhenTheMemoryFails() {
        FakeMemory memory = new FakeMemory();
        memory.failing = true;
        StagingPool pool = new StagingPool(500, 100, memory);
        assertNull(pool.allocate(100));
        memory.failing = false;
        assertNotNull(pool.allocate(100));
    }

    @Test
    void shouldRefuseBuffersItDidNotLend() {
        StagingPool pool = new StagingPool(500, 100, new FakeMemory());
        ByteBuffer a = pool.allocate(100);
        pool.release(a);
        assertThrows(IllegalArgumentException.class, () -> pool.release(a));
        assertThrows(IllegalArgumentException.class, () -> pool.release(ByteBuffer.allocateDirect(100)));
    }

    @Test
    void shouldFreeFreeBuffersOnCloseAndLentOnesWhenTheyComeBack() {
        FakeMemory memory = new FakeMemory();
        StagingPool pool = new StagingPool(500, 100, memory);
        ByteBuffer lent = pool.allocate(100);
        pool.release(pool.allocate(200));
        pool.close();
        assertEquals(List.of(200), memory.freed);
        assertEquals(0, memory.closed);
        assertNull(pool.allocate(10));
        pool.release(lent);
        assertEquals(List.of(200, 100), memory.freed);
        assertEquals(1, memory.closed);
        assertEquals(0, pool.totalBytes());
    }

    @Test
    void shouldBuildBatchesInThePoolAndOnTheHeapOnceItIsExhausted() {
        StagingPool pool = new StagingPool(200, 100, new FakeMemory());
        byte[] line = "host1 - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 100".getBytes(StandardCharsets.US_ASCII);
        List<RecordBatch> batches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordBatchBuilder b = RecordBatch.builder(100, 1, pool);
            b.append(line, 0, line.length, "weblogs", 0, i);
            batches.add(b.build(SourceOffsets.NONE, i));
        }
        assertTrue(batches.get(0).payload().isDirect());
        assertTrue(batches.get(1).payload().isDirect());
        assertTrue(batches.get(2).stagedIn().isEmpty(), "the pool was exhausted: the heap");
        for (RecordBatch batch : batches) {
            assertEquals(new String(line, StandardCharsets.US_ASCII), new String(batch.value(0), StandardCharsets.US_ASCII));
            batch.release();
        }
        assertEquals(0, pool.lentCount());
        assertEquals(200, pool.totalBytes());
    }
}
