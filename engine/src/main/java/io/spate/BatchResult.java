package io.spate;

import java.util.List;
import java.util.Objects;

import io.spate.frame.Frame;

/**
 * What a backend computed from one batch: one frame per query of the plan (in plan order) and the
 * records it could not decode, with the reason for each.
 *
 * @param batch the batch computed
 * @param frames one per query, in plan order
 * @param rejected indexes (into the batch) of the malformed records, ascending
 * @param reasons why each rejected record was rejected, parallel to {@code rejected}
 * @param backend name of the backend that computed it
 */
public record BatchResult(RecordBatch batch, List<Frame> frames, int[] rejected, String[] reasons, String backend) {

    /** Checks the parts. */
    public BatchResult {
        Objects.requireNonNull(batch, "batch");
        frames = List.copyOf(frames);
        if (rejected.length != reasons.length) {
            throw new IllegalArgumentException("rejected and reasons differ in length");
        }
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
