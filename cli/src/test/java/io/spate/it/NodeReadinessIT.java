package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.Pipeline;
import io.spate.PipelineState;
import io.spate.RunningPipeline;
import io.spate.SourceSettings;
import io.spate.SpateSettings;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.node.Node;
import io.spate.javadsl.Spate;
import io.spate.plan.ClfFormat;
import io.spate.testkit.KafkaTopics;

/**
 * {@code /ready} follows the cluster: 200 once the pipeline has joined its group, 503 within
 * seconds of the broker going down (the pipeline's consumer has no connection left), 200 again
 * once the broker is back on the same port and data; {@code /alive} stays 200 throughout, as the
 * node itself is fine and waits for Kafka. And a pipeline's own state, with either source.
 */
class NodeReadinessIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** How soon {@code /ready} must notice the broker going or coming back. */
    private static final Duration NOTICE = Duration.ofSeconds(30);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldTurnUnreadyWhileTheBrokerIsDownAndReadyWhenItIsBack(@TempDir Path dir) throws Exception {
        BrokerSettings settings = BrokerSettings.create().withPort(0).withDataDir(dir.resolve("broker"));
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings).start();
        Node node = null;
        try {
            int brokerPort = broker.port();
            broker.createTopic("weblogs-ready", 2);
            KafkaTopics.produce(broker.bootstrapServers(), "weblogs-ready", NasaLog.lines().subList(0, 2_000));
            String pipeline = "spate.pipelines = [{ name = ready, source { topics = [weblogs-ready] }, format { type = clf },"
                    + " outputs = [{ topic = ready-out, group-by = [status], aggregates = [count] }] }]";
            node = new Node(NodeConfig.load(ConfigFactory.parseString(pipeline), broker.bootstrapServers(), List.of()));
            node.start();
            int port = node.httpPort();
            long waited = await(port, "/ready", 200, Duration.ofMinutes(1));
            System.out.printf("readiness-test: ready %d ms after the start%n", waited);

            broker.close();
            waited = await(port, "/ready", 503, NOTICE);
            String body = get(port, "/ready").body();
            assertTrue(body.contains("no connection to the Kafka cluster"), body);
            assertEquals(200, get(port, "/alive").statusCode(), "the node is alive while it waits for Kafka");
            System.out.printf("readiness-test: not ready %d ms after the broker stopped%n", waited);

            broker = new EmbeddedKafkaBroker(settings.withPort(brokerPort)).start();
            waited = await(port, "/ready", 200, NOTICE);
            System.out.printf("readiness-test: ready again %d ms after the broker came back%n", waited);
            assertEquals(0, node.stop(), "the node stops cleanly");
            node = null;
        } finally {
            if (node != null) {
                node.stop();
            }
            broker.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldTellStartingFromRunningAndStoppedWithEitherSource() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start()) {
            broker.createTopic("weblogs-modes", 2);
            List<byte[]> lines = NasaLog.lines().subList(0, 5_000);
            KafkaTopics.produce(broker.bootstrapServers(), "weblogs-modes", lines);
            for (SourceSettings.Mode mode : SourceSettings.Mode.values()) {
                SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
                settings = settings.withSource(settings.source().withMode(mode));
                Pipeline pipeline = Pipeline.builder("modes-" + mode).source("weblogs-modes").groupId("modes-" + mode)
                        .format(new ClfFormat()).output("modes-out-" + mode, q -> q.groupBy("status").count("n")).build();
                ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "modes");
                try {
                    RunningPipeline running = Spate.run(pipeline, settings, system);
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                    while (running.metrics().records() < lines.size() && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertEquals(lines.size(), running.metrics().records(), mode + ": read everything");
                    assertEquals(PipelineState.RUNNING, running.state(), mode.toString());
                    assertTrue(running.metrics().consumerConnections() > 0, mode + ": its consumer's connections are counted");
                    running.stop().toCompletableFuture().get(1, TimeUnit.MINUTES);
                    assertEquals(PipelineState.STOPPED, running.state(), mode.toString());
                    assertTrue(running.metrics().latency().count() > 0, mode + ": end-to-end latency recorded once committed");
                } finally {
                    system.terminate();
                }
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until {@code path} answers {@code status}; returns the milliseconds it took. */
    private static long await(int port, String path, int status, Duration within) throws Exception {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        HttpResponse<String> last = get(port, path);
        while (last.statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still answers " + last.statusCode() + " after " + within + ": " + last.body());
            }
            Thread.sleep(200);
            last = get(port, path);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
