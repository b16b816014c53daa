package io.spate.gpu.internal;

import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.spi.BatchBuffers;

/**
 * The staging buffers batches are built in: buffers from a {@link Memory} (pinned host memory on
 * a GPU node, see {@link PinnedMemory}), lent to one batch at a time and kept for the next when
 * given back, never more than {@code cap} bytes in all. A request takes the smallest free buffer
 * that fits; else a new one is made (rounded up to {@code granule}), first freeing free buffers
 * too small to serve if the cap says so; else the answer is {@code null} and the batch is built
 * on the heap. It never blocks.
 *
 * <p>The memory is freed by {@link #close()} (buffers lent then are freed when given back), or,
 * when the pool is dropped without closing, once neither it nor any batch built in it can be
 * reached (a batch keeps its pool reachable, so no buffer is freed while a batch could read it).
 */
final class StagingPool implements BatchBuffers, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StagingPool.class);
    private static final Cleaner CLEANER = Cleaner.create();

    /** Where buffers come from: allocate may throw (the pool then answers null), free is called once per buffer. */
    interface Memory {
        /** A direct buffer of exactly {@code bytes} bytes. */
        ByteBuffer allocate(long bytes);

        /** Frees a buffer {@link #allocate} made. */
        void free(ByteBuffer buffer);

        /** Called once, after the last {@link #free}. */
        default void close() {
        }
    }

    /** The buffers, apart from the pool so that the cleaner can free them after the pool is gone. */
    private static final class State implements Runnable {
        final Memory memory;
        final List<ByteBuffer> free = new ArrayList<>();
        final Set<ByteBuffer> lent = Collections.newSetFromMap(new IdentityHashMap<>());
        long total;
        boolean closed;
        private boolean memoryClosed;

        State(Memory memory) {
            this.memory = memory;
        }

        @Override
        public synchronized void run() {
            // The cleaner's action: nothing can read these buffers any more.
            closed = true;
            free.forEach(memory::free);
            lent.forEach(memory::free);
            free.clear();
            lent.clear();
            total = 0;
            closeMemory();
        }

        void closeMemory() {
            if (!memoryClosed) {
                memoryClosed = true;
                memory.close();
            }
        }
    }

    private final long cap;
    private final long granule;
    private final State state;
    private boolean loggedFailure;

    StagingPool(long cap, long granule, Memory memory) {
        if (cap < 0 || granule < 1) {
            throw new IllegalArgumentException("cap " + cap + ", granule " + granule);
        }
        this.cap = cap;
        this.granule = granule;
        this.state = new State(memory);
        CLEANER.register(this, state);
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        synchronized (state) {
            if (state.closed) {
                return null;
            }
            ByteBuffer best = null;
            for (ByteBuffer b : state.free) {
                if (b.capacity() >= bytes && (best == null || b.capacity() < best.capacity())) {
                    best = b;
                }
            }
            if (best != null) {
                removeFree(best);
                state.lent.add(best);
                return best.clear();
            }
            long size = Math.min(Integer.MAX_VALUE - 8, (bytes + granule - 1) / granule * granule);
            long freeBytes = 0;
            for (ByteBuffer b : state.free) {
                freeBytes += b.capacity();
            }
            if (state.total - freeBytes + size > cap) {
                // Even with every free buffer given up there would be no room: keep them for smaller batches.
                return null;
            }
            // The free buffers are all too small for this request: trade the smallest for room.
            state.free.sort((a, b) -> Integer.compare(a.capacity(), b.capacity()));
            while (state.total + size > cap && !state.free.isEmpty()) {
                ByteBuffer small = state.free.remove(0);
                state.total -= small.capacity();
                state.memory.free(small);
            }
            ByteBuffer made;
            try {
                made = state.memory.allocate(size);
            } catch (RuntimeException | LinkageError e) {
                if (!loggedFailure) {
                    loggedFailure = true;
                    LOG.warn("no staging buffer of {} bytes could be made, batches are built on the heap meanwhile (said once): {}", size, e.toString());
                }
                return null;
            }
            state.total += made.capacity();
            state.lent.add(made);
            return made.clear();
        }
    }

    private void removeFree(ByteBuffer b) {
        for (int i = 0; i < state.free.size(); i++) {
            if (state.free.get(i) == b) {
                state.free.remove(i);
                return;
            }
        }
    }

    @Override
    public void release(ByteBuffer buffer) {
        synchronized (state) {
            if (!state.lent.remove(buffer)) {
                throw new IllegalArgumentException("not a buffer this pool lent, or given back twice");
            }
            if (state.closed) {
                state.total -= buffer.capacity();
                state.memory.free(buffer);
                if (state.lent.isEmpty()) {
                    state.closeMemory();
                }
            } else {
                state.free.add(buffer);
            }
        }
    }

    /** Bytes of buffers made and not freed, lent or free. */
    long totalBytes() {
        synchronized (state) {
            return state.total;
        }
    }

    /** Buffers lent now. */
    int lentCount() {
        synchronized (state) {
            return state.lent.size();
        }
    }

    /** Frees the free buffers now and each lent one when it comes back; lends nothing more. */
    @Override
    public void close() {
        synchronized (state) {
            if (state.closed) {
                return;
            }
            state.closed = true;
            state.free.forEach(state.memory::free);
            state.free.forEach(b -> state.total -= b.capacity());
            state.free.clear();
            if (state.lent.isEmpty()) {
                state.closeMemory();
            }
        }
    }

    @Override
    public String toString() {
        return "StagingPool[cap=" + cap + ", total=" + totalBytes() + ", lent=" + lentCount() + "]";
    }
}
