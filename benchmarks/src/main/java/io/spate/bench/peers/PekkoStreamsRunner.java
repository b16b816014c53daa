package io.spate.bench.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.kafka.javadsl.Consumer;

/**
 * Runs {@link PekkoGoldenSignals} the way the benchmark needs: to the end of what its input topic
 * holds when the run starts ({@link #runToEnd}), or until the JVM shuts down ({@link #serve}).
 *
 * <p>"The end" is judged from outside, as for Spate and Kafka Streams: every
 * {@link #POLL_INTERVAL} the Admin API compares the group's committed offsets with the end
 * offsets of the input topic. Offsets are committed after each batch's records are acked, so
 * caught up means every output record is written.
 */
public final class PekkoStreamsRunner {

    /** How often progress is checked (Spate's own check interval in the benchmark); it bounds how much the measured time overshoots. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    /** How long {@link #runToEnd} waits for the pipeline to catch up. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(1);

    private PekkoStreamsRunner() {
    }

    /**
     * Runs the golden signals of {@code inputTopic} as group {@code groupId} until the group has
     * consumed and committed everything the topic held when called, then drains the stream.
     *
     * @throws IllegalStateException if the stream fails or does not catch up within {@link #DEFAULT_TIMEOUT}
     */
    public static PeerRun runToEnd(String bootstrapServers, String inputTopic, String outputPrefix, String groupId, int batchRecords)
            throws InterruptedException {
        PekkoGoldenSignals signals = PekkoGoldenSignals.create(inputTopic, outputPrefix, batchRecords);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pekko-golden-signals");
        try (GroupProgress progress = new GroupProgress(bootstrapServers, groupId)) {
            List<TopicPartition> input = progress.partitionsOf(inputTopic, Duration.ZERO);
            Map<TopicPartition, Long> ends = progress.offsets(input, OffsetSpec.latest());
            Map<TopicPartition, Long> starts = progress.startOffsets(input);
            long records = ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - starts.get(e.getKey()))).sum();
            long begin = System.nanoTime();
            Consumer.DrainingControl<Done> control = signals.graph(system, bootstrapServers, groupId).run(system);
            // If it fails or times out, terminating the actor system below stops the stream.
            double seconds = awaitCaughtUp(control, progress, starts, ends, begin);
            boolean clean = completed(control.drainAndShutdown(system.executionContext()), DRAIN_TIMEOUT);
            return new PeerRun(records, signals.counts().valueBytes(), seconds, clean);
        } finally {
            system.terminate();
        }
    }

    /**
     * Runs the golden signals until the JVM shuts down: a shutdown hook drains the stream (the
     * last batches are written and committed). Meant for a process of its own that is stopped
     * from outside. Waits up to {@link #DEFAULT_TIMEOUT} for the input topic to exist, since the
     * caller may create it by producing to it after starting this.
     *
     * @return what the pipeline read from the start until it stopped
     */
    public static PeerRun serve(String bootstrapServers, String inputTopic, String outputPrefix, String groupId, int batchRecords)
            throws InterruptedException {
        try (GroupProgress progress = new GroupProgress(bootstrapServers, groupId)) {
            progress.partitionsOf(inputTopic, DEFAULT_TIMEOUT);
        }
        PekkoGoldenSignals signals = PekkoGoldenSignals.create(inputTopic, outputPrefix, batchRecords);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "pekko-golden-signals");
        long begin = System.nanoTime();
        Consumer.DrainingControl<Done> control = signals.graph(system, bootstrapServers, groupId).run(system);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            completed(control.drainAndShutdown(system.executionContext()), DRAIN_TIMEOUT);
            system.terminate();
        }, "pekko-streams-shutdown"));
        // Stopped by the hook, or failed.
        boolean clean = completed(control.streamCompletion(), Duration.ofDays(365));
        return new PeerRun(signals.counts().records(), signals.counts().valueBytes(), (System.nanoTime() - begin) / 1e9, clean);
    }

    private static double awaitCaughtUp(Consumer.DrainingControl<Done> control, GroupProgress progress,
                                        Map<TopicPartition, Long> starts, Map<TopicPartition, Long> ends, long begin)
            throws InterruptedException {
        CompletableFuture<Done> completion = control.streamCompletion().toCompletableFuture();
        long deadline = begin + DEFAULT_TIMEOUT.toNanos();
        while (true) {
            if (completion.isDone()) {
                // The source never ends by itself: a finished stream has failed.
                throw new IllegalStateException("the Pekko Streams pipeline stopped before catching up", failure(completion));
            }
            List<String> lagging = progress.lagging(starts, ends);
            long now = System.nanoTime();
            if (lagging.isEmpty()) {
                return (now - begin) / 1e9;
            }
            if (now - deadline > 0) {
                throw new IllegalStateException("the Pekko Streams pipeline did not catch up within " + DEFAULT_TIMEOUT
                        + "; committed/end offsets still short: " + lagging);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }

    /** Waits up to {@code timeout} for {@code stage}; whether it completed without a failure. */
    private static boolean completed(CompletionStage<Done> stage, Duration timeout) {
        try {
            stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private static Throwable failure(CompletableFuture<Done> completion) {
        try {
            completion.getNow(null);
            return null;
        } catch (RuntimeException e) {
            return e.getCause() != null ? e.getCause() : e;
        }
    }
}
