package io.spate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Plain-client helpers to fill a topic and to read one back to its current end, for tests, the
 * demo and bounded jobs. They use the Kafka clients directly, independent of the engine, so a test
 * that checks the engine's output with them checks it from outside.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Produces {@code values} (no keys) to {@code topic}, acks=all, and waits for every ack. */
    public static void produce(String bootstrap, String topic, List<byte[]> values) {
        produce(bootstrap, topic, values, n -> { });
    }

    /** Produces {@code values} to {@code topic}, telling {@code progress} how many were sent so far. */
    public static void produce(String bootstrap, String topic, List<byte[]> values, LongConsumer progress) {
        produce(bootstrap, topic, values, i -> null, progress);
    }

    /**
     * Produces {@code values} (no keys) to {@code topic}, value {@code i} to partition
     * {@code i % partitions}, so that every partition gets some whatever the producer's batching
     * (the default partitioner may put a small input into one partition); waits for every ack.
     */
    public static void produceSpread(String bootstrap, String topic, List<byte[]> values, int partitions) {
        produce(bootstrap, topic, values, i -> (int) (i % partitions), n -> { });
    }

    private static void produce(String bootstrap, String topic, List<byte[]> values, java.util.function.LongFunction<Integer> partition,
                                LongConsumer progress) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            long sent = 0;
            for (byte[] v : values) {
                pending.add(producer.send(new ProducerRecord<>(topic, partition.apply(sent), null, v)));
                if (++sent % 10_000 == 0) {
                    progress.accept(sent);
                }
            }
            producer.flush();
            for (Future<RecordMetadata> f : pending) {
                f.get();
            }
            progress.accept(sent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot produce to " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * Every record of {@code topic} from the beginning up to the end offsets taken when called
     * (read_committed, so aborted transactional records are left out).
     */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        return read(bootstrap, topic, null);
    }

    /** Like {@link #readAll}, from partitions {@code partitions} of {@code topic} only. */
    public static List<ConsumerRecord<byte[], byte[]>> readPartitions(String bootstrap, String topic, java.util.Set<Integer> partitions) {
        return read(bootstrap, topic, java.util.Objects.requireNonNull(partitions, "partitions"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic, java.util.Set<Integer> only) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Reading must not create the topic (with the broker's defaults) before its writer does.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return out;
            }
            List<TopicPartition> partitions = infos.stream().filter(p -> only == null || only.contains(p.partition()))
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out reading " + topic + " to " + ends);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
