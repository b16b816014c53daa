package io.spate.spi;

import java.nio.ByteBuffer;

/**
 * Where a batch's payload bytes are written while it is built: by default a heap array
 * ({@link #HEAP}); a backend may offer buffers it can read faster (the GPU backend offers pinned
 * host memory, so a batch crosses to the device in one copy, straight from where the batch source
 * wrote it). Offered by {@link ComputeBackendProvider#stagingBuffers}.
 *
 * <p>A buffer is lent to one {@link io.spate.RecordBatchBuilder}, then to the batch it builds,
 * and given back with {@link #release} when the batch is done ({@link io.spate.RecordBatch#release()},
 * once its results are encoded). Implementations are called from several threads (the batch
 * source allocates, the stream releases) and never block: when nothing is free within their cap,
 * {@link #allocate} answers {@code null} and the batch is built on the heap, as without them.
 */
public interface BatchBuffers {

    /** No staging buffers: every batch is built in a heap array. */
    BatchBuffers HEAP = new BatchBuffers() {
        @Override
        public ByteBuffer allocate(int bytes) {
            return null;
        }

        @Override
        public void release(ByteBuffer buffer) {
            throw new IllegalArgumentException("the heap lends no buffers");
        }

        @Override
        public String toString() {
            return "heap";
        }
    };

    /**
     * A direct buffer with room for at least {@code bytes} bytes, position 0 and limit its
     * capacity, or {@code null} when none can be had now without passing the cap (the caller then
     * uses a heap array). Never blocks.
     */
    ByteBuffer allocate(int bytes);

    /** Takes back a buffer {@link #allocate} gave; nothing may read or write it afterwards. */
    void release(ByteBuffer buffer);
}
