package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * Scale-out by consumer group, exactly-once: two {@code spate run} processes share a group and
 * split the six partitions; one is killed with SIGKILL while both work; the other takes over its
 * partitions (after the group and the transaction coordinator time the dead one out), and with
 * them, for running outputs, the state of the groups in them; it finishes the input, and every
 * total read back with read_committed is exact.
 */
class TwoNodesIT {

    private static final int RECORDS = 200_000;
    private static final int PARTITIONS = 6;
    private static final Pattern CLF = Pattern.compile("^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] \".*\" \\d+ \\S+$");
    private static final DateTimeFormatter CLF_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final long HOUR = 3_600_000L;

    /** What a run leaves to check: the broker's address and the input. */
    private interface Check {
        void check(String bootstrap, List<byte[]> input) throws Exception;
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldKeepTotalsExactWhenOneOfTwoNodesIsKilled(@TempDir Path dir) throws Exception {
        killOneOfTwo(dir, "../config/golden-signals.conf", "spate-golden-signals", List.of(), NodeProcesses.input(RECORDS), (bootstrap, input) -> {
            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);
            Map<String, Long> actual = NodeProcesses.trafficPerHost(bootstrap);
            long total = actual.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("two-nodes: %d records, node-a killed, totals %s%n", RECORDS,
                    expected.equals(actual) ? "exact" : "differ: " + total + " requests counted");
            assertEquals(RECORDS, total, "every record counted exactly once");
            assertEquals(expected, actual);
        });
    }

    /**
     * The hourly golden signals (running totals per hour of log time) scaled out: the killed
     * node's hours and hosts move to the survivor with their state, and each (hour, host)'s last
     * total is its exact request count.
     */
    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldMoveRunningWindowStateWhenOneOfTwoNodesIsKilled(@TempDir Path dir) throws Exception {
        killOneOfTwo(dir, "../config/golden-signals-hourly.conf", "spate-golden-signals-hourly", List.of("--set", "spate.state.scale-out=true"),
                inTimeOrder(RECORDS), (bootstrap, input) -> {
                    Map<List<Object>, Long> expected = new HashMap<>();
                    for (byte[] line : input) {
                        Matcher m = CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
                        if (m.matches()) {
                            long t = OffsetDateTime.parse(m.group(2), CLF_TIME).toInstant().toEpochMilli();
                            long start = Math.floorDiv(t, HOUR) * HOUR;
                            expected.merge(List.of(start, start + HOUR, m.group(1)), 1L, Long::sum);
                        }
                    }
                    Map<List<Object>, Long> last = new HashMap<>();
                    ObjectMapper json = new ObjectMapper();
                    for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, "traffic-hourly")) {
                        JsonNode v = json.readTree(r.value());
                        last.put(List.of(v.get("window_start").asLong(), v.get("window_end").asLong(), v.get("host").asText()),
                                v.get("requests").asLong());
                    }
                    long differ = expected.keySet().stream().filter(k -> !expected.get(k).equals(last.get(k))).count();
                    System.out.printf("two-nodes (scaled-out hourly state): %d records, node-a killed, %d of %d (hour, host) totals differ%n",
                            RECORDS, differ, expected.size());
                    assertEquals(expected, last);
                });
    }

    /**
     * The NASA log cycled to {@code records} lines, each repetition moved on by whole days past the
     * one before, so that log time never goes back: repeated as they are, the lines of a log shorter
     * than {@code records} (the bundled sample) would come again hours behind the watermark, and
     * an hourly window would drop them as late.
     */
    private static List<byte[]> inTimeOrder(int records) throws IOException {
        List<byte[]> log = SampleData.nasaLog();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (byte[] line : log) {
            Matcher m = CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
            if (m.matches()) {
                long t = OffsetDateTime.parse(m.group(2), CLF_TIME).toInstant().toEpochMilli();
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
        }
        long days = first > last ? 0 : (last - first) / TimeUnit.DAYS.toMillis(1) + 1;
        List<byte[]> out = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            String line = new String(log.get(i % log.size()), StandardCharsets.ISO_8859_1);
            Matcher m = CLF.matcher(line);
            long shift = (long) (i / log.size()) * days;
            if (shift > 0 && m.matches()) {
                String moved = OffsetDateTime.parse(m.group(2), CLF_TIME).plusDays(shift).format(CLF_TIME);
                line = line.substring(0, m.start(2)) + moved + line.substring(m.end(2));
            }
            out.add(line.getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static void killOneOfTwo(Path dir, String config, String group, List<String> sets, List<byte[]> input, Check check)
            throws Exception {
        Process broker = NodeProcesses.spate("broker", List.of("--port", "0", "--data-dir", dir.resolve("broker").toString(),
                "--partitions", Integer.toString(PARTITIONS)), dir);
        Process a = null;
        Process b = null;
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            int half = RECORDS / 2;
            NodeProcesses.createTopic(bootstrap, "weblogs", PARTITIONS);
            KafkaTopics.produce(bootstrap, "weblogs", input.subList(0, half));
            a = NodeProcesses.spate("run", args(config, bootstrap, "node-a", sets, false), dir);
            awaitCommitted(bootstrap, group);
            // Node-b runs --until-idle: were the rest of the input still to come when it finds every partition
            // caught up, it would stop with half counted. So the rest is written before it starts, in a
            // transaction held open until both nodes hold partitions: no idle check gets past an open transaction.
            try (KafkaProducer<byte[], byte[]> rest = NodeProcesses.produceInOpenTransaction(bootstrap, "weblogs", input.subList(half, RECORDS),
                    PARTITIONS)) {
                b = NodeProcesses.spate("run", args(config, bootstrap, "node-b", sets, true), dir);
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    awaitBothMembersHoldPartitions(admin, group);
                }
                rest.commitTransaction();
            }
            // A is killed at once, with the rest of its partitions still to read, so the survivor must take them over.
            a.destroyForcibly();
            a.waitFor(30, TimeUnit.SECONDS);
            assertTrue(b.waitFor(5, TimeUnit.MINUTES), "the surviving node ends by itself once the whole input is committed");
            assertEquals(0, b.exitValue(), "the surviving node exits cleanly");
            // A's last transaction stays open until its timeout aborts it; read the outputs after that.
            NodeProcesses.awaitNoOpenTransactions(bootstrap);
            check.check(bootstrap, input);
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
    private static List<String> args(String config, String bootstrap, String nodeId, List<String> sets, boolean untilIdle) {
        List<String> args = new ArrayList<>(List.of("--config", config, "--bootstrap", bootstrap,
                "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=" + nodeId,
                "--set", "spate.batch.max-records=2000",
                "--set", "spate.kafka.consumer-properties.\"session.timeout.ms\"=10000",
                "--set", "spate.kafka.producer-properties.\"transaction.timeout.ms\"=10000"));
        args.addAll(sets);
        if (untilIdle) {
            args.add("--until-idle");
        }
        return args;
    }

    /** Waits until node A has committed some input: it works. */
    private static void awaitCommitted(String bootstrap, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "node-a committed nothing");
                Thread.sleep(200);
            }
        }
    }

    private static void awaitBothMembersHoldPartitions(Admin admin, String groupId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
            if (group.members().size() == 2 && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the two nodes never shared the partitions: " + group);
            Thread.sleep(100);
        }
    }
}
