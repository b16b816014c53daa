package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.frame.ColumnType;
import io.spate.internal.config.NodeConfig;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.testkit.KafkaTopics;

/**
 * A running word count against a broker whose client listener demands a SASL/PLAIN login: the
 * node logs in with {@code spate.kafka.client-properties} alone, so every client it makes (state
 * restore's reads above all) must carry them, or the run fails.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecuredStateRestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "spate";
    private static final Map<String, String> USERS = Map.of(USER, "spate-secret", "other", "other-secret");
    /** Long enough for a client that could log in to get metadata from a local broker many times over. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(5);

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(BrokerSettings.create().withSaslPlain(USERS)).start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldContinueTheRunningCountsFromStateRestoredThroughTheClientLogin() throws Exception {
        List<String> texts = texts();
        List<String> first = texts.subList(0, texts.size() / 2);
        broker.createTopic("secured-texts", 2);
        Pipeline pipeline = Pipeline.builder("secured-word-count")
                .source("secured-texts")
                .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
                .output("secured-word-counts", q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
                .build();

        produce(first);
        runInOwnSystemUntilIdle(pipeline);
        assertEquals(WordCountIT.count(first), lastCounts("secured-word-counts"), "the first run counted its input");

        produce(texts.subList(first.size(), texts.size()));
        runInOwnSystemUntilIdle(pipeline);
        assertEquals(WordCountIT.count(texts), lastCounts("secured-word-counts"),
                "the second run restored the first run's counts through the login and continued them");
    }

    @Test
    void shouldRefuseAClientThatDoesNotLogInOrGivesAWrongPassword() {
        broker.createTopic("secured-guarded", 1);
        Map<String, String> wrongPassword = new HashMap<>(broker.clientProperties(USER));
        wrongPassword.put("sasl.jaas.config", wrongPassword.get("sasl.jaas.config").replace("spate-secret", "not-the-secret"));

        assertThrows(TimeoutException.class, () -> partitionsFor(Map.of(), "secured-guarded"),
                "a plaintext client gets no answer from a listener that demands SASL");
        assertThrows(SaslAuthenticationException.class, () -> partitionsFor(wrongPassword, "secured-guarded"));
        assertEquals(1, partitionsFor(broker.clientProperties(USER), "secured-guarded").size(), "the login itself works");
    }

    /** Runs {@code pipeline} on an actor system of its own until it has caught up, so that its state starts empty. */
    private static void runInOwnSystemUntilIdle(Pipeline pipeline) throws Exception {
        Config login = ConfigFactory.empty()
                .withValue("spate.kafka.client-properties", ConfigValueFactory.fromMap(broker.clientProperties(USER)));
        Config config = NodeConfig.load(login, broker.bootstrapServers(),
                List.of("spate.delivery=exactly-once", "spate.node-id=secured-restore"));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "secured-restore", config);
        try {
            EmbeddedBrokerTest.runUntilIdle(pipeline, SpateSettings.create(config), system);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    private static void produce(List<String> texts) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (String t : texts) {
            messages.add(JSON.writeValueAsBytes(Map.of("text", t)));
        }
        KafkaTopics.produce(broker.bootstrapServers(), broker.clientProperties(USER), "secured-texts", messages);
    }

    /** The last count per word in {@code topic}, read with the login. */
    private static Map<String, Long> lastCounts(String topic) throws Exception {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), broker.clientProperties(USER), topic)) {
            JsonNode value = JSON.readTree(r.value());
            assertEquals(value.get("word").asText(), new String(r.key(), StandardCharsets.UTF_8), "keyed by the word");
            last.put(value.get("word").asText(), value.get("count").asLong());
        }
        return last;
    }

    private static List<PartitionInfo> partitionsFor(Map<String, String> login, String topic) {
        Map<String, Object> props = new HashMap<>(login);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.partitionsFor(topic, REFUSED_WITHIN);
        }
    }

    /** Texts over a small vocabulary, so that both halves share most words and a lost state shows in every total. */
    private static List<String> texts() {
        String[] words = {"Kafka", "stream", "login", "SASL", "state", "restore", "café", "the", "The", "x_1", "42"};
        String[] separators = {" ", ", ", ". ", "\n", "!", " - "};
        Random random = new Random(11);
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < 4_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int w = random.nextInt(8); w >= 0; w--) {
                sb.append(words[random.nextInt(words.length)]).append(separators[random.nextInt(separators.length)]);
            }
            texts.add(sb.toString());
        }
        return texts;
    }
}
