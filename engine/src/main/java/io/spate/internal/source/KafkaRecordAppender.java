package io.spate.internal.source;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.kafka.ConsumerMessage;

import io.spate.RecordBatchBuilder;
import io.spate.internal.source.BatchAppender;
import io.spate.internal.source.CommitTracker;

/** Appends a consumed Kafka record's value to a batch and tracks its offset for the commit. */
public final class KafkaRecordAppender implements BatchAppender<ConsumerMessage.CommittableMessage<byte[], byte[]>> {

    private static final byte[] EMPTY = new byte[0];

    @Override
    public void append(ConsumerMessage.CommittableMessage<byte[], byte[]> message, RecordBatchBuilder builder, CommitTracker commits) {
        ConsumerRecord<byte[], byte[]> record = message.record();
        // A tombstone (null value) becomes an empty record, which the codecs reject with a reason.
        byte[] value = record.value() == null ? EMPTY : record.value();
        builder.append(value, 0, value.length, record.topic(), record.partition(), record.offset());
        commits.track(message.committableOffset());
    }

    @Override
    public int sizeOf(ConsumerMessage.CommittableMessage<byte[], byte[]> message) {
        byte[] value = message.record().value();
        return value == null ? 0 : value.length;
    }
}
