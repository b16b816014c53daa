package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.frame.ColumnType;
import io.spate.internal.SharedData;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.testkit.KafkaTopics;

/** The shipped word-count pipeline, end to end on the embedded broker. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class WordCountIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldContinueTheRunningCountsAfterARestart() throws Exception {
        List<String> texts = texts();
        List<byte[]> messages = new ArrayList<>();
        for (String t : texts) {
            messages.add(JSON.writeValueAsBytes(Map.of("text", t)));
        }
        createTopic("texts-r", 2);
        int half = messages.size() / 2;
        List<String> sets = List.of("spate.delivery=exactly-once", "spate.node-id=restart-test", "spate.batch.max-records=3000");
        Pipeline pipeline = Pipeline.builder("word-count-r")
                .source("texts-r")
                .format(new JsonFormat(List.of(new Field("text", ColumnType.UTF8))))
                .output("word-counts-r", q -> q.tokenize("text", "word", true).groupBy("word").count("count").running())
                .build();
        for (List<byte[]> part : List.of(messages.subList(0, half), messages.subList(half, messages.size()))) {
            KafkaTopics.produce(broker.bootstrapServers(), "texts-r", part);
            runInOwnSystemUntilIdle(pipeline, sets);
        }
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), "word-counts-r")) {
            JsonNode value = JSON.readTree(r.value());
            last.put(value.get("word").asText(), value.get("count").asLong());
        }
        assertEquals(count(texts), last, "the second run continued the counts of the first");
        try (Admin admin = Admin.create(
                Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            var topic = new ConfigResource(ConfigResource.Type.TOPIC, "word-counts-r");
            assertEquals("compact", admin.describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy").value(),
                    "a running output is its state's changelog: compacted");
        }
    }

    /** Runs {@code pipeline} on an actor system of its own (its own config) until it has caught up, then stops it. */
    private static void runInOwnSystemUntilIdle(Pipeline pipeline, List<String> sets) throws Exception {
        Config config = NodeConfig.load((File) null, broker.bootstrapServers(), sets);
        var settings = SpateSettings.create(config);
        var system = ActorSystem.create(Behaviors.empty(), "restart", config);
        try {
            runUntilIdle(pipeline, settings, system);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    /** Commit messages of the GitHub sample when present, plus generated text with case, punctuation and non-ASCII words. */
    static List<String> texts() throws Exception {
        List<String> texts = new ArrayList<>();
        Optional<Path> commits = SharedData.find(SharedData.GITHUB);
        if (commits.isPresent()) {
            for (JsonNode c : JSON.readTree(commits.get().toFile())) {
                texts.add(c.path("commit").path("message").asText());
            }
        }
        Random random = new Random(3);
        String[] words = {"Kafka", "stream", "GPU", "batch", "actor", "Pekko", "naïve", "café", "x_1", "42", "the", "The", "THE"};
        String[] separators = {" ", ", ", ". ", "\n", "\t", "!", " - ", "(", ")"};
        for (int t = 0; t < 30_000; t++) {
            StringBuilder sb = new StringBuilder();
            for (int w = random.nextInt(10); w >= 0; w--) {
                sb.append(words[random.nextInt(words.length)]).append(separators[random.nextInt(separators.length)]);
            }
            texts.add(sb.toString());
        }
        return texts;
    }

    /** The independent word count: runs of letters, digits, _ and non-ASCII characters, lower-cased. */
    static Map<String, Long> count(List<String> texts) {
        Map<String, Long> counts = new HashMap<>();
        for (String t : texts) {
            for (String w : t.split("[^A-Za-z0-9_\\u0080-\\uFFFF]+")) {
                if (!w.isEmpty()) {
                    counts.merge(w.toLowerCase(Locale.ROOT), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    @Test
    void shouldEndWithEachWordsTotalAndDeadLetterBadMessages() throws Exception {
        List<String> texts = texts();
        List<byte[]> messages = new ArrayList<>();
        for (String t : texts) {
            messages.add(JSON.writeValueAsBytes(Map.of("text", t)));
        }
        messages.add(100, "not json".getBytes(StandardCharsets.US_ASCII));
        messages.add(2000, "{\"text\": null}".getBytes(StandardCharsets.US_ASCII));
        messages.add(3000, "{\"body\": \"no text field\"}".getBytes(StandardCharsets.US_ASCII));
        createTopic("texts", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "texts", messages);

        Node node = new Node(NodeConfig.load(new File("../config/word-count.conf"), broker.bootstrapServers(),
                List.of("spate.batch.max-records=4000")));
        node.start();
        assertEquals(0, node.awaitAndStop(true));

        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), "word-counts")) {
            JsonNode value = JSON.readTree(r.value());
            String word = value.get("word").asText();
            assertEquals(word, new String(r.key(), StandardCharsets.UTF_8), "keyed by the word");
            long count = value.get("count").asLong();
            Long before = last.put(word, count);
            assertTrue(before == null || before < count, "running counts only grow: " + word);
        }
        Map<String, Long> expected = count(texts);
        Map<String, String> differences = new TreeMap<>();
        Set<String> words = new HashSet<>(expected.keySet());
        words.addAll(last.keySet());
        for (String w : words) {
            if (!Objects.equals(expected.get(w), last.get(w))) {
                differences.put(w, "expected " + expected.get(w) + ", last record " + last.get(w));
            }
        }
        assertEquals(Map.of(), differences);
        assertEquals(3, KafkaTopics.readAll(broker.bootstrapServers(), "texts.dlq").size());
        assertEquals(messages.size(), node.running().get(0).metrics().records());
    }
}
