package io.spate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.testkit.KafkaTopics;

/**
 * The node distribution as an operator installs it: the {@code spate-VERSION.tar.gz} that
 * {@code mvn package} left in {@code target/}, unpacked into an empty directory and run through its
 * {@code bin/spate} with nothing but a Java runtime on the PATH (no Maven, no repository), against
 * an embedded broker. Builds nothing itself; failsafe runs it after {@code package}.
 */
@Tag("process")
class DistributionIT {

    private static final Pattern TARBALL = Pattern.compile("spate-(.+)\\.tar\\.gz");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A few NASA-style log lines: three hosts, one 5xx, one size of "-". */
    private static final List<String> LOG = List.of(
            "199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] \"GET /history/apollo/ HTTP/1.0\" 200 6245",
            "unicomp6.unicomp.net - - [01/Jul/1995:00:00:06 -0400] \"GET /shuttle/countdown/ HTTP/1.0\" 200 3985",
            "199.72.81.55 - - [01/Jul/1995:00:00:09 -0400] \"GET /shuttle/missions/sts-73/mission-sts-73.html HTTP/1.0\" 200 4085",
            "burger.letters.com - - [01/Jul/1995:00:00:11 -0400] \"GET /shuttle/countdown/liftoff.html HTTP/1.0\" 304 0",
            "199.72.81.55 - - [01/Jul/1995:00:00:12 -0400] \"GET /images/NASA-logosmall.gif HTTP/1.0\" 304 -",
            "unicomp6.unicomp.net - - [01/Jul/1995:00:00:14 -0400] \"GET /cgi-bin/imagemap/countdown HTTP/1.0\" 503 0",
            "burger.letters.com - - [01/Jul/1995:00:00:12 -0400] \"GET /images/NASA-logosmall.gif HTTP/1.0\" 304 0");
    /**
     * A command that logs without a broker: {@code spate status} against a closed port, whose Kafka
     * client logs a WARN per failed connection until the startup timeout ends it with exit 3.
     */
    private static final String[] UNREACHABLE = {"status", "--bootstrap", "127.0.0.1:1", "--set", "spate.kafka.startup-timeout=2s"};
    private static final Map<String, Long> REQUESTS = Map.of("199.72.81.55", 3L, "unicomp6.unicomp.net", 2L, "burger.letters.com", 2L);

    @TempDir
    static Path installDir;

    private static Path home;
    private static String version;

    @BeforeAll
    static void unpackTheTarball() throws Exception {
        Path tarball;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> found = files.filter(f -> TARBALL.matcher(f.getFileName().toString()).matches()).toList();
            assertEquals(1, found.size(), "one spate-VERSION.tar.gz in " + Path.of("target").toAbsolutePath() + " (run mvn package): " + found);
            tarball = found.get(0);
        }
        Matcher m = TARBALL.matcher(tarball.getFileName().toString());
        assertTrue(m.matches());
        version = m.group(1);
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toAbsolutePath().toString(), "-C", installDir.toString())
                .redirectErrorStream(true).start();
        assertTrue(tar.waitFor(2, TimeUnit.MINUTES), "tar did not finish");
        assertEquals(0, tar.exitValue(), new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        home = installDir.resolve("spate-" + version);
        for (String part : List.of("bin/spate", "LICENSE", "README.md", "config/golden-signals.conf", "config/logback.xml",
                "config/logback-json.xml")) {
            assertTrue(Files.isRegularFile(home.resolve(part)), "no " + part + " in " + tarball);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/spate")), "bin/spate is not executable");
    }

    @Test
    void shouldShipTheNodesJarsEachNamingItsModuleAndVersion() throws IOException {
        for (String module : List.of("engine", "testkit", "cli", "gpu", "examples")) {
            Path jar = home.resolve("lib/spate-" + module + "-" + version + ".jar");
            assertTrue(Files.isRegularFile(jar), "no " + home.relativize(jar));
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                assertEquals("io.spate." + module, manifest.getMainAttributes().getValue("Automatic-Module-Name"), jar + " Automatic-Module-Name");
                assertEquals(version, manifest.getMainAttributes().getValue("Implementation-Version"), jar + " Implementation-Version");
            }
        }
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertFalse(lib.anyMatch(j -> j.getFileName().toString().startsWith("junit-")), "JUnit in lib/");
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldPrintTheVersionOfTheJars() throws Exception {
        Ran ran = spate(Duration.ofSeconds(60), "-V");
        assertEquals(0, ran.exitCode(), ran.toString());
        assertTrue(ran.out().startsWith("spate " + version + "\n"), ran.toString());
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldStartJavaWithTheShippedJvmOptionsAndLetTheUsersWin() throws Exception {
        Map<String, String> shipped = new HashMap<>();
        for (String line : Files.readAllLines(home.resolve("config/jvm.options"))) {
            Matcher flag = Pattern.compile("-XX:(\\w+)=(\\S+)").matcher(line.strip());
            if (flag.matches()) {
                shipped.put(flag.group(1), flag.group(2));
            }
        }
        assertFalse(shipped.isEmpty(), "no -XX:Name=value in config/jvm.options");
        String overridden = shipped.keySet().iterator().next();
        String mine = Integer.toString(Integer.parseInt(shipped.get(overridden)) + 1);
        Ran ran = spate(Duration.ofSeconds(60), Map.of("SPATE_JAVA_OPTS", "-XX:+PrintFlagsFinal -XX:" + overridden + "=" + mine), "-V");
        assertEquals(0, ran.exitCode(), ran.toString());
        Map<String, String> flags = new HashMap<>();
        for (String line : ran.out().lines().toList()) {
            Matcher flag = Pattern.compile("\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+).*").matcher(line);
            if (flag.matches()) {
                flags.put(flag.group(1), flag.group(2));
            }
        }
        for (Map.Entry<String, String> e : shipped.entrySet()) {
            assertEquals(e.getKey().equals(overridden) ? mine : e.getValue(), flags.get(e.getKey()), e.getKey() + "\n" + ran);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldValidateTheShippedConfigWithoutABroker() throws Exception {
        Ran ran = spate(Duration.ofSeconds(60), "validate", "--config", "config/golden-signals.conf");
        assertEquals(0, ran.exitCode(), ran.toString());
        assertEquals("golden-signals: clf from weblogs -> traffic, errors, mb-sent", ran.out().strip(), ran.toString());
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void shouldRunTheShippedGoldenSignalsUntilIdle() throws Exception {
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start()) {
            String bootstrap = broker.bootstrapServers();
            broker.createTopic("weblogs", 2);
            KafkaTopics.produce(bootstrap, "weblogs", LOG.stream().map(l -> l.getBytes(StandardCharsets.ISO_8859_1)).toList());

            Ran ran = spate(Duration.ofMinutes(3), "run", "--config", "config/golden-signals.conf", "--bootstrap", bootstrap, "--until-idle");
            assertEquals(0, ran.exitCode(), ran.toString());
            assertEquals(REQUESTS, sum(KafkaTopics.readAll(bootstrap, "traffic"), "requests", "host"), "requests per host on traffic");
            assertEquals(Map.of("unicomp6.unicomp.net|503", 1L), sum(KafkaTopics.readAll(bootstrap, "errors"), "errors", "host", "response"),
                    "5xx per host and status on errors");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void shouldRunTheDemo() throws Exception {
        // Its own embedded broker and the 50,000-line sample bundled in the jars: some 15 s.
        Ran ran = spate(Duration.ofMinutes(2), "demo");
        assertEquals(0, ran.exitCode(), ran.toString());
        assertTrue(ran.out().contains("traffic   50,000 requests from"), ran.toString());
    }

    /**
     * Class data sharing (bin/spate-cds.sh): with a HOME and the few tools it needs on the PATH, a
     * run that failed at its start leaves no archive, a demo that computed does (in
     * ~/.cache/spate), and the next start maps Spate's classes from it, silently.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void shouldArchiveTheClassesOfAWorkingRunAndMapThemOnTheNextStart() throws Exception {
        Path tools = Files.createDirectories(installDir.resolve("cds-tools"));
        for (String tool : List.of("find", "cksum", "ls", "mkdir", "mv", "rm")) {
            Path found = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new AssertionError("no " + tool + " on this machine's PATH"));
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        Path userHome = Files.createDirectories(installDir.resolve("cds-home"));
        Path cache = userHome.resolve(".cache/spate");
        String path = Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator + tools;
        Map<String, String> env = Map.of("PATH", path, "HOME", userHome.toString());

        Ran failed = spate(Duration.ofSeconds(60), env, "run", "--config", "config/golden-signals.conf", "--bootstrap", "127.0.0.1:1",
                "--set", "spate.kafka.startup-timeout=2s");
        assertEquals(3, failed.exitCode(), failed.toString());
        assertEquals(List.of(), cacheFiles(cache, ".jsa"), "an archive kept from a run that failed at its start");

        Ran demo = spate(Duration.ofMinutes(2), env, "demo");
        assertEquals(0, demo.exitCode(), demo.toString());
        assertEquals(1, cacheFiles(cache, ".tmp").size(), "the demo's archive, and only it (the failed run's dropped): " + cacheFiles(cache, ""));
        assertFalse(demo.out().contains("cds") || demo.err().contains("cds"), "CDS messages in the demo's output: " + demo);

        Path loaded = installDir.resolve("cds-class-load.log");
        Ran validate = spate(Duration.ofSeconds(60), Map.of("PATH", path, "HOME", userHome.toString(),
                "SPATE_JAVA_OPTS", "-Xlog:class+load=info:file=" + loaded), "validate", "--config", "config/golden-signals.conf");
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals("golden-signals: clf from weblogs -> traffic, errors, mb-sent", validate.out().strip(), validate.toString());
        assertEquals(1, cacheFiles(cache, ".jsa").size(), "the demo's archive, taken: " + cacheFiles(cache, ""));
        assertEquals(List.of(), cacheFiles(cache, ".tmp"), "archives left to take");
        assertTrue(Files.readAllLines(loaded).stream().anyMatch(l -> l.contains("io.spate.cli.SpateCli source: shared objects file (top)")),
                "SpateCli not mapped from the archive; class loading logged in " + loaded);
    }

    private static List<String> cacheFiles(Path cache, String suffix) throws IOException {
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldLogOneJsonObjectALineWithSpateLogFormatJson() throws Exception {
        Ran ran = spate(Duration.ofSeconds(60), Map.of("SPATE_LOG_FORMAT", "json"), UNREACHABLE);
        assertEquals(3, ran.exitCode(), ran.toString());
        List<String> logged = logLines(ran);
        assertFalse(logged.isEmpty(), "the Kafka client logs its failed connections: " + ran);
        for (String line : logged) {
            JsonNode record = JSON.readTree(line);
            assertEquals("WARN", record.path("level").asText(), line);
            assertTrue(record.path("loggerName").asText().startsWith("org.apache.kafka."), line);
            assertTrue(record.hasNonNull("message") && record.hasNonNull("formattedMessage"), line);
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldLetTheUsersLogbackConfigWinOverTheLaunchersInEitherFormat() throws Exception {
        Path mine = Files.writeString(installDir.resolve("my-logback.xml"), """
                <configuration>
                  <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>MINE %level %logger - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="ERR"/></root>
                </configuration>
                """);
        for (String format : List.of("text", "json")) {
            Ran ran = spate(Duration.ofSeconds(60), Map.of("SPATE_LOG_FORMAT", format, "SPATE_JAVA_OPTS", "-Dlogback.configurationFile=" + mine),
                    UNREACHABLE);
            assertEquals(3, ran.exitCode(), ran.toString());
            List<String> logged = logLines(ran);
            assertFalse(logged.isEmpty(), ran.toString());
            assertTrue(logged.stream().allMatch(l -> l.startsWith("MINE WARN org.apache.kafka.")), format + ": " + ran);
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void shouldRefuseAnUnknownLogFormatBeforeStartingJava() throws Exception {
        Ran ran = spate(Duration.ofSeconds(30), Map.of("SPATE_LOG_FORMAT", "yaml"), "-V");
        assertEquals(2, ran.exitCode(), ran.toString());
        assertEquals("spate: SPATE_LOG_FORMAT must be text or json, was 'yaml'", ran.err().strip(), ran.toString());
    }

    /** What the log says on stderr: every line but the CLI's own verdict ({@code spate: ...}). */
    private static List<String> logLines(Ran ran) {
        return ran.err().lines().filter(l -> !l.isBlank() && !l.startsWith("spate: ")).toList();
    }

    /** {@code field} summed over the records of a topic, per the values of {@code keys} joined with "|". */
    private static Map<String, Long> sum(List<ConsumerRecord<byte[], byte[]>> records, String field, String... keys) throws IOException {
        Map<String, Long> sums = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode v = JSON.readTree(r.value());
            List<String> key = new ArrayList<>();
            for (String k : keys) {
                key.add(v.get(k).asText());
            }
            sums.merge(String.join("|", key), v.get(field).asLong(), Long::sum);
        }
        return sums;
    }

    /** What a run of {@code bin/spate} exited with and wrote. */
    private record Ran(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n---- stdout ----\n" + out + "\n---- stderr ----\n" + err;
        }
    }

    /**
     * Runs {@code bin/spate ARGS} in the install directory with an environment of its own: only
     * PATH, holding only this JVM's {@code bin} (so no Maven and no other tool is there to lean on).
     */
    private static Ran spate(Duration limit, String... args) throws Exception {
        return spate(limit, Map.of(), args);
    }

    /** {@link #spate(Duration, String...)} with {@code env} besides PATH. */
    private static Ran spate(Duration limit, Map<String, String> env, String... args) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/spate").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(installDir, "spate-", ".out");
        Path err = Files.createTempFile(installDir, "spate-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", javaBin.toString());
        builder.environment().putAll(env);
        for (String dir : builder.environment().get("PATH").split(File.pathSeparator)) {
            assertFalse(Files.exists(Path.of(dir, "mvn")), "mvn on the PATH of the test's spate: " + dir);
        }
        Process process = builder.start();
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("bin/spate " + String.join(" ", args) + " did not exit within " + limit + "\n" + read(out) + "\n" + read(err));
        }
        return new Ran(process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
