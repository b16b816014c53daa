package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

import io.spate.testkit.KafkaTopics;
import io.spate.testkit.SampleData;

/**
 * Runs the real {@code spate} launcher script as separate OS processes, the way an operator does:
 * {@code spate broker} as the Kafka cluster, {@code spate run} as the node, and bad configurations
 * that must fail fast. Results are read back with plain Kafka clients and checked against totals
 * computed here from the log lines, independently of the engine.
 *
 * <p>Needs the packaged examples jar and {@code examples/target/lib} (failsafe runs after
 * {@code package}). Each process writes its stdout and stderr to files under
 * {@code examples/target/spate-launcher-it/}; they are printed when a test fails.
 */
@Tag("process")
class SpateLauncherIT {

    private static final String PIPELINE = "golden-signals";
    private static final String GROUP = "spate-golden-signals";
    private static final String INPUT = "weblogs";
    private static final String DLQ = "weblogs.dlq";
    private static final String NASA_LOG = "nasa_http/NASA_access_log_Jul95.first200000.gz";
    private static final String BUNDLED_SAMPLE = SampleData.BUNDLED_NASA_LOG;
    private static final int LOG_LINES = 20_000;
    private static final int CHUNK = 500;
    private static final long SIGTERM_MAX_RECORDS = 200_000;
    /** How long the launcher may spend rebuilding before it starts java; not counted in any limit. */
    private static final Duration BUILD_LIMIT = Duration.ofMinutes(5);

    /** One line per way the engine's CLF decoder can reject a record that matters here. */
    private static final List<String> MALFORMED = List.of(
            "this is not a log line",
            "bad.example.com - - [01/Jul/1995:00:00:01 -0400] \"GET /index.html HTTP/1.0\" 200 12x",
            "bad.example.com - - [01/Jul/1995:00:00:01 -0400] \"GET /index.html HTTP/1.0 200 1234");

    private static final Pattern CLF = Pattern.compile("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"(.*)\" (\\d{3}) (\\S+)$");
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern LISTENING = Pattern.compile("spate broker listening on (\\S+):(\\d+) ");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path REPO = repoRoot();
    private static final Path LAUNCHER = REPO.resolve("spate");
    private static final Path LOGS = REPO.resolve("examples/target/spate-launcher-it");

    /** Every process any test started, so that none outlives the class. */
    private static final List<Launched> ALL = Collections.synchronizedList(new ArrayList<>());
    /** The processes of the current test; kept until the next test so a failure can print their logs. */
    private static final List<Launched> CURRENT = Collections.synchronizedList(new ArrayList<>());

    @RegisterExtension
    static final TestWatcher PRINT_LOGS_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            synchronized (CURRENT) {
                for (Launched p : CURRENT) {
                    p.printLogs();
                }
            }
        }
    };

    private String testName;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    static void warmUpTheLauncher() throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), "no launcher at " + LAUNCHER);
        System.out.println("SpateLauncherIT: " + LAUNCHER + " from working dir " + Path.of("").toAbsolutePath());
        Files.createDirectories(LOGS);
        // A rebuild by the launcher rewrites the spate-engine jar this JVM runs from, in place; a
        // class first loaded from it afterwards is not found. So the one we use is loaded now.
        Class.forName(KafkaTopics.class.getName(), true, SpateLauncherIT.class.getClassLoader());
        // A first call absorbs a rebuild (a source newer than the jar), so that the tests' own
        // time limits measure the commands and not Maven.
        Launched version = launch("warm-up", "launcher", "--version");
        try {
            int rc = version.awaitExit(Duration.ofMinutes(1));
            if (version.stderr().contains("spate: building")) {
                System.out.println("SpateLauncherIT: the launcher rebuilt the project first; run `mvn -DskipTests install` before this IT");
            }
            assertEquals(0, rc, "spate --version exit code");
            assertTrue(version.stdout().contains("spate 0.1.0"), "spate --version printed: " + version.stdout());
        } catch (AssertionError | RuntimeException e) {
            version.printLogs();
            throw e;
        }
    }

    @BeforeEach
    void nameLogsAfter(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
        CURRENT.clear();
    }

    @AfterEach
    void stopProcessesOfThisTest() throws InterruptedException {
        List<Launched> mine;
        synchronized (CURRENT) {
            mine = new ArrayList<>(CURRENT);
        }
        // Newest first: a node drains while its broker is still up.
        Collections.reverse(mine);
        for (Launched p : mine) {
            p.stop();
        }
    }

    @AfterAll
    static void stopEverything() throws InterruptedException {
        List<Launched> all;
        synchronized (ALL) {
            all = new ArrayList<>(ALL);
        }
        Collections.reverse(all);
        for (Launched p : all) {
            p.stop();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldRunGoldenSignalsUntilIdleAgainstAStandaloneBroker(@TempDir Path brokerData) throws Exception {
        String bootstrap = startBroker(brokerData);
        createInputTopic(bootstrap);
        List<byte[]> lines = withMalformedLines(logLines());
        KafkaTopics.produce(bootstrap, INPUT, lines);
        Expected expected = Expected.of(lines);
        // The real log is clean, so the only malformed lines are the ones added here.
        assertEquals(MALFORMED.size(), expected.malformed().size(), "malformed lines by the test's own parser");

        Launched run = launch(testName, "run", "run", "--config", REPO.resolve("config/golden-signals.conf").toString(),
                "--bootstrap", bootstrap, "--until-idle");
        assertEquals(0, run.awaitExit(Duration.ofMinutes(3)), "exit code of spate run --until-idle");

        assertTotals("traffic", expected.requests(), sumBy(KafkaTopics.readAll(bootstrap, "traffic"), "requests", "host"));
        assertTotals("errors", expected.errors(), sumBy(KafkaTopics.readAll(bootstrap, "errors"), "errors", "host", "response"));
        assertTotals("mb-sent", expected.bytes(), sumBy(KafkaTopics.readAll(bootstrap, "mb-sent"), "bytes", "host"));
        assertDeadLetters(bootstrap, expected.malformed());
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith(PIPELINE + ":")),
                "run summary line `" + PIPELINE + ": ...` on stdout; stdout was:\n" + run.stdout());
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void shouldDrainAndExitZeroOnSigterm(@TempDir Path brokerData) throws Exception {
        String bootstrap = startBroker(brokerData);
        createInputTopic(bootstrap);
        // Small batches, so that several are in flight when the stop request comes.
        Launched run = launch(testName, "run", "run", "--config", REPO.resolve("config/golden-signals.conf").toString(),
                "--bootstrap", bootstrap, "--set", "spate.batch.max-records=2000");
        run.awaitJvm();

        // Records keep arriving until the node has exited, so the drain happens mid-stream.
        List<byte[]> lines = logLines();
        AtomicBoolean stopProducing = new AtomicBoolean();
        CompletableFuture<Long> produced = CompletableFuture.supplyAsync(() -> {
            long n = 0;
            for (int from = 0; !stopProducing.get() && n < SIGTERM_MAX_RECORDS; from = (from + CHUNK) % lines.size()) {
                List<byte[]> chunk = lines.subList(from, Math.min(lines.size(), from + CHUNK));
                KafkaTopics.produce(bootstrap, INPUT, chunk);
                n += chunk.size();
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            return n;
        });
        try {
            awaitRecords(bootstrap, "traffic", run, Duration.ofMinutes(2));
            run.process().destroy();
            assertEquals(0, run.awaitExit(Duration.ofSeconds(90)), "exit code of spate run after SIGTERM");
        } finally {
            stopProducing.set(true);
        }
        long total = produced.get(2, TimeUnit.MINUTES);

        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(INPUT, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));

            assertFalse(committed.isEmpty(), "group " + GROUP + " committed no offsets before exiting");
            long consumed = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
                assertNotNull(e.getValue(), "committed offset of " + e.getKey());
                long end = ends.getOrDefault(e.getKey(), -1L);
                assertTrue(e.getValue().offset() <= end, "committed " + e.getValue().offset() + " past the end " + end + " of " + e.getKey());
                consumed += e.getValue().offset();
            }
            long endTotal = ends.values().stream().mapToLong(Long::longValue).sum();
            assertEquals(total, endTotal, "records produced to " + INPUT);
            // Every line is well formed and counts once in traffic: whatever was committed must
            // have been computed and produced before the commit (at-least-once across a drain).
            long requests = sumBy(KafkaTopics.readAll(bootstrap, "traffic"), "requests", "host")
                    .values().stream().mapToLong(Long::longValue).sum();
            System.out.printf("SpateLauncherIT: the SIGTERM drain committed %,d of %,d records (%s); traffic counts %,d requests%n",
                    consumed, endTotal, consumed == endTotal ? "caught up" : "stopped mid-stream", requests);
            assertTrue(requests >= consumed, "traffic counts " + requests + " requests but " + consumed + " records were committed");
        }
        assertTrue(run.stdout().lines().anyMatch(l -> l.startsWith(PIPELINE + ":")),
                "run summary line `" + PIPELINE + ": ...` on stdout after SIGTERM; stdout was:\n" + run.stdout());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldFailFastNamingTheKeyOnBadConfig(@TempDir Path dir) throws Exception {
        Path badFormat = dir.resolve("bad-format.conf");
        Files.writeString(badFormat,
                "spate.pipelines = [{ name = x, source { topics = [a] }, format { type = nope }, outputs = [] }]\n");
        Launched format = launch(testName, "bad-format", "run", "--config", badFormat.toString(), "--bootstrap", "127.0.0.1:1");
        assertEquals(2, format.awaitExit(Duration.ofSeconds(30)), "exit code of spate run with format.type = nope");
        assertTrue(format.output().contains("format.type"), "output names format.type:\n" + format.output());

        Launched batch = launch(testName, "bad-set", "run", "--config", REPO.resolve("config/golden-signals.conf").toString(),
                "--bootstrap", "127.0.0.1:1", "--set", "spate.batch.max-records=abc");
        assertEquals(2, batch.awaitExit(Duration.ofSeconds(30)), "exit code of spate run with spate.batch.max-records=abc");
        assertTrue(batch.output().contains("spate.batch.max-records"), "output names spate.batch.max-records:\n" + batch.output());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void shouldTakeJavaOptionsAndEnvironmentOverridesOverThePipelineFileAndTheLaunchersLogging(@TempDir Path dir) throws Exception {
        Path pipeline = dir.resolve("sized.conf");
        Files.writeString(pipeline, "include file(" + JSON.writeValueAsString(REPO.resolve("config/golden-signals.conf").toString())
                + ")\nspate.batch.max-records = 100\n");
        Launched env = launch(testName, "env-override", Map.of("CONFIG_FORCE_spate_batch_max__records", "abc"),
                "run", "--config", pipeline.toString(), "--bootstrap", "127.0.0.1:1");
        assertEquals(2, env.awaitExit(Duration.ofSeconds(30)), "exit code of spate run with CONFIG_FORCE_spate_batch_max__records=abc");
        assertTrue(env.output().contains("spate.batch.max-records"), "output names spate.batch.max-records:\n" + env.output());

        Launched property = launch(testName, "system-property", Map.of("SPATE_JAVA_OPTS", "-Dspate.batch.max-records=abc"),
                "run", "--config", pipeline.toString(), "--bootstrap", "127.0.0.1:1");
        assertEquals(2, property.awaitExit(Duration.ofSeconds(30)), "exit code of spate run with -Dspate.batch.max-records=abc");
        assertTrue(property.output().contains("spate.batch.max-records"), "output names spate.batch.max-records:\n" + property.output());

        // config/logback.xml keeps org.apache.kafka at WARN; this one shows the producer's INFO lines, marked.
        Path logback = Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>USER-LOGBACK %logger %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        Path lines = Files.writeString(dir.resolve("lines.txt"), "one\n");
        Launched logging = launch(testName, "user-logback", Map.of("SPATE_JAVA_OPTS", "-Dlogback.configurationFile=" + logback),
                "load", "--topic", "nowhere", "--bootstrap", "127.0.0.1:1",
                "--set", "spate.kafka.producer-properties.\"max.block.ms\"=1000", lines.toString());
        logging.awaitExit(Duration.ofSeconds(60));
        assertTrue(logging.output().contains("USER-LOGBACK org.apache.kafka"), "the user's logback.xml logs:\n" + logging.output());
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldLogOneJsonObjectALineWithSpateLogFormatJsonAndRefuseAnUnknownFormat() throws Exception {
        // No broker at port 1: the Kafka client logs a WARN per failed connection until the startup timeout (exit 3).
        Launched json = launch(testName, "json", Map.of("SPATE_LOG_FORMAT", "json"),
                "status", "--bootstrap", "127.0.0.1:1", "--set", "spate.kafka.startup-timeout=2s");
        assertEquals(3, json.awaitExit(Duration.ofSeconds(60)), "exit code of spate status with no broker");
        List<String> logged = json.stderr().lines().filter(l -> !l.isBlank() && !l.startsWith("spate: ")).toList();
        assertFalse(logged.isEmpty(), "no log lines:\n" + json.output());
        for (String line : logged) {
            JsonNode record = JSON.readTree(line);
            assertTrue(record.hasNonNull("level") && record.hasNonNull("message"), "not a log record: " + line);
        }

        Launched unknown = launch(testName, "yaml", Map.of("SPATE_LOG_FORMAT", "yaml"), "--version");
        assertEquals(2, unknown.awaitExit(Duration.ofSeconds(30)), "exit code with SPATE_LOG_FORMAT=yaml");
        assertTrue(unknown.stderr().contains("spate: SPATE_LOG_FORMAT must be text or json, was 'yaml'"), unknown.output());
    }

    // ---- processes ----

    /** A launched {@code spate} process and where its output goes. */
    private record Launched(String name, Process process, Path out, Path err) {

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        String output() {
            return stdout() + stderr();
        }

        /**
         * Waits while the launcher rebuilds the project, until it has exec'd java (same PID) or
         * exited. Other engineers' edits can make any call rebuild, so limits start from here.
         */
        void awaitJvm() throws InterruptedException {
            long deadline = System.nanoTime() + BUILD_LIMIT.toNanos();
            while (process.isAlive() && process.info().command().filter(c -> !c.endsWith("java")).isPresent()) {
                if (System.nanoTime() > deadline) {
                    fail(name + ": the launcher did not start java within " + BUILD_LIMIT);
                }
                Thread.sleep(50);
            }
        }

        /** The exit code, or a failure when java is still running {@code limit} after it started. */
        int awaitExit(Duration limit) throws InterruptedException {
            awaitJvm();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail(name + " did not exit within " + limit);
            }
            return process.exitValue();
        }

        void stop() throws InterruptedException {
            if (!process.isAlive()) {
                return;
            }
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                System.out.println("SpateLauncherIT: " + name + " ignored SIGTERM for 20 s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        void printLogs() {
            System.out.printf("---- %s: %s (alive: %s) ----%n---- stdout (%s) ----%n%s%n---- stderr (%s) ----%n%s%n",
                    name, process.info().commandLine().orElse("?"), process.isAlive(), out, stdout(), err, stderr());
        }

        private static String read(Path file) {
            try {
                return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
            } catch (IOException e) {
                return "(cannot read " + file + ": " + e + ")";
            }
        }
    }

    /** Starts {@code bash spate ARGS...} in the repository root, its output to two log files. */
    private static Launched launch(String test, String role, String... args) throws IOException {
        return launch(test, role, Map.of(), args);
    }

    /** {@link #launch(String, String, String...)} with these environment variables besides ours. */
    private static Launched launch(String test, String role, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        String name = test + "-" + role;
        Path out = LOGS.resolve(name + ".out.log");
        Path err = LOGS.resolve(name + ".err.log");
        ProcessBuilder builder = new ProcessBuilder(command);
        // Nodes side by side (and beside other builds on this machine): each HTTP server takes a free port.
        builder.environment().put("CONFIG_FORCE_spate_http_port", "0");
        builder.environment().putAll(env);
        Process process = builder
                .directory(REPO.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        Launched launched = new Launched(name, process, out, err);
        ALL.add(launched);
        CURRENT.add(launched);
        return launched;
    }

    /** Starts {@code spate broker} on a free port and returns its bootstrap address once it listens. */
    private String startBroker(Path dataDir) throws Exception {
        Launched broker = launch(testName, "broker", "broker", "--port", Integer.toString(freePort()),
                "--data-dir", dataDir.toString());
        broker.awaitJvm();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(broker.stdout());
            if (m.find()) {
                return m.group(1) + ":" + m.group(2);
            }
            if (!broker.process().isAlive()) {
                fail("spate broker exited with " + broker.process().exitValue() + " before listening");
            }
            Thread.sleep(100);
        }
        return fail("spate broker printed no `listening` line within 60 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Creates the input topic and waits until the broker serves both partitions: producing at once
     * to a partition the broker has not yet set up can lose records (KAFKA-15591).
     */
    private static void createInputTopic(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(INPUT, 0), OffsetSpec.latest(),
                    new TopicPartition(INPUT, 1), OffsetSpec.latest());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    // Answered by each partition's leader once the broker has the partition.
                    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException | TimeoutException e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the partitions of " + INPUT + " are not served after 60 s", e);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** Waits until {@code topic} holds a record, failing early if {@code run} exits meanwhile. */
    private static void awaitRecords(String bootstrap, String topic, Launched run, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (System.nanoTime() < deadline) {
                // Reading a topic that does not exist yet would auto-create it, ahead of the node.
                if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)
                        && !KafkaTopics.readAll(bootstrap, topic).isEmpty()) {
                    return;
                }
                if (!run.process().isAlive()) {
                    fail(run.name() + " exited with " + run.process().exitValue() + " before writing to " + topic);
                }
                Thread.sleep(250);
            }
        }
        fail("no record on " + topic + " within " + limit);
    }

    // ---- data and expectations ----

    private static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("spate")) && Files.isDirectory(dir.resolve("config")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no `spate` launcher above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /**
     * The first lines of the real NASA log under {@code shared/data}; without it, the first lines
     * of the sample bundled in the engine jar, so the test still runs.
     */
    private static List<byte[]> logLines() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("shared/data"))) {
            dir = dir.getParent();
        }
        Path file = dir == null ? null : dir.resolve("shared/data").resolve(NASA_LOG);
        if (file != null && Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                return firstLines(in, LOG_LINES);
            }
        }
        System.out.println("SpateLauncherIT: no shared/data/" + NASA_LOG + "; using the sample bundled in the engine jar");
        InputStream sample = SpateLauncherIT.class.getResourceAsStream(BUNDLED_SAMPLE);
        assumeTrue(sample != null, "neither shared/data/" + NASA_LOG + " nor " + BUNDLED_SAMPLE + " on the class path");
        try (InputStream in = sample) {
            return firstLines(in, LOG_LINES);
        }
    }

    /** Up to {@code max} lines of a gzipped stream, without terminators, bytes kept as they are. */
    private static List<byte[]> firstLines(InputStream gzipped, int max) throws IOException {
        List<byte[]> lines = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(gzipped, 1 << 16), 1 << 16)) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while (lines.size() < max && (b = in.read()) >= 0) {
                if (b == '\n') {
                    lines.add(line.toByteArray());
                    line.reset();
                } else {
                    line.write(b);
                }
            }
            if (lines.size() < max && line.size() > 0) {
                lines.add(line.toByteArray());
            }
        }
        return lines;
    }

    /** {@code lines} with the malformed lines placed at the start, in the middle and at the end. */
    private static List<byte[]> withMalformedLines(List<byte[]> lines) {
        List<byte[]> all = new ArrayList<>(lines);
        all.add(all.size(), MALFORMED.get(2).getBytes(StandardCharsets.ISO_8859_1));
        all.add(all.size() / 2, MALFORMED.get(1).getBytes(StandardCharsets.ISO_8859_1));
        all.add(0, MALFORMED.get(0).getBytes(StandardCharsets.ISO_8859_1));
        return all;
    }

    /** The golden signals of a list of lines, computed with a regex and hash maps. */
    private record Expected(Map<String, Long> requests, Map<String, Long> errors, Map<String, Long> bytes, List<String> malformed) {

        static Expected of(List<byte[]> lines) {
            Map<String, Long> requests = new HashMap<>();
            Map<String, Long> errors = new HashMap<>();
            Map<String, Long> bytes = new HashMap<>();
            List<String> malformed = new ArrayList<>();
            for (byte[] raw : lines) {
                String line = new String(raw, StandardCharsets.ISO_8859_1);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                Matcher m = CLF.matcher(line);
                if (!m.matches() || !validTime(m.group(4)) || !m.group(7).matches("-|\\d{1,18}")) {
                    malformed.add(new String(raw, StandardCharsets.ISO_8859_1));
                    continue;
                }
                String host = m.group(1);
                int status = Integer.parseInt(m.group(6));
                requests.merge(host, 1L, Long::sum);
                bytes.merge(host, "-".equals(m.group(7)) ? 0L : Long.parseLong(m.group(7)), Long::sum);
                if (status >= 500) {
                    errors.merge(host + "\t" + status, 1L, Long::sum);
                }
            }
            return new Expected(requests, errors, bytes, malformed);
        }

        private static boolean validTime(String time) {
            try {
                CLF_TIME.parse(time);
                return true;
            } catch (DateTimeParseException e) {
                return false;
            }
        }
    }

    /** Sums the JSON field {@code value} over records, per tab-joined {@code keys}. */
    private static Map<String, Long> sumBy(List<ConsumerRecord<byte[], byte[]>> records, String value, String... keys)
            throws IOException {
        Map<String, Long> totals = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode json = JSON.readTree(r.value());
            List<String> key = new ArrayList<>();
            for (String k : keys) {
                assertTrue(json.hasNonNull(k), "no `" + k + "` in " + json);
                key.add(json.get(k).asText());
            }
            assertTrue(json.hasNonNull(value), "no `" + value + "` in " + json);
            totals.merge(String.join("\t", key), json.get(value).asLong(), Long::sum);
        }
        return totals;
    }

    /** Equal maps, with a failure message that shows a few differing keys rather than 20,000 entries. */
    private static void assertTotals(String topic, Map<String, Long> expected, Map<String, Long> actual) {
        long expectedSum = expected.values().stream().mapToLong(Long::longValue).sum();
        long actualSum = actual.values().stream().mapToLong(Long::longValue).sum();
        if (expected.equals(actual)) {
            return;
        }
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> diffs = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k))) {
                diffs.add(k.replace('\t', '/') + ": expected " + expected.get(k) + ", got " + actual.get(k));
            }
        }
        fail(String.format("%s: %d of %d keys differ (total expected %d, got %d), e.g. %s",
                topic, diffs.size(), keys.size(), expectedSum, actualSum, diffs.subList(0, Math.min(10, diffs.size()))));
    }

    /**
     * Exactly the malformed lines are dead-lettered, each with its reason and the exact position
     * of the input record it copies.
     */
    private static void assertDeadLetters(String bootstrap, List<String> malformed) {
        List<ConsumerRecord<byte[], byte[]>> dlq = KafkaTopics.readAll(bootstrap, DLQ);
        assertEquals(malformed.size(), dlq.size(), "records on " + DLQ);
        Map<String, byte[]> input = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTopics.readAll(bootstrap, INPUT)) {
            input.put(r.partition() + "@" + r.offset(), r.value());
        }
        List<String> values = new ArrayList<>();
        Set<String> positions = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dlq) {
            String reason = header(r, "spate.error.reason");
            assertFalse(reason.isBlank(), "empty spate.error.reason on a dead letter");
            assertEquals(INPUT, header(r, "spate.source.topic"), "spate.source.topic");
            String position = Integer.parseInt(header(r, "spate.source.partition")) + "@" + Long.parseLong(header(r, "spate.source.offset"));
            assertTrue(positions.add(position), "two dead letters for " + position);
            byte[] source = input.get(position);
            assertNotNull(source, "no " + INPUT + " record at partition@offset " + position);
            assertEquals(new String(source, StandardCharsets.ISO_8859_1), new String(r.value(), StandardCharsets.ISO_8859_1),
                    "dead letter value vs the input record at " + position + " (reason: " + reason + ")");
            values.add(new String(r.value(), StandardCharsets.ISO_8859_1));
        }
        assertEquals(new TreeSet<>(malformed), new TreeSet<>(values), "dead-lettered lines");
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        assertNotNull(h, "no " + name + " header on a dead letter");
        assertNotNull(h.value(), "null " + name + " header on a dead letter");
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
