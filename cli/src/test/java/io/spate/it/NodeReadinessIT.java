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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.node.Node;
import io.spate.testkit.KafkaTopics;

/**
 * {@code /ready} follows the cluster: 200 once the pipeline has joined its group, 503 within
 * seconds of the broker going down (the pipeline's consumer has no connection left), 200 again
 * once the broker is back on the same port and data; {@code /alive} stays 200 throughout, as the
 * node itself is fine and waits for Kafka.
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
