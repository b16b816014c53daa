package io.spate.testkit;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The ceiling a Kafka-to-anything job is measured against: a plain {@link KafkaConsumer} that polls
 * a topic from the beginning to its end and discards the records (summing their sizes only).
 */
public final class PlainConsumer {

    /**
     * What one read of a topic took.
     *
     * @param records records read
     * @param bytes value bytes read
     * @param seconds from the first poll to the last record
     * @param setupSeconds before the first poll: making the consumer, finding the topic's partitions
     *     and their ends (what a job's clock also counts from its start)
     */
    public record Reading(long records, long bytes, double seconds, double setupSeconds) {
        /** Records per second of polling (from the first poll to the last record). */
        public double recordsPerSecond() {
            return records / seconds;
        }

        /** From making the consumer to the last record. */
        public double totalSeconds() {
            return setupSeconds + seconds;
        }

        /** Value megabytes (10^6) per second. */
        public double megabytesPerSecond() {
            return bytes / 1e6 / seconds;
        }
    }

    private PlainConsumer() {
    }

    /** Reads all of {@code topic} as it is now, with the poll size, fetch size, fetch wait and socket buffer Spate's consumers use. */
    public static Reading readToEnd(String bootstrap, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, -1);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        long made = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long wanted = 0;
            for (TopicPartition tp : partitions) {
                wanted += ends.get(tp) - consumer.position(tp);
            }
            long records = 0;
            long bytes = 0;
            long start = System.nanoTime();
            double setup = (start - made) / 1e9;
            while (records < wanted) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    bytes += r.serializedValueSize();
                }
                records += polled.count();
            }
            return new Reading(records, bytes, (System.nanoTime() - start) / 1e9, setup);
        }
    }
}
