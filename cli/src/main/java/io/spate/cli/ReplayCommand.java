package io.spate.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import io.spate.BatchResult;
import io.spate.SpateSettings;
import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.frame.ColumnType;
import io.spate.internal.compute.Backends;
import io.spate.internal.kafka.KafkaClients;
import io.spate.internal.kafka.TlsListenerCheck;
import io.spate.internal.source.BoundedReader;
import io.spate.internal.config.NodeConfig;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.spi.ComputeBackend;
import io.spate.testkit.KafkaTopics;

/**
 * {@code spate replay}: a bounded job over a topic, from its beginning to the end offsets taken at
 * start (Spark's {@code earliest} to {@code latest}), counting JSON records per field value or
 * summing a field, with a progress bar on stderr and the result as a table on stdout, and also as
 * records on a topic with {@code --output-topic}. {@code --from} and {@code --to} say where the read
 * starts and ends, and nothing else: an output topic has an option of its own, so that no offset
 * word is ever taken for a topic name.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Read a topic from earliest to latest (a bounded job) and count per JSON field or sum a field.")
public final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--topic", required = true, description = "the topic to read")
    String topic;

    @Option(names = "--from", defaultValue = "earliest", description = "where to start: earliest (default; the only choice)")
    String from;

    @Option(names = "--to", defaultValue = "latest",
            description = "where to stop: latest (default; the only choice), the end offsets taken at start")
    String to;

    @Option(names = "--output-topic", paramLabel = "TOPIC", description = "also write the result to this topic, one JSON record per row")
    String outputTopic;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Kafka bootstrap servers")
    String bootstrap;

    @Option(names = "--group-by", paramLabel = "PATH", description = "JSON path(s) to count records by, e.g. commit.committer.name")
    List<String> groupBy = new ArrayList<>();

    @Option(names = "--sum", paramLabel = "PATH", description = "JSON path of a number to sum ('.' for records that are numbers)")
    String sum;

    @Option(names = "--config", paramLabel = "FILE", description = "HOCON file with settings (spate.kafka's client properties, say)")
    File config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override any config key")
    List<String> sets = new ArrayList<>();

    @Option(names = "--progress", defaultValue = "auto", description = "auto (bar on a terminal, lines otherwise), bar, lines or none")
    String progress;

    @Override
    public Integer call() throws Exception {
        if (!from.equals("earliest")) {
            throw new IllegalArgumentException("--from: only 'earliest' is supported, got '" + from + "'");
        }
        if (!to.equals("latest")) {
            throw new IllegalArgumentException("--to: where the replay stops; only 'latest' is supported, got '" + to
                    + "' (to write the result to a topic: --output-topic TOPIC)");
        }
        CliChecks.topic("--topic", topic);
        if (outputTopic != null) {
            CliChecks.topic("--output-topic", outputTopic);
        }
        if (groupBy.isEmpty() && sum == null) {
            throw new IllegalArgumentException("give --group-by PATH (count per value) or --sum PATH (or both)");
        }
        SpateSettings settings = SpateSettings.create(NodeConfig.load(config, bootstrap, sets));
        TlsListenerCheck.require(settings);
        Plan plan = plan();
        PrintStream err = System.err;
        BoundedReader reader = new BoundedReader(settings, topic);
        long total = reader.recordsToRead();
        ProgressBar bar = progress.equals("none") ? null
                : new ProgressBar(err, "replay", progress.equals("auto") ? System.console() != null : progress.equals("bar"));
        Map<List<String>, Number[]> results = new LinkedHashMap<>();
        long[] rejected = new long[1];
        String[] firstReason = new String[1];
        long start = System.nanoTime();
        long[] done = new long[2];
        try (ComputeBackend backend = Backends.create(settings)) {
            reader.read(batch -> {
                BatchResult r = backend.execute(plan, batch);
                rejected[0] += r.rejectedCount();
                if (firstReason[0] == null && r.rejectedCount() > 0) {
                    firstReason[0] = r.reasons()[0] + " (partition " + batch.partition(r.rejected()[0]) + ", offset " + batch.offset(r.rejected()[0]) + ")";
                }
                collect(r.frames().get(0), results);
            }, (records, bytes) -> {
                done[0] = records;
                done[1] = bytes;
                if (bar != null) {
                    bar.update(records, total, "records", bytes);
                }
            });
        }
        if (bar != null) {
            bar.finish();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        err.printf("replayed %,d records (%.1f MB) of %s in %.1f s%s%n", done[0], done[1] / 1e6, topic, secs,
                rejected[0] == 0 ? "" : String.format("; %,d malformed, skipped (first: %s)", rejected[0], firstReason[0]));
        List<Map.Entry<List<String>, Number[]>> rows = new ArrayList<>(results.entrySet());
        rows.sort(Comparator.comparing((Map.Entry<List<String>, Number[]> e) -> -e.getValue()[0].doubleValue())
                .thenComparing(e -> String.join("\t", e.getKey())));
        PrintStream out = System.out;
        for (Map.Entry<List<String>, Number[]> e : rows) {
            List<String> cells = new ArrayList<>(e.getKey());
            for (Number n : e.getValue()) {
                cells.add(format(n));
            }
            out.println(String.join("\t", cells));
        }
        if (outputTopic != null) {
            KafkaClients.createTopics(settings, List.of(outputTopic));
            KafkaTopics.produce(settings.bootstrapServers(), settings.producerProperties(), outputTopic, encode(rows));
            err.printf("wrote %,d records to %s%n", rows.size(), outputTopic);
        }
        return 0;
    }

    private Plan plan() {
        List<Field> fields = new ArrayList<>();
        Query.Builder q = Query.builder("replay").running();
        for (String path : groupBy) {
            fields.add(new Field(path, ColumnType.UTF8));
            q.groupBy(path);
        }
        if (sum == null) {
            q.count("count");
        } else {
            if (!groupBy.contains(sum)) {
                fields.add(new Field(sum, ColumnType.DOUBLE));
            }
            q.sum(sum, "sum");
        }
        return Plan.of(new JsonFormat(fields), q.build());
    }

    /** Keeps the latest running value of every group: the last batch that changed a group has its total. */
    private static void collect(Frame frame, Map<List<String>, Number[]> results) {
        List<Column> columns = frame.columns();
        for (int row = 0; row < frame.rows(); row++) {
            List<String> key = new ArrayList<>(frame.keyCount());
            for (int k = 0; k < frame.keyCount(); k++) {
                key.add(((Utf8Column) columns.get(k)).getString(row));
            }
            Number[] values = new Number[columns.size() - frame.keyCount()];
            for (int c = frame.keyCount(); c < columns.size(); c++) {
                Column col = columns.get(c);
                values[c - frame.keyCount()] = col instanceof LongColumn l ? (Number) l.get(row) : (Number) ((DoubleColumn) col).get(row);
            }
            results.put(key, values);
        }
    }

    private static String format(Number n) {
        if (n instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return n.toString();
    }

    private List<byte[]> encode(List<Map.Entry<List<String>, Number[]>> rows) throws Exception {
        var json = new ObjectMapper();
        List<byte[]> out = new ArrayList<>();
        for (Map.Entry<List<String>, Number[]> e : rows) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int k = 0; k < groupBy.size(); k++) {
                record.put(groupBy.get(k), e.getKey().get(k));
            }
            if (sum == null) {
                record.put("count", e.getValue()[0]);
            } else {
                Number s = e.getValue()[0];
                record.put("sum", s.doubleValue() == Math.rint(s.doubleValue()) ? (Object) s.longValue() : s);
            }
            out.add(json.writeValueAsBytes(record));
        }
        return out;
    }
}
