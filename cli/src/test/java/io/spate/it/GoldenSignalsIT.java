package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.sink.ResultEncoder;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/** Golden signals end to end on the embedded broker, checked against totals computed independently. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class GoldenSignalsIT extends EmbeddedBrokerTest {

    private static ActorSystem<Void> system;
    private static List<byte[]> log;

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "golden-signals-it");
        log = NasaLog.lines();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.terminate();
        }
    }

    private static Pipeline pipeline(String suffix) {
        return Pipeline.builder("golden-signals-" + suffix)
                .source("weblogs-" + suffix)
                .format(new ClfFormat())
                .output("traffic-" + suffix, q -> q.groupBy("host").count("requests"))
                .output("errors-" + suffix, q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent-" + suffix, q -> q.groupBy("host").sum("bytes", "bytes"))
                // Odd limits, so batch boundaries fall anywhere.
                .batch(BatchSettings.of(7_777, 1 << 20, Duration.ofMillis(50)))
                .build();
    }

    private static SpateSettings settings() {
        return SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
    }

    private static RunningPipeline runUntilIdle(Pipeline pipeline) throws Exception {
        return runUntilIdle(pipeline, settings(), system);
    }

    private static GoldenTotals outputs(String suffix) throws Exception {
        String b = broker.bootstrapServers();
        return GoldenTotals.ofOutputs(KafkaTopics.readAll(b, "traffic-" + suffix), KafkaTopics.readAll(b, "errors-" + suffix),
                KafkaTopics.readAll(b, "mb-sent-" + suffix));
    }

    @Test
    void shouldProduceExactGoldenSignalTotalsAndDeadLetterMalformedLines() throws Exception {
        List<byte[]> bad = List.of(
                "not a log line".getBytes(StandardCharsets.US_ASCII),
                "host - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" abc 12".getBytes(StandardCharsets.US_ASCII),
                new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe},
                new byte[0]);
        List<byte[]> input = new ArrayList<>(log);
        // The bundled sample has no 5xx responses (the shared full file has 53): add a few, one with a '-' size.
        input.add("errhost.example - - [01/Jul/1995:00:00:02 -0400] \"GET /a HTTP/1.0\" 503 -".getBytes(StandardCharsets.US_ASCII));
        input.add("errhost.example - - [01/Jul/1995:00:00:03 -0400] \"GET /b HTTP/1.0\" 500 17".getBytes(StandardCharsets.US_ASCII));
        input.add("errhost.example - - [01/Jul/1995:00:00:04 -0400] \"GET /c HTTP/1.0\" 503 0".getBytes(StandardCharsets.US_ASCII));
        int good = input.size();
        // Spread the bad lines through the input.
        for (int i = 0; i < bad.size(); i++) {
            input.add((i + 1) * input.size() / (bad.size() + 1), bad.get(i));
        }
        createTopic("weblogs-a", 3);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-a", input);

        RunningPipeline running = runUntilIdle(pipeline("a"));

        GoldenTotals expected = GoldenTotals.ofLines(input);
        GoldenTotals actual = outputs("a");
        assertEquals(good, expected.totalRequests(), "every good line matches the independent regex");
        assertEquals(2L, actual.errors.get("errhost.example\t503"));
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
        assertFalse(expected.errors.isEmpty(), "the log has 5xx responses");
        assertEquals(input.size(), running.metrics().records());
        assertEquals(bad.size(), running.metrics().rejected());

        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(broker.bootstrapServers(), "weblogs-a.dlq");
        assertEquals(bad.size(), dlq.size());
        Map<String, byte[]> byOffset = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            assertFalse(header(r, ResultEncoder.REASON_HEADER).isBlank(), "a reason");
            assertEquals("weblogs-a", header(r, ResultEncoder.TOPIC_HEADER));
            byOffset.put(header(r, ResultEncoder.PARTITION_HEADER) + "/" + header(r, ResultEncoder.OFFSET_HEADER), r.value());
        }
        assertEquals(bad.size(), byOffset.size(), "each dead letter names a distinct source record");
        for (byte[] b : bad) {
            assertTrue(dlq.stream().anyMatch(r -> Arrays.equals(r.value(), b)), "dead-lettered as it came: " + new String(b, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void shouldResumeFromCommittedOffsetsAfterACleanStopWithoutRecounting() throws Exception {
        createTopic("weblogs-b", 2);
        int half = log.size() / 2;
        List<byte[]> first = log.subList(0, half);
        List<byte[]> second = log.subList(half, log.size());
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-b", first);
        RunningPipeline run1 = runUntilIdle(pipeline("b"));
        assertEquals(first.size(), run1.metrics().records());

        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-b", second);
        RunningPipeline run2 = runUntilIdle(pipeline("b"));
        assertEquals(second.size(), run2.metrics().records(), "the second run reads only what the first did not commit");

        GoldenTotals expected = GoldenTotals.ofLines(log);
        GoldenTotals actual = outputs("b");
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
    }

    @Test
    void shouldRunABatchAgainAfterABackendFaultWithoutLosingOrRecounting() throws Exception {
        createTopic("weblogs-f", 2);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-f", log);
        SpateSettings faulty = SpateSettings.create(ConfigFactory.load()
                        .withValue("spate.compute.inject-fault-every", ConfigValueFactory.fromAnyRef(3)))
                .withBootstrapServers(broker.bootstrapServers());
        RunningPipeline running = runUntilIdle(pipeline("f"), faulty, system);
        assertTrue(running.metrics().faults() > 0, "faults were injected and the batches run again: " + running.metrics());
        GoldenTotals expected = GoldenTotals.ofLines(log);
        GoldenTotals actual = outputs("f");
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
    }

    @Test
    void shouldApplyHavingPerBatch() throws Exception {
        createTopic("weblogs-c", 1);
        List<byte[]> input = log.subList(0, Math.min(20_000, log.size()));
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-c", input);
        Pipeline p = Pipeline.builder("busy-hosts")
                .source("weblogs-c")
                .format(new ClfFormat())
                .output("busy-c", q -> q.groupBy("host").count("requests").having("requests > 50"))
                .batch(BatchSettings.of(100_000, 64 << 20, Duration.ofSeconds(2)))
                .build();
        runUntilIdle(p);
        List<ConsumerRecord<byte[], byte[]>> out = KafkaTopics.readAll(broker.bootstrapServers(), "busy-c");
        var json = new ObjectMapper();
        assertFalse(out.isEmpty());
        for (ConsumerRecord<byte[], byte[]> r : out) {
            assertTrue(json.readTree(r.value()).get("requests").asLong() > 50, "only busy hosts pass");
        }
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, "header " + name);
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
