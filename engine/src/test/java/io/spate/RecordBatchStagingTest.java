package io.spate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.spate.spi.BatchBuffers;

class RecordBatchStagingTest {

    /** Direct buffers up to {@code budget} bytes in all, noting what is lent and given back. */
    private static final class Counted implements BatchBuffers {
        final List<ByteBuffer> lent = new ArrayList<>();
        final List<ByteBuffer> back = new ArrayList<>();
        long budget;

        Counted(long budget) {
            this.budget = budget;
        }

        @Override
        public ByteBuffer allocate(int bytes) {
            if (bytes > budget) {
                return null;
            }
            budget -= bytes;
            ByteBuffer b = ByteBuffer.allocateDirect(bytes);
            lent.add(b);
            return b;
        }

        @Override
        public void release(ByteBuffer buffer) {
            assertTrue(lent.stream().anyMatch(b -> b == buffer));
            assertFalse(back.stream().anyMatch(b -> b == buffer), "released twice");
            back.add(buffer);
            budget += buffer.capacity();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static RecordBatch build(RecordBatchBuilder b, String... values) {
        long offset = 0;
        for (String v : values) {
            byte[] bytes = bytes(v);
            b.append(bytes, 0, bytes.length, "t", 0, offset++);
        }
        return b.build(SourceOffsets.NONE, 7);
    }

    @Test
    void shouldBuildOnTheHeapByDefault() {
        RecordBatch batch = build(RecordBatch.builder(16, 2), "alpha", "beta");
        assertTrue(batch.stagedIn().isEmpty());
        assertEquals("alphabeta", new String(batch.data(), 0, batch.byteSize(), StandardCharsets.US_ASCII));
        assertFalse(batch.payload().isDirect());
        batch.release();
        assertArrayEquals(bytes("beta"), batch.value(1));
    }

    @Test
    void shouldBuildInAStagingBufferAndCopyToTheHeapOnlyWhenAsked() {
        Counted buffers = new Counted(1 << 20);
        RecordBatch batch = build(RecordBatch.builder(64, 2, buffers), "alpha", "beta");
        assertEquals(buffers, batch.stagedIn().orElseThrow());
        ByteBuffer payload = batch.payload();
        assertTrue(payload.isDirect());
        assertEquals(9, payload.remaining());
        assertEquals('b', payload.get(5));
        assertArrayEquals(bytes("beta"), batch.value(1));
        assertEquals("alphabeta", new String(batch.data(), 0, batch.byteSize(), StandardCharsets.US_ASCII));
        batch.release();
        batch.release();
        assertEquals(1, buffers.back.size());
        assertNotNull(batch.data(), "the heap copy made before the release stays");
    }

    @Test
    void shouldRefuseToReadAReleasedPayload() {
        Counted buffers = new Counted(1 << 20);
        RecordBatch batch = build(RecordBatch.builder(64, 1, buffers), "alpha");
        batch.release();
        assertThrows(IllegalStateException.class, batch::payload);
        assertThrows(IllegalStateException.class, batch::data);
    }

    @Test
    void shouldTradeAFullStagingBufferForALargerOne() {
        Counted buffers = new Counted(1 << 20);
        RecordBatch batch = build(RecordBatch.builder(16, 1, buffers), "0123456789", "abcdefghij", "KLMNOPQRST");
        assertEquals(2, buffers.lent.size());
        assertEquals(1, buffers.back.size());
        assertTrue(batch.payload().isDirect());
        assertEquals("0123456789abcdefghijKLMNOPQRST", new String(batch.data(), 0, batch.byteSize(), StandardCharsets.US_ASCII));
    }

    @Test
    void shouldFallBackToTheHeapWhenTheBuffersAreExhausted() {
        Counted buffers = new Counted(16);
        RecordBatch batch = build(RecordBatch.builder(16, 1, buffers), "0123456789", "abcdefghij");
        assertTrue(batch.stagedIn().isEmpty());
        assertEquals(1, buffers.back.size(), "the buffer it outgrew went back");
        assertEquals("0123456789abcdefghij", new String(batch.data(), 0, batch.byteSize(), StandardCharsets.US_ASCII));
        RecordBatch none = build(RecordBatch.builder(64, 1, new Counted(0)), "x");
        assertTrue(none.stagedIn().isEmpty());
    }

    @Test
    void shouldCarryTheBuffersInBatchSettings() {
        BatchSettings s = BatchSettings.of(10, 100, java.time.Duration.ofMillis(5));
        assertEquals(BatchBuffers.HEAP, s.buffers());
        Counted buffers = new Counted(1);
        assertEquals(buffers, s.withBuffers(buffers).withMaxRecords(3).buffers());
    }
}
