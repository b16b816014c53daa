package io.spate.internal.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.pekko.Done;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.PipelineState;
import io.spate.RunningPipeline;

/**
 * A pipeline the node starts again when it fails while running, as a supervisor restarts a child
 * with backoff: each failure is one line in the log, the restart reads on from the committed
 * offsets and restores its state as any start does. It ends for good when stopped, when its
 * stream completes, or when it has failed {@link RestartSettings#maxRestarts()} times in a row;
 * {@link #completion()} then fails with the last cause.
 */
final class RestartingPipeline implements RunningPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RestartingPipeline.class);

    private final Pipeline pipeline;
    private final Supplier<RunningPipeline> start;
    private final RestartSettings restart;
    private final CompletableFuture<Done> ended = new CompletableFuture<>();
    private volatile RunningPipeline current;
    private volatile boolean stopping;
    private int failuresInARow;
    private long startedNanos;
    private int restarts;

    private RestartingPipeline(Pipeline pipeline, Supplier<RunningPipeline> start, RestartSettings restart) {
        this.pipeline = pipeline;
        this.start = start;
        this.restart = restart;
    }

    /** Starts {@code pipeline} with {@code start}; a failure to start the first time is the caller's, as without restarts. */
    static RestartingPipeline start(Pipeline pipeline, Supplier<RunningPipeline> start, RestartSettings restart) {
        RestartingPipeline r = new RestartingPipeline(pipeline, start, restart);
        r.run(start.get());
        return r;
    }

    private void run(RunningPipeline running) {
        current = running;
        startedNanos = System.nanoTime();
        running.completion().whenComplete((done, error) -> {
            if (error == null || stopping) {
                if (error == null) {
                    ended.complete(Done.getInstance());
                } else {
                    ended.completeExceptionally(error);
                }
                return;
            }
            failed(error);
        });
    }

    private synchronized void failed(Throwable error) {
        if (System.nanoTime() - startedNanos > restart.maxBackoff().toNanos()) {
            failuresInARow = 0;
        }
        failuresInARow++;
        if (failuresInARow > restart.maxRestarts()) {
            LOG.error("pipeline {} failed {} times in a row, giving up (spate.node.restart.max-restarts = {}): {}", pipeline.name(),
                    failuresInARow, restart.maxRestarts(), Node.reason(error));
            ended.completeExceptionally(error);
            return;
        }
        Duration backoff = restart.backoff(failuresInARow);
        LOG.warn("pipeline {} failed: {}; restarting in {} ms ({} of {} in a row)", pipeline.name(), Node.reason(error), backoff.toMillis(),
                failuresInARow, restart.maxRestarts());
        LOG.debug("pipeline {} failure", pipeline.name(), error);
        CompletableFuture.delayedExecutor(backoff.toMillis(), TimeUnit.MILLISECONDS).execute(this::again);
    }

    private void again() {
        if (stopping) {
            ended.complete(Done.getInstance());
            return;
        }
        RunningPipeline next;
        try {
            next = start.get();
        } catch (RuntimeException e) {
            // Kafka still away, say: that is one more failure in a row, with the next backoff.
            startedNanos = System.nanoTime();
            failed(e);
            return;
        }
        synchronized (this) {
            restarts++;
        }
        LOG.info("pipeline {} restarted", pipeline.name());
        run(next);
        if (stopping) {
            next.stop();
        }
    }

    /** How many times the pipeline was started again. */
    synchronized int restarts() {
        return restarts;
    }

    @Override
    public Pipeline pipeline() {
        return pipeline;
    }

    /** The counts of the current run (they start again at a restart). */
    @Override
    public PipelineMetrics metrics() {
        return current.metrics();
    }

    /** Failed once it gave up; starting again while it waits to restart; else the current run's state. */
    @Override
    public PipelineState state() {
        if (ended.isCompletedExceptionally()) {
            return PipelineState.FAILED;
        }
        RunningPipeline run = current;
        if (!stopping && !ended.isDone() && run.completion().toCompletableFuture().isCompletedExceptionally()) {
            return PipelineState.STARTING;
        }
        return run.state();
    }

    @Override
    public String backend() {
        return current.backend();
    }

    @Override
    public CompletionStage<Done> completion() {
        return ended;
    }

    @Override
    public CompletionStage<Done> stop() {
        stopping = true;
        RunningPipeline run = current;
        // A run that already failed is between restarts: nothing to drain, the next one will not start.
        if (run.completion().toCompletableFuture().isDone()) {
            ended.complete(Done.getInstance());
            return ended;
        }
        return run.stop().whenComplete((d, e) -> {
            if (e == null) {
                ended.complete(Done.getInstance());
            } else {
                ended.completeExceptionally(e);
            }
        });
    }
}
