package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.cli.SpateCli;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * What stops a node at start ends it within a bounded time with one line naming the cause and a
 * documented exit code, and touches nothing: no broker, a misspelt input topic (not created by
 * reading it), missing outputs with topic creation off. A missing input is waited for only when
 * {@code spate.source.await-topics} says so.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StartupFailureIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Runs the CLI in this JVM; returns what it wrote to stderr, after checking its exit code. */
    private static String run(int expectedCode, String... args) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = SpateCli.execute(args);
        } finally {
            System.setErr(saved);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(expectedCode, code, said);
        return said;
    }

    private static Path config(Path dir, String input) throws IOException {
        return Files.writeString(dir.resolve("p.conf"), "spate.pipelines = [{ name = p, source { topics = [" + input + "] }, "
                + "format { type = clf }, outputs = [{ topic = " + input + "-traffic, group-by = [host], aggregates = [\"count as n\"] }] }]");
    }

    @Test
    void shouldSayNoBrokerIsReachableWithinTheStartupTimeout(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        String said = run(3, "run", "--config", config(dir, "weblogs").toString(), "--bootstrap", "127.0.0.1:" + port, "--until-idle",
                "--set", "spate.kafka.startup-timeout=3s");
        assertTrue(said.contains("spate: no Kafka broker reachable at 127.0.0.1:" + port + " (after 3 s"), said);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "ends within a minute");
        assertFalse(said.contains("\tat "), "no stack trace: " + said);
    }

    @Test
    void shouldRefuseAMisspeltInputTopicWithoutCreatingIt(@TempDir Path dir) throws Exception {
        String said = run(2, "run", "--config", config(dir, "weblogz").toString(), "--bootstrap", broker.bootstrapServers(),
                "--until-idle");
        assertTrue(said.contains("spate: input topic weblogz of pipeline p does not exist"), said);
        assertTrue(said.contains("spate.source.await-topics"), said);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("weblogz"), "reading did not create it");
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("weblogz-traffic"), "nor its outputs");
        }
    }

    @Test
    void shouldRefuseMissingOutputsWhenTopicCreationIsOff(@TempDir Path dir) throws Exception {
        createTopic("weblogs-nocreate", 1);
        String said = run(2, "run", "--config", config(dir, "weblogs-nocreate").toString(), "--bootstrap", broker.bootstrapServers(),
                "--until-idle", "--set", "spate.output.create-topics=false");
        assertTrue(said.contains("spate: output topics weblogs-nocreate-traffic, weblogs-nocreate.dlq do not exist at "
                + broker.bootstrapServers() + " and spate.output.create-topics is false"), said);
    }

    @Test
    void shouldSayWhichTopicCannotBeCreated(@TempDir Path dir) throws Exception {
        createTopic("weblogs-rf", 1);
        // One broker cannot hold three replicas: the broker refuses to create the outputs.
        String said = run(3, "run", "--config", config(dir, "weblogs-rf").toString(), "--bootstrap", broker.bootstrapServers(),
                "--until-idle", "--set", "spate.output.replication-factor=3");
        assertTrue(said.contains("spate: cannot create topic weblogs-rf"), said);
        assertTrue(said.contains("replication factor"), said);
    }

    @Test
    void shouldWaitForAMissingInputTopicWhenAskedTo() throws Exception {
        Pipeline pipeline = Pipeline.builder("await").source("weblogs-later").format(new ClfFormat())
                .output("weblogs-later-traffic", q -> q.groupBy("host").count("n").running())
                .build();
        SpateSettings base = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
        SpateSettings settings = base.withSource(base.source().withAwaitTopics(true));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "await-topics");
        try {
            // Starts although its input does not exist yet; the topic comes later, then its records.
            RunningPipeline running = Spate.run(pipeline, settings, system);
            createTopic("weblogs-later", 1);
            KafkaTopics.produce(broker.bootstrapServers(), "weblogs-later", List.of(
                    "a.example - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" 200 1".getBytes(StandardCharsets.UTF_8),
                    "a.example - - [01/Jul/1995:00:00:02 -0400] \"GET / HTTP/1.0\" 200 1".getBytes(StandardCharsets.UTF_8)));
            waitFor(() -> lastCount("weblogs-later-traffic").getOrDefault("a.example", 0L) == 2L);
            running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } finally {
            system.terminate();
        }
    }

    private static Map<String, Long> lastCount(String topic) {
        Map<String, Long> last = new HashMap<>();
        try {
            for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(broker.bootstrapServers(), topic)) {
                last.put(new String(r.key(), StandardCharsets.UTF_8), JSON.readTree(r.value()).get("n").asLong());
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return last;
    }
}
