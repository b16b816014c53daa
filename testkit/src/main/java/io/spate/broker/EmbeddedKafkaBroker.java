package io.spate.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

import io.spate.testkit.KafkaTopics;

/**
 * A real single-node Kafka broker in KRaft mode, running in this JVM: one {@link KafkaRaftServer}
 * that is both broker and the only controller, with every replication factor at 1.
 *
 * <p>{@link #start()} formats the data directory the way {@code kafka-storage format} does (once;
 * a restart on the same directory keeps its topics) and returns when the broker answers a client.
 * {@link #close()} shuts it down and deletes the data directory only if it was a temporary one.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(BrokerSettings.create()).start()) {
 *     broker.createTopic("events", 3);
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * }</pre>
 *
 * <p>With {@link BrokerSettings#withSaslPlain} the client listener demands a SASL/PLAIN login, and
 * {@link #clientProperties(String)} gives a client what it needs besides the bootstrap servers:
 *
 * <pre>{@code
 * BrokerSettings secured = BrokerSettings.create().withSaslPlain(Map.of("alice", "alice-secret"));
 * try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(secured).start()) {
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 *     producerProps.putAll(broker.clientProperties("alice"));
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** Replication and transaction markers; also the client listener unless clients log in with SASL. */
    private static final String INTER_BROKER_LISTENER = "PLAINTEXT";
    /** The controller only talks to the broker in the same process, so it never leaves loopback. */
    private static final String CONTROLLER_HOST = "127.0.0.1";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** A file in the data directory root: Kafka only reads subdirectories there as partitions. */
    private static final String LOCK_FILE_NAME = ".spate-broker.lock";

    /**
     * Kafka's exit and halt procedures are JVM-wide statics; starts that redirect them must take
     * turns, or one start would restore the JVM's exit while another still relies on the trap.
     */
    private static final Object EXIT_PROCEDURE_LOCK = new Object();

    /** The data directories brokers in this JVM hold, because file locks are per process. */
    private static final Set<Path> LOCKED_DATA_DIRS = ConcurrentHashMap.newKeySet();

    private enum State { NEW, RUNNING, CLOSED }

    private final BrokerSettings settings;
    private State state = State.NEW;
    private boolean started;
    private Path dataDir;
    private boolean temporaryDataDir;
    private int port;
    private int interBrokerPort;
    private KafkaRaftServer server;
    private volatile Admin admin;
    private FileChannel lockFile;
    private Path lockedDataDir;

    /** A broker that will run with {@code settings}; nothing starts before {@link #start()}. */
    public EmbeddedKafkaBroker(BrokerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Formats the data directory if it is new, starts the broker and waits until it answers a
     * client. A failure to start throws and leaves nothing running: Kafka's requests to exit or
     * halt the JVM during the start become this exception instead.
     *
     * @return this broker, started
     * @throws KafkaException if the broker does not start within the startup timeout
     * @throws IllegalStateException if the broker was started or closed before
     */
    public synchronized EmbeddedKafkaBroker start() {
        if (state != State.NEW) {
            throw new IllegalStateException("the broker was already " + (state == State.RUNNING ? "started" : "closed"));
        }
        state = State.CLOSED;  // until it is known to run, so that a failed start cannot be retried half-done
        long begin = System.nanoTime();
        // Kafka exits the JVM when its fault handlers give up; during a start that must be an
        // exception for the caller. Once started, Kafka's own policy applies again: a broker whose
        // metadata or log directories failed must not go on serving, and a JVM-wide trap left in
        // place would also swallow exits meant by other code in this process.
        synchronized (EXIT_PROCEDURE_LOCK) {
            AtomicReference<String> exitRequest = new AtomicReference<>();
            Exit.Procedure trap = (status, message) -> {
                String request = "status " + status + (message == null ? "" : ": " + message);
                exitRequest.compareAndSet(null, request);
                throw new KafkaException("Kafka asked to exit the JVM while the broker was starting (" + request + ")");
            };
            Exit.setExitProcedure(trap);
            Exit.setHaltProcedure(trap);
            try {
                startServer();
                awaitFirstAnswer(exitRequest, begin + settings.startupTimeout().toNanos());
            } catch (Exception e) {
                stopQuietly();
                String request = exitRequest.get();
                throw new KafkaException("the Kafka broker failed to start"
                        + (port == 0 ? "" : " on " + settings.host() + ":" + port)
                        + (request == null ? "" : " (Kafka asked to exit: " + request + ")"), e);
            } finally {
                Exit.resetExitProcedure();
                Exit.resetHaltProcedure();
            }
        }
        state = State.RUNNING;
        started = true;
        LOG.info("Kafka broker listening on {}{} after {} ms (data in {})", bootstrapServers(), sasl() ? " (SASL/PLAIN)" : "",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), dataDir);
        return this;
    }

    /** The {@code host:port} clients connect to (loopback where the host is a wildcard); valid once started. */
    public String bootstrapServers() {
        return connectHost(settings.host()) + ":" + port();
    }

    /**
     * What a client needs besides {@link #bootstrapServers()} to log in as {@code user} on a broker
     * with SASL/PLAIN users ({@link BrokerSettings#withSaslPlain}): {@code security.protocol},
     * {@code sasl.mechanism} and {@code sasl.jaas.config}, as Kafka client properties.
     *
     * @throws IllegalStateException if the client listener is PLAINTEXT
     * @throws IllegalArgumentException if {@code user} is not one of the broker's users
     */
    public Map<String, String> clientProperties(String user) {
        Map<String, String> users = settings.saslPlainUsers();
        if (users.isEmpty()) {
            throw new IllegalStateException("the broker's client listener is PLAINTEXT: clients need no login");
        }
        String password = users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("no SASL/PLAIN user '" + user + "'; the broker has " + users.keySet());
        }
        return SaslPlain.clientProperties(user, password);
    }

    /** The client port, the picked one where the settings asked for 0; valid once started. */
    public synchronized int port() {
        requireStarted();
        return port;
    }

    /** The directory holding the broker's logs and metadata; valid once started. */
    public synchronized Path dataDir() {
        requireStarted();
        return dataDir;
    }

    /** The settings this broker runs with. */
    public BrokerSettings settings() {
        return settings;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the broker serves each of its
     * partitions (so a producer that starts at once loses nothing, see
     * {@link KafkaTopics#awaitServed(Admin, String, Duration)}).
     *
     * @throws KafkaException if it exists already or the broker does not answer in time
     */
    public void createTopic(String name, int partitions) {
        Admin client = admin;
        if (client == null) {
            throw new IllegalStateException("the broker is not running");
        }
        try {
            client.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all()
                    .get(settings.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            KafkaTopics.awaitServed(client, name, settings.startupTimeout());
        } catch (ExecutionException e) {
            throw new KafkaException("could not create topic " + name, e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("could not create topic " + name + " within " + settings.startupTimeout(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while creating topic " + name, e);
        }
    }

    /** Shuts the broker down, waiting until it has, and deletes a temporary data directory. A no-op when closed. */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean running = state == State.RUNNING;
        state = State.CLOSED;
        if (running) {
            stopQuietly();
            LOG.info("Kafka broker on port {} stopped", port);
        }
    }

    private void startServer() throws Exception {
        if (settings.dataDir().isPresent()) {
            dataDir = Files.createDirectories(settings.dataDir().get()).toAbsolutePath().normalize();
        } else {
            dataDir = Files.createTempDirectory("spate-broker-");
            temporaryDataDir = true;
        }
        lockDataDir();
        port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
        interBrokerPort = sasl() ? freePort(CONTROLLER_HOST) : port;
        int controllerPort = freePort(CONTROLLER_HOST);
        KafkaConfig config = new KafkaConfig(brokerProperties(controllerPort), false);
        format(config);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        Map<String, Object> adminProperties = new HashMap<>();
        adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, connectHost(settings.host()) + ":" + port);
        adminProperties.put(AdminClientConfig.CLIENT_ID_CONFIG, "spate-embedded-broker-admin");
        if (sasl()) {
            // Through the client listener, as the first user: the start then also shows that a login works.
            adminProperties.putAll(clientProperties(settings.saslPlainUsers().keySet().iterator().next()));
        }
        admin = Admin.create(adminProperties);
    }

    private boolean sasl() {
        return !settings.saslPlainUsers().isEmpty();
    }

    private Map<String, Object> brokerProperties(int controllerPort) {
        String host = settings.host();
        boolean everyInterface = isWildcard(host);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(NODE_ID));
        // Static voters, not a KIP-853 dynamic quorum: the voter's address then lives in the config,
        // not in the metadata log, so a restart may pick another controller port.
        p.put("controller.quorum.voters", NODE_ID + "@" + CONTROLLER_HOST + ":" + controllerPort);
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        String client = sasl() ? SaslPlain.PROTOCOL : INTER_BROKER_LISTENER;
        List<String> listeners = new ArrayList<>();
        List<String> advertised = new ArrayList<>();
        // An empty host binds every interface and lets Kafka advertise the machine's name, where
        // advertising 0.0.0.0 itself would be refused.
        listeners.add(client + "://" + (everyInterface ? "" : urlHost(host)) + ":" + port);
        advertised.add(client + "://" + urlHost(host) + ":" + port);
        if (sasl()) {
            // The broker's own traffic keeps a listener without login, reachable from this machine only.
            String interBroker = INTER_BROKER_LISTENER + "://" + CONTROLLER_HOST + ":" + interBrokerPort;
            listeners.add(interBroker);
            advertised.add(interBroker);
        }
        listeners.add(CONTROLLER_LISTENER + "://" + CONTROLLER_HOST + ":" + controllerPort);
        p.put("listeners", String.join(",", listeners));
        if (!everyInterface) {
            p.put("advertised.listeners", String.join(",", advertised));
        }
        p.put("listener.security.protocol.map", INTER_BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT"
                + (sasl() ? "," + SaslPlain.PROTOCOL + ":" + SaslPlain.PROTOCOL : ""));
        p.put("inter.broker.listener.name", INTER_BROKER_LISTENER);
        if (sasl()) {
            p.putAll(SaslPlain.listenerProperties(SaslPlain.PROTOCOL, settings.saslPlainUsers()));
        }
        p.put("log.dirs", dataDir.toString());
        p.put("num.partitions", String.valueOf(settings.defaultPartitions()));
        p.put("auto.create.topics.enable", "true");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        // 50 partitions each (the defaults) would mean 100 log directories and index files for a
        // single node that gains nothing from spreading coordinators.
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The cleaner's dedupe buffer is allocated up front: 128 MiB by default. Kafka requires more
        // than 1 MiB per cleaner thread, and there is one thread.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.putAll(settings.brokerProperties());
        return p;
    }

    /** Writes meta.properties and the bootstrap metadata into every directory that lacks them. */
    private void format(KafkaConfig config) throws Exception {
        List<String> dirs = new ArrayList<>(CollectionConverters.asJava(config.logDirs()));
        if (!dirs.contains(config.metadataLogDir())) {
            dirs.add(config.metadataLogDir());
        }
        Optional<String> clusterId = Optional.empty();
        boolean allFormatted = true;
        for (String dir : dirs) {
            Optional<String> found = clusterIdIn(Path.of(dir));
            allFormatted &= found.isPresent();
            clusterId = clusterId.or(() -> found);
        }
        if (allFormatted) {
            return;
        }
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(report, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    // A directory added to an existing broker must join its cluster, not found a new one.
                    .setClusterId(clusterId.orElseGet(() -> Uuid.randomUuid().toString()))
                    .setControllerListenerName(config.controllerListenerNames().head())
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(dirs)
                    .setIgnoreFormatted(true)
                    .run();
        }
        LOG.debug("Formatted {}: {}", dirs, report.toString(StandardCharsets.UTF_8).trim());
    }

    private static Optional<String> clusterIdIn(Path dir) throws IOException {
        Path meta = dir.resolve("meta.properties");
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            props.load(in);
        }
        return Optional.ofNullable(props.getProperty("cluster.id"));
    }

    /**
     * Polls until a describe-cluster lists this node. startup() already waits for the controller to
     * unfence the broker, but only a client's answer shows that the advertised address works and
     * that the broker's own metadata lists it, which topic creation needs.
     */
    private void awaitFirstAnswer(AtomicReference<String> exitRequest, long deadlineNanos)
            throws InterruptedException, TimeoutException {
        while (true) {
            if (exitRequest.get() != null) {
                throw new IllegalStateException("Kafka asked to exit the JVM: " + exitRequest.get());
            }
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no answer within " + settings.startupTimeout());
            }
            int timeoutMs = (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000));
            try {
                if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes().get().isEmpty()) {
                    return;
                }
            } catch (ExecutionException notYet) {
                LOG.debug("Broker not answering yet: {}", notYet.getCause().toString());
            }
            Thread.sleep(20);
        }
    }

    private void stopQuietly() {
        Admin client = admin;
        admin = null;
        if (client != null) {
            client.close(CLOSE_TIMEOUT);
        }
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                LOG.warn("Kafka broker did not shut down cleanly", e);
            }
            server = null;
        }
        unlockDataDir();
        if (temporaryDataDir && dataDir != null) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                LOG.warn("Could not delete the broker's temporary data directory {}", dataDir, e);
            }
        }
    }

    /**
     * Kafka locks a combined node's data directory only once its log manager starts, after the
     * metadata quorum already writes to that directory: a second broker on the same directory
     * would append to the first one's metadata log before failing. This lock is taken first.
     */
    private void lockDataDir() throws IOException {
        Path key = dataDir.toRealPath();
        // Checked before opening the file: closing any channel on a locked file releases the
        // process's lock on it, so a second broker in this JVM must not even try the file lock.
        if (!LOCKED_DATA_DIRS.add(key)) {
            throw new KafkaException("data directory " + dataDir + " is in use by another broker in this JVM");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (channel.tryLock() == null) {
                throw new KafkaException("data directory " + dataDir + " is in use by another process");
            }
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            LOCKED_DATA_DIRS.remove(key);
            throw e;
        }
        // The channel owns the lock: closing it releases the lock.
        lockFile = channel;
        lockedDataDir = key;
    }

    private void unlockDataDir() {
        if (lockFile != null) {
            try {
                lockFile.close();
            } catch (IOException e) {
                LOG.warn("Could not release the lock on {}", dataDir, e);
            }
            LOCKED_DATA_DIRS.remove(lockedDataDir);
            lockFile = null;
            lockedDataDir = null;
        }
    }

    private void requireStarted() {
        if (!started) {
            throw new IllegalStateException("the broker has not been started");
        }
    }

    private static int freePort(String host) throws IOException {
        // Another process may take the port before Kafka binds it; the window is a few
        // milliseconds and a lost race fails the start loudly rather than silently.
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String connectHost(String host) {
        return isWildcard(host) ? "127.0.0.1" : urlHost(host);
    }

    /** IPv6 literals need brackets wherever a port follows. */
    private static String urlHost(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
