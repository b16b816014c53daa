package io.spate.bench.peers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

import io.spate.bench.peers.SignalRecords.ErrorKey;
import io.spate.bench.peers.SignalRecords.HostBytes;
import io.spate.bench.peers.SignalRecords.HostErrors;
import io.spate.bench.peers.SignalRecords.HostRequests;

/**
 * The golden signals of {@code config/golden-signals.conf} as a Kafka Streams DSL topology, written
 * the way a JVM user would: parse each NASA Common Log Format line into a small value, branch the
 * malformed ones to a dead-letter topic, {@code groupBy} + {@code count} / {@code reduce} into
 * KTables, and stream the tables' changes to the output topics as JSON.
 *
 * <ul>
 *   <li>{@code <prefix>traffic}: {@code {"host":...,"requests":N}} keyed by the host (UTF-8);</li>
 *   <li>{@code <prefix>errors}: for status &gt;= 500, {@code {"host":...,"response":NNN,"errors":N}}
 *       keyed by {@code {"host":...,"response":NNN}};</li>
 *   <li>{@code <prefix>mb-sent}: {@code {"host":...,"bytes":N}} keyed by the host, {@code -} read as 0;</li>
 *   <li>{@code <prefix>weblogs.dlq}: lines without the Common Log Format shape, unchanged.</li>
 * </ul>
 *
 * <p><b>How the outputs differ from Spate's.</b> Spate writes, for every batch, one record per
 * group holding that batch's partial count or sum: a key's total is the <em>sum</em> of its
 * records. Kafka Streams writes the changelog of a running KTable (an upsert stream, thinned by
 * the record cache and emitted at least at every commit): a key's total is its <em>last</em>
 * record. Both give the same totals over the same input, which is what the benchmark compares;
 * a consumer that sums Kafka Streams' records, or takes the last of Spate's, gets wrong numbers.
 * Further differences: the dead letters carry no headers (Spate adds the reason, source topic,
 * partition and offset; the DSL cannot set headers); the time is only checked for its brackets,
 * not parsed as a date as Spate does; the status must have three digits; Kafka Streams keeps its
 * totals in RocksDB stores backed by changelog topics and moves records through repartition
 * topics, so it writes much more to the broker than Spate, which holds no state between batches.
 *
 * <p>One instance counts what its topologies read ({@link #counts()}), so a runner can report bytes as Spate does.
 */
public final class KafkaStreamsGoldenSignals {

    /** Kafka Streams' own default, kept: what a user starts with. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    /** One stream thread: the benchmark machine has two cores, and the broker needs one. */
    public static final int DEFAULT_STREAM_THREADS = 1;

    private final SignalTopics topics;
    private final ReadCounts counts = new ReadCounts();

    private KafkaStreamsGoldenSignals(String inputTopic, String outputPrefix) {
        this.topics = new SignalTopics(inputTopic, outputPrefix);
    }

    /** The golden signals of {@code inputTopic}, written to topics named {@code outputPrefix} + the signal. */
    public static KafkaStreamsGoldenSignals create(String inputTopic, String outputPrefix) {
        return new KafkaStreamsGoldenSignals(inputTopic, outputPrefix);
    }

    /**
     * The properties of a run: at-least-once, {@code auto.offset.reset=earliest}, replication
     * factor 1 for internal topics, the record cache at its default size.
     *
     * @param stateDir where the RocksDB stores live (one directory per application id below it)
     * @param commitInterval how often offsets are committed and the record caches flushed downstream
     * @param streamThreads stream threads in this instance
     */
    public static Properties properties(String bootstrapServers, String applicationId, Path stateDir,
                                        Duration commitInterval, int streamThreads) {
        Properties p = new Properties();
        p.setProperty(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.setProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        p.setProperty(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        p.setProperty(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
        p.setProperty(StreamsConfig.REPLICATION_FACTOR_CONFIG, "1");
        p.setProperty(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.setProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /** {@link #properties(String, String, Path, Duration, int)} with the default commit interval and threads. */
    public static Properties properties(String bootstrapServers, String applicationId, Path stateDir) {
        return properties(bootstrapServers, applicationId, stateDir, DEFAULT_COMMIT_INTERVAL, DEFAULT_STREAM_THREADS);
    }

    /** A new topology reading {@link SignalTopics#input()}; the counters of this instance count for it. */
    public Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<byte[], ParsedLine>> byShape = builder
                .stream(topics.input(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("weblogs"))
                .peek((key, value) -> counts.read(value), Named.as("count-read"))
                .mapValues(ParsedLine::of, Named.as("parse-clf"))
                .split(Named.as("clf-"))
                .branch((key, parsed) -> parsed.line() == null, Branched.as("malformed"))
                .defaultBranch(Branched.as("ok"));
        byShape.get("clf-malformed")
                .peek((key, parsed) -> counts.malformed(), Named.as("count-malformed"))
                .mapValues(ParsedLine::raw, Named.as("unparsed"))
                .to(topics.deadLetter(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("dead-letter-sink"));
        KStream<byte[], LogLine> logs = byShape.get("clf-ok").mapValues(ParsedLine::line, Named.as("log-lines"));
        perHost(logs);
        serverErrors(logs);
        return builder.build();
    }

    private void perHost(KStream<byte[], LogLine> logs) {
        // Both per-host signals group the same way: one named grouping shares one repartition
        // topic between them, and only the size travels through it.
        KGroupedStream<String, Long> sizesByHost = logs
                .map((key, line) -> KeyValue.pair(line.host(), line.bytes()), Named.as("key-by-host"))
                .groupByKey(Grouped.with("by-host", Serdes.String(), Serdes.Long()));
        sizesByHost.count(Named.as("count-requests"), Materialized.as("requests-per-host"))
                .toStream(Named.as("requests-changes"))
                .mapValues((host, n) -> new HostRequests(host, n), Named.as("traffic-json"))
                .to(topics.traffic(), Produced.with(Serdes.String(), JsonSerde.of(HostRequests.class)).withName("traffic-sink"));
        sizesByHost.reduce(Long::sum, Named.as("sum-bytes"), Materialized.as("bytes-per-host"))
                .toStream(Named.as("bytes-changes"))
                .mapValues((host, n) -> new HostBytes(host, n), Named.as("mb-sent-json"))
                .to(topics.mbSent(), Produced.with(Serdes.String(), JsonSerde.of(HostBytes.class)).withName("mb-sent-sink"));
    }

    private void serverErrors(KStream<byte[], LogLine> logs) {
        Serde<ErrorKey> errorKey = JsonSerde.of(ErrorKey.class);
        logs.filter((key, line) -> line.status() >= 500, Named.as("server-errors"))
                .groupBy((key, line) -> new ErrorKey(line.host(), line.status()),
                        Grouped.with("by-host-status", errorKey, JsonSerde.of(LogLine.class)))
                .count(Named.as("count-errors"), Materialized.as("errors-per-host-status"))
                .toStream(Named.as("errors-changes"))
                .mapValues((key, n) -> new HostErrors(key.host(), key.response(), n), Named.as("errors-json"))
                .to(topics.errors(), Produced.with(errorKey, JsonSerde.of(HostErrors.class)).withName("errors-sink"));
    }

    /** Where it reads and writes. */
    public SignalTopics topics() {
        return topics;
    }

    /** What it has read so far. */
    public ReadCounts counts() {
        return counts;
    }

    /** A line with its fields, or with null fields when it is malformed (then only the raw bytes matter). */
    private record ParsedLine(byte[] raw, LogLine line) {

        static ParsedLine of(byte[] raw) {
            return new ParsedLine(raw, LogLine.parse(raw));
        }
    }
}
