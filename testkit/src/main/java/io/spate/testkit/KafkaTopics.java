package io.spate.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.TopicReader;

/**
 * Plain-client helpers to fill a topic and to read one back to its current end, for tests, the
 * demo and bounded jobs. They use plain Kafka clients (reading through the engine's thin
 * {@code TopicReader}, no pipeline), so a test that checks the engine's output with them checks it
 * from outside.
 */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Produces {@code values} (no keys) to {@code topic}, acks=all, and waits for every ack. */
    public static void produce(String bootstrap, String topic, List<byte[]> values) {
        produce(bootstrap, topic, values, n -> { });
    }

    /** Like {@link #produce(String, String, List)}, with more client properties (a login, for one). */
    public static void produce(String bootstrap, Map<String, ?> clientProperties, String topic, List<byte[]> values) {
        produce(bootstrap, clientProperties, topic, values, i -> null, n -> { });
    }

    /** Produces {@code values} to {@code topic}, telling {@code progress} how many were sent so far. */
    public static void produce(String bootstrap, String topic, List<byte[]> values, LongConsumer progress) {
        produce(bootstrap, Map.of(), topic, values, i -> null, progress);
    }

    /**
     * Produces {@code values} (no keys) to {@code topic}, value {@code i} to partition
     * {@code i % partitions}, so that every partition gets some whatever the producer's batching
     * (the default partitioner may put a small input into one partition); waits for every ack.
     */
    public static void produceSpread(String bootstrap, String topic, List<byte[]> values, int partitions) {
        produce(bootstrap, Map.of(), topic, values, i -> (int) (i % partitions), n -> { });
    }

    /**
     * Produces {@code records} as they are (keys, timestamps, headers, partitions), acks=all, and
     * waits for every ack.
     */
    public static void produceRecords(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        send(bootstrap, Map.of(), records.iterator(), n -> { });
    }

    private static void produce(String bootstrap, Map<String, ?> clientProperties, String topic, List<byte[]> values,
                                LongFunction<Integer> partition, LongConsumer progress) {
        Iterator<byte[]> it = values.iterator();
        send(bootstrap, clientProperties, new Iterator<>() {
            private long sent;

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public ProducerRecord<byte[], byte[]> next() {
                return new ProducerRecord<>(topic, partition.apply(sent++), null, it.next());
            }
        }, progress);
    }

    private static void send(String bootstrap, Map<String, ?> clientProperties, Iterator<ProducerRecord<byte[], byte[]>> records,
                             LongConsumer progress) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        String topic = null;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> pending = new ArrayList<>();
            long sent = 0;
            AtomicReference<Exception> failed = new AtomicReference<>();
            while (records.hasNext()) {
                if (failed.get() != null) {
                    // The first failure ends the load: each further send would wait for the same cause.
                    throw new IllegalStateException("cannot produce to " + topic + ": " + failed.get(), failed.get());
                }
                ProducerRecord<byte[], byte[]> r = records.next();
                topic = r.topic();
                pending.add(producer.send(r, (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    }
                }));
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
        return read(bootstrap, Map.of(), topic, null);
    }

    /** Like {@link #readAll(String, String)}, with more client properties (a login, for one). */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, Map<String, ?> clientProperties, String topic) {
        return read(bootstrap, clientProperties, topic, null);
    }

    /** Like {@link #readAll}, from partitions {@code partitions} of {@code topic} only. */
    public static List<ConsumerRecord<byte[], byte[]>> readPartitions(String bootstrap, String topic, Set<Integer> partitions) {
        return read(bootstrap, Map.of(), topic, Objects.requireNonNull(partitions, "partitions"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, Map<String, ?> clientProperties, String topic,
                                                             Set<Integer> only) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        TopicReader.of(props).read(topic, only, out::add);
        return out;
    }

    /**
     * Waits until the broker serves each partition of {@code topic} (its leader answers an offsets
     * request); see {@code KafkaClients.awaitServed}, which the engine uses after creating topics.
     *
     * @throws IllegalStateException if they are not served within {@code timeout}
     */
    public static void awaitServed(Admin admin, String topic, Duration timeout) {
        KafkaClients.awaitServed(admin, topic, timeout);
    }

    /** {@link #awaitServed(Admin, String, Duration)} on the cluster at {@code bootstrap}, for up to 2 minutes. */
    public static void awaitServed(String bootstrap, String topic) {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            awaitServed(admin, topic, Duration.ofMinutes(2));
        }
    }
}
