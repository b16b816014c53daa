package io.spate.bench.peers;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a peer's topologies or graphs have read so far (again after a retry: at least once), so a
 * runner can report records and bytes as Spate does. Thread-safe.
 */
public final class ReadCounts {

    private final LongAdder records = new LongAdder();
    private final LongAdder valueBytes = new LongAdder();
    private final LongAdder malformed = new LongAdder();

    /** Counts a record read, of {@code value} (null counts no bytes). */
    void read(byte[] value) {
        records.increment();
        valueBytes.add(value == null ? 0 : value.length);
    }

    /** Counts a record sent to the dead-letter topic. */
    void malformed() {
        malformed.increment();
    }

    /** Records read. */
    public long records() {
        return records.sum();
    }

    /** Value bytes of those records. */
    public long valueBytes() {
        return valueBytes.sum();
    }

    /** Those of them sent to the dead-letter topic. */
    public long malformedLines() {
        return malformed.sum();
    }
}
