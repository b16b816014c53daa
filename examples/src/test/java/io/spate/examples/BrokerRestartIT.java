package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;

/**
 * The broker (a standalone {@code spate broker} process) is stopped and started again on the same
 * port and data directory while an exactly-once golden-signals node runs: the node recovers by
 * itself, reads the rest of the input, produced only after the restart, and every total is exact.
 */
class BrokerRestartIT {

    private static final int RECORDS = 200_000;
    private static final int PARTITIONS = 3;
    /** The consumer group of config/golden-signals.conf. */
    private static final String GROUP = "spate-golden-signals";

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldRecoverFromABrokerRestartWithExactTotals(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> brokerArgs = List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("broker").toString(),
                "--partitions", Integer.toString(PARTITIONS));
        Process broker = NodeProcesses.spate("broker", brokerArgs, dir);
        Process node = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            List<byte[]> input = NodeProcesses.input(RECORDS);
            int half = RECORDS / 2;
            NodeProcesses.createTopic(bootstrap, "weblogs", PARTITIONS);
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(0, half));
            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);
            // Not --until-idle: the node must still be there for the input that comes after the restart,
            // however soon it is through the first half.
            node = NodeProcesses.spate("run", List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                    "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=broker-restart",
                    "--set", "spate.batch.max-records=1000"), dir);
            // Stop the broker once the node has committed its first output.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (KafkaTopics.readAll(bootstrap, "traffic").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(node.isAlive(), "the node is running when the broker goes down");
            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker stops");
            // The outage: the node's requests fail meanwhile.
            Thread.sleep(3000);
            broker = NodeProcesses.spate("broker", brokerArgs, dir);
            assertEquals(bootstrap, NodeProcesses.awaitListening(broker), "the broker comes back where it was");
            KafkaTopics.awaitServed(bootstrap, "weblogs");
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(half, RECORDS));
            awaitAllCommitted(bootstrap, node);
            node.destroy();
            assertTrue(node.waitFor(2, TimeUnit.MINUTES), "the node drains and exits on SIGTERM");
            assertEquals(0, node.exitValue(), "the node recovered without help and exited cleanly");

            NodeProcesses.awaitNoOpenTransactions(bootstrap);
            Map<String, Long> actual = NodeProcesses.trafficPerHost(bootstrap);
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

    /** Waits (up to 5 minutes) until the node's group has committed every input record, failing if the node ends first. */
    private static void awaitAllCommitted(String bootstrap, Process node) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long committed;
        while ((committed = NodeProcesses.committed(bootstrap, GROUP)) < RECORDS) {
            if (!node.isAlive()) {
                fail("the node ended (exit " + node.exitValue() + ") with " + committed + " of " + RECORDS + " records committed");
            }
            assertTrue(System.nanoTime() < deadline, "the node committed " + committed + " of " + RECORDS + " records in 5 minutes");
            Thread.sleep(200);
        }
    }
}
