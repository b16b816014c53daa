package io.spate.internal.source;

import io.spate.BatchSettings;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;

/**
 * The open batch of a source, and the one rule both sources close it by: at {@code max-records}
 * records, before a record that would pass {@code max-bytes}, or {@code max-latency} after its
 * first record (the source checks {@link #expired} on its own clock: a poll loop or a stage
 * timer). A new batch is sized like the last one, since growing a multi-megabyte batch by doubling
 * copies it several times; it is built in the settings' buffers (staging memory when the backend
 * lends some). Not thread-safe: one source thread uses it.
 */
final class BatchAccumulator {

    private final BatchSettings limits;
    private RecordBatchBuilder open;
    private long openedAt;
    private int lastBytes;
    private int lastCount;
    private long sequence;

    BatchAccumulator(BatchSettings limits) {
        this.limits = limits;
    }

    /** Whether a record of {@code size} bytes does not fit the open batch, which must then be closed first. */
    boolean overflowsWith(int size) {
        return open != null && open.count() > 0 && (long) open.byteSize() + size > limits.maxBytes();
    }

    /** Whether no batch is open (the next {@link #builder} opens one). */
    boolean isEmpty() {
        return open == null || open.count() == 0;
    }

    /** The open batch to append a record of {@code size} bytes to, opened now ({@code now}, nanoseconds) if none is. */
    RecordBatchBuilder builder(int size, long now) {
        if (open == null) {
            int bytes = (int) Math.min(limits.maxBytes(), Math.max(Math.max(1 << 20, 2L * size), lastBytes + lastBytes / 8));
            int records = Math.min(limits.maxRecords(), Math.max(16_384, lastCount + 1));
            open = RecordBatch.builder(bytes, records, limits.buffers());
            openedAt = now;
        }
        return open;
    }

    /** Whether the open batch has reached {@code max-records} or {@code max-bytes}. */
    boolean full() {
        return open != null && (open.count() >= limits.maxRecords() || open.byteSize() >= limits.maxBytes());
    }

    /** Whether the open batch has been open {@code max-latency} at {@code now} (nanoseconds). */
    boolean expired(long now) {
        return open != null && now - openedAt >= limits.maxLatency().toNanos();
    }

    /** The number of batches closed so far (the next batch's sequence number). */
    long closed() {
        return sequence;
    }

    /** Closes the open batch (which must have records) with the offsets its records commit. */
    RecordBatch close(SourceOffsets offsets) {
        lastBytes = open.byteSize();
        lastCount = open.count();
        RecordBatch batch = open.build(offsets, sequence++);
        open = null;
        return batch;
    }
}
