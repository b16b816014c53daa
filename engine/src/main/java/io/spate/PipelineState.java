package io.spate;

/**
 * Where a running pipeline is in its life ({@link RunningPipeline#state()}): what health checks
 * and readiness probes read.
 */
public enum PipelineState {

    /**
     * Started; its consumer has not yet joined its group and been given partitions, or its state
     * (running aggregates, event time) is still being restored.
     */
    STARTING,

    /**
     * Its consumer is in its group, holds its partitions (possibly none, when the group has more
     * members than partitions) and the state that goes with them is restored: batches flow. With
     * {@code spate.source.mode = connector}, from its first computed batch.
     */
    RUNNING,

    /** {@link RunningPipeline#stop()} was called: it drains the batches in flight. */
    STOPPING,

    /** Its stream ended cleanly. */
    STOPPED,

    /** Its stream ended with an error ({@link RunningPipeline#completion()} says which). */
    FAILED
}
