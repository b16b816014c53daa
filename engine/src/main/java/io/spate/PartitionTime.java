package io.spate;

import java.util.Objects;

/**
 * The largest event time a windowed query has seen in one input partition: the state its watermark
 * follows from ({@code timestamp} minus the window's out-of-orderness). Backends report the ones a
 * batch moved; the node writes them to the pipeline's event-time changelog and gives them back to
 * the backend when it restarts, so records are judged late the same way before and after a crash.
 *
 * @param query the index of the windowed query in the plan
 * @param topic the input topic
 * @param partition the input partition
 * @param timestamp the largest event time seen there, epoch milliseconds
 */
public record PartitionTime(int query, String topic, int partition, long timestamp) {

    /** Checks the topic. */
    public PartitionTime {
        Objects.requireNonNull(topic, "topic");
    }
}
