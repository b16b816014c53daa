package io.spate.internal.cpu;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.spate.spi.BatchBuffers;

/**
 * The CPU backend's staging buffers: heap arrays kept for the next batches of one pipeline. A
 * batch of 50,000 log lines is a 5 MB array, which G1 allocates as a humongous object (and
 * starts a marking cycle for) when it is new; taking it back when the batch's results are
 * encoded and lending it to the next batch saves that every batch. The CPU reads the array itself
 * ({@link io.spate.RecordBatch#data()}), so staging costs no copy.
 *
 * <p>Bounded: at most {@code maxBytes} of arrays are lent or kept at once; past that
 * {@link #allocate} answers {@code null} and the batch is built in an array of its own, as without
 * staging. A kept buffer too small for a request is dropped rather than kept beside a new one.
 */
final class HeapBatchBuffers implements BatchBuffers {

    private final long maxBytes;
    private final ConcurrentLinkedQueue<ByteBuffer> free = new ConcurrentLinkedQueue<>();
    /** Capacity of the buffers lent out or kept in {@link #free}. */
    private final AtomicLong held = new AtomicLong();

    HeapBatchBuffers(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        ByteBuffer b;
        while ((b = free.poll()) != null) {
            if (b.capacity() >= bytes) {
                return b.clear();
            }
            held.addAndGet(-b.capacity());
        }
        long after = held.addAndGet(bytes);
        if (after > maxBytes) {
            held.addAndGet(-bytes);
            return null;
        }
        return ByteBuffer.allocate(bytes);
    }

    @Override
    public void release(ByteBuffer buffer) {
        free.offer(buffer);
    }

    /** Bytes lent out or kept. */
    long heldBytes() {
        return held.get();
    }

    @Override
    public String toString() {
        return "heap buffers (up to " + maxBytes / (1 << 20) + " MiB kept)";
    }
}
