package io.spate;

import java.util.concurrent.CompletionStage;

import org.apache.pekko.Done;

/** A pipeline that is running: its counts, its end, and a way to stop it without losing anything. */
public interface RunningPipeline {

    /** What runs. */
    Pipeline pipeline();

    /** Live counts. */
    PipelineMetrics metrics();

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
