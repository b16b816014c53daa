package io.spate.internal.node;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.SpateSettings;

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
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long n = 0;
            for (TopicPartition tp : partitions) {
                n += end.get(tp) - begin.get(tp);
            }
            return n;
        }
    }

    /** Reads the topic to the end offsets taken now, handing each poll's records to {@code batches} as one batch. */
    public void read(Consumer<RecordBatch> batches, Progress progress) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long records = 0;
            long bytes = 0;
            long sequence = 0;
            while (!reached(consumer, end)) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                if (polled.isEmpty()) {
                    continue;
                }
                RecordBatchBuilder b = RecordBatch.builder(1 << 20, polled.count());
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue;
                    }
                    byte[] v = r.value() == null ? new byte[0] : r.value();
                    b.append(v, 0, v.length, r.topic(), r.partition(), r.offset());
                }
                if (b.count() > 0) {
                    records += b.count();
                    bytes += b.byteSize();
                    batches.accept(b.build(SourceOffsets.NONE, sequence++));
                    progress.update(records, bytes);
                }
            }
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Map<String, Object> props = new HashMap<>(settings.consumerProperties());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic '" + topic + "' does not exist at " + settings.bootstrapServers());
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
