package io.spate.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real KRaft broker in the test JVM and talks to it with the ordinary Kafka clients. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedKafkaBrokerIT {

    private static final String TOPIC = "numbers";
    private static final int RECORDS = 1_000;
    private static final String GROUP = "it-group";

    @Test
    void shouldDeliverEveryRecordAcrossThreePartitionsAndCommitGroupOffsets() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create()).start()) {
            broker.createTopic(TOPIC, 3);
            produce(broker, RECORDS);

            try (KafkaConsumer<String, String> consumer = consumer(broker, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                Set<Integer> partitionsSeen = new HashSet<>();
                Set<String> keys = new HashSet<>();
                for (ConsumerRecord<String, String> r : consumeAtLeast(consumer, RECORDS)) {
                    partitionsSeen.add(r.partition());
                    keys.add(r.key());
                    assertEquals("value-" + r.key(), r.value());
                }
                assertEquals(RECORDS, keys.size(), "every record once");
                assertEquals(Set.of(0, 1, 2), partitionsSeen, "keys spread over all three partitions");

                consumer.commitSync();
                assertEquals(RECORDS, committedTotal(consumer));
            }
        }
    }

    @Test
    void shouldKeepRecordsAndCommittedOffsetsWhenRestartedOnTheSameDataDir(@TempDir Path dir) throws Exception {
        BrokerSettings settings = BrokerSettings.create().withDataDir(dir);
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings).start()) {
            broker.createTopic(TOPIC, 3);
            produce(broker, RECORDS);
            try (KafkaConsumer<String, String> consumer = consumer(broker, GROUP)) {
                consumer.subscribe(List.of(TOPIC));
                consumeAtLeast(consumer, RECORDS);
                consumer.commitSync();
            }
        }
        assertTrue(Files.isRegularFile(dir.resolve("meta.properties")), "a given data dir is kept");

        try (EmbeddedKafkaBroker restarted = new EmbeddedKafkaBroker(settings).start()) {
            try (KafkaConsumer<String, String> fresh = consumer(restarted, "after-restart")) {
                fresh.subscribe(List.of(TOPIC));
                assertEquals(RECORDS, consumeAtLeast(fresh, RECORDS).size());
            }
            try (KafkaConsumer<String, String> old = consumer(restarted, GROUP)) {
                assertEquals(RECORDS, committedTotal(old));
            }
        }
    }

    @Test
    void shouldStopListeningAndDeleteItsTemporaryDataDirOnCloseAndIgnoreASecondClose() throws IOException {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create()).start();
        Path dir = broker.dataDir();
        int port = broker.port();
        assertTrue(Files.isDirectory(dir));

        broker.close();

        assertFalse(Files.exists(dir), "temporary data dir deleted");
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        broker.close();
    }

    @Test
    void shouldThrowInsteadOfExitingTheJvmWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create()
                    .withPort(taken.getLocalPort())
                    .withStartupTimeout(Duration.ofSeconds(20)));
            assertThrows(KafkaException.class, broker::start);
            broker.close();
        }
    }

    @Test
    void shouldThrowWhenAnotherBrokerHoldsTheDataDir(@TempDir Path dir) {
        BrokerSettings settings = BrokerSettings.create().withDataDir(dir);
        try (EmbeddedKafkaBroker first = new EmbeddedKafkaBroker(settings).start()) {
            for (int attempt = 0; attempt < 2; attempt++) {
                // Twice: a failed attempt must not have released the first broker's lock.
                EmbeddedKafkaBroker other = new EmbeddedKafkaBroker(settings);
                assertThrows(KafkaException.class, other::start);
                other.close();
            }
            first.createTopic("still-alive", 1);
        }
    }

    @Test
    void shouldRefuseBrokerPropertiesItManagesItself() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerSettings.create().withBrokerProperty("listeners", "PLAINTEXT://:1234"));
        assertTrue(e.getMessage().contains("withPort"), e.getMessage());
    }

    private static void produce(EmbeddedKafkaBroker broker, int count) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, String.valueOf(i), "value-" + i));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafkaBroker broker, String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    private static List<ConsumerRecord<String, String>> consumeAtLeast(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        assertEquals(count, records.size(), "records consumed");
        return records;
    }

    private static long committedTotal(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> partitions = Set.of(
                new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
        long total = 0;
        for (OffsetAndMetadata committed : consumer.committed(partitions, Duration.ofSeconds(30)).values()) {
            total += committed == null ? 0 : committed.offset();
        }
        return total;
    }
}
