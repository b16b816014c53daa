package io.spate.internal.source;

import java.util.Collection;
import java.util.Set;

import org.apache.kafka.common.TopicPartition;

/**
 * What a pipeline does with its state when the consumer group moves partitions. Called on the
 * source's poll thread inside the rebalance callbacks: {@link #revoked} after the batches in flight
 * have drained (so the state is that of committed output), {@link #assigned} before any record of
 * the new assignment is read. Either may block (reading a changelog); a thrown exception fails the
 * stream.
 */
public interface AssignmentListener {

    /** Does nothing: a pipeline without state. */
    AssignmentListener NONE = new AssignmentListener() {
    };

    /** {@code partitions} were taken away; their batches have all been written and committed. */
    default void revoked(Collection<TopicPartition> partitions) {
    }

    /** The consumer now owns {@code assignment} (all its partitions, not only the new ones). */
    default void assigned(Set<TopicPartition> assignment) {
    }
}
