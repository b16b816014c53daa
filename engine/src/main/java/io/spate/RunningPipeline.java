package io.spate;

import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;

/** A pipeline that is running: its counts and state, its end, and a way to stop it without losing anything. */
public interface RunningPipeline {

    /** What runs. */
    Pipeline pipeline();

    /**
     * Live counts, and the pipeline's meters: bind them to a Micrometer registry with
     * {@code metrics().bindTo(registry)}.
     */
    PipelineMetrics metrics();

    /** Where the pipeline is now: starting (joining its group, restoring state), running, stopping, stopped or failed. */
    PipelineState state();

    /** Name of the compute backend in use ({@code cpu}, {@code gpu}). */
    String backend();

    /** Completes when the stream has ended (after {@link #stop()}, or failed). */
    CompletionStage<Done> completion();

    /**
     * Stops consuming, lets the batches in flight finish, produces their results, commits their
     * offsets, then ends the stream. Idempotent.
     */
    CompletionStage<Done> stop();
}
