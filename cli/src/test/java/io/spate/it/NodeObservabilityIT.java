package io.spate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.config.NodeConfig;
import io.spate.internal.node.IdleWatcher;
import io.spate.internal.node.Node;
import io.spate.testkit.KafkaTopics;

/**
 * A node's HTTP server while it runs two pipelines over the NASA log (with a few malformed lines):
 * {@code /metrics} in Prometheus's text format agrees with the pipelines' own counts and the
 * dead-letter topic, {@code /alive} and {@code /ready} say 200, and the status page, loaded in
 * headless Chromium, shows the real record count (and leaves a screenshot in target/).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class NodeObservabilityIT extends EmbeddedBrokerTest {

    private static final String TOPIC = "weblogs-obs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<byte[]> BAD = List.of(
            "not a log line".getBytes(StandardCharsets.US_ASCII),
            "host - - [01/Jul/1995:00:00:01 -0400] \"GET / HTTP/1.0\" abc 12".getBytes(StandardCharsets.US_ASCII),
            new byte[0]);

    private static Node node;
    private static int input;

    @BeforeAll
    static void startNode() throws Exception {
        List<byte[]> lines = new ArrayList<>(NasaLog.lines());
        for (int i = 0; i < BAD.size(); i++) {
            lines.add((i + 1) * lines.size() / (BAD.size() + 1), BAD.get(i));
        }
        input = lines.size();
        createTopic(TOPIC, 3);
        String pipelines = "spate.pipelines = ["
                + "{ name = obs-signals, source { topics = [" + TOPIC + "], group-id = obs-signals }, format { type = clf },"
                + "  batch { max-records = 5000 },"
                + "  outputs = [{ topic = obs-traffic, group-by = [host], aggregates = [\"count as requests\"] },"
                + "             { topic = obs-bytes, group-by = [host], aggregates = [\"sum(bytes) as bytes\"] }] },"
                + "{ name = obs-status, source { topics = [" + TOPIC + "], group-id = obs-status }, format { type = clf },"
                + "  dead-letter-topic = obs-status-dlq,"
                + "  outputs = [{ topic = obs-statuses, group-by = [status], aggregates = [count] }] }]";
        node = new Node(NodeConfig.load(ConfigFactory.parseString(pipelines), broker.bootstrapServers(), List.of()));
        node.start();
        assertTrue(node.httpPort() > 0, "the test config asks for a free port: " + node.httpPort());
        // The input comes in a few parts, so that the page's charts have something to show.
        int parts = 4;
        for (int p = 0; p < parts; p++) {
            KafkaTopics.produce(broker.bootstrapServers(), TOPIC, lines.subList(p * input / parts, (p + 1) * input / parts));
            Thread.sleep(2_000);
        }
        SpateSettings settings = SpateSettings.create(ConfigFactory.load()).withBootstrapServers(broker.bootstrapServers());
        for (RunningPipeline r : node.running()) {
            try (IdleWatcher idle = new IdleWatcher(settings, r.pipeline())) {
                idle.idle().toCompletableFuture().get(3, TimeUnit.MINUTES);
            }
        }
    }

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            assertEquals(0, node.stop());
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static RunningPipeline running(String name) {
        return node.running().stream().filter(r -> r.pipeline().name().equals(name)).findFirst().orElseThrow();
    }

    /** The samples of {@code metric} in a Prometheus text exposition with all of {@code labels}, by their label sets. */
    static Map<String, Double> samples(String exposition, String metric, String... labels) {
        Map<String, Double> out = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$").matcher(exposition);
        while (m.find()) {
            String set = m.group(1);
            if (Stream.of(labels).allMatch(set::contains)) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }

    private static double sum(Map<String, Double> samples) {
        return samples.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    @Test
    void shouldScrapeTheRecordCountsAndDeadLettersThePipelinesKeep() throws Exception {
        RunningPipeline signals = running("obs-signals");
        RunningPipeline status = running("obs-status");
        long deadLetters = KafkaTopics.readAll(broker.bootstrapServers(), TOPIC + ".dlq").size();
        assertEquals(BAD.size(), deadLetters);
        assertEquals(BAD.size(), KafkaTopics.readAll(broker.bootstrapServers(), "obs-status-dlq").size());

        // Kafka's per-partition lag shows once the client meters have looked again (every 5 s).
        String text = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            HttpResponse<String> scrape = get("/metrics");
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), scrape.headers().toString());
            text = scrape.body();
            if (!samples(text, "kafka_consumer_fetch_manager_records_lag", "pipeline=\"obs-status\"").isEmpty()) {
                break;
            }
            Thread.sleep(500);
        }
        for (RunningPipeline r : List.of(signals, status)) {
            String p = "pipeline=\"" + r.pipeline().name() + "\"";
            assertEquals(input, r.metrics().records());
            assertEquals((double) r.metrics().records(), sum(samples(text, "spate_input_records_total", p)), p);
            assertEquals((double) deadLetters, sum(samples(text, "spate_dead_letters_total", p)), p);
            assertEquals((double) r.metrics().rejected(), sum(samples(text, "spate_dead_letters_total", p)), p);
            assertEquals((double) r.metrics().batches(), sum(samples(text, "spate_batches_total", p, "backend=\"cpu\"")), p);
            assertTrue(samples(text, "spate_latency_seconds", p, "quantile=\"0.99\"").size() == 1, p);
            assertTrue(samples(text, "spate_compute_time_seconds_count", p).values().stream().allMatch(v -> v > 0), p);
            assertTrue(!samples(text, "kafka_consumer_fetch_manager_records_lag", p).isEmpty(), p + " lag per partition");
            assertEquals(0.0, sum(samples(text, "spate_consumer_lag", p)), p + " caught up");
            // No running outputs here: the backend holds no groups; the CPU copies nothing to a device.
            assertEquals((double) r.metrics().backendStats().stateGroups(), sum(samples(text, "spate_state_groups", p)), p);
            assertEquals(0.0, sum(samples(text, "spate_state_groups", p)), p);
            assertEquals(0.0, sum(samples(text, "spate_device_copied_bytes_total", p)), p);
            assertEquals(1, samples(text, "spate_device_time_seconds_total", p).size(), p);
        }
        assertTrue(samples(text, "spate_dead_letters_total", "reason=\"clf\"").size() == 2, "by reason kind: " + text.lines()
                .filter(l -> l.startsWith("spate_dead_letters_total")).toList());
        assertTrue(samples(text, "spate_output_records_total", "output=\"obs-bytes\"").values().stream().allMatch(v -> v > 0));
        assertTrue(text.contains("jvm_memory_used_bytes{"), "JVM meters");
        assertTrue(text.contains("system_cpu_count "), "processor meters");
    }

    @Test
    void shouldBeAliveAndReadyWhileThePipelinesRun() throws Exception {
        HttpResponse<String> ready = get("/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        JsonNode body = JSON.readTree(ready.body());
        assertEquals("UP", body.get("status").asText());
        assertEquals("running", body.at("/checks/pipelines/obs-signals/detail").asText());
        assertEquals(200, get("/alive").statusCode());
        assertEquals(404, get("/nothing-here").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        JsonNode status = JSON.readTree(get("/api/status").body());
        assertEquals(2, status.get("pipelines").size());
        assertEquals(input, status.at("/pipelines/0/records").asLong());
        assertTrue(JSON.readTree(get("/api/history").body()).get("samples").size() > 0, "the page starts from the node's history");
    }

    @Test
    void shouldShowTheRecordCountOnTheStatusPageInAHeadlessBrowser() throws Exception {
        Path chromium = Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(chromium != null, "headless Chromium is not installed (apt-get install -y chromium): the status page is not checked");
        String url = "http://127.0.0.1:" + node.httpPort() + "/";
        String dom = chromium(chromium, "--virtual-time-budget=10000", "--dump-dom", url);
        long records = running("obs-signals").metrics().records();
        Matcher m = Pattern.compile("id=\"records-obs-signals\"[^>]*data-value=\"(\\d+)\"").matcher(dom);
        assertTrue(m.find(), "the page wrote the pipeline's record count: " + dom.substring(0, Math.min(dom.length(), 3000)));
        assertEquals(records, Long.parseLong(m.group(1)));
        assertTrue(dom.contains("class=\"uplot"), "uPlot drew the charts");
        Path shot = Path.of("target/status-page.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        chromium(chromium, "--virtual-time-budget=10000", "--window-size=1280,900", "--screenshot=" + shot, url);
        assertTrue(Files.size(shot) > 10_000, "a screenshot of the page at " + shot);
    }

    private static String chromium(Path chromium, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--hide-scrollbars", "--user-data-dir=" + Files.createTempDirectory("spate-chromium")));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium ends");
        assertEquals(0, p.exitValue(), "chromium " + String.join(" ", args));
        return new String(out, StandardCharsets.UTF_8);
    }
}
