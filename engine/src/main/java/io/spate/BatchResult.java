package io.spate;

import java.util.List;
import java.util.Objects;

import io.spate.frame.Frame;

/**
 * What a backend computed from one batch: one frame per query of the plan (in plan order), the
 * records it could not decode, with the reason for each, and for windowed queries the records that
 * came too late to count and the event time the batch moved on to.
 *
 * @param batch the batch computed
 * @param frames one per query, in plan order
 * @param rejected indexes (into the batch) of the malformed records, ascending
 * @param reasons why each rejected record was rejected, parallel to {@code rejected}
 * @param backend name of the backend that computed it
 * @param late indexes (into the batch) of records a windowed query did not count because all
 *        their windows were closed, in the order found
 * @param lateQuery for each of {@code late}, the index of that query in the plan
 * @param times the largest event time per input partition of each windowed query, for the
 *        partitions this batch moved forward
 */
public record BatchResult(RecordBatch batch, List<Frame> frames, int[] rejected, String[] reasons, String backend,
                          int[] late, int[] lateQuery, List<PartitionTime> times) {

    /** Checks the parts. */
    public BatchResult {
        Objects.requireNonNull(batch, "batch");
        frames = List.copyOf(frames);
        times = List.copyOf(times);
        if (rejected.length != reasons.length) {
            throw new IllegalArgumentException("rejected and reasons differ in length");
        }
        if (late.length != lateQuery.length) {
            throw new IllegalArgumentException("late and lateQuery differ in length");
        }
    }

    /** A result of a plan without windows: no late records, no event times. */
    public BatchResult(RecordBatch batch, List<Frame> frames, int[] rejected, String[] reasons, String backend) {
        this(batch, frames, rejected, reasons, backend, new int[0], new int[0], List.of());
    }

    /** Number of malformed records. */
    public int rejectedCount() {
        return rejected.length;
    }

    /** Number of records not rejected (records a format skips, such as CSV header lines, included). */
    public int acceptedCount() {
        return batch.count() - rejected.length;
    }
}
