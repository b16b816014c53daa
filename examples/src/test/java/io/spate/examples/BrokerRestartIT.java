package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * The broker (a standalone {@code spate broker} process) is stopped and started again on the same
 * port and data directory while an exactly-once golden-signals node runs: the node recovers by
 * itself and every total is exact.
 */
class BrokerRestartIT {

    private static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d{3}) (\\S+)$");
    private static final int RECORDS = 200_000;
    private static final java.util.concurrent.atomic.AtomicInteger LAUNCHES = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldRecoverFromABrokerRestartWithExactTotals(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> brokerArgs = List.of("--port", Integer.toString(port), "--data-dir", dir.resolve("broker").toString(), "--partitions", "3");
        Process broker = java("broker", brokerArgs, dir);
        Process node = null;
        try {
            String bootstrap = awaitListening(broker);
            List<byte[]> input = input();
            KafkaTopics.produce(bootstrap, "weblogs", input);
            Map<String, Long> expected = requestsPerHost(input);
            node = java("run", List.of("--config", "../config/golden-signals.conf", "--bootstrap", bootstrap,
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
            broker = java("broker", brokerArgs, dir);
            assertEquals(bootstrap, awaitListening(broker), "the broker comes back where it was");
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

    /** The NASA log (shared file when present, else the bundled sample), cycled to RECORDS lines. */
    private static List<byte[]> input() throws IOException {
        List<byte[]> lines = SampleData.nasaLog();
        List<byte[]> out = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            out.add(lines.get(i % lines.size()));
        }
        return out;
    }

    private static Map<String, Long> requestsPerHost(List<byte[]> input) {
        Map<String, Long> counts = new HashMap<>();
        for (byte[] line : input) {
            Matcher m = CLF.matcher(new String(line, StandardCharsets.ISO_8859_1));
            if (m.matches()) {
                counts.merge(m.group(1), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Starts {@code spate COMMAND ARGS} in a JVM of its own, with the examples' class path, output to a file in {@code dir}. */
    private static Process java(String command, List<String> args, Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", "target/spate-examples-0.1.0-SNAPSHOT.jar" + java.io.File.pathSeparator + "target/lib/*",
                "io.spate.cli.SpateCli", command));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (!command.equals("broker")) {
            pb.redirectOutput(dir.resolve(String.format("%s-%03d.log", command, LAUNCHES.incrementAndGet())).toFile());
        }
        return pb.start();
    }

    /** The broker's address, from its "listening" line (its output is read here, not redirected). */
    private static String awaitListening(Process broker) throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(broker.getInputStream(), StandardCharsets.ISO_8859_1))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("spate broker listening on ")) {
                        address.complete(line.substring("spate broker listening on ".length()).split(" ")[0]);
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
        }, "crash-test-broker-output");
        reader.setDaemon(true);
        reader.start();
        return address.get(90, TimeUnit.SECONDS);
    }
}
