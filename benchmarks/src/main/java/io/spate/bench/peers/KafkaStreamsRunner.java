package io.spate.bench.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * Runs {@link KafkaStreamsGoldenSignals} the way the benchmark needs: to the end of what its input
 * topic holds when the run starts ({@link #runToEnd}), or until the JVM shuts down ({@link #serve}).
 *
 * <p>"The end" is judged from outside, as for Spate: every {@link #POLL_INTERVAL} the Admin API
 * compares the application's committed offsets with the end offsets of its input topic, then of
 * its repartition topics, so the aggregations behind them have caught up too. Offsets are committed
 * every {@code commit.interval.ms}, so the measured time includes up to about one interval after
 * the last record was processed, as a user waiting for committed results would see it.
 */
public final class KafkaStreamsRunner {

    /** How often progress is checked; it bounds how much the measured time overshoots. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** How long {@link #runToEnd(String, String, String, String)} waits for Kafka Streams to catch up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CLOSE_TIMEOUT = Duration.ofMinutes(1);

    private KafkaStreamsRunner() {
    }

    /**
     * Runs {@code signals} until the application has consumed and committed everything its input
     * topic held when called, then closes it (which flushes the caches and commits).
     *
     * @param properties Kafka Streams properties, with at least the application id and bootstrap servers
     * @param timeout how long to wait for it to catch up
     * @throws IllegalStateException if Kafka Streams fails or does not catch up within {@code timeout}
     */
    public static PeerRun runToEnd(KafkaStreamsGoldenSignals signals, Properties properties, Duration timeout) throws InterruptedException {
        try (GroupProgress progress = new GroupProgress(required(properties, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG),
                required(properties, StreamsConfig.APPLICATION_ID_CONFIG))) {
            List<TopicPartition> input = progress.partitionsOf(signals.topics().input(), Duration.ZERO);
            Map<TopicPartition, Long> ends = progress.offsets(input, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = progress.startOffsets(input);
            long records = ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - starts.get(e.getKey()))).sum();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            KafkaStreams streams = new KafkaStreams(signals.topology(), properties);
            streams.setUncaughtExceptionHandler(e -> {
                failure.compareAndSet(null, e);
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            long begin = System.nanoTime();
            double seconds;
            boolean closed;
            try {
                streams.start();
                seconds = awaitCaughtUp(streams, failure, progress, starts, ends, begin, timeout);
            } finally {
                closed = streams.close(CLOSE_TIMEOUT);
            }
            return new PeerRun(records, signals.counts().valueBytes(), seconds, closed && failure.get() == null);
        }
    }

    /**
     * {@link #runToEnd(KafkaStreamsGoldenSignals, Properties, Duration)} with the default
     * properties, {@link #DEFAULT_TIMEOUT} and a temporary state directory, deleted afterwards.
     */
    public static PeerRun runToEnd(String bootstrapServers, String inputTopic, String outputPrefix, String applicationId)
            throws IOException, InterruptedException {
        Path stateDir = Files.createTempDirectory("kafka-streams-state");
        try {
            return runToEnd(KafkaStreamsGoldenSignals.create(inputTopic, outputPrefix),
                    KafkaStreamsGoldenSignals.properties(bootstrapServers, applicationId, stateDir), DEFAULT_TIMEOUT);
        } finally {
            deleteTree(stateDir);
        }
    }

    /**
     * Runs the golden signals with the default properties until Kafka Streams stops: a JVM
     * shutdown hook closes it (flushing and committing) and deletes its temporary state directory;
     * a failure stops it too. Meant for a process of its own that is stopped from outside. Waits
     * up to {@link #DEFAULT_TIMEOUT} for the input topic to exist, since the caller may create it
     * by producing to it after starting this.
     *
     * @return what the topology read from the start until it stopped
     */
    public static PeerRun serve(String bootstrapServers, String inputTopic, String outputPrefix, String applicationId)
            throws IOException, InterruptedException {
        try (GroupProgress progress = new GroupProgress(bootstrapServers, applicationId)) {
            progress.partitionsOf(inputTopic, DEFAULT_TIMEOUT);
        }
        KafkaStreamsGoldenSignals signals = KafkaStreamsGoldenSignals.create(inputTopic, outputPrefix);
        Path stateDir = Files.createTempDirectory("kafka-streams-state");
        KafkaStreams streams = new KafkaStreams(signals.topology(),
                KafkaStreamsGoldenSignals.properties(bootstrapServers, applicationId, stateDir));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        streams.setUncaughtExceptionHandler(e -> {
            failure.compareAndSet(null, e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        CountDownLatch stopped = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAndDelete(streams, stateDir), "kafka-streams-shutdown"));
        long begin = System.nanoTime();
        streams.start();
        stopped.await();
        double seconds = (System.nanoTime() - begin) / 1e9;
        // Stopped by the hook, or failed (then the hook deletes the state when the JVM exits).
        boolean closed = streams.close(CLOSE_TIMEOUT);
        return new PeerRun(signals.counts().records(), signals.counts().valueBytes(), seconds, closed && failure.get() == null);
    }

    private static double awaitCaughtUp(KafkaStreams streams, AtomicReference<Throwable> failure, GroupProgress progress,
                                        Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, long begin, Duration timeout)
            throws InterruptedException {
        long deadline = begin + timeout.toNanos();
        while (true) {
            Throwable t = failure.get();
            if (t != null || !streams.state().isRunningOrRebalancing()) {
                throw new IllegalStateException("Kafka Streams stopped (" + streams.state() + ") before catching up", t);
            }
            List<String> lagging = progress.lagging(starts, ends);
            long now = System.nanoTime();
            if (lagging.isEmpty()) {
                return (now - begin) / 1e9;
            }
            if (now - deadline > 0) {
                throw new IllegalStateException("Kafka Streams did not catch up within " + timeout
                        + "; committed/end offsets still short: " + lagging);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    private static void closeAndDelete(KafkaStreams streams, Path stateDir) {
        streams.close(CLOSE_TIMEOUT);
        deleteTree(stateDir);
    }

    private static String required(Properties properties, String key) {
        return Objects.requireNonNull(properties.getProperty(key), () -> "the properties have no " + key);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
