package io.spate.internal.source;

import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.NotUsed;
import org.apache.pekko.kafka.ConsumerMessage;
import org.apache.pekko.kafka.Subscriptions;
import org.apache.pekko.kafka.javadsl.Consumer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SpateSettings;
import io.spate.internal.kafka.ClientListener;
import io.spate.internal.kafka.KafkaClients;

/**
 * The connector variant of the source ({@code spate.source.mode = connector}):
 * pekko-connectors-kafka's committable source, then a batching stage that packs its messages into
 * batches by the same closing rule as the batch source.
 */
public final class ConnectorSource {

    private ConnectorSource() {
    }

    /** The pipeline's committable Kafka source, byte[] values, no String per record. */
    public static Source<ConsumerMessage.CommittableMessage<byte[], byte[]>, Consumer.Control> source(Pipeline pipeline,
                                                                                                       SpateSettings settings) {
        return source(pipeline, settings, ClientListener.NONE);
    }

    /** {@link #source(Pipeline, SpateSettings)}, telling {@code clients} of its consumer. */
    public static Source<ConsumerMessage.CommittableMessage<byte[], byte[]>, Consumer.Control> source(Pipeline pipeline,
                                                                                                       SpateSettings settings,
                                                                                                       ClientListener clients) {
        return Consumer.committableSource(KafkaClients.consumer(settings, pipeline, clients),
                Subscriptions.topics(pipeline.topics().toArray(new String[0])));
    }

    /** Packs Kafka messages into batches (their value bytes, partitions, offsets and commit offsets). */
    public static Flow<ConsumerMessage.CommittableMessage<byte[], byte[]>, RecordBatch, NotUsed> batcher(BatchSettings settings) {
        return Flow.fromGraph(new BatcherStage<>(settings, new KafkaRecordAppender()));
    }

    /** Packs plain byte arrays into batches of partition 0 of {@code topic} (nothing to commit). */
    public static Flow<byte[], RecordBatch, NotUsed> bytesBatcher(BatchSettings settings, String topic) {
        AtomicLong offsets = new AtomicLong();
        BatchAppender<byte[]> appender = new BatchAppender<>() {
            @Override
            public void append(byte[] value, RecordBatchBuilder builder, CommitTracker commits) {
                builder.append(value, 0, value.length, topic, 0, offsets.getAndIncrement());
            }

            @Override
            public int sizeOf(byte[] value) {
                return value.length;
            }
        };
        return Flow.fromGraph(new BatcherStage<>(settings, appender));
    }
}
