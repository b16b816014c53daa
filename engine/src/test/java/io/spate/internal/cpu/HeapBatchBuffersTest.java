package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;

class HeapBatchBuffersTest {

    private static RecordBatch build(HeapBatchBuffers buffers, int initialBytes, String... values) {
        RecordBatchBuilder b = RecordBatch.builder(initialBytes, 4, buffers);
        long offset = 0;
        for (String v : values) {
            byte[] bytes = v.getBytes(StandardCharsets.US_ASCII);
            b.append(bytes, 0, bytes.length, "t", 0, offset++);
        }
        return b.build(SourceOffsets.NONE, 0);
    }

    private static String record(RecordBatch batch, int i) {
        byte[] d = batch.data();
        return new String(Arrays.copyOfRange(d, batch.start(i), batch.end(i)), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldLendTheArrayOfAReleasedBatchToTheNextOne() {
        HeapBatchBuffers buffers = new HeapBatchBuffers(1 << 20);
        RecordBatch first = build(buffers, 64, "alpha", "beta");
        byte[] array = first.data();
        assertEquals("beta", record(first, 1));
        assertSame(array, first.data(), "the staging array itself, not a copy");
        first.release();
        assertThrows(IllegalStateException.class, first::data, "read after release");
        RecordBatch second = build(buffers, 64, "gamma");
        assertSame(array, second.data(), "the array comes back");
        assertEquals("gamma", record(second, 0));
        assertArrayEquals("gamma".getBytes(StandardCharsets.US_ASCII), second.value(0));
    }

    @Test
    void shouldBuildOnTheHeapOncePastItsBytesAndDropBuffersTooSmall() {
        HeapBatchBuffers buffers = new HeapBatchBuffers(100);
        ByteBuffer a = buffers.allocate(60);
        assertNotNull(a);
        assertNull(buffers.allocate(60), "60 + 60 bytes pass the 100 allowed");
        buffers.release(a);
        ByteBuffer b = buffers.allocate(80);
        assertNotNull(b, "the 60-byte buffer is dropped for an 80-byte one");
        assertEquals(80, buffers.heldBytes());
        RecordBatch grown = build(buffers, 8, "more than eight bytes", "and more");
        assertEquals("and more", record(grown, 1), "a batch that outgrows what is left moves to the heap");
    }
}
