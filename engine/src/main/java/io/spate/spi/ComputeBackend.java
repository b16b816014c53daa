package io.spate.spi;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.plan.Plan;

/**
 * Executes plans on batches. The CPU backend is the reference: every other backend must give the
 * same frames for the same plan and batch (doubles within 1e-9 relative), the same rejected
 * records and the same reasons.
 *
 * <p>A backend instance is used by one thread at a time (its compute actor); it may keep buffers
 * between calls.
 */
public interface ComputeBackend extends AutoCloseable {

    /** Short name for logs and metrics, e.g. {@code cpu} or {@code gpu}. */
    String name();

    /**
     * Decodes the batch as the plan's format says and runs every query of the plan over the records
     * that decode. Malformed records are reported in the result, never thrown. If it throws (a
     * device fault), it must leave its running state as it was, so that the batch can be run again.
     */
    BatchResult execute(Plan plan, RecordBatch batch);

    /**
     * A hint that {@code batch} is the next batch {@link #execute} will get, given while the
     * batch before it still waits to run: a backend may start moving it (the GPU backend copies it
     * to the device on its copy stream while the batch before is computed). It must not change any
     * result nor the running state, and must not throw; if {@code execute} then gets another batch,
     * the preparation is dropped. The default does nothing (the CPU has nothing to prepare).
     */
    default void prepare(Plan plan, RecordBatch batch) {
    }

    /**
     * Seeds the running state of query {@code query} of {@code plan} (one whose aggregates run
     * across batches) with {@code saved}: key columns then aggregate columns, one row per group,
     * as the query writes them. Called before the first batch, when a node restarts.
     */
    default void restore(Plan plan, int query, Frame saved) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot restore running state");
    }

    /**
     * Sets the largest event time a windowed query of {@code plan} has seen in one input partition,
     * as the backend reported it in {@link BatchResult#times()} before a restart. Called before the
     * first batch, after {@link #restore(Plan, int, io.spate.frame.Frame)}. A timestamp of
     * {@link Long#MIN_VALUE} names a partition of the input nothing has been read from yet: until
     * it is read from, no window is dropped for retention.
     */
    default void restoreTime(Plan plan, PartitionTime time) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot restore event time");
    }

    /**
     * Forgets all state of {@code plan} (running aggregates, event times), as before its first
     * batch: a scaled-out node calls it when the consumer group assigns it partitions, then
     * restores the state of all the partitions it owns.
     */
    default void reset(Plan plan) {
        throw new UnsupportedOperationException("the " + name() + " backend cannot reset its state");
    }

    /** Releases what the backend holds. */
    /**
     * What the backend holds and has spent so far ({@link BackendStats}), read on the compute
     * actor's thread after each batch. The default says nothing.
     */
    default BackendStats stats() {
        return BackendStats.NONE;
    }

    @Override
    default void close() {
    }
}
