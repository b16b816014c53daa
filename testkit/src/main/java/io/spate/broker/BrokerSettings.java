package io.spate.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;

/**
 * How an {@link EmbeddedKafkaBroker} starts: where it listens, whether clients must log in, where
 * it keeps its logs, how many partitions a new topic gets, how long a start may take, and any other
 * broker property. Immutable; every {@code withX} returns a copy.
 *
 * <p>The properties that wire the single-node KRaft quorum together (roles, node id, listeners,
 * log directories) are owned by the broker, because {@link EmbeddedKafkaBroker#bootstrapServers()}
 * and the storage formatting depend on them; {@link #withBrokerProperty} refuses them and names the
 * setting to use instead.
 */
public final class BrokerSettings {

    /** The default listener host: loopback, so a development broker is not reachable from the network. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** Broker properties the embedded broker derives itself, with the setting that controls each. */
    private static final Map<String, String> MANAGED_PROPERTIES = Map.ofEntries(
            Map.entry("process.roles", "it is always broker,controller"),
            Map.entry("node.id", "the single node is always node 1"),
            Map.entry("broker.id", "the single node is always node 1"),
            Map.entry("controller.quorum.voters", "the quorum is this node alone"),
            Map.entry("controller.quorum.bootstrap.servers", "the quorum is this node alone"),
            Map.entry("controller.listener.names", "the CONTROLLER listener is managed"),
            Map.entry("listeners", "it follows the port and host (withPort/withHost, --port/--host)"),
            Map.entry("listener.security.protocol.map", "the listeners are managed"),
            Map.entry("inter.broker.listener.name", "the listeners are managed"),
            Map.entry("log.dirs", "it follows the data directory (withDataDir, --data-dir)"),
            Map.entry("log.dir", "it follows the data directory (withDataDir, --data-dir)"),
            Map.entry("metadata.log.dir", "it follows the data directory (withDataDir, --data-dir)"),
            Map.entry("num.partitions", "it follows the default partitions (withDefaultPartitions, --partitions)"));

    private final int port;
    private final Path dataDir;
    private final String host;
    private final Map<String, String> brokerProperties;
    private final int defaultPartitions;
    private final Duration startupTimeout;
    private final Map<String, String> saslPlainUsers;

    private BrokerSettings(int port, Path dataDir, String host, Map<String, String> brokerProperties,
                           int defaultPartitions, Duration startupTimeout, Map<String, String> saslPlainUsers) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("default partitions must be at least 1, was " + defaultPartitions);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startup timeout must be positive, was " + startupTimeout);
        }
        for (Map.Entry<String, String> e : brokerProperties.entrySet()) {
            String why = MANAGED_PROPERTIES.get(e.getKey());
            if (why != null) {
                throw new IllegalArgumentException("broker property '" + e.getKey() + "' cannot be set: " + why);
            }
            Objects.requireNonNull(e.getValue(), () -> "value of broker property '" + e.getKey() + "'");
        }
        SaslPlain.validate(saslPlainUsers);
        this.port = port;
        this.dataDir = dataDir;
        this.host = host;
        // Insertion order is kept so that a property listed twice behaves as the user read it.
        this.brokerProperties = Collections.unmodifiableMap(new LinkedHashMap<>(brokerProperties));
        this.defaultPartitions = defaultPartitions;
        this.startupTimeout = startupTimeout;
        this.saslPlainUsers = Collections.unmodifiableMap(new LinkedHashMap<>(saslPlainUsers));
    }

    /**
     * The defaults: a free port (so that tests and embedded runs never collide with a broker already
     * on 9092), a fresh temporary data directory deleted on close, host {@value #DEFAULT_HOST}, one
     * partition per new topic, 30 seconds to start, a PLAINTEXT client listener.
     */
    public static BrokerSettings create() {
        return new BrokerSettings(0, null, DEFAULT_HOST, Map.of(), 1, Duration.ofSeconds(30), Map.of());
    }

    /**
     * Reads a {@code broker} section: {@code port}, {@code host}, {@code data-dir} (an empty string
     * for a temporary directory), {@code default-partitions}, {@code startup-timeout} and the
     * {@code properties} object, whose quoted keys are broker property names.
     */
    public static BrokerSettings create(Config broker) {
        String dir = broker.getString("data-dir");
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> e : broker.getObject("properties").entrySet()) {
            properties.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        return new BrokerSettings(broker.getInt("port"), dir.isEmpty() ? null : Path.of(dir), broker.getString("host"),
                properties, broker.getInt("default-partitions"), broker.getDuration("startup-timeout"), Map.of());
    }

    /** The names of the broker properties that {@link #withBrokerProperty} refuses. */
    public static Set<String> managedProperties() {
        return MANAGED_PROPERTIES.keySet();
    }

    /** The client port; 0 means a free port picked at start. */
    public int port() {
        return port;
    }

    /** The data directory, kept between runs; empty for a temporary one deleted on close. */
    public Optional<Path> dataDir() {
        return Optional.ofNullable(dataDir);
    }

    /** The host the client listener binds to and advertises. */
    public String host() {
        return host;
    }

    /** Extra broker properties, applied over the embedded defaults. */
    public Map<String, String> brokerProperties() {
        return brokerProperties;
    }

    /** The partition count of a topic created without one (by auto-creation, for instance). */
    public int defaultPartitions() {
        return defaultPartitions;
    }

    /** How long {@link EmbeddedKafkaBroker#start()} waits for the broker to answer a client. */
    public Duration startupTimeout() {
        return startupTimeout;
    }

    /**
     * The users (name to password) the client listener accepts with SASL/PLAIN; empty when the
     * listener is PLAINTEXT.
     */
    public Map<String, String> saslPlainUsers() {
        return saslPlainUsers;
    }

    /** A copy with another client port; 0 picks a free port at start. */
    public BrokerSettings withPort(int value) {
        return new BrokerSettings(value, dataDir, host, brokerProperties, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy that keeps its logs in {@code value}, which is created if missing and never deleted. */
    public BrokerSettings withDataDir(Path value) {
        Objects.requireNonNull(value, "data dir");
        return new BrokerSettings(port, value, host, brokerProperties, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy that keeps its logs in a fresh temporary directory, deleted on close. */
    public BrokerSettings withTemporaryDataDir() {
        return new BrokerSettings(port, null, host, brokerProperties, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy with another listener host; {@code 0.0.0.0} binds every interface. */
    public BrokerSettings withHost(String value) {
        return new BrokerSettings(port, dataDir, value, brokerProperties, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy with one more broker property, replacing an earlier value for the same key. */
    public BrokerSettings withBrokerProperty(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(brokerProperties);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new BrokerSettings(port, dataDir, host, copy, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy whose extra broker properties are exactly {@code value}. */
    public BrokerSettings withBrokerProperties(Map<String, String> value) {
        return new BrokerSettings(port, dataDir, host, value, defaultPartitions, startupTimeout, saslPlainUsers);
    }

    /** A copy with another partition count for topics created without one. */
    public BrokerSettings withDefaultPartitions(int value) {
        return new BrokerSettings(port, dataDir, host, brokerProperties, value, startupTimeout, saslPlainUsers);
    }

    /** A copy with another limit on how long a start may take. */
    public BrokerSettings withStartupTimeout(Duration value) {
        Objects.requireNonNull(value, "startup timeout");
        return new BrokerSettings(port, dataDir, host, brokerProperties, defaultPartitions, value, saslPlainUsers);
    }

    /**
     * A copy whose client listener is SASL_PLAINTEXT and demands a SASL/PLAIN login by one of
     * {@code users} (name to password); an empty map makes it PLAINTEXT again. The broker's own
     * listeners (controller, inter-broker) stay PLAINTEXT on loopback.
     * {@link EmbeddedKafkaBroker#clientProperties(String)} gives the properties a client logs in with.
     *
     * @throws IllegalArgumentException if a name is not letters, digits, {@code _ . -}, or a password is empty
     */
    public BrokerSettings withSaslPlain(Map<String, String> users) {
        Objects.requireNonNull(users, "users");
        return new BrokerSettings(port, dataDir, host, brokerProperties, defaultPartitions, startupTimeout, users);
    }

    @Override
    public String toString() {
        return "BrokerSettings[port=" + port + ", data-dir=" + (dataDir == null ? "(temporary)" : dataDir)
                + ", host=" + host + ", default-partitions=" + defaultPartitions
                + ", startup-timeout=" + startupTimeout + ", properties=" + brokerProperties
                + (saslPlainUsers.isEmpty() ? "" : ", sasl-plain-users=" + saslPlainUsers.keySet()) + "]";
    }
}
