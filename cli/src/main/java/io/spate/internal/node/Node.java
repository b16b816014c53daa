package io.spate.internal.node;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RunningPipeline;
import io.spate.SpateSettings;
import io.spate.internal.config.PipelineConfig;
import io.spate.javadsl.Spate;

/**
 * A standalone node: one actor system running the pipelines of a configuration until it is told
 * to stop (SIGTERM, SIGINT), or, with {@code untilIdle}, until every pipeline has caught up. Either
 * way it drains: the batches in flight are computed, produced and committed before it exits. A
 * pipeline that fails while running is started again with backoff ({@code spate.node.restart});
 * the node ends with it only once it has failed too often in a row.
 */
public final class Node {

    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Beyond the source's own drain timeout: time for the sink's last acks and the consumer's close. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

    private final SpateSettings settings;
    private final RestartSettings restart;
    private final List<Pipeline> pipelines;
    private final ActorSystem<Void> system;
    private final NodeSettings nodeSettings;
    private volatile NodeMonitor monitor;
    private final List<RunningPipeline> running = new CopyOnWriteArrayList<>();
    private final List<IdleWatcher> watchers = new ArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private long startNanos;
    private volatile long caughtUpNanos;

    /** A node for {@code config}; fails at once, naming the key, if the settings or pipelines are bad. */
    public Node(Config config) {
        this.settings = SpateSettings.create(config);
        this.restart = RestartSettings.create(config);
        this.pipelines = PipelineConfig.pipelines(config);
        if (pipelines.isEmpty()) {
            throw new ConfigException.BadValue("spate.pipelines", "no pipeline to run");
        }
        this.nodeSettings = NodeSettings.create(config);
        this.system = ActorSystem.create(Behaviors.empty(), "spate", config);
    }

    /** How long stopping waits for a pipeline to drain: its source's drain timeout, and a little for the sink. */
    private Duration stopTimeout() {
        return settings.source().drainTimeout().plus(STOP_MARGIN);
    }

    /** The pipelines this node runs. */
    public List<Pipeline> pipelines() {
        return pipelines;
    }

    /** The pipelines once started. */
    public List<RunningPipeline> running() {
        return running;
    }

    /** Starts every pipeline. */
    public void start() {
        startNanos = System.nanoTime();
        // Serving from the start: /alive and /ready answer while the pipelines start.
        monitor = NodeMonitor.start(nodeSettings, pipelines, () -> running,
                () -> !system.getWhenTerminated().toCompletableFuture().isDone());
        for (Pipeline p : pipelines) {
            if (stopped.get()) {
                return;
            }
            running.add(RestartingPipeline.start(p, () -> Spate.run(p, settings, system), restart));
        }
    }

    /**
     * Blocks until the node should stop, then drains and stops it. Returns 0 after a clean stop
     * and 1 when a pipeline failed.
     *
     * @param untilIdle also stop once every pipeline has caught up with its input
     */
    public int awaitAndStop(boolean untilIdle) throws InterruptedException {
        if (running.isEmpty()) {
            return stop();
        }
        List<CompletableFuture<?>> ends = new ArrayList<>();
        for (RunningPipeline r : running) {
            ends.add(r.completion().toCompletableFuture());
        }
        CompletableFuture<Object> anyEnd = CompletableFuture.anyOf(ends.toArray(new CompletableFuture<?>[0]));
        CompletableFuture<Void> idle = new CompletableFuture<>();
        if (untilIdle) {
            List<CompletableFuture<Void>> idles = new ArrayList<>();
            for (Pipeline p : pipelines) {
                IdleWatcher w = new IdleWatcher(settings, p);
                watchers.add(w);
                idles.add(w.idle().toCompletableFuture());
            }
            CompletableFuture.allOf(idles.toArray(new CompletableFuture<?>[0])).thenRun(() -> idle.complete(null));
        }
        CompletableFuture.anyOf(anyEnd, idle).exceptionally(e -> null).join();
        caughtUpNanos = System.nanoTime();
        return stop();
    }

    /** Drains and stops every pipeline and the actor system; 0 if all ended cleanly. Idempotent. */
    public int stop() throws InterruptedException {
        if (!stopped.compareAndSet(false, true)) {
            terminated.await(stopTimeout().toSeconds() + 10, TimeUnit.SECONDS);
            return 0;
        }
        int rc = 0;
        try {
            watchers.forEach(IdleWatcher::close);
            for (RunningPipeline r : running) {
                try {
                    r.stop().toCompletableFuture().get(stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    failures.add("pipeline '" + r.pipeline().name() + "' did not drain within " + stopTimeout().toSeconds()
                            + " s (spate.source.drain-timeout; is Kafka down?): its last batches were not committed and are read "
                            + "again at the next start");
                    rc = 1;
                } catch (ExecutionException e) {
                    // The runner has logged the failure with its stack trace; this is the line for the user.
                    failures.add("pipeline '" + r.pipeline().name() + "' failed: " + reason(e));
                    rc = 1;
                } catch (Exception e) {
                    failures.add("pipeline '" + r.pipeline().name() + "' did not stop cleanly: " + e);
                    LOG.debug("pipeline {} stop failure", r.pipeline().name(), e);
                    rc = 1;
                }
            }
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("actor system did not terminate cleanly", e);
            rc = 1;
        } finally {
            if (monitor != null) {
                monitor.close();
            }
            terminated.countDown();
        }
        return rc;
    }

    /** The port of the node's HTTP server (metrics, health, status page), or -1 before it starts or when {@code spate.http.enabled} is off. */
    public int httpPort() {
        NodeMonitor m = monitor;
        return m == null ? -1 : m.port();
    }

    /** One line per pipeline that failed, saying why; filled when the node stops. */
    public List<String> failures() {
        return failures;
    }

    /** The message of the first cause that is not a wrapper of futures. */
    static String reason(Throwable e) {
        Throwable c = e;
        while ((c instanceof ExecutionException || c instanceof CompletionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }

    /** Seconds from {@link #start()} until the node was told to stop or caught up (until now while running). */
    public double elapsedSeconds() {
        long end = caughtUpNanos != 0 ? caughtUpNanos : System.nanoTime();
        return (end - startNanos) / 1e9;
    }

    /** Prints one summary line per pipeline. */
    public void printSummary(PrintStream out) {
        double secs = Math.max(1e-9, elapsedSeconds());
        for (RunningPipeline r : running) {
            PipelineMetrics m = r.metrics();
            double steady = m.steadyRecordsPerSecond();
            int restarts = r instanceof RestartingPipeline rp ? rp.restarts() : 0;
            out.printf("%s: %,d records (%.1f MB) in %,d batches on the %s backend, %,d to %s, %,d result records; %.1f s, %,.0f records/s%s%s%n",
                    r.pipeline().name(), m.records(), m.bytes() / 1e6, m.batches(), r.backend(), m.rejected(),
                    r.pipeline().deadLetterTopic(), m.outputRecords(), secs, m.records() / secs,
                    Double.isNaN(steady) ? "" : String.format(" (steady, first to last batch: %,.0f records/s)", steady),
                    restarts == 0 ? "" : String.format("; restarted %d times, counts since the last start", restarts));
        }
    }
}
