package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;

/**
 * The crash test of the exactly-once mode, in the manner of Kafka's own system tests: 200,000
 * records with known totals, the golden-signals node started as a separate process and killed with
 * SIGKILL at random moments five times, restarted each time, then run until idle; every total read
 * back with read_committed must be exact.
 */
class CrashIT {

    private static final int RECORDS = 200_000;
    private static final int KILLS = 5;
    /** The consumer group of config/golden-signals.conf. */
    private static final String GROUP = "spate-golden-signals";

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldKeepEveryTotalExactAcrossKills(@TempDir Path dir) throws Exception {
        Process broker = NodeProcesses.spate("broker", List.of("--port", "0", "--data-dir", dir.resolve("broker").toString(), "--partitions", "3"), dir);
        try {
            String bootstrap = NodeProcesses.awaitListening(broker);
            List<byte[]> input = NodeProcesses.input(RECORDS);
            NodeProcesses.createTopic(bootstrap, "weblogs", 3);
            KafkaTopics.produce(bootstrap, "weblogs", input);
            Map<String, Long> expected = NodeProcesses.requestsPerHost(input);

            List<String> run = new ArrayList<>(List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
                    "--set", "spate.delivery=exactly-once", "--set", "spate.node-id=crash-test",
                    "--set", "spate.batch.max-records=2000", "--until-idle"));
            Random random = new Random(42);
            for (int k = 0; k < KILLS; k++) {
                long before = NodeProcesses.committed(bootstrap, GROUP);
                Process node = NodeProcesses.spate("run", run, dir);
                // Kill at a random moment of its work, once it has committed some (start-up and the first
                // batches take seconds on a busy machine, and a kill before them tests nothing).
                NodeProcesses.awaitLogLine(dir, "run", " started: ");
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (node.isAlive() && NodeProcesses.committed(bootstrap, GROUP) == before && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                Thread.sleep(random.nextInt(500));
                node.destroyForcibly();
                node.waitFor(30, TimeUnit.SECONDS);
            }
            Process last = NodeProcesses.spate("run", run, dir);
            assertTrue(last.waitFor(5, TimeUnit.MINUTES), "the last run ends by itself once idle");
            assertEquals(0, last.exitValue(), "the last run exits cleanly");
            long lastRead = lastRunRecords(dir);
            System.out.printf("crash-test: the killed runs committed %,d records; the last run read the other %,d%n", RECORDS - lastRead, lastRead);
            assertTrue(lastRead < RECORDS, "the killed runs made and committed progress, so the kills hit a working node");

            NodeProcesses.awaitNoOpenTransactions(bootstrap);
            Map<String, Long> actual = NodeProcesses.trafficPerHost(bootstrap);
            long total = actual.values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("crash-test: %d records, %d kills, totals %s%n", RECORDS, KILLS,
                    expected.equals(actual) ? "exact" : "differ: " + total + " requests counted");
            assertEquals(RECORDS, total, "every record counted exactly once");
            assertEquals(expected, actual);
        } finally {
            broker.destroy();
            broker.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** How many records the last run read, from its summary line ("golden-signals: N records ..."). */
    private static long lastRunRecords(Path dir) throws IOException {
        Path newest = null;
        try (var logs = Files.newDirectoryStream(dir, "run-*.log")) {
            for (Path f : logs) {
                if (newest == null || f.getFileName().toString().compareTo(newest.getFileName().toString()) > 0) {
                    newest = f;
                }
            }
        }
        for (String line : Files.readAllLines(newest, StandardCharsets.ISO_8859_1)) {
            Matcher m = Pattern.compile("^golden-signals: ([0-9,]+) records").matcher(line);
            if (m.find()) {
                return Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        throw new AssertionError("no summary line in " + newest);
    }
}
