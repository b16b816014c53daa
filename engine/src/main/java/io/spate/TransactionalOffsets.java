package io.spate;

import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of a batch that a Kafka transaction can commit with the batch's output
 * (exactly-once): the batch source's offsets are of this kind. A sink that writes a batch in a
 * transaction sends {@link #offsets()} to it with {@link #groupMetadata()}, and calls
 * {@link #written()} once the transaction has committed, instead of {@link #commit()}.
 */
public interface TransactionalOffsets extends SourceOffsets {

    /** The offsets to commit, by partition: the offset after the batch's last record in each. */
    Map<TopicPartition, OffsetAndMetadata> offsets();

    /**
     * The consumer group's generation when the batch was read: a transaction that commits these
     * offsets is fenced if the partitions have moved to another member since (KIP-447).
     */
    ConsumerGroupMetadata groupMetadata();

    /** Tells the source that a transaction committed these offsets with the batch's records. */
    void written();
}
