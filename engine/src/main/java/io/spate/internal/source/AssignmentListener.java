package io.spate.internal.source;

import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What a pipeline does with its state when the consumer group gives it partitions. Called on the
 * source's poll thread inside the rebalance callback, after the batches of partitions taken away
 * have drained (so the output holds all they changed) and before any record of the new assignment
 * is read. It may block (reading a changelog); a thrown exception fails the stream.
 */
public interface AssignmentListener {

    /** Does nothing: a pipeline without state. */
    AssignmentListener NONE = new AssignmentListener() {
    };

    /** The consumer now owns {@code assignment} (all its partitions, not only the new ones). */
    default void assigned(Set<TopicPartition> assignment) {
    }

    /**
     * A rebalance has ended for this consumer: it holds {@code assignment} (possibly none) and
     * {@link #assigned} has returned for it, so the state that goes with it is restored.
     */
    default void joined(Set<TopicPartition> assignment) {
    }
}
