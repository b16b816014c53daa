package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;

/**
 * The broker (a standalone {@code spate broker} process) is stopped and started again on the same
 * port and data directory while an exactly-once golden-signals node runs: the node recovers by
 * itself and every total is exact.
 */
class BrokerRestartIT {

    private static final int RECORDS = 200_000;

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldRecoverFromABrokerRestartWithExactTotals(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> brokerArgs = List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("broker").toString(), "--partitions", "3");
        Process broker = NodeProcesses.spate("broker", brokerArgs, dir);
        Process node = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            List<byte[]> input = NodeProcesses.input(RECORDS);
            KafkaTopics.produce(bootstrap, "weblogs", input);
            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);
            node = NodeProcesses.spate("run", List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                    "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=broker-restart",
                    "--set", "spate.batch.max-records=1000", "--until-idle"), dir);
            // Stop the broker once the node has committed its first output, while it is still working.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (KafkaTopics.readAll(bootstrap, "traffic").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(node.isAlive(), "the node is still working when the broker goes down");
            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker stops");
            Thread.sleep(3000);
            broker = NodeProcesses.spate("broker", brokerArgs, dir);
            assertEquals(bootstrap, NodeProcesses.awaitListening(broker), "the broker comes back where it was");
            assertTrue(node.waitFor(5, TimeUnit.MINUTES), "the node ends by itself once idle");
            assertEquals(0, node.exitValue(), "the node recovered without help and exited cleanly");

            Map<String, Long> actual = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, "traffic")) {
                JsonNode v = json.readTree(r.value());
                actual.merge(v.get("host").asText(), v.get("requests").asLong(), Long::sum);
            }
            System.out.printf("broker-restart-test: %d records, totals %s%n", RECORDS, expected.equals(actual) ? "exact" : "differ");
            assertEquals(expected, actual);
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
