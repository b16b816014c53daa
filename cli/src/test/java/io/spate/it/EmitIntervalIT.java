package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.BatchSettings;
import io.spate.Delivery;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * {@code spate.output.emit-interval}: results gathered over an interval are written merged, one
 * record per key and output, with the same totals, every dead letter, and offsets that commit with
 * them (a restart reads on from there), at-least-once and exactly-once.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class EmitIntervalIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer than any run of this test: everything a run computes is written once, when it stops. */
    private static final Duration LONG_INTERVAL = Duration.ofMinutes(10);

    private static ActorSystem<Void> system;
    private static List<byte[]> log;

    @BeforeAll
    static void start() throws Exception {
        system = ActorSystem.create(Behaviors.empty(), "emit-interval-it");
        log = NasaLog.lines();
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.terminate();
        }
    }

    private static Pipeline pipeline(String suffix) {
        return Pipeline.builder("emit-" + suffix)
                .source("weblogs-" + suffix)
                .format(new ClfFormat())
                .output("traffic-" + suffix, q -> q.groupBy("host").count("requests"))
                .output("errors-" + suffix, q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent-" + suffix, q -> q.groupBy("host").sum("bytes", "bytes").max("bytes", "largest"))
                .output("running-" + suffix, q -> q.groupBy("host").count("requests").running())
                .batch(BatchSettings.of(3_001, 1 << 20, Duration.ofMillis(50)))
                .build();
    }

    private static SpateSettings settings(Delivery delivery, Duration interval) {
        SpateSettings s = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers()).withDelivery(delivery);
        return s.withSource(s.source().withDrainTimeout(interval.multipliedBy(2))).withOutput(s.output().withEmitInterval(interval));
    }

    /** Runs until every record of the topic so far is computed (held, not yet written), then stops: the stop writes them. */
    private static RunningPipeline runAndStop(Pipeline pipeline, SpateSettings settings, int records) throws Exception {
        RunningPipeline running = Spate.run(pipeline, settings, system);
        waitFor(() -> running.metrics().records() >= records);
        running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        return running;
    }

    @Test
    void shouldWriteOneMergedRecordPerKeyWithExactTotalsAtLeastOnce() throws Exception {
        assertOneMergedRecordPerKey("alo", Delivery.AT_LEAST_ONCE);
    }

    @Test
    void shouldWriteOneMergedRecordPerKeyWithExactTotalsExactlyOnce() throws Exception {
        assertOneMergedRecordPerKey("eos", Delivery.EXACTLY_ONCE);
    }

    private void assertOneMergedRecordPerKey(String suffix, Delivery delivery) throws Exception {
        List<byte[]> input = new ArrayList<>(log);
        input.add(input.size() / 3, "not a log line".getBytes(StandardCharsets.US_ASCII));
        input.add(2 * input.size() / 3, new byte[] {0, 1, 2});
        input.add("errhost.example - - [01/Jul/1995:00:00:02 -0400] \"GET /a HTTP/1.0\" 503 -".getBytes(StandardCharsets.US_ASCII));
        input.add("errhost.example - - [01/Jul/1995:00:00:03 -0400] \"GET /b HTTP/1.0\" 503 17".getBytes(StandardCharsets.US_ASCII));
        createTopic("weblogs-" + suffix, 3);
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-" + suffix, input);

        RunningPipeline running = runAndStop(pipeline(suffix), settings(delivery, LONG_INTERVAL), input.size());
        assertTrue(running.metrics().batches() > 3, "several batches were merged: " + running.metrics().batches());

        String b = broker.bootstrapServers();
        GoldenTotals expected = GoldenTotals.ofLines(input);
        List<ConsumerRecord<byte[], byte[]>> traffic = KafkaTopics.readAll(b, "traffic-" + suffix);
        GoldenTotals actual = GoldenTotals.ofOutputs(traffic, KafkaTopics.readAll(b, "errors-" + suffix), KafkaTopics.readAll(b, "mb-sent-" + suffix));
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
        assertEquals(2L, actual.errors.get("errhost.example\t503"));
        assertEquals(expected.requests.size(), traffic.size(), "one record per host");

        Map<String, Long> largest = new HashMap<>();
        for (byte[] line : input) {
            // The size is the last field of a line ('-' for none); the host the first.
            String[] f = new String(line, StandardCharsets.ISO_8859_1).split(" ");
            if (f.length >= 7 && f[f.length - 1].matches("\\d+")) {
                largest.merge(f[0], Long.parseLong(f[f.length - 1]), Math::max);
            }
        }
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(b, "mb-sent-" + suffix)) {
            JsonNode v = JSON.readTree(r.value());
            if (largest.containsKey(v.get("host").asText())) {
                assertEquals(largest.get(v.get("host").asText()), v.get("largest").asLong(), "the greatest of the batches' maxima");
            }
        }
        List<ConsumerRecord<byte[], byte[]>> runningCounts = KafkaTopics.readAll(b, "running-" + suffix);
        assertEquals(expected.requests.size(), runningCounts.size(), "one record per host: its last running value");
        for (ConsumerRecord<byte[], byte[]> r : runningCounts) {
            JsonNode v = JSON.readTree(r.value());
            assertEquals(expected.requests.get(v.get("host").asText()), v.get("requests").asLong());
        }
        assertEquals(2, KafkaTopics.readAll(b, "weblogs-" + suffix + ".dlq").size(), "every dead letter, written with the results");
    }

    @Test
    void shouldCommitTheMergedBatchesOffsetsSoThatARestartReadsOnFromThere() throws Exception {
        String suffix = "restart";
        createTopic("weblogs-" + suffix, 2);
        int half = log.size() / 2;
        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-" + suffix, log.subList(0, half));
        // A short interval: several merged writes, each committing the offsets of the batches in it.
        SpateSettings settings = settings(Delivery.AT_LEAST_ONCE, Duration.ofMillis(300));
        RunningPipeline first = runUntilIdle(pipeline(suffix), settings, system);
        assertEquals(half, first.metrics().records());

        KafkaTopics.produce(broker.bootstrapServers(), "weblogs-" + suffix, log.subList(half, log.size()));
        RunningPipeline second = runUntilIdle(pipeline(suffix), settings, system);
        assertEquals(log.size() - half, second.metrics().records(), "the second run reads only what the first did not commit");

        String b = broker.bootstrapServers();
        GoldenTotals expected = GoldenTotals.ofLines(log);
        GoldenTotals actual = GoldenTotals.ofOutputs(KafkaTopics.readAll(b, "traffic-" + suffix), KafkaTopics.readAll(b, "errors-" + suffix),
                KafkaTopics.readAll(b, "mb-sent-" + suffix));
        assertEquals(expected.requests, actual.requests);
        assertEquals(expected.bytes, actual.bytes);
        assertEquals(expected.errors, actual.errors);
    }

    @Test
    void shouldRefuseAPerBatchMeanBeforeMakingAnyTopic() throws Exception {
        Pipeline pipeline = Pipeline.builder("emit-mean")
                .source("weblogs-mean")
                .format(new ClfFormat())
                .output("mean-bytes", q -> q.groupBy("host").mean("bytes", "mean"))
                .build();
        createTopic("weblogs-mean", 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Spate.run(pipeline, settings(Delivery.AT_LEAST_ONCE, Duration.ofSeconds(1)), system));
        assertTrue(e.getMessage().contains("spate.output.emit-interval") && e.getMessage().contains("mean-bytes"), e.getMessage());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            assertFalse(admin.listTopics().names().get().contains("mean-bytes"), "no output topic made");
        }
    }
}
