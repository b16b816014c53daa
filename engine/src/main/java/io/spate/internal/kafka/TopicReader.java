package io.spate.internal.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import io.spate.SpateSettings;

/**
 * Reads a topic from its beginning up to the end offsets taken when the read starts: state
 * restore, bounded jobs and the testkit all read "to the end" through this one class. No consumer
 * group, nothing committed, {@code read_committed} (aborted transactional records are left out),
 * and the caller's client properties (security, timeouts), so it reads any cluster the node can.
 * Records are handed over one poll at a time, never gathered in memory.
 */
public final class TopicReader {

    /** How long a read may go without reaching the end offsets and without a record before it fails. */
    private static final Duration STALL = Duration.ofMinutes(2);
    private static final Duration METADATA = Duration.ofSeconds(30);

    private final Map<String, Object> properties;

    private TopicReader(Map<String, Object> properties) {
        this.properties = properties;
    }

    /** A reader with the node's consumer properties ({@code spate.kafka.client-properties} and {@code consumer-properties}). */
    public static TopicReader of(SpateSettings settings) {
        return of(new HashMap<>(settings.consumerProperties()));
    }

    /** A reader with these Kafka consumer properties ({@code bootstrap.servers} at least); a group id among them is ignored. */
    public static TopicReader of(Map<String, ?> consumerProperties) {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Reading must not create the topic (with the broker's defaults) before its writer does.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        return new TopicReader(props);
    }

    /**
     * The number of records between the beginning and the end offsets now (what a read would hand
     * over, compaction aside); empty when the topic does not exist.
     */
    public OptionalLong count(String topic, Set<Integer> only) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic, only);
            if (partitions.isEmpty()) {
                return OptionalLong.empty();
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, METADATA);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA);
            long n = 0;
            for (TopicPartition tp : partitions) {
                n += end.get(tp) - begin.get(tp);
            }
            return OptionalLong.of(n);
        }
    }

    /** Hands every record of {@code topic} (of partitions {@code only}, or all) below the end offsets taken now to {@code each}. */
    public void read(String topic, Set<Integer> only, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        readPolls(topic, only, records -> records.forEach(each));
    }

    /**
     * Like {@link #read}, one poll's records at a time (in partition order within a poll, as the
     * consumer returns them); polls that bring nothing below the end offsets are not handed over.
     *
     * @return whether the topic (or any of partitions {@code only}) exists; nothing is read when not
     */
    public boolean readPolls(String topic, Set<Integer> only, Consumer<List<ConsumerRecord<byte[], byte[]>>> polls) {
        return readPolls(topic, only, Long.MAX_VALUE, polls);
    }

    /**
     * The first records of {@code topic} from the beginning of its partitions: up to {@code limit},
     * fewer when the topic holds fewer; empty too when it does not exist.
     */
    public List<ConsumerRecord<byte[], byte[]>> head(String topic, int limit) {
        List<ConsumerRecord<byte[], byte[]>> head = new ArrayList<>();
        readPolls(topic, null, limit, polled -> head.addAll(polled.subList(0, Math.min(polled.size(), limit - head.size()))));
        return head;
    }

    private boolean readPolls(String topic, Set<Integer> only, long limit, Consumer<List<ConsumerRecord<byte[], byte[]>>> polls) {
        long handed = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic, only);
            if (partitions.isEmpty()) {
                return false;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, METADATA);
            long lastProgress = System.nanoTime();
            while (handed < limit && !reached(consumer, end)) {
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
                List<ConsumerRecord<byte[], byte[]>> below = new ArrayList<>(polled.count());
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        below.add(r);
                    }
                }
                if (!polled.isEmpty()) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("reading " + topic + " to " + end + " made no progress for " + STALL.toSeconds()
                            + " s (at " + positions(consumer, partitions) + ")");
                }
                if (!below.isEmpty()) {
                    polls.accept(below);
                    handed += below.size();
                }
            }
            return true;
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic, Set<Integer> only) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA);
        if (infos == null) {
            return List.of();
        }
        return infos.stream().filter(p -> only == null || only.contains(p.partition()))
                .map(p -> new TopicPartition(topic, p.partition())).sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<TopicPartition, Long> positions(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        Map<TopicPartition, Long> at = new HashMap<>();
        for (TopicPartition tp : partitions) {
            at.put(tp, consumer.position(tp));
        }
        return at;
    }
}
