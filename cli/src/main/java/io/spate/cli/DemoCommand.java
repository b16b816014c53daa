package io.spate.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.PipelineMetrics;
import io.spate.broker.BrokerSettings;
import io.spate.broker.EmbeddedKafkaBroker;
import io.spate.internal.node.Node;
import io.spate.internal.config.NodeConfig;
import io.spate.testkit.KafkaTopics;
import io.spate.testkit.Lines;
import io.spate.testkit.PlainConsumer;
import io.spate.testkit.SampleData;

/**
 * {@code spate demo}: starts an embedded broker, loads the bundled NASA log sample into topic
 * {@code weblogs}, runs the golden-signals pipeline ({@code config/golden-signals.conf}) until it
 * has caught up, and prints what it wrote, read back from the output topics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Golden signals of the bundled NASA HTTP log sample, on an embedded Kafka broker.")
public final class DemoCommand implements Callable<Integer> {

    private static final String SAMPLE = SampleData.BUNDLED_NASA_LOG;
    private static final String PIPELINE = "io/spate/cli/golden-signals.conf";

    @Option(names = "--input", paramLabel = "FILE", description = "a Common Log Format file (.gz or plain) instead of the bundled 50,000-line sample")
    File input;

    @Option(names = "--partitions", defaultValue = "3", description = "partitions of the weblogs topic (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key")
    List<String> sets = new ArrayList<>();

    @Option(names = "--top", defaultValue = "10", description = "rows per table in the summary (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--baseline", description = "first read the topic with a plain KafkaConsumer (the ceiling) and compare rates")
    boolean baseline;

    @Override
    public Integer call() throws Exception {
        if (input != null) {
            CliChecks.readableFile("--input", input);
        }
        PrintStream out = System.out;
        List<byte[]> lines = readLines();
        long bytes = lines.stream().mapToLong(l -> l.length).sum();
        out.printf("Spate demo: web-log golden signals of %,d NASA HTTP log lines (%.1f MB)%n", lines.size(), bytes / 1e6);
        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create().withPort(0)).start()) {
            out.println("embedded Kafka broker (KRaft) at " + broker.bootstrapServers());
            broker.createTopic("weblogs", partitions);
            ProgressBar loading = new ProgressBar(out, "loading");
            KafkaTopics.produce(broker.bootstrapServers(), "weblogs", lines, n -> loading.update(n, lines.size(), "lines"));
            loading.finish();
            PlainConsumer.Reading ceiling = null;
            if (baseline) {
                ceiling = PlainConsumer.readToEnd(broker.bootstrapServers(), "weblogs");
                out.printf("plain KafkaConsumer (read and discard): %,d records in %.2f s, %,.0f records/s, %.1f MB/s%n",
                        ceiling.records(), ceiling.seconds(), ceiling.recordsPerSecond(), ceiling.megabytesPerSecond());
            }

            Config pipelines = ConfigFactory.parseResources(DemoCommand.class.getClassLoader(), PIPELINE);
            Node node = new Node(NodeConfig.load(pipelines, broker.bootstrapServers(), sets));
            node.start();
            CompletableFuture<Integer> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return node.awaitAndStop(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            });
            ProgressBar computing = new ProgressBar(out, "computing");
            PipelineMetrics metrics = node.running().get(0).metrics();
            while (!stopped.isDone()) {
                computing.update(metrics.records(), lines.size(), "records");
                Thread.sleep(200);
            }
            computing.update(metrics.records(), lines.size(), "records");
            computing.finish();
            int rc = stopped.get();
            ClassArchive.markIfWorked(node.running());
            node.failures().forEach(f -> System.err.println("spate: " + f));
            double secs = node.elapsedSeconds();
            out.printf("%ncomputed %,d records in %,d batches on the %s backend: %.1f s (consumer group join and the idle check included), %,.0f records/s, %.1f MB/s%n",
                    metrics.records(), metrics.batches(), node.running().get(0).backend(), secs, metrics.records() / secs, metrics.bytes() / 1e6 / secs);
            out.printf("steady rate (first to last batch): %,.0f records/s, %.1f MB/s%n",
                    metrics.steadyRecordsPerSecond(), metrics.steadyBytesPerSecond() / 1e6);
            if (ceiling != null) {
                out.printf("golden signals / plain consumer: %.2f (steady rates, same broker, same topic, same run)%n",
                        metrics.steadyRecordsPerSecond() / ceiling.recordsPerSecond());
            }
            printSummary(out, broker.bootstrapServers(), metrics);
            return rc;
        }
    }

    private List<byte[]> readLines() throws IOException {
        InputStream raw = input != null ? Files.newInputStream(input.toPath()) : SampleData.class.getResourceAsStream(SAMPLE);
        if (raw == null) {
            throw new IOException("the bundled sample " + SAMPLE + " is missing from the class path");
        }
        return Lines.read(raw);
    }

    private void printSummary(PrintStream out, String bootstrap, PipelineMetrics metrics) throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> requests = sumBy(json, KafkaTopics.readAll(bootstrap, "traffic"), "requests", "host");
        Map<String, Long> sent = sumBy(json, KafkaTopics.readAll(bootstrap, "mb-sent"), "bytes", "host");
        Map<String, Long> errors = sumBy(json, KafkaTopics.readAll(bootstrap, "errors"), "errors", "host", "response");
        long totalRequests = requests.values().stream().mapToLong(Long::longValue).sum();
        long totalBytes = sent.values().stream().mapToLong(Long::longValue).sum();
        long totalErrors = errors.values().stream().mapToLong(Long::longValue).sum();

        out.printf("%nGolden signals, summed over all batches from the output topics:%n");
        out.printf("  traffic   %,d requests from %,d hosts%n", totalRequests, requests.size());
        out.printf("  mb-sent   %,.1f MB%n", totalBytes / 1e6);
        out.printf("  errors    %,d 5xx responses%n", totalErrors);
        out.printf("  weblogs.dlq  %,d malformed lines%n", metrics.rejected());

        out.printf("%nTop %d hosts by requests:%n  %-40s %10s %10s%n", top, "host", "requests", "MB sent");
        top(requests).forEach(e -> out.printf("  %-40s %,10d %10.2f%n", e.getKey(), e.getValue(), sent.getOrDefault(e.getKey(), 0L) / 1e6));
        out.printf("%nTop %d hosts by MB sent:%n  %-40s %10s%n", top, "host", "MB sent");
        top(sent).forEach(e -> out.printf("  %-40s %10.2f%n", e.getKey(), e.getValue() / 1e6));
        out.printf("%n5xx errors by host and response:%n  %-40s %10s %8s%n", "host", "response", "errors");
        if (errors.isEmpty()) {
            out.println("  (none)");
        }
        top(errors).forEach(e -> {
            String[] key = e.getKey().split("\t");
            out.printf("  %-40s %10s %,8d%n", key[0], key[1], e.getValue());
        });
    }

    private List<Map.Entry<String, Long>> top(Map<String, Long> totals) {
        return totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(top).toList();
    }

    private static Map<String, Long> sumBy(ObjectMapper json, List<ConsumerRecord<byte[], byte[]>> records, String value, String... keys)
            throws IOException {
        Map<String, Long> totals = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode node = json.readTree(r.value());
            StringBuilder key = new StringBuilder();
            for (String k : keys) {
                if (key.length() > 0) {
                    key.append('\t');
                }
                key.append(node.get(k).asText());
            }
            totals.merge(key.toString(), node.get(value).asLong(), Long::sum);
        }
        return totals;
    }
}
