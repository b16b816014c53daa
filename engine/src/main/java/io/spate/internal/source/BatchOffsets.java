package io.spate.internal.source;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;

import io.spate.SourceOffsets;

/**
 * The offsets to commit once everything computed from one batch is written: per partition, the
 * offset after the batch's last record. Committing goes through the source's poll thread, since
 * only that thread may use the consumer.
 */
public final class BatchOffsets implements SourceOffsets {

    private final Map<TopicPartition, OffsetAndMetadata> offsets;
    private final ConsumerGroupMetadata group;
    private final PollLoop loop;

    BatchOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, PollLoop loop) {
        this.offsets = Map.copyOf(offsets);
        this.group = group;
        this.loop = loop;
    }

    /**
     * The consumer group's generation when the batch was read: a transaction that commits these
     * offsets is fenced if the partitions have moved to another member since (KIP-447).
     */
    public ConsumerGroupMetadata groupMetadata() {
        return group;
    }

    /** The offsets, by partition. */
    public Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    /** Tells the source that a transaction committed these offsets with the batch's records (exactly-once). */
    public void written() {
        loop.settled();
    }

    /** Commits these offsets (with every earlier acked one); completes when the broker has them or the partitions moved away. */
    @Override
    public CompletionStage<Done> commit() {
        return loop.commit(offsets);
    }
}
