package io.spate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;

import io.spate.internal.config.ConfigKeys;

/**
 * The node-wide settings every pipeline of a node shares: where Kafka is and the client properties
 * to reach it, the delivery guarantee, the node's id, default batch limits, and the source, state,
 * output and compute sub-settings. Immutable; read from the {@code spate} section of a
 * configuration ({@code reference.conf} documents every key) with {@link #create}, then adjusted
 * with {@code withX} copies. No other class reads {@code spate.*} keys (backends get
 * {@link #config()} for their own sections, such as {@code spate.gpu}).
 */
public final class SpateSettings {

    /** Sections of {@code spate} whose entries are free-form (Kafka, broker and dispatcher properties, model files by name). */
    private static final Set<String> OPEN_SECTIONS = Set.of("spate.kafka.client-properties", "spate.kafka.consumer-properties",
            "spate.kafka.producer-properties", "spate.compute.dispatcher", "spate.broker.properties", "spate.models");

    private final Config config;
    private final String bootstrapServers;
    private final Map<String, String> client;
    private final Map<String, String> consumer;
    private final Map<String, String> producer;
    private final Delivery delivery;
    private final String nodeId;
    private final BatchSettings batch;
    private final SourceSettings source;
    private final StateSettings state;
    private final OutputSettings output;
    private final ComputeSettings compute;
    private final Duration startupTimeout;

    private SpateSettings(Config config, String bootstrapServers, Map<String, String> client, Map<String, String> consumer,
                          Map<String, String> producer, Delivery delivery, String nodeId, BatchSettings batch, SourceSettings source,
                          StateSettings state, OutputSettings output, ComputeSettings compute, Duration startupTimeout) {
        this.config = Objects.requireNonNull(config, "config");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        SettingsChecks.require(!bootstrapServers.isBlank(), "spate.kafka.bootstrap-servers", "must not be empty");
        SettingsChecks.hostPorts("spate.kafka.bootstrap-servers", bootstrapServers);
        this.client = Map.copyOf(client);
        this.consumer = Map.copyOf(consumer);
        this.producer = Map.copyOf(producer);
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.batch = Objects.requireNonNull(batch, "batch");
        this.source = Objects.requireNonNull(source, "source");
        this.state = Objects.requireNonNull(state, "state");
        this.output = Objects.requireNonNull(output, "output");
        this.compute = Objects.requireNonNull(compute, "compute");
        this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
        SettingsChecks.require(startupTimeout.toMillis() > 0, "spate.kafka.startup-timeout", "must be positive, was " + startupTimeout);
        SettingsChecks.require(delivery != Delivery.EXACTLY_ONCE || source.mode() == SourceSettings.Mode.BATCH, "spate.delivery",
                "exactly-once needs spate.source.mode = batch");
        Duration emit = output.emitInterval();
        Duration drain = source.drainTimeout();
        SettingsChecks.require(emit.isZero() || drain.isZero() || emit.compareTo(drain) < 0, "spate.output.emit-interval",
                "must be shorter than spate.source.drain-timeout (" + drain + "), which a rebalance waits for the gathered batches; was " + emit);
    }

    /**
     * Reads the settings from a whole configuration (with {@code spate} and {@code pekko}
     * sections, as {@code ConfigFactory.load()} gives). Bad values fail here, with the key named;
     * so does a key under {@code spate} that no {@code reference.conf} on the class path has (a
     * typo), naming the closest one that exists. Keys outside {@code spate} are not looked at.
     */
    public static SpateSettings create(Config config) {
        ConfigKeys.within(config, ConfigFactory.defaultReference(), "spate", OPEN_SECTIONS);
        try {
            return read(config);
        } catch (ConfigException.WrongType e) {
            throw ConfigKeys.wrongType(e, config, "");
        }
    }

    private static SpateSettings read(Config config) {
        return new SpateSettings(config, config.getString("spate.kafka.bootstrap-servers"),
                properties(config, "spate.kafka.client-properties"), properties(config, "spate.kafka.consumer-properties"),
                properties(config, "spate.kafka.producer-properties"),
                SettingsChecks.oneOf(Delivery.class, "spate.delivery", config.getString("spate.delivery")),
                config.getString("spate.node-id").trim(), BatchSettings.create(config, "spate.batch"), SourceSettings.create(config),
                StateSettings.create(config), OutputSettings.create(config), ComputeSettings.create(config),
                config.getDuration("spate.kafka.startup-timeout"));
    }

    private static Map<String, String> properties(Config config, String path) {
        Map<String, String> out = new HashMap<>();
        Config section = config.getConfig(path);
        for (Map.Entry<String, ConfigValue> e : section.root().entrySet()) {
            Object v = e.getValue().unwrapped();
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException.BadValue(path + ".\"" + e.getKey() + "\"",
                        "Kafka properties are flat: quote dotted names, e.g. \"max.poll.records\" = 500");
            }
            out.put(e.getKey(), String.valueOf(v));
        }
        return out;
    }

    /** The whole configuration these settings came from (for backends' own sections and Pekko's). */
    public Config config() {
        return config;
    }

    /** Kafka bootstrap servers. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Properties for every Kafka client ({@code spate.kafka.client-properties}), bootstrap servers included. */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new HashMap<>(client);
        p.put("bootstrap.servers", bootstrapServers);
        return p;
    }

    /** Properties for consumers ({@code spate.kafka.consumer-properties} over the client properties). */
    public Map<String, String> consumerProperties() {
        Map<String, String> p = clientProperties();
        p.putAll(consumer);
        return p;
    }

    /** Properties for producers ({@code spate.kafka.producer-properties} over the client properties). */
    public Map<String, String> producerProperties() {
        Map<String, String> p = clientProperties();
        p.putAll(producer);
        return p;
    }

    /** The delivery guarantee. */
    public Delivery delivery() {
        return delivery;
    }

    /** Whether output and offsets are written in one Kafka transaction per batch. */
    public boolean exactlyOnce() {
        return delivery == Delivery.EXACTLY_ONCE;
    }

    /** Whether {@code spate.node-id} names this node (a static group member); else the host name stands in. */
    public boolean namedNode() {
        return !nodeId.isEmpty();
    }

    /** This node's id in transactional ids and static group membership: {@code spate.node-id}, or the host name. */
    public String nodeId() {
        if (namedNode()) {
            return nodeId;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Default batch limits. */
    public BatchSettings batch() {
        return batch;
    }

    /** How pipelines read Kafka. */
    public SourceSettings source() {
        return source;
    }

    /** Whether state is restored and scaled out. */
    public StateSettings state() {
        return state;
    }

    /** How output topics are made. */
    public OutputSettings output() {
        return output;
    }

    /** The compute actor and its backend. */
    public ComputeSettings compute() {
        return compute;
    }

    /** Batches in flight to the compute actor ({@link ComputeSettings#inFlight()}). */
    public int inFlight() {
        return compute.inFlight();
    }

    /** Longest one batch may compute ({@link ComputeSettings#timeout()}). */
    public Duration computeTimeout() {
        return compute.timeout();
    }

    /** A copy with other bootstrap servers. */
    public SpateSettings withBootstrapServers(String value) {
        return new SpateSettings(config, value, client, consumer, producer, delivery, nodeId, batch, source, state, output, compute,
                startupTimeout);
    }

    /**
     * How long a pipeline waits at start for the Kafka cluster to answer (metadata, topics) before
     * it fails with one line naming the cause ({@code spate.kafka.startup-timeout}).
     */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /** A copy with another startup timeout. */
    public SpateSettings withStartupTimeout(Duration value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, batch, source, state, output,
                compute, value);
    }

    /** A copy with other properties for every Kafka client (security, timeouts), replacing {@code spate.kafka.client-properties}. */
    public SpateSettings withClientProperties(Map<String, String> value) {
        return new SpateSettings(config, bootstrapServers, value, consumer, producer, delivery, nodeId, batch, source, state, output,
                compute, startupTimeout);
    }

    /** A copy with other consumer properties, replacing {@code spate.kafka.consumer-properties}. */
    public SpateSettings withConsumerProperties(Map<String, String> value) {
        return new SpateSettings(config, bootstrapServers, client, value, producer, delivery, nodeId, batch, source, state, output,
                compute, startupTimeout);
    }

    /** A copy with producer property {@code name} set to {@code value}, the other producer properties kept. */
    public SpateSettings withProducerProperty(String name, String value) {
        Map<String, String> more = new HashMap<>(producer);
        more.put(name, value);
        return withProducerProperties(more);
    }

    /** A copy with other producer properties, replacing {@code spate.kafka.producer-properties}. */
    public SpateSettings withProducerProperties(Map<String, String> value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, value, delivery, nodeId, batch, source, state, output,
                compute, startupTimeout);
    }

    /** A copy with another delivery guarantee. */
    public SpateSettings withDelivery(Delivery value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, value, nodeId, batch, source, state, output,
                compute, startupTimeout);
    }

    /** A copy with another node id ({@code ""}: the host name). */
    public SpateSettings withNodeId(String value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, value.trim(), batch, source, state,
                output, compute, startupTimeout);
    }

    /** A copy with other default batch limits. */
    public SpateSettings withBatch(BatchSettings value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, value, source, state, output,
                compute, startupTimeout);
    }

    /** A copy with other source settings. */
    public SpateSettings withSource(SourceSettings value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, batch, value, state, output,
                compute, startupTimeout);
    }

    /** A copy with other state settings. */
    public SpateSettings withState(StateSettings value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, batch, source, value, output,
                compute, startupTimeout);
    }

    /** A copy with other output settings. */
    public SpateSettings withOutput(OutputSettings value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, batch, source, state, value,
                compute, startupTimeout);
    }

    /** A copy with other compute settings. */
    public SpateSettings withCompute(ComputeSettings value) {
        return new SpateSettings(config, bootstrapServers, client, consumer, producer, delivery, nodeId, batch, source, state, output,
                value, startupTimeout);
    }

    /** A copy with another compute backend ({@code auto}, {@code cpu}, {@code gpu}, ...). */
    public SpateSettings withBackend(String value) {
        return withCompute(compute.withBackend(value));
    }

    /** A copy with another number of batches in flight. */
    public SpateSettings withInFlight(int value) {
        return withCompute(compute.withInFlight(value));
    }

    /** A copy with another compute timeout. */
    public SpateSettings withComputeTimeout(Duration value) {
        return withCompute(compute.withTimeout(value));
    }
}
