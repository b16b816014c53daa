package io.spate.internal.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;
import java.util.function.Function;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchSettings;
import io.spate.Pipeline;
import io.spate.SpateSettings;
import io.spate.internal.kafka.TopicNames;
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
import io.spate.plan.RecordMetadata;
import io.spate.plan.Window;
import io.spate.frame.ColumnType;
import io.spate.internal.codec.TypeInference;
import io.spate.internal.kafka.TopicReader;

/**
 * Reads {@code spate.pipelines} from HOCON into {@link Pipeline}s. Every mistake fails here, before
 * anything starts, with the full key that holds it ({@code spate.pipelines[0].outputs[1].where}); so
 * does a key that its level does not take (a typo such as {@code group_by}), naming the closest one
 * it takes. Each level declares its keys where it is read ({@link Section}).
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
 * # the window column holds epoch milliseconds unless the window says unit = seconds | millis | micros,
 * # or, as a string column, ISO-8601 date-times with an offset (1995-07-01T00:00:01-04:00) or CLF times (01/Jul/1995:00:00:01 -0400);
 * # without a column, windows go by the Kafka record timestamp (_timestamp), as in Kafka Streams
 *
 * # every format also has the record's metadata as columns, usable wherever a field is:
 * # _key, _timestamp (epoch ms), _partition, _offset, _topic and _header.NAME (empty when absent)
 * </pre>
 */
public final class PipelineConfig {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineConfig.class);
    private static final String ROOT = "spate.pipelines";
    /** The names a window's {@code unit} takes. */
    private static final Map<String, Window.Unit> UNITS = Map.of("seconds", Window.Unit.SECONDS, "millis", Window.Unit.MILLIS,
            "micros", Window.Unit.MICROS);

    private PipelineConfig() {
    }

    /** All pipelines of {@code config}. */
    public static List<Pipeline> pipelines(Config config) {
        return check(config, true).stream().map(c -> c.pipeline().orElseThrow()).toList();
    }

    /**
     * Every entry of {@code spate.pipelines}, read as {@link #pipelines(Config)} reads it, for a check
     * of the file. Without {@code readTopics} no topic is read: an entry whose format types its
     * columns from the first records of its topics ({@code format.infer-types = true}) is then left
     * unread, its pipeline empty. Fails as {@link #pipelines(Config)} does on any mistake.
     */
    public static List<Checked> check(Config config, boolean readTopics) {
        SpateSettings defaults = SpateSettings.create(config);
        List<? extends Config> entries = config.getConfigList(ROOT);
        List<Checked> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                Pipeline p = pipeline(defaults, entries.get(i), ROOT + "[" + i + "]", readTopics);
                out.add(new Checked(p.name(), Optional.of(p)));
            } catch (TopicsNotRead e) {
                out.add(new Checked(e.pipeline, Optional.empty()));
            }
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

    /**
     * One entry of {@code spate.pipelines} as {@link #check} read it.
     *
     * @param name the pipeline's name
     * @param pipeline the pipeline, or empty when its column types come from topics that were not read
     */
    public record Checked(String name, Optional<Pipeline> pipeline) {
    }

    /** A pipeline's format needs records from its topics, and the check reads none. */
    private static final class TopicsNotRead extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String pipeline;

        TopicsNotRead(String pipeline) {
            super(null, null, false, false);
            this.pipeline = pipeline;
        }
    }

    private static Pipeline pipeline(SpateSettings defaults, Config config, String at, boolean readTopics) {
        Section p = Section.of(config, at, "name", "source", "format", "dead-letter-topic", "batch", "outputs");
        String name = p.string("name");
        Pipeline.Builder b = Pipeline.builder(name);
        if (!p.has("source")) {
            throw new ConfigException.Missing(p.at("source.topics"));
        }
        Section source = p.section("source", "topics", "group-id", "starting-offset");
        List<String> topics = source.strings("topics");
        if (topics.isEmpty()) {
            throw new ConfigException.BadValue(source.at("topics"), "needs at least one topic");
        }
        b.source(topics.toArray(new String[0]));
        if (source.has("group-id")) {
            b.groupId(source.string("group-id"));
        }
        b.startingOffset(source.has("starting-offset") ? parse(source.at("starting-offset"), source.string("starting-offset"),
                s -> Pipeline.StartingOffset.valueOf(s.trim().toUpperCase(Locale.ROOT))) : defaults.source().startingOffset());
        BatchSettings batch = p.has("batch") ? batch(p, defaults.batch()) : null;
        if (batch != null) {
            b.batch(batch);
        }
        int firstBatch = (batch == null ? defaults.batch() : batch).maxRecords();
        IntFunction<List<byte[]>> sampler = readTopics ? limit -> sample(defaults, topics, limit) : limit -> {
            throw new TopicsNotRead(name);
        };
        InputFormat format = format(p, name, sampler, firstBatch);
        b.format(format);
        String deadLetters = p.string("dead-letter-topic", topics.get(0) + defaults.output().deadLetterSuffix());
        b.deadLetterTopic(deadLetters);
        List<? extends Config> outputs = p.configs("outputs");
        if (outputs.isEmpty()) {
            throw new ConfigException.BadValue(p.at("outputs"), "needs at least one output");
        }
        for (int i = 0; i < outputs.size(); i++) {
            output(outputs.get(i), p.at("outputs[" + i + "]"), format, b);
        }
        checkTopics(p, topics, deadLetters);
        return parse(at, name, x -> b.build());
    }

    /**
     * Checks the pipeline's topic names against Kafka's rules, and refuses a topic it both reads and
     * writes (results or dead letters would be read again and written again, for ever), naming the
     * key that sets it. The {@link Pipeline} checks the same, without the keys.
     */
    private static void checkTopics(Section p, List<String> topics, String deadLetters) {
        String sources = p.at("source.topics");
        topics.forEach(t -> parse(sources, t, TopicNames::valid));
        // An unset dead-letter-topic is the first source topic with the node's suffix.
        String deadLetterKey = p.has("dead-letter-topic") ? p.at("dead-letter-topic") : "spate.dead-letter-suffix";
        parse(deadLetterKey, deadLetters, TopicNames::valid);
        if (topics.contains(deadLetters)) {
            throw new ConfigException.BadValue(deadLetterKey,
                    "'" + deadLetters + "' is also a source topic of the pipeline; dead letters would be read again");
        }
        List<? extends Config> outputs = p.configs("outputs");
        for (int i = 0; i < outputs.size(); i++) {
            String key = p.at("outputs[" + i + "].topic");
            String topic = outputs.get(i).getString("topic");
            parse(key, topic, TopicNames::valid);
            if (topics.contains(topic)) {
                throw new ConfigException.BadValue(key,
                        "'" + topic + "' is also a source topic of the pipeline; its results would be read again as input");
            }
        }
    }

    /** The pipeline's own {@code batch { }}: the keys of the node's {@code spate.batch}, each missing one taken from it. */
    private static BatchSettings batch(Section p, BatchSettings defaults) {
        Section batch = p.section("batch", ConfigFactory.defaultReference().getObject("spate.batch").keySet());
        Config limits = p.config("batch").atPath("batch");
        try {
            return BatchSettings.create(limits, "batch", defaults);
        } catch (ConfigException.WrongType e) {
            throw ConfigKeys.wrongType(e, limits, p.path() + ".");
        } catch (ConfigException.BadValue e) {
            throw new ConfigException.BadValue(batch.path(), e.getMessage());
        }
    }

    /** One output: a query ({@code group-by}, {@code aggregates}, ...) or an inference ({@code classify} or {@code recommend}). */
    private static void output(Config config, String at, InputFormat format, Pipeline.Builder b) {
        if (config.hasPath("classify") || config.hasPath("recommend")) {
            String kind = config.hasPath("classify") ? "classify" : "recommend";
            Section o = Section.of(config, at, "topic", "name", kind);
            String topic = o.string("topic");
            String name = o.string("name", topic);
            Inference inference = kind.equals("classify")
                    ? classify(o.section(kind, "model", "id", "features", "threshold"), name)
                    : recommend(o.section(kind, "model", "user", "k", "exclude-rated"), name);
            parse(at, topic, x -> new Plan(format, List.of(), List.of(inference)));
            b.output(topic, inference);
        } else {
            Section o = Section.of(config, at, "topic", "name", "tokenize", "running", "window", "where", "group-by", "aggregates",
                    "having");
            String topic = o.string("topic");
            Query query = query(o, o.string("name", topic));
            // Check the query against the format here, so that an error names this output.
            parse(at, topic, x -> Plan.of(format, query));
            b.output(topic, query);
        }
    }

    private static Query query(Section o, String name) {
        Query.Builder q = Query.builder(name);
        if (o.has("tokenize")) {
            Section t = o.section("tokenize", "column", "as", "lowercase");
            q.tokenize(t.string("column"), t.string("as", "word"), t.bool("lowercase", true));
        }
        if (o.bool("running", false)) {
            q.running();
        }
        if (o.has("window")) {
            q.window(window(o.section("window", "column", "size", "advance", "out-of-orderness", "allowed-lateness", "retention", "unit")));
        }
        if (o.has("where")) {
            for (String w : o.strings("where")) {
                parse(o.at("where"), w, x -> q.where(x));
            }
        }
        if (o.has("group-by")) {
            for (String k : o.strings("group-by")) {
                parse(o.at("group-by"), k, x -> q.groupBy(x));
            }
        }
        for (String a : o.strings("aggregates")) {
            parse(o.at("aggregates"), a, x -> q.aggregate(x));
        }
        if (o.has("having")) {
            String h = o.string("having");
            parse(o.at("having"), h, x -> q.having(x));
        }
        return parse(o.path(), o.string("topic"), x -> q.build());
    }

    private static Inference classify(Section c, String name) {
        String model = model(c);
        String id = c.string("id");
        List<String> features = c.strings("features");
        double threshold = c.number("threshold", 0.5);
        return parse(c.path(), name, x -> new Classify(name, model, id, features, threshold));
    }

    private static Inference recommend(Section r, String name) {
        String model = model(r);
        String user = r.string("user", "uid");
        int k = r.integer("k", 10);
        boolean exclude = r.bool("exclude-rated", true);
        return parse(r.path(), name, x -> new Recommend(name, model, user, k, exclude));
    }

    /** The model file of an inference, which must exist when the node starts. */
    private static String model(Section c) {
        String model = c.string("model");
        if (!Files.isReadable(Path.of(model))) {
            throw new ConfigException.BadValue(c.at("model"), "no readable model file '" + model + "' (train one with spate train-mlp or spate train-mf)");
        }
        return model;
    }

    /** The output's {@code window} block; durations in HOCON form ({@code 1h}, {@code 30 s}). */
    private static Window window(Section w) {
        // As in Kafka Streams, windows go by the record's timestamp unless a column is named.
        String column = w.string("column", RecordMetadata.TIMESTAMP);
        Duration size = w.duration("size");
        Duration advance = w.duration("advance", size);
        Duration outOfOrderness = w.duration("out-of-orderness", Duration.ZERO);
        Duration lateness = w.duration("allowed-lateness", Duration.ZERO);
        Duration retention = w.duration("retention", Window.DEFAULT_RETENTION);
        String unitName = w.string("unit", "millis");
        Window.Unit unit = UNITS.get(unitName.trim().toLowerCase(Locale.ROOT));
        if (unit == null) {
            throw new ConfigException.BadValue(w.at("unit"), "expected seconds, millis or micros, was '" + unitName + "'");
        }
        return parse(w.path(), column, x -> new Window(column, size, advance, outOfOrderness, lateness, retention, unit));
    }

    /** Up to {@code limit} record values from the head of {@code topics}, read with the node's client properties. */
    private static List<byte[]> sample(SpateSettings settings, List<String> topics, int limit) {
        List<byte[]> values = new ArrayList<>();
        TopicReader reader = TopicReader.of(settings);
        for (String topic : topics) {
            for (ConsumerRecord<byte[], byte[]> r : reader.head(topic, limit - values.size())) {
                values.add(r.value() == null ? new byte[0] : r.value());
            }
        }
        return values;
    }

    private static InputFormat format(Section p, String pipeline, IntFunction<List<byte[]>> sample, int firstBatch) {
        String at = p.at("format");
        String type = at(at + ".type", () -> p.config("format").getString("type")).trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "clf":
                p.section("format", "type");
                return new ClfFormat();
            case "json": {
                List<String> fields = p.section("format", "type", "fields").strings("fields");
                return parse(at + ".fields", String.join(",", fields),
                        x -> new JsonFormat(fields.stream().map(s -> Field.parse(s, ColumnType.UTF8)).toList()));
            }
            case "csv":
            case "tsv":
            case "delimited": {
                Section f = p.section("format", "type", "delimiter", "columns", "header", "quoted", "skip-header", "infer-types");
                String delimiter = f.string("delimiter", type.equals("tsv") ? "\t" : ",");
                if (delimiter.equals("\\t")) {
                    delimiter = "\t";
                }
                if (delimiter.length() != 1 || delimiter.charAt(0) > 127) {
                    throw new ConfigException.BadValue(f.at("delimiter"), "must be one ASCII character, was '" + delimiter + "'");
                }
                byte d = (byte) delimiter.charAt(0);
                List<Field> columns;
                List<String> specs;
                if (f.has("columns")) {
                    specs = f.strings("columns");
                    columns = parse(f.at("columns"), String.join(",", specs),
                            x -> specs.stream().map(s -> Field.parse(s, ColumnType.UTF8)).toList());
                } else if (f.has("header")) {
                    String header = f.string("header");
                    specs = List.of(header.strip().split(Pattern.quote(delimiter), -1));
                    columns = parse(f.at("header"), header, x -> DelimitedFormat.columnsFromHeader(header, d));
                } else {
                    throw new ConfigException.Missing(f.at("columns") + " (or " + f.at("header") + ")");
                }
                boolean quoted = f.bool("quoted", !type.equals("tsv"));
                boolean skipHeader = f.bool("skip-header", true);
                DelimitedFormat declared = parse(at, type, x -> new DelimitedFormat(d, columns, quoted, skipHeader, true));
                if (!f.bool("infer-types", false)) {
                    return declared;
                }
                return inferTypes(declared, specs, f.at("infer-types"), pipeline, sample, firstBatch);
            }
            default:
                throw new ConfigException.BadValue(at + ".type", "expected clf, csv, tsv, delimited or json, was '" + type + "'");
        }
    }

    /**
     * {@code declared} with its untyped columns (a name without {@code :type}) typed from the first
     * batch's worth of records at the head of the source topics, said in the log.
     */
    private static DelimitedFormat inferTypes(DelimitedFormat declared, List<String> specs, String at, String pipeline,
                                              IntFunction<List<byte[]>> sample, int firstBatch) {
        Set<String> untyped = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            if (!specs.get(i).contains(":")) {
                untyped.add(declared.columns().get(i).name());
            }
        }
        List<byte[]> records = sample.apply(firstBatch);
        if (records.isEmpty()) {
            throw new ConfigException.BadValue(at, "no records in the source topics yet to infer column types from; "
                    + "produce some first, or type the columns (time:long)");
        }
        List<Field> typed = TypeInference.infer(declared, untyped, records);
        LOG.info("pipeline {}: infer-types typed the columns from the first {} records: {}", pipeline, records.size(),
                typed.stream().map(c -> c.name() + ":" + c.type().name().toLowerCase(Locale.ROOT)
                        + (untyped.contains(c.name()) ? "" : " (declared)")).toList());
        return new DelimitedFormat(declared.delimiter(), typed, declared.quoted(), declared.skipHeader(), declared.trimCarriageReturn());
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
