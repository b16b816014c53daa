package io.spate.internal.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.plan.ClfFormat;
import io.spate.plan.Classify;
import io.spate.plan.Inference;
import io.spate.plan.Recommend;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;
import io.spate.plan.Window;
import io.spate.frame.ColumnType;

/**
 * Reads {@code spate.pipelines} from HOCON into {@link Pipeline}s. Every mistake fails here, before
 * anything starts, with the full key that holds it ({@code spate.pipelines[0].outputs[1].where}).
 *
 * <pre>
 * spate.pipelines = [{
 *   name = golden-signals
 *   source { topics = [weblogs] }                  # group-id, starting-offset optional
 *   format { type = clf }                           # clf | csv | tsv | json (see below)
 *   outputs = [
 *     { topic = traffic, group-by = [host], aggregates = ["count as requests"] }
 *     { topic = errors, where = ["status >= 500"], group-by = [host, "status as response"], aggregates = ["count as errors"] }
 *   ]
 * }]
 *
 * # an output may also split a text field into words, and keep running totals across batches:
 * #   { topic = word-counts, tokenize { column = text, as = word, lowercase = true },
 * #     group-by = [word], aggregates = ["count as count"], running = true }
 *
 * # or group by event-time windows (tumbling, or hopping with an advance); with running = true the
 * # output is an upsert stream of each (window_start, window_end, keys)'s total so far:
 * #   { topic = traffic-hourly, group-by = [host], aggregates = ["count as requests"], running = true,
 * #     window { column = timestamp, size = 1h, advance = 1h, out-of-orderness = 10m, allowed-lateness = 0, retention = 1d } }
 * </pre>
 */
public final class PipelineConfig {

    private static final String ROOT = "spate.pipelines";

    private PipelineConfig() {
    }

    /** All pipelines of {@code config}. */
    public static List<Pipeline> pipelines(Config config) {
        SpateSettings defaults = SpateSettings.create(config);
        List<? extends Config> entries = config.getConfigList(ROOT);
        List<Pipeline> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(pipeline(defaults, entries.get(i), ROOT + "[" + i + "]"));
        }
        for (int i = 0; i < out.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (out.get(i).name().equals(out.get(j).name())) {
                    throw new ConfigException.BadValue(ROOT + "[" + i + "].name", "two pipelines are named '" + out.get(i).name() + "'");
                }
            }
        }
        return out;
    }

    private static Pipeline pipeline(SpateSettings defaults, Config p, String at) {
        String name = at(at + ".name", () -> p.getString("name"));
        Pipeline.Builder b = Pipeline.builder(name);
        List<String> topics = at(at + ".source.topics", () -> p.getStringList("source.topics"));
        if (topics.isEmpty()) {
            throw new ConfigException.BadValue(at + ".source.topics", "needs at least one topic");
        }
        b.source(topics.toArray(new String[0]));
        if (p.hasPath("source.group-id")) {
            b.groupId(p.getString("source.group-id"));
        }
        b.startingOffset(p.hasPath("source.starting-offset") ? parse(at + ".source.starting-offset", p.getString("source.starting-offset"),
                s -> Pipeline.StartingOffset.valueOf(s.trim().toUpperCase(Locale.ROOT))) : defaults.source().startingOffset());
        InputFormat format = format(p, at + ".format");
        b.format(format);
        b.deadLetterTopic(p.hasPath("dead-letter-topic") ? p.getString("dead-letter-topic")
                : topics.get(0) + defaults.output().deadLetterSuffix());
        if (p.hasPath("batch")) {
            b.batch(at(at + ".batch", () -> BatchSettings.create(p.getConfig("batch").atPath("batch"), "batch", defaults.batch())));
        }
        List<? extends Config> outputs = at(at + ".outputs", () -> p.getConfigList("outputs"));
        if (outputs.isEmpty()) {
            throw new ConfigException.BadValue(at + ".outputs", "needs at least one output");
        }
        for (int i = 0; i < outputs.size(); i++) {
            Config o = outputs.get(i);
            String oat = at + ".outputs[" + i + "]";
            String topic = at(oat + ".topic", () -> o.getString("topic"));
            String outputName = o.hasPath("name") ? o.getString("name") : topic;
            if (o.hasPath("classify") || o.hasPath("recommend")) {
                Inference inference = inference(o, oat, outputName);
                parse(oat, topic, x -> new Plan(format, List.of(), List.of(inference)));
                b.output(topic, inference);
                continue;
            }
            Query.Builder q = Query.builder(outputName);
            if (o.hasPath("tokenize")) {
                String column = at(oat + ".tokenize.column", () -> o.getString("tokenize.column"));
                String alias = o.hasPath("tokenize.as") ? o.getString("tokenize.as") : "word";
                boolean lower = !o.hasPath("tokenize.lowercase") || at(oat + ".tokenize.lowercase", () -> o.getBoolean("tokenize.lowercase"));
                q.tokenize(column, alias, lower);
            }
            if (o.hasPath("running") && at(oat + ".running", () -> o.getBoolean("running"))) {
                q.running();
            }
            if (o.hasPath("window")) {
                Window window = window(o, oat + ".window");
                q.window(window);
            }
            if (o.hasPath("where")) {
                for (String w : at(oat + ".where", () -> o.getStringList("where"))) {
                    parse(oat + ".where", w, x -> q.where(x));
                }
            }
            if (o.hasPath("group-by")) {
                for (String k : at(oat + ".group-by", () -> o.getStringList("group-by"))) {
                    parse(oat + ".group-by", k, x -> q.groupBy(x));
                }
            }
            for (String a : at(oat + ".aggregates", () -> o.getStringList("aggregates"))) {
                parse(oat + ".aggregates", a, x -> q.aggregate(x));
            }
            if (o.hasPath("having")) {
                String h = o.getString("having");
                parse(oat + ".having", h, x -> q.having(x));
            }
            Query query = parse(oat, topic, x -> q.build());
            // Check the query against the format here, so that an error names this output.
            parse(oat, topic, x -> Plan.of(format, query));
            b.output(topic, query);
        }
        return parse(at, name, x -> b.build());
    }

    private static Inference inference(Config o, String oat, String name) {
        if (o.hasPath("classify")) {
            String at = oat + ".classify";
            Config c = o.getConfig("classify");
            String model = model(c, at);
            String id = at(at + ".id", () -> c.getString("id"));
            List<String> features = at(at + ".features", () -> c.getStringList("features"));
            double threshold = c.hasPath("threshold") ? at(at + ".threshold", () -> c.getDouble("threshold")) : 0.5;
            return parse(at, name, x -> new Classify(name, model, id, features, threshold));
        }
        String at = oat + ".recommend";
        Config r = o.getConfig("recommend");
        String model = model(r, at);
        String user = r.hasPath("user") ? r.getString("user") : "uid";
        int k = r.hasPath("k") ? at(at + ".k", () -> r.getInt("k")) : 10;
        boolean exclude = !r.hasPath("exclude-rated") || at(at + ".exclude-rated", () -> r.getBoolean("exclude-rated"));
        return parse(at, name, x -> new Recommend(name, model, user, k, exclude));
    }

    /** The model file of an inference, which must exist when the node starts. */
    private static String model(Config c, String at) {
        String model = at(at + ".model", () -> c.getString("model"));
        if (!Files.isReadable(Path.of(model))) {
            throw new ConfigException.BadValue(at + ".model", "no readable model file '" + model + "' (train one with spate train-mlp or spate train-mf)");
        }
        return model;
    }

    /** The output's {@code window} block; durations in HOCON form ({@code 1h}, {@code 30 s}). */
    private static Window window(Config o, String at) {
        String column = at(at + ".column", () -> o.getString("window.column"));
        Duration size = at(at + ".size", () -> o.getDuration("window.size"));
        Duration advance = o.hasPath("window.advance") ? at(at + ".advance", () -> o.getDuration("window.advance")) : size;
        Duration outOfOrderness = o.hasPath("window.out-of-orderness")
                ? at(at + ".out-of-orderness", () -> o.getDuration("window.out-of-orderness")) : Duration.ZERO;
        Duration lateness = o.hasPath("window.allowed-lateness")
                ? at(at + ".allowed-lateness", () -> o.getDuration("window.allowed-lateness")) : Duration.ZERO;
        Duration retention = o.hasPath("window.retention")
                ? at(at + ".retention", () -> o.getDuration("window.retention")) : Window.DEFAULT_RETENTION;
        List<String> known = List.of("column", "size", "advance", "out-of-orderness", "allowed-lateness", "retention");
        for (String key : o.getConfig("window").root().keySet()) {
            if (!known.contains(key)) {
                throw new ConfigException.BadValue(at + "." + key, "unknown window setting; known: " + String.join(", ", known));
            }
        }
        return parse(at, column, x -> new Window(column, size, advance, outOfOrderness, lateness, retention));
    }

    private static InputFormat format(Config p, String at) {
        String type = at(at + ".type", () -> p.getString("format.type")).trim().toLowerCase(Locale.ROOT);
        Config f = p.getConfig("format");
        switch (type) {
            case "clf":
                return new ClfFormat();
            case "json": {
                List<String> fields = at(at + ".fields", () -> f.getStringList("fields"));
                return parse(at + ".fields", String.join(",", fields),
                        x -> new JsonFormat(fields.stream().map(s -> Field.parse(s, ColumnType.UTF8)).toList()));
            }
            case "csv":
            case "tsv":
            case "delimited": {
                String defaultDelimiter = type.equals("tsv") ? "\t" : ",";
                String delimiter = f.hasPath("delimiter") ? f.getString("delimiter") : defaultDelimiter;
                if (delimiter.equals("\\t")) {
                    delimiter = "\t";
                }
                if (delimiter.length() != 1 || delimiter.charAt(0) > 127) {
                    throw new ConfigException.BadValue(at + ".delimiter", "must be one ASCII character, was '" + delimiter + "'");
                }
                byte d = (byte) delimiter.charAt(0);
                List<Field> columns;
                if (f.hasPath("columns")) {
                    List<String> specs = at(at + ".columns", () -> f.getStringList("columns"));
                    columns = parse(at + ".columns", String.join(",", specs),
                            x -> specs.stream().map(s -> Field.parse(s, ColumnType.UTF8)).toList());
                } else if (f.hasPath("header")) {
                    String header = f.getString("header");
                    columns = parse(at + ".header", header, x -> DelimitedFormat.columnsFromHeader(header, d));
                } else {
                    throw new ConfigException.Missing(at + ".columns (or " + at + ".header)");
                }
                boolean quoted = f.hasPath("quoted") ? f.getBoolean("quoted") : !type.equals("tsv");
                boolean skipHeader = !f.hasPath("skip-header") || f.getBoolean("skip-header");
                return parse(at, type, x -> new DelimitedFormat(d, columns, quoted, skipHeader, true));
            }
            default:
                throw new ConfigException.BadValue(at + ".type", "expected clf, csv, tsv, delimited or json, was '" + type + "'");
        }
    }

    private interface Read<T> {
        T get();
    }

    /** Runs {@code read}, re-throwing config errors with the full key {@code path}. */
    private static <T> T at(String path, Read<T> read) {
        try {
            return read.get();
        } catch (ConfigException.Missing e) {
            throw new ConfigException.Missing(path);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new ConfigException.BadValue(path, e.getMessage());
        }
    }

    /** Applies {@code parser}, re-throwing its {@link IllegalArgumentException} as a bad value at {@code path}. */
    private static <T> T parse(String path, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue(path, e.getMessage());
        }
    }
}
