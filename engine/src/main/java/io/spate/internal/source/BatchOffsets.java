package io.spate.internal.source;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;

import io.spate.TransactionalOffsets;

/**
 * The offsets to commit once everything computed from one batch is written: per partition, the
 * offset after the batch's last record. Committing goes through the source's poll thread, since
 * only that thread may use the consumer.
 */
public final class BatchOffsets implements TransactionalOffsets {

    private final Map<TopicPartition, OffsetAndMetadata> offsets;
    private final ConsumerGroupMetadata group;
    private final PollLoop loop;

    BatchOffsets(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group, PollLoop loop) {
        this.offsets = Map.copyOf(offsets);
        this.group = group;
        this.loop = loop;
    }

    @Override
    public ConsumerGroupMetadata groupMetadata() {
        return group;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }

    @Override
    public void written() {
        loop.settled();
    }

    /** Commits these offsets (with every earlier acked one); completes when the broker has them or the partitions moved away. */
    @Override
    public CompletionStage<Done> commit() {
        return loop.commit(offsets);
    }
}
