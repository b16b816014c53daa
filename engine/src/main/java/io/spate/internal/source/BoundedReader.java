package io.spate.internal.source;

import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;
import io.spate.internal.kafka.TopicReader;

/**
 * Reads a topic from its beginning up to the end offsets taken when it starts, as a bounded job
 * (Spark's {@code startingOffsets=earliest, endingOffsets=latest}): one {@link RecordBatch} per
 * poll, no consumer group, nothing committed. Records produced after the start are not read.
 */
public final class BoundedReader {

    /** Progress after each batch: records and bytes read so far. */
    public interface Progress {
        /** Called after each batch. */
        void update(long records, long bytes);
    }

    private final SpateSettings settings;
    private final String topic;

    /** A reader of {@code topic} on the settings' cluster. */
    public BoundedReader(SpateSettings settings, String topic) {
        this.settings = settings;
        this.topic = topic;
    }

    /** The number of records between the beginning and the end offsets now (what a read would return, compaction aside). */
    public long recordsToRead() {
        return TopicReader.of(settings).count(topic, null).orElseThrow(this::missing);
    }

    /** Reads the topic to the end offsets taken now, handing each poll's records to {@code batches} as one batch. */
    public void read(Consumer<RecordBatch> batches, Progress progress) {
        long[] totals = new long[3];   // records, bytes, batch sequence
        boolean found = TopicReader.of(settings).readPolls(topic, null, polled -> {
            RecordBatchBuilder b = RecordBatch.builder(1 << 20, polled.size());
            for (ConsumerRecord<byte[], byte[]> r : polled) {
                KafkaRecordAppender.append(r, b);
            }
            totals[0] += b.count();
            totals[1] += b.byteSize();
            batches.accept(b.build(SourceOffsets.NONE, totals[2]++));
            progress.update(totals[0], totals[1]);
        });
        if (!found) {
            throw missing();
        }
    }

    private IllegalArgumentException missing() {
        return new IllegalArgumentException("topic '" + topic + "' does not exist at " + settings.bootstrapServers());
    }
}
