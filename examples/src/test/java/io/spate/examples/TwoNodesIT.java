package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;

/**
 * Scale-out by consumer group, exactly-once: two {@code spate run} processes share the
 * golden-signals group and split the six partitions; one is killed with SIGKILL while both work;
 * the other takes over its partitions (after the group and the transaction coordinator time the
 * dead one out) and finishes the input; every total read back with read_committed is exact.
 */
class TwoNodesIT {

    private static final int RECORDS = 200_000;
    private static final String GROUP = "spate-golden-signals";

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldKeepTotalsExactWhenOneOfTwoNodesIsKilled(@TempDir Path dir) throws Exception {
        Process broker = NodeProcesses.spate("broker", List.of("--port", "0", "--data-dir", dir.resolve("broker").toString(), "--partitions", "6"), dir);
        Process a = null;
        Process b = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            List<byte[]> input = NodeProcesses.input(RECORDS);
            int half = RECORDS / 2;
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(0, half));
            a = NodeProcesses.spate("run", args(bootstrap, "node-a", false), dir);
            awaitOutput(bootstrap);
            b = NodeProcesses.spate("run", args(bootstrap, "node-b", true), dir);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                awaitBothMembersHoldPartitions(admin);
            }
            a.destroyForcibly();
            a.waitFor(30, TimeUnit.SECONDS);
            // The rest arrives after the kill, so the survivor must finish the dead node's partitions too.
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(half, RECORDS));
            assertTrue(b.waitFor(5, TimeUnit.MINUTES), "the surviving node ends by itself once the whole input is committed");
            assertEquals(0, b.exitValue(), "the surviving node exits cleanly");

            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);
            Map<String, Long> actual = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, "traffic")) {
                JsonNode v = json.readTree(r.value());
                actual.merge(v.get("host").asText(), v.get("requests").asLong(), Long::sum);
            }
            long total = actual.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("two-nodes: %d records, node-a killed, totals %s%n", RECORDS,
                    expected.equals(actual) ? "exact" : "differ: " + total + " requests counted");
            assertEquals(RECORDS, total, "every record counted exactly once");
            assertEquals(expected, actual);
        } finally {
            for (Process p : new Process[] {a, b}) {
                if (p != null) {
                    p.destroyForcibly();
                }
            }
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The node's arguments: exactly-once, short session and transaction timeouts so the test need not wait a minute. */
    private static List<String> args(String bootstrap, String nodeId, boolean untilIdle) {
        List<String> args = new ArrayList<>(List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=" + nodeId,
                "--set", "spate.batch.max-records=2000",
                "--set", "spate.kafka.consumer-properties.\"session.timeout.ms\"=10000",
                "--set", "spate.kafka.producer-properties.\"transaction.timeout.ms\"=10000"));
        if (untilIdle) {
            args.add("--until-idle");
        }
        return args;
    }

    private static void awaitOutput(String bootstrap) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (KafkaTopics.readAll(bootstrap, "traffic").isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "node-a wrote nothing");
            Thread.sleep(200);
        }
    }

    private static void awaitBothMembersHoldPartitions(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
            if (group.members().size() == 2 && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the two nodes never shared the partitions: " + group);
            Thread.sleep(100);
        }
    }
}
