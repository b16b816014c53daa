package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.Pipeline;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.cli.SpateCli;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.config.PipelineConfig;
import io.spate.internal.node.GroupStatusReader;
import io.spate.javadsl.Spate;
import io.spate.testkit.KafkaTopics;

/**
 * {@code spate status} against the embedded broker: after a pipeline has caught up, its group has
 * committed every record produced (lag 0); records produced after that are its lag, in the table,
 * in {@code --json}, and in the lag {@code spate run --until-idle} takes as its progress total. A
 * group that does not exist is said to, and a cluster that does not answer ends it with exit 3.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class StatusIT extends EmbeddedBrokerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "status-weblogs";
    private static final String GROUP = "spate-status-it";
    private static final int FIRST = 1_000;
    private static final int MORE = 300;

    /** What a CLI run exited with and wrote. */
    private record Ran(int code, String out, String err) {
    }

    /** Runs the CLI in this JVM with stdout and stderr captured. */
    private static Ran spate(String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = SpateCli.execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        return new Ran(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<byte[]> lines(int from, int count) {
        List<byte[]> lines = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            lines.add(("host" + (i % 7) + " - - [01/Jul/1995:00:00:01 -0400] \"GET /p" + i + " HTTP/1.0\" 200 " + i)
                    .getBytes(StandardCharsets.ISO_8859_1));
        }
        return lines;
    }

    @Test
    void shouldShowNoLagOnceCaughtUpAndTheRecordsProducedSince(@TempDir Path dir) throws Exception {
        createTopic(TOPIC, 3);
        KafkaTopics.produceSpread(broker.bootstrapServers(), TOPIC, lines(0, FIRST), 3);
        Path file = Files.writeString(dir.resolve("status.conf"), """
                spate.pipelines = [{
                  name = status-it, source { topics = [%s] }, format { type = clf }
                  outputs = [{ topic = status-traffic, group-by = [host], aggregates = ["count as requests"] }]
                }]
                """.formatted(TOPIC));
        Config config = NodeConfig.load(file.toFile(), broker.bootstrapServers(), List.of());
        SpateSettings settings = SpateSettings.create(config);
        Pipeline pipeline = PipelineConfig.pipelines(config).get(0);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "status", config);
        try {
            runUntilIdle(pipeline, settings, system);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }

        Ran ran = spate("status", "--bootstrap", broker.bootstrapServers(), "--config", file.toString(), "--json");
        assertEquals(0, ran.code(), ran.err());
        JsonNode group = onlyGroup(ran.out());
        assertEquals(GROUP, group.get("group").asText());
        assertEquals("status-it", group.get("pipeline").asText());
        assertTrue(group.get("exists").asBoolean(), ran.out());
        assertEquals(0, group.get("totalLag").asLong(), ran.out());
        assertEquals(3, group.get("partitions").size(), ran.out());
        long committed = 0;
        for (JsonNode p : group.get("partitions")) {
            assertEquals(p.get("end").asLong(), p.get("committed").asLong(), "committed = end offset on " + p);
            assertEquals(0, p.get("lag").asLong(), p.toString());
            committed += p.get("committed").asLong();
        }
        assertEquals(FIRST, committed, "the committed offsets add up to the records produced");

        KafkaTopics.produceSpread(broker.bootstrapServers(), TOPIC, lines(FIRST, MORE), 3);
        ran = spate("status", "--bootstrap", broker.bootstrapServers(), "--config", file.toString(), "--json");
        assertEquals(0, ran.code(), ran.err());
        group = onlyGroup(ran.out());
        assertEquals(MORE, group.get("totalLag").asLong(), ran.out());
        assertEquals(MORE, JSON.readTree(ran.out()).get("totalLag").asLong(), ran.out());
        long stillCommitted = 0;
        for (JsonNode p : group.get("partitions")) {
            assertEquals(p.get("end").asLong() - p.get("committed").asLong(), p.get("lag").asLong(), p.toString());
            stillCommitted += p.get("committed").asLong();
        }
        assertEquals(FIRST, stillCommitted, "nothing committed since");

        ran = spate("status", "--bootstrap", broker.bootstrapServers(), "--config", file.toString());
        assertEquals(0, ran.code(), ran.err());
        assertTrue(ran.out().contains("pipeline status-it, group " + GROUP + ": Empty, 0 members, lag 300"), ran.out());
        assertTrue(ran.out().contains("total lag 300"), ran.out());

        try (GroupStatusReader reader = new GroupStatusReader(settings)) {
            assertEquals(MORE, reader.lag(List.of(pipeline)), "the total of spate run --until-idle's progress bar");
        }

        ran = spate("status", "--bootstrap", broker.bootstrapServers());
        assertEquals(0, ran.code(), ran.err());
        assertTrue(ran.out().contains("group " + GROUP + ": Empty"), "every group of the cluster without --config: " + ran.out());
    }

    @Test
    void shouldShowTheMemberOfARunningPipelineAndThePartitionsItHolds(@TempDir Path dir) throws Exception {
        createTopic("status-running", 2);
        KafkaTopics.produceSpread(broker.bootstrapServers(), "status-running", lines(0, 100), 2);
        Path file = Files.writeString(dir.resolve("running.conf"), """
                spate.pipelines = [{
                  name = status-running, source { topics = [status-running] }, format { type = clf }
                  outputs = [{ topic = status-running-traffic, group-by = [host], aggregates = ["count as requests"] }]
                }]
                """);
        Config config = NodeConfig.load(file.toFile(), broker.bootstrapServers(), List.of());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "status-running", config);
        try {
            RunningPipeline running = Spate.run(PipelineConfig.pipelines(config).get(0), SpateSettings.create(config), system);
            String[] args = {"status", "--bootstrap", broker.bootstrapServers(), "--config", file.toString(), "--json"};
            waitFor(() -> {
                try {
                    JsonNode g = onlyGroup(spate(args).out());
                    return g.get("state").asText().equals("Stable") && g.get("totalLag").asLong() == 0;
                } catch (Exception e) {
                    return false;
                }
            });
            JsonNode group = onlyGroup(spate(args).out());
            assertEquals(1, group.get("members").size(), group.toString());
            JsonNode member = group.get("members").get(0);
            assertFalse(member.get("clientId").asText().isEmpty(), member.toString());
            assertFalse(member.get("host").asText().isEmpty(), member.toString());
            assertEquals(JSON.readTree("[\"status-running-0\", \"status-running-1\"]"), member.get("assignment"), member.toString());
            for (JsonNode p : group.get("partitions")) {
                assertEquals(member.get("clientId").asText(), p.get("owner").asText(), p.toString());
            }
            Ran table = spate(Arrays.copyOf(args, args.length - 1));
            assertTrue(table.out().contains("group spate-status-running: Stable, 1 member, lag 0"), table.out());
            assertTrue(table.out().contains("  member " + member.get("clientId").asText() + " ("), table.out());
            running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    @Test
    void shouldSayAGroupDoesNotExistYet() throws Exception {
        Ran ran = spate("status", "--bootstrap", broker.bootstrapServers(), "--group", "never-started", "--json");
        assertEquals(0, ran.code(), ran.err());
        JsonNode group = onlyGroup(ran.out());
        assertFalse(group.get("exists").asBoolean(), ran.out());
        assertEquals(0, group.get("totalLag").asLong(), ran.out());

        ran = spate("status", "--bootstrap", broker.bootstrapServers(), "--group", "never-started");
        assertEquals(0, ran.code(), ran.err());
        assertTrue(ran.out().contains("group never-started: does not exist yet"), ran.out());
    }

    @Test
    void shouldExitThreeWithOneLineWhenTheClusterDoesNotAnswer() {
        long start = System.nanoTime();
        Ran ran = spate("status", "--bootstrap", "127.0.0.1:1", "--set", "spate.kafka.startup-timeout=2s");
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals(3, ran.code(), ran.err());
        // Kafka's client logs its failed connections too (at WARN, on stderr here): the verdict is the one spate: line.
        List<String> said = ran.err().lines().filter(l -> l.startsWith("spate: ")).toList();
        assertEquals(1, said.size(), ran.err());
        assertTrue(said.get(0).startsWith("spate: no Kafka broker reachable at 127.0.0.1:1"), ran.err());
        assertTrue(seconds < 30, "gave up after " + seconds + " s");
        assertEquals("", ran.out());
    }

    private static JsonNode onlyGroup(String out) throws Exception {
        JsonNode groups = JSON.readTree(out).get("groups");
        assertEquals(1, groups.size(), out);
        return groups.get(0);
    }
}
