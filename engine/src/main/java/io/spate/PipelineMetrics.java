package io.spate;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running counts of one pipeline, updated per batch (never per record) and safe to read from any
 * thread: the run summary, the demo's progress bar and tests read them.
 */
public final class PipelineMetrics {

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder outputRecords = new LongAdder();
    private final AtomicLong faults = new AtomicLong();
    private volatile long firstBatchNanos;
    private volatile long lastBatchNanos;
    private volatile long firstBatchRecords;

    /** Counts one computed batch. */
    public void batchComputed(BatchResult result, int outputs) {
        long now = System.nanoTime();
        if (firstBatchNanos == 0) {
            firstBatchRecords = result.batch().count();
            firstBatchNanos = now;
        }
        lastBatchNanos = now;
        records.add(result.batch().count());
        bytes.add(result.batch().byteSize());
        batches.increment();
        rejected.add(result.rejectedCount() + result.late().length);
        outputRecords.add(outputs);
    }

    /** Records read and computed (including malformed ones). */
    public long records() {
        return records.sum();
    }

    /** Payload bytes read and computed. */
    public long bytes() {
        return bytes.sum();
    }

    /** Batches computed. */
    public long batches() {
        return batches.sum();
    }

    /** Records sent to the dead-letter topic: malformed ones, and late ones once per windowed output they missed. */
    public long rejected() {
        return rejected.sum();
    }

    /** Batches the compute backend failed on and ran again. */
    public long faults() {
        return faults.get();
    }

    /** The counter the compute actor adds its re-run batches to. */
    public AtomicLong faultCounter() {
        return faults;
    }

    /** Result records produced (one per group per batch). */
    public long outputRecords() {
        return outputRecords.sum();
    }

    /**
     * Records per second between the first and the last computed batch, the first batch's records
     * left out: the steady rate, without consumer-group join and start-up. NaN before two batches.
     */
    public double steadyRecordsPerSecond() {
        long span = lastBatchNanos - firstBatchNanos;
        return span <= 0 ? Double.NaN : (records() - firstBatchRecords) / (span / 1e9);
    }

    /** Bytes per second, measured like {@link #steadyRecordsPerSecond()} (assuming records of even size). */
    public double steadyBytesPerSecond() {
        long n = records();
        return n == 0 ? Double.NaN : steadyRecordsPerSecond() * bytes() / n;
    }

    @Override
    public String toString() {
        return records() + " records (" + bytes() + " bytes) in " + batches() + " batches, " + rejected()
                + " to the dead-letter topic, " + outputRecords() + " result records" + (faults() > 0 ? ", " + faults() + " batches run again after a backend fault" : "");
    }
}
