package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        runThroughOutage(dir, RECORDS, 1000, Duration.ofSeconds(3), List.of(), null, "broker-restart-test");
    }

    /**
     * An outage longer than the producer's delivery timeout fails the pipeline's transaction; the
     * node starts the pipeline again by itself (spate.node.restart), its restarts failing while
     * the broker is away, and once it is back the node reads on from the committed offsets: exact
     * totals, exit 0 on SIGTERM. Small batches keep the node busy when the broker goes.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldRestartAPipelineThatFailedInAnOutageLongerThanTheDeliveryTimeout(@TempDir Path dir) throws Exception {
        runThroughOutage(dir, 10_000, 50, Duration.ofSeconds(8), List.of(
                "--set", "spate.kafka.producer-properties.\"delivery.timeout.ms\"=3000",
                "--set", "spate.kafka.producer-properties.\"request.timeout.ms\"=1000",
                // A transactional producer blocks this long on a coordinator that is away (Kafka's default: a minute).
                "--set", "spate.kafka.producer-properties.\"max.block.ms\"=3000",
                "--set", "spate.kafka.startup-timeout=2s",
                "--set", "spate.node.restart.min-backoff=500ms", "--set", "spate.node.restart.max-backoff=2s",
                "--set", "spate.node.restart.max-restarts=100"),
                "restarting in", "broker-outage-test");
    }

    /**
     * SIGTERM while the broker is down: the node waits for its batches to drain no longer than
     * spate.source.drain-timeout (and a few seconds), then exits 1 with one line saying the last
     * batches were not committed; nothing committed is lost, they are read again at the next start.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldStopWithinTheDrainTimeoutWhenSigtermComesWhileTheBrokerIsDown(@TempDir Path dir) throws Exception {
        List<String> brokerArgs = brokerArgs(dir);
        Process broker = NodeProcesses.spate("broker", brokerArgs, dir);
        Process node = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            NodeProcesses.createTopic(bootstrap, "weblogs", PARTITIONS);
            KafkaTopics.produce(bootstrap, "weblogs", NodeProcesses.input(20_000));
            node = NodeProcesses.spate("run", List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                    "--set", "spate.batch.max-records=50", "--set", "spate.source.drain-timeout=5s"), dir);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (KafkaTopics.readAll(bootstrap, "traffic").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker stops");
            long sigterm = System.nanoTime();
            node.destroy();
            assertTrue(node.waitFor(90, TimeUnit.SECONDS), "the node ends on SIGTERM although Kafka is away");
            double seconds = (System.nanoTime() - sigterm) / 1e9;
            System.out.printf("sigterm-broker-down: exit %d after %.1f s%n", node.exitValue(), seconds);
            // Whether the last batches had been committed before the broker went is a matter of timing:
            // a clean drain exits 0, one cut short by the drain timeout exits 1 and says so.
            if (node.exitValue() != 0) {
                assertEquals(1, node.exitValue());
                NodeProcesses.awaitLogLine(dir, "run", "did not drain within 10 s (spate.source.drain-timeout");
            }
        } finally {
            if (node != null) {
                node.destroyForcibly();
            }
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Arguments of a standalone broker on a free port with its data in {@code dir}, the same at each start. */
    private static List<String> brokerArgs(Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("broker").toString(),
                "--partitions", Integer.toString(PARTITIONS));
    }

    private void runThroughOutage(Path dir, int records, int batchRecords, Duration outage, List<String> nodeArgs, String logLine,
                                  String name) throws Exception {
        List<String> brokerArgs = brokerArgs(dir);
        Process broker = NodeProcesses.spate("broker", brokerArgs, dir);
        Process node = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            List<byte[]> input = NodeProcesses.input(records);
            int half = records / 2;
            NodeProcesses.createTopic(bootstrap, "weblogs", PARTITIONS);
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(0, half));
            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);
            // Not --until-idle: the node must still be there for the input that comes after the restart,
            // however soon it is through the first half.
            List<String> args = new ArrayList<>(List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                    "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=broker-restart",
                    "--set", "spate.batch.max-records=" + batchRecords));
            args.addAll(nodeArgs);
            node = NodeProcesses.spate("run", args, dir);
            // Stop the broker once the node has committed its first output.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (KafkaTopics.readAll(bootstrap, "traffic").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(node.isAlive(), "the node is running when the broker goes down");
            broker.destroy();
            assertTrue(broker.waitFor(60, TimeUnit.SECONDS), "the broker stops");
            // The outage: the node's requests fail meanwhile.
            Thread.sleep(outage.toMillis());
            if (logLine != null) {
                NodeProcesses.awaitLogLine(dir, "run", logLine);
            }
            broker = NodeProcesses.spate("broker", brokerArgs, dir);
            assertEquals(bootstrap, NodeProcesses.awaitListening(broker), "the broker comes back where it was");
            KafkaTopics.awaitServed(bootstrap, "weblogs");
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(half, records));
            awaitAllCommitted(bootstrap, node, records);
            node.destroy();
            assertTrue(node.waitFor(2, TimeUnit.MINUTES), "the node drains and exits on SIGTERM");
            assertEquals(0, node.exitValue(), "the node recovered without help and exited cleanly");

            NodeProcesses.awaitNoOpenTransactions(bootstrap);
            Map<String, Long> actual = NodeProcesses.trafficPerHost(bootstrap);
            System.out.printf("%s: %d records, totals %s%n", name, records, expected.equals(actual) ? "exact" : "differ");
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
    private static void awaitAllCommitted(String bootstrap, Process node, int records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long committed;
        while ((committed = NodeProcesses.committed(bootstrap, GROUP)) < records) {
            if (!node.isAlive()) {
                fail("the node ended (exit " + node.exitValue() + ") with " + committed + " of " + records + " records committed");
            }
            assertTrue(System.nanoTime() < deadline, "the node committed " + committed + " of " + records + " records in 5 minutes");
            Thread.sleep(200);
        }
    }
}
