package io.spate.internal.cpu;

import java.util.List;
import java.util.Objects;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.model.ModelRunners;
import io.spate.plan.Plan;
import io.spate.spi.BackendStats;
import io.spate.spi.ComputeBackend;

/**
 * The CPU compute backend and the reference semantics of Spate (see the package documentation
 * for the rules every backend must match). It decodes each batch straight from its bytes, once,
 * and runs the plan's queries over the decoded columns. It keeps its working arrays between
 * batches, so after warming up it allocates little more than the result frames.
 *
 * <p>Like every backend, an instance is used by one thread at a time.
 */
public final class CpuBackend implements ComputeBackend {

    /** The name in results, logs and metrics. */
    public static final String NAME = "cpu";

    private final int hashMask;
    private final ModelRunners runners;
    private PlanProgram program;

    /** A backend. */
    public CpuBackend() {
        this(-1, ModelRunners.CPU);
    }

    /**
     * A backend that runs its plans' models where {@code runners} says and everything else here:
     * the GPU backend's way of running inference on its device behind this backend's decoding and
     * frames. Internal API.
     */
    public CpuBackend(ModelRunners runners) {
        this(-1, runners);
    }

    /** A backend whose group tables keep only the {@code hashMask} bits of key hashes; tests use it to force collisions. */
    CpuBackend(int hashMask) {
        this(hashMask, ModelRunners.CPU);
    }

    private CpuBackend(int hashMask, ModelRunners runners) {
        this.hashMask = hashMask;
        this.runners = Objects.requireNonNull(runners, "runners");
    }

    /** The groups the running outputs of the current plan hold; nothing on a device. */
    @Override
    public BackendStats stats() {
        PlanProgram p = program;
        return p == null ? BackendStats.NONE : new BackendStats(p.heldGroups(), 0, 0, 0);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BatchResult execute(Plan plan, RecordBatch batch) {
        return execute(plan, batch, null);
    }

    /**
     * {@link #execute(Plan, RecordBatch)} for a plan whose running sums are kept elsewhere: query
     * {@code q}, which has no running state here, continues the long sums of
     * {@code sumBases.get(q)} (null for none), so that the records whose value would take one of
     * them out of the long range go to the dead letters, as they would in a running query here;
     * the state is only read. Internal API: the GPU backend's per-batch twin runs the batches the
     * device leaves to it this way, the host keeping the running state of both paths.
     */
    public BatchResult execute(Plan plan, RecordBatch batch, List<RunningState> sumBases) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(batch, "batch");
        if (program == null || !program.runs(plan)) {
            program = new PlanProgram(plan, hashMask, NAME, runners);
        }
        return program.execute(batch, sumBases);
    }

    @Override
    public void restore(Plan plan, int query, Frame saved) {
        if (program == null || !program.runs(plan)) {
            program = new PlanProgram(plan, hashMask, NAME, runners);
        }
        program.restore(query, saved);
    }

    @Override
    public void restoreTime(Plan plan, PartitionTime time) {
        if (program == null || !program.runs(plan)) {
            program = new PlanProgram(plan, hashMask, NAME, runners);
        }
        program.restore(time);
    }

    /**
     * The window kernel of query {@code query} of {@code plan} (null if it has no windows), which
     * holds that query's event time here. Internal API: the GPU backend assigns the windows of the
     * batches it groups on the device with the kernel of its CPU twin, so that a batch the device
     * cannot take continues from the same event time.
     */
    public WindowKernel window(Plan plan, int query) {
        if (program == null || !program.runs(plan)) {
            program = new PlanProgram(plan, hashMask, NAME, runners);
        }
        return program.window(query);
    }

    @Override
    public void reset(Plan plan) {
        if (program != null && program.runs(plan)) {
            program = null;
        }
    }

    @Override
    public void close() {
        program = null;
    }
}
