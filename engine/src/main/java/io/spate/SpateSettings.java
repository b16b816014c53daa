package io.spate;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;

/**
 * The node-wide settings every pipeline of a node shares: where Kafka is, client properties,
 * default batch limits, compute and commit settings. Immutable; read from the {@code spate}
 * section of a configuration ({@code reference.conf} documents every key) with {@link #create},
 * then adjusted with {@code withX} copies.
 */
public final class SpateSettings {

    private final Config config;
    private final String bootstrapServers;
    private final BatchSettings batch;
    private final int inFlight;
    private final Duration computeTimeout;

    private SpateSettings(Config config, String bootstrapServers, BatchSettings batch, int inFlight, Duration computeTimeout) {
        this.config = config;
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.batch = batch;
        this.inFlight = inFlight;
        this.computeTimeout = computeTimeout;
    }

    /**
     * Reads the settings from a whole configuration (with {@code spate} and {@code pekko}
     * sections, as {@code ConfigFactory.load()} gives). Bad values fail here, with the key named.
     */
    public static SpateSettings create(Config config) {
        BatchSettings batch = BatchSettings.create(config, "spate.batch");
        int inFlight = config.getInt("spate.compute.in-flight");
        if (inFlight < 1) {
            throw new ConfigException.BadValue("spate.compute.in-flight", "must be at least 1, was " + inFlight);
        }
        String bootstrap = config.getString("spate.kafka.bootstrap-servers");
        if (bootstrap.isBlank()) {
            throw new ConfigException.BadValue("spate.kafka.bootstrap-servers", "must not be empty");
        }
        // Read once so that a bad value fails at start, not when the first pipeline starts.
        properties(config, "spate.kafka.client-properties");
        properties(config, "spate.kafka.consumer-properties");
        properties(config, "spate.kafka.producer-properties");
        config.getBoolean("spate.output.create-topics");
        config.getInt("spate.output.partitions");
        config.getInt("spate.output.replication-factor");
        config.getDuration("spate.idle-check-interval");
        config.getString("spate.dead-letter-suffix");
        startingOffset(config.getString("spate.starting-offset"));
        String delivery = config.getString("spate.delivery");
        if (!delivery.equals("at-least-once") && !delivery.equals("exactly-once")) {
            throw new ConfigException.BadValue("spate.delivery", "expected at-least-once or exactly-once, was '" + delivery + "'");
        }
        config.getString("spate.node-id");
        config.getBoolean("spate.state.restore");
        config.getBoolean("spate.state.scale-out");
        if (config.getInt("spate.compute.inject-fault-every") < 0) {
            throw new ConfigException.BadValue("spate.compute.inject-fault-every", "must be 0 (off) or positive");
        }
        config.getDuration("spate.source.drain-timeout");
        String source = config.getString("spate.source.mode");
        if (!source.equals("batch") && !source.equals("connector")) {
            throw new ConfigException.BadValue("spate.source.mode", "expected batch or connector, was '" + source + "'");
        }
        if (delivery.equals("exactly-once") && !source.equals("batch")) {
            throw new ConfigException.BadValue("spate.delivery", "exactly-once needs spate.source.mode = batch");
        }
        String backend = config.getString("spate.compute.backend");
        if (!backend.matches("[a-z][a-z0-9-]*")) {
            throw new ConfigException.BadValue("spate.compute.backend", "expected auto, cpu or gpu, was '" + backend + "'");
        }
        return new SpateSettings(config, bootstrap, batch, inFlight, config.getDuration("spate.compute.timeout"));
    }

    /** Parses {@code earliest} or {@code latest}. */
    static Pipeline.StartingOffset startingOffset(String value) {
        try {
            return Pipeline.StartingOffset.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException.BadValue("spate.starting-offset", "expected earliest or latest, was '" + value + "'");
        }
    }

    private static Map<String, String> properties(Config config, String path) {
        Map<String, String> out = new HashMap<>();
        Config section = config.getConfig(path);
        for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof Map || v instanceof java.util.List) {
                throw new ConfigException.BadValue(path + ".\"" + e.getKey() + "\"",
                        "Kafka properties are flat: quote dotted names, e.g. \"max.poll.records\" = 500");
            }
            out.put(e.getKey(), String.valueOf(v));
        }
        return out;
    }

    /** The whole configuration these settings came from. */
    public Config config() {
        return config;
    }

    /** The {@code spate} section. */
    public Config spate() {
        return config.getConfig("spate");
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties for every Kafka client, bootstrap servers included. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = properties(config, "spate.kafka.client-properties");
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Properties for consumers (client properties included). */
    public Map<String, String> consumerProperties() {
        Map<String, String> p = clientProperties();
        p.putAll(properties(config, "spate.kafka.consumer-properties"));
        return p;
    }

    /** Properties for producers (client properties included). */
    public Map<String, String> producerProperties() {
        Map<String, String> p = clientProperties();
        p.putAll(properties(config, "spate.kafka.producer-properties"));
        return p;
    }

    /** Whether output and offsets are written in one Kafka transaction per batch. */
    public boolean exactlyOnce() {
        return config.getString("spate.delivery").equals("exactly-once");
    }

    /** This node's id in transactional ids: {@code spate.node-id}, or the host name. */
    public String nodeId() {
        String id = config.getString("spate.node-id");
        if (!id.isBlank()) {
            return id;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Default batch limits. */
    public BatchSettings batch() {
        return batch;
    }

    /** Batches in flight to the compute actor. */
    public int inFlight() {
        return inFlight;
    }

    /** Longest one batch may compute. */
    public Duration computeTimeout() {
        return computeTimeout;
    }

    /** A copy with other bootstrap servers. */
    public SpateSettings withBootstrapServers(String servers) {
        return new SpateSettings(config, servers, batch, inFlight, computeTimeout);
    }

    /** A copy with other default batch limits. */
    public SpateSettings withBatch(BatchSettings value) {
        return new SpateSettings(config, bootstrapServers, value, inFlight, computeTimeout);
    }

    /** A copy with another number of batches in flight. */
    public SpateSettings withInFlight(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("in-flight must be at least 1, was " + value);
        }
        return new SpateSettings(config, bootstrapServers, batch, value, computeTimeout);
    }

    /** A copy with another compute timeout. */
    public SpateSettings withComputeTimeout(Duration value) {
        return new SpateSettings(config, bootstrapServers, batch, inFlight, value);
    }
}
