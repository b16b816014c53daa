package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * Golden signals end to end through an embedded KRaft broker with {@code spate.gpu.enabled = on}:
 * the per-batch partial aggregates read back from the output topics sum to totals computed here,
 * line by line, from the same input. Runs on a real device or on the CUDA driver stand-in.
 */
@Tag("gpu")
@DisplayName("golden signals on the GPU backend (on a real device or the CUDA driver stand-in)")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GpuGoldenSignalsIT {

    // The CLF shape, checked independently of the engine's decoder; the rejected count below shows the two agree on this input.
    private static final Pattern CLF = Pattern.compile("^(\\S+) \\S+ \\S+ \\[[^\\]]+\\] \".*\" (\\d{3}) (\\d+|-)$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EmbeddedKafkaBroker broker;
    private static ActorSystem<Void> system;
    private static final ListAppender<ILoggingEvent> gpuLog = new ListAppender<>();

    @BeforeAll
    static void listen() {
        // No public type says which backend computed each batch (BatchResult.backend stays inside the engine), so listen to it.
        gpuLog.start();
        ((Logger) LoggerFactory.getLogger(GpuBackend.class)).addAppender(gpuLog);
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(GpuBackend.class)).detachAppender(gpuLog);
        if (system != null) {
            system.terminate();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldSumTheDeviceComputedGoldenSignalsToTheIndependentTotals() throws Exception {
        GpuTestDevice.requireAllowingFaults();
        // Where the stand-in injects device faults (the gpu module's fault test run), the failed batches re-run on the CPU.
        boolean faults = GpuTestDevice.faultsInjected();
        broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start();
        system = ActorSystem.create(Behaviors.empty(), "gpu-golden-signals-it");
        List<byte[]> input = new ArrayList<>(SampleData.nasaLog());
        // The bundled sample has no 5xx and the log no malformed lines: add some, spread out, so the filter and the dead letters are exercised.
        List<String> extra = List.of("errhost.example - - [01/Jul/1995:00:00:02 -0400] \"GET /a HTTP/1.0\" 503 -",
                "not a log line", "errhost.example - - [01/Jul/1995:00:00:03 -0400] \"GET /b HTTP/1.0\" 500 17",
                "host - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" abc 12");
        for (int i = 0; i < extra.size(); i++) {
            input.add((i + 1) * input.size() / (extra.size() + 1), extra.get(i).getBytes(StandardCharsets.US_ASCII));
        }
        String bootstrap = broker.bootstrapServers();
        broker.createTopic("weblogs", 4);
        awaitServed(bootstrap, "weblogs");
        KafkaTopics.produce(bootstrap, "weblogs", input);
        Pipeline pipeline = Pipeline.builder("gpu-golden-signals")
                .source("weblogs")
                .format(new ClfFormat())
                .output("traffic", q -> q.groupBy("host").count("requests"))
                .output("errors", q -> q.where("status >= 500").groupBy("host", "status as response").count("errors"))
                .output("mb-sent", q -> q.groupBy("host").sum("bytes", "bytes"))
                // Odd limits, so batch boundaries fall anywhere, mid-host and mid-partition.
                .batch(BatchSettings.of(7_777, 1 << 20, Duration.ofMillis(50)))
                .build();
        SpateSettings settings = SpateSettings.create(ConfigFactory.parseString("spate.gpu.enabled = on").withFallback(ConfigFactory.load()))
                .withBootstrapServers(bootstrap);

        long started = System.nanoTime();
        RunningPipeline running = Spate.run(pipeline, settings, system);
        awaitComputed(running, input.size());
        // Everything is computed; stop drains it: results produced and acked, offsets committed.
        running.stop().toCompletableFuture().get(2, TimeUnit.MINUTES);
        LoggerFactory.getLogger(GpuGoldenSignalsIT.class).info("{} lines on the GPU backend (on a real device or the CUDA driver stand-in) in {} ms: {}",
                input.size(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), running.metrics());

        assertEquals("gpu", running.backend());
        List<String> said = gpuLog.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(said.stream().anyMatch(m -> m.startsWith("GPU backend on ")), "the compute actor made a GPU backend: " + said);
        assertTrue(said.stream().noneMatch(m -> m.contains("on the CPU")), "no plan or batch went to the CPU: " + said);
        if (faults) {
            assertTrue(running.metrics().faults() > 0, "injected device faults made batches run again: " + running.metrics());
            assertTrue(said.stream().anyMatch(m -> m.startsWith("GPU backend restarted on ")), "a new context after a fault: " + said);
        } else {
            assertTrue(gpuLog.list.stream().noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN)), "no device trouble: " + said);
            assertEquals(0, running.metrics().faults(), "no batch re-ran after a CUDA fault");
        }

        Map<String, Long> requests = new HashMap<>();
        Map<String, Long> errors = new HashMap<>();
        Map<String, Long> bytes = new HashMap<>();
        long malformed = 0;
        for (byte[] raw : input) {
            Matcher m = CLF.matcher(new String(raw, StandardCharsets.ISO_8859_1));
            if (!m.matches()) {
                malformed++;
                continue;
            }
            requests.merge(m.group(1), 1L, Long::sum);
            bytes.merge(m.group(1), m.group(3).equals("-") ? 0 : Long.parseLong(m.group(3)), Long::sum);
            if (Integer.parseInt(m.group(2)) >= 500) {
                errors.merge(m.group(1) + "\t" + m.group(2), 1L, Long::sum);
            }
        }
        assertEquals(input.size(), running.metrics().records(), "every line computed once");
        assertEquals(malformed, running.metrics().rejected(), "the engine rejects exactly the lines the pattern does");
        assertEquals(malformed, KafkaTopics.readAll(bootstrap, "weblogs.dlq").size());
        assertFalse(errors.isEmpty(), "the input has 5xx responses");
        assertEquals(requests, sumOutputs(bootstrap, "traffic", "requests"));
        assertEquals(bytes, sumOutputs(bootstrap, "mb-sent", "bytes"));
        assertEquals(errors, sumOutputs(bootstrap, "errors", "errors"));
    }

    /**
     * Waits (up to 2 minutes) until each partition of {@code topic} answers from its leader. The
     * broker serves a new partition a little after the controller created it, and producing at once
     * can lose records (an idempotent producer's first request fails, a later one lands, and the
     * first is refused until it expires: KAFKA-15591).
     */
    private static void awaitServed(String bootstrap, String topic) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (true) {
                try {
                    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                    admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    assertTrue(System.nanoTime() < deadline, "the partitions of " + topic + " are not served after 2 minutes: " + e);
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Waits until the pipeline has computed {@code records} records, failing at once if it ends first. */
    private static void awaitComputed(RunningPipeline running, long records) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(8);
        while (running.metrics().records() < records) {
            assertFalse(running.completion().toCompletableFuture().isDone(), "the pipeline ended early: " + running.metrics());
            assertTrue(System.nanoTime() < deadline, "not all computed in time: " + running.metrics());
            Thread.sleep(100);
        }
    }

    /** The per-batch partial aggregates of {@code topic} summed per key ("host" or "host\tresponse"). */
    private static Map<String, Long> sumOutputs(String bootstrap, String topic, String column) throws Exception {
        Map<String, Long> totals = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, topic)) {
            JsonNode n = JSON.readTree(r.value());
            String key = n.get("host").asText() + (n.has("response") ? "\t" + n.get("response").asInt() : "");
            totals.merge(key, n.get(column).asLong(), Long::sum);
        }
        return totals;
    }
}
