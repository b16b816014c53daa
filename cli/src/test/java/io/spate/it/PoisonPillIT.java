package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.Delivery;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.node.IdleWatcher;
import io.spate.internal.sink.ResultEncoder;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * Records larger than every Kafka default (5 MB and 12 MB; the producer's max.request.size and a
 * topic's max.message.bytes are 1 MiB), malformed and valid, on an input topic made to hold them:
 * none stops a stream. Dead letters go whole to the dead-letter topic Spate creates (able to hold
 * what the input holds), and cut to fit, saying so, into one made by someone else with the default
 * limit; a healthy pipeline beside them in the same node is untouched.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class PoisonPillIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MB = 1 << 20;

    private static byte[] clf(String host, String path) {
        return (host + " - - [01/Jul/1995:00:00:01 -0400] \"GET " + path + " HTTP/1.0\" 200 100").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void shouldNeverLetALargeRecordStopAStream() throws Exception {
        String bs = broker.bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bs))) {
            admin.createTopics(List.of(
                    new NewTopic("big-input", 2, (short) 1).configs(Map.of("max.message.bytes", Integer.toString(16 * MB))),
                    // Made by someone else, with the broker's default limit (1 MB).
                    new NewTopic("small.dlq", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        createTopic("healthy-input", 1);
        KafkaTopics.awaitServed(bs, "big-input");
        KafkaTopics.awaitServed(bs, "small.dlq");
        List<byte[]> input = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            input.add(clf("h" + i % 3 + ".example", "/x/" + i));
        }
        input.add(filled(5 * MB, 'x'));                                     // malformed, 5 MB
        input.add(clf("big.example", "/" + "p".repeat(5 * MB)));            // valid, 5 MB
        input.add(filled(12 * MB, 'y'));                                    // malformed, 12 MB
        input.add(clf("big.example", "/" + "q".repeat(12 * MB)));           // valid, 12 MB
        input.add(clf("h0.example", "/last"));
        KafkaTopics.produce(bs, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(20 * MB)), "big-input", input);
        KafkaTopics.produce(bs, "healthy-input", List.of(clf("ok.example", "/a"), clf("ok.example", "/b")));

        Pipeline whole = Pipeline.builder("pill-whole").source("big-input").groupId("pill-whole").format(new ClfFormat())
                .output("pill-whole-traffic", q -> q.groupBy("host").count("requests").running())
                .build();
        Pipeline cut = Pipeline.builder("pill-cut").source("big-input").groupId("pill-cut").format(new ClfFormat())
                .deadLetterTopic("small.dlq")
                .output("pill-cut-traffic", q -> q.groupBy("host").count("requests").running())
                .build();
        Pipeline healthy = Pipeline.builder("healthy").source("healthy-input").format(new ClfFormat())
                .output("healthy-traffic", q -> q.groupBy("host").count("requests").running())
                .build();
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(bs);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "poison-pill");
        try {
            List<RunningPipeline> running = new ArrayList<>();
            running.add(Spate.run(whole, settings, system));
            running.add(Spate.run(cut, settings.withDelivery(Delivery.EXACTLY_ONCE).withNodeId("pill"), system));
            running.add(Spate.run(healthy, settings, system));
            for (Pipeline p : List.of(whole, cut, healthy)) {
                try (IdleWatcher idle = new IdleWatcher(settings, p)) {
                    idle.idle().toCompletableFuture().get(4, TimeUnit.MINUTES);
                }
            }
            for (RunningPipeline r : running) {
                assertFalse(r.completion().toCompletableFuture().isDone(), r.pipeline().name() + " never stopped");
            }
            for (RunningPipeline r : running) {
                r.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        } finally {
            system.terminate();
        }

        Map<String, Long> expected = Map.of("h0.example", 35L, "h1.example", 33L, "h2.example", 33L, "big.example", 2L);
        assertEquals(expected, totals(bs, "pill-whole-traffic"));
        assertEquals(expected, totals(bs, "pill-cut-traffic"));
        assertEquals(Map.of("ok.example", 2L), totals(bs, "healthy-traffic"));

        List<ConsumerRecord<byte[], byte[]>> whole2 = KafkaTopics.readAll(bs, "big-input.dlq");
        assertEquals(2, whole2.size());
        // The dead-letter topic Spate made may have several partitions: compare sizes, not order.
        assertEquals(List.of(5 * MB, 12 * MB), whole2.stream().map(r -> r.value().length).sorted().toList(), "written whole");
        for (ConsumerRecord<byte[], byte[]> r : whole2) {
            assertNull(r.headers().lastHeader(ResultEncoder.TRUNCATED_HEADER));
        }

        List<ConsumerRecord<byte[], byte[]>> small = KafkaTopics.readAll(bs, "small.dlq");
        assertEquals(2, small.size());
        // The two pills may sit in different input partitions, so either may be dead-lettered first.
        List<String> sizes = small.stream().map(r -> header(r, ResultEncoder.SIZE_HEADER)).sorted(
                Comparator.comparingInt(Integer::parseInt)).toList();
        assertEquals(List.of(Integer.toString(5 * MB), Integer.toString(12 * MB)), sizes);
        for (ConsumerRecord<byte[], byte[]> r : small) {
            assertTrue(r.value().length < MB, "cut to fit a 1 MB topic: " + r.value().length);
            assertEquals("value", header(r, ResultEncoder.TRUNCATED_HEADER));
            assertFalse(header(r, ResultEncoder.REASON_HEADER).isBlank());
            byte fill = (byte) (header(r, ResultEncoder.SIZE_HEADER).equals(Integer.toString(5 * MB)) ? 'x' : 'y');
            for (byte b : r.value()) {
                assertEquals(fill, b, "a prefix of the original value");
            }
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Map<String, Long> totals(String bs, String topic) throws Exception {
        Map<String, Long> last = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bs, topic)) {
            JsonNode v = JSON.readTree(r.value());
            last.put(v.get("host").asText(), v.get("requests").asLong());
        }
        return last;
    }
}
