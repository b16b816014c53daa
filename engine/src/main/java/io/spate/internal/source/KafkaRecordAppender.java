package io.spate.internal.source;

import java.nio.ByteBuffer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.pekko.kafka.ConsumerMessage;

import io.spate.RecordBatchBuilder;

/** Appends a consumed Kafka record (value, key, timestamp, headers) to a batch and tracks its offset for the commit. */
public final class KafkaRecordAppender implements BatchAppender<ConsumerMessage.CommittableMessage<byte[], byte[]>> {

    private static final byte[] EMPTY = new byte[0];
    private static final ByteBuffer EMPTY_VIEW = ByteBuffer.wrap(EMPTY).asReadOnlyBuffer();

    @Override
    public void append(ConsumerMessage.CommittableMessage<byte[], byte[]> message, RecordBatchBuilder builder, CommitTracker commits) {
        append(message.record(), builder);
        commits.track(message.committableOffset());
    }

    /** Appends {@code record}'s value, key, timestamp and headers to {@code builder}. */
    public static void append(ConsumerRecord<byte[], byte[]> record, RecordBatchBuilder builder) {
        // A tombstone (null value) becomes an empty record, which the codecs reject with a reason.
        byte[] value = record.value() == null ? EMPTY : record.value();
        builder.append(value, 0, value.length, record.topic(), record.partition(), record.offset(), record.timestamp(), record.key());
        appendHeaders(record.headers(), builder);
    }

    /**
     * Appends {@code record} read with {@code ByteBufferDeserializer}: its value and key are views of
     * the fetched bytes, so the copy into the batch is the only one (the poll loop's way).
     */
    public static void appendView(ConsumerRecord<ByteBuffer, ByteBuffer> record, RecordBatchBuilder builder) {
        ByteBuffer value = record.value() == null ? EMPTY_VIEW : record.value();
        builder.append(value, record.topic(), record.partition(), record.offset(), record.timestamp(), record.key());
        appendHeaders(record.headers(), builder);
    }

    private static void appendHeaders(Headers headers, RecordBatchBuilder builder) {
        // toArray() of a record without headers is a shared empty array: nothing allocated then.
        for (Header h : headers.toArray()) {
            builder.header(h.key(), h.value());
        }
    }

    @Override
    public int sizeOf(ConsumerMessage.CommittableMessage<byte[], byte[]> message) {
        byte[] value = message.record().value();
        return value == null ? 0 : value.length;
    }
}
