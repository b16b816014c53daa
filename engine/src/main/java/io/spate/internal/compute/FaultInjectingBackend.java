package io.spate.internal.compute;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

/**
 * A test hook ({@code spate.compute.inject-fault-every = k}): wraps a backend and fails every k-th
 * batch before running it, the way a device fault would, so tests can show that a failed batch
 * is re-run and nothing is lost or counted twice.
 */
final class FaultInjectingBackend implements ComputeBackend {

    private final ComputeBackend backend;
    private final int every;
    private long calls;

    FaultInjectingBackend(ComputeBackend backend, int every) {
        this.backend = backend;
        this.every = every;
    }

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public BatchResult execute(Plan plan, RecordBatch batch) {
        if (++calls % every == 0) {
            throw new IllegalStateException("injected fault on call " + calls + " (spate.compute.inject-fault-every = " + every + ")");
        }
        return backend.execute(plan, batch);
    }

    @Override
    public void prepare(Plan plan, RecordBatch batch) {
        backend.prepare(plan, batch);
    }

    @Override
    public void restore(Plan plan, int query, Frame saved) {
        backend.restore(plan, query, saved);
    }

    @Override
    public void restoreTime(Plan plan, PartitionTime time) {
        backend.restoreTime(plan, time);
    }

    @Override
    public void reset(Plan plan) {
        backend.reset(plan);
    }

    @Override
    public void close() {
        backend.close();
    }
}
