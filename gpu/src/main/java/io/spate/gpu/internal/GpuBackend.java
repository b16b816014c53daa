package io.spate.gpu.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.cpu.CpuBackend;
import io.spate.internal.cpu.WindowKernel;
import io.spate.plan.Plan;
import io.spate.spi.BackendStats;
import io.spate.spi.ComputeBackend;

import jcuda.CudaException;

/**
 * The GPU compute backend. Plans the device runs ({@link DeviceQuery#whyNot} says which) are
 * parsed, filtered, grouped and aggregated on the device, and finished on the host (running
 * state, having); other plans run on a CPU twin, which is said once per plan in the log. Event-time
 * windows are assigned on the host, by the window kernels of the per-batch CPU twin, which hold
 * the plan's event time whether a batch runs on the device or on the twin; the (window, group)
 * aggregation runs on the device.
 *
 * <p>A CUDA error during a batch drops the context and throws {@link GpuDeviceFault}, the running
 * state untouched; the compute actor counts the fault and runs the batch again, and that run goes
 * to the CPU (the plan's per-batch twin, feeding the same running state), so no batch is lost or
 * counted twice. The batch after gets a new context. A batch over the memory caps runs on the CPU.
 *
 * <p>The data path of a batch the device runs: the batch source built it in a pinned staging
 * buffer ({@link StagingPool}, offered by the provider), or on the heap when those were all in use;
 * {@link #prepare} (the compute actor calls it for the batch queued behind the one it is about to
 * run) queues its copy to one of two device slots on the copy stream, so that it crosses PCIe
 * while the batch before computes; {@link #execute} queues the copy itself if nobody prepared the
 * batch, makes the compute stream wait for the copy, runs the kernels and waits for the small
 * result. A heap batch is first copied into the backend's own pinned buffer of its slot.
 *
 * <p>Plans with model inference ({@link DeviceInference#whyNot} says which) decode on the host and
 * run their models on the device: the weights go to the device once per plan and context, each
 * batch sends only features or user indexes and gets back only probabilities or top-k items. Faults
 * and capacity limits take the same paths as above.
 *
 * <p>Made on the compute actor's thread (its context is created there) and used only from it.
 */
public final class GpuBackend implements ComputeBackend {

    /** The name in results, logs and metrics. */
    public static final String NAME = "gpu";

    private static final Logger LOG = LoggerFactory.getLogger(GpuBackend.class);

    private final GpuSettings settings;
    private final long hashMask;
    private final CpuBackend cpuPlans = new CpuBackend();
    private final CpuBackend perBatchTwin = new CpuBackend();
    private final Set<Plan> loggedCpuPlans = new HashSet<>();
    private final Set<Plan> loggedInferencePlans = new HashSet<>();
    private final WindowEntries windowEntries = new WindowEntries();
    private DeviceInference inference;
    /** Weight uploads of the inference plans this backend ran before the current one. */
    private long pastWeightUploads;
    private GpuDevice device;
    private DeviceMemory memory;
    private DevicePlan program;
    private boolean rerunOnCpu;
    private boolean loggedCapacity;
    private boolean loggedBatchOnCpu;
    private boolean loggedOverflow;
    private long deviceFaults;
    private long copiedBytes;
    private long deviceNanos;
    /** Batches whose copy is queued, by device slot; the newest is the one {@link #prepare} was last told of. */
    private final DeviceRun.Staged[] staged = new DeviceRun.Staged[GpuDevice.SLOTS];
    private int newest = -1;

    /** A backend with a context on the configured device, made now. */
    public GpuBackend(GpuSettings settings) {
        this(settings, -1L);
    }

    /** A backend whose device hash tables keep only the {@code hashMask} bits of key hashes (tests force collisions with it). */
    public GpuBackend(GpuSettings settings, long hashMask) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hashMask = hashMask;
        openDevice();
        LOG.info("GPU backend on {}", device.name());
    }

    private void openDevice() {
        device = new GpuDevice(settings.device());
        memory = new DeviceMemory(settings.maxDeviceBytes(), settings.backendPinnedBytes());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** CUDA faults seen so far (each one re-ran a batch on the CPU). */
    public long deviceFaults() {
        return deviceFaults;
    }

    /** Queues the copy of {@code batch} to the device, when the device runs {@code plan}. */
    @Override
    public void prepare(Plan plan, RecordBatch batch) {
        if (device == null || rerunOnCpu || slotOf(batch) >= 0 || DeviceQuery.whyNot(plan).isPresent()) {
            return;
        }
        try {
            stage(batch, plan);
        } catch (GpuCapacityException e) {
            // Not staged: execute tries again, and runs the batch on the CPU if it still does not fit.
        } catch (CudaException | LinkageError e) {
            deviceFaults++;
            closeDevice();
            LOG.warn("CUDA error while copying {} ahead: the context is dropped, the batch runs in a new one", batch, e);
        }
    }

    private int slotOf(RecordBatch batch) {
        for (int slot = 0; slot < staged.length; slot++) {
            if (staged[slot] != null && staged[slot].batch() == batch) {
                return slot;
            }
        }
        return -1;
    }

    /** Queues the copy of {@code batch} into a free slot, first giving up the older staged batch if both are taken. */
    private DeviceRun.Staged stage(RecordBatch batch, Plan plan) {
        int slot = staged[0] == null ? 0 : staged[1] == null ? 1 : 1 - newest;
        drop(slot);
        staged[slot] = DeviceRun.stage(device, memory, batch, slot, DeviceDecode.rewrites(plan.format()));
        newest = slot;
        return staged[slot];
    }

    /** The staged copy of {@code batch}, now no longer staged, or null. */
    private DeviceRun.Staged take(RecordBatch batch) {
        int slot = slotOf(batch);
        if (slot < 0) {
            return null;
        }
        DeviceRun.Staged s = staged[slot];
        staged[slot] = null;
        return s;
    }

    /** Forgets slot {@code slot}'s batch once its copy is done (its staging buffer may be reused after). */
    private void drop(int slot) {
        DeviceRun.Staged s = staged[slot];
        staged[slot] = null;
        if (s != null && device != null) {
            device.awaitCopy(s.slot());
        }
    }

    /**
     * The groups the running outputs hold (on the host, for device and CPU-run plans alike), and
     * the device's work so far: the bytes of the batches it was given (payload and record bounds)
     * the host-timed wall time of their device runs (copies waited for, kernels, results back),
     * and the device memory its buffers and models hold now.
     */
    @Override
    public BackendStats stats() {
        long groups = program == null ? 0 : program.heldGroups();
        long cpuGroups = cpuPlans.stats().stateGroups();
        return new BackendStats(groups + Math.max(0, cpuGroups), copiedBytes, deviceNanos, memory == null ? 0 : memory.deviceBytes());
    }

    @Override
    public BatchResult execute(Plan plan, RecordBatch batch) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(batch, "batch");
        BatchResult r = executeStaged(plan, batch);
        // A batch that went to the CPU may still be on its way to the device.
        int slot = slotOf(batch);
        if (slot >= 0) {
            drop(slot);
        }
        return r;
    }

    private BatchResult executeStaged(Plan plan, RecordBatch batch) {
        Optional<String> whyNot = DeviceQuery.whyNot(plan);
        if (!plan.inferences().isEmpty()) {
            whyNot = DeviceInference.whyNot(plan);
            if (whyNot.isEmpty()) {
                return executeInference(plan, batch);
            }
        }
        if (whyNot.isPresent()) {
            if (loggedCpuPlans.add(plan)) {
                LOG.info("plan {} runs on the CPU: {}", plan.queries().isEmpty() ? plan.inferences() : plan.queries().get(0).name(), whyNot.get());
            }
            return cpuPlans.execute(plan, batch);
        }
        if (program == null || !program.runs(plan)) {
            program = new DevicePlan(plan);
        }
        if (rerunOnCpu) {
            rerunOnCpu = false;
            return program.finish(batch, program.onCpu(perBatchTwin, batch), program.windows(perBatchTwin), CpuBackend.NAME);
        }
        DeviceRun.Result result;
        try {
            if (device == null) {
                openDevice();
                LOG.info("GPU backend restarted on {} after a device fault", device.name());
            }
            DeviceRun.Staged mine = take(batch);
            if (mine == null) {
                mine = take(stage(batch, plan).batch());
            }
            try {
                long start = System.nanoTime();
                result = new DeviceRun(device, memory, program.decode(), program.queries(), program.windows(perBatchTwin), windowEntries,
                        hashMask).run(mine);
                deviceNanos += System.nanoTime() - start;
                // The batch's bytes and its record bounds: what each batch copies (plan descriptors are a few bytes more).
                copiedBytes += mine.batch().byteSize() + 4L * (mine.batch().count() + 1);
            } catch (GpuCapacityException e) {
                device.awaitCopy(mine.slot());
                throw e;
            }
        } catch (GpuCapacityException e) {
            if (!loggedCapacity) {
                loggedCapacity = true;
                LOG.warn("a batch runs on the CPU: {} (said once)", e.getMessage());
            }
            return program.finish(batch, program.onCpu(perBatchTwin, batch), program.windows(perBatchTwin), CpuBackend.NAME);
        } catch (CudaException | LinkageError e) {
            deviceFaults++;
            closeDevice();
            rerunOnCpu = true;
            throw new GpuDeviceFault("CUDA error on " + batch + ": the context is dropped and the batch goes to the CPU", e);
        }
        if (result.whyCpu() != null) {
            if (!loggedBatchOnCpu) {
                loggedBatchOnCpu = true;
                LOG.info("a batch runs on the CPU: {} (said once)", result.whyCpu());
            }
            return program.finish(batch, program.onCpu(perBatchTwin, batch), program.windows(perBatchTwin), CpuBackend.NAME);
        }
        if (program.mayOverflow(result)) {
            if (!loggedOverflow) {
                loggedOverflow = true;
                LOG.info("a batch runs on the CPU: a long sum of it may leave the long range, and the CPU dead-letters"
                        + " the records that would take it there (said once)");
            }
            // The device run moved the event time; the twin assigns the batch's windows again from where it was.
            for (WindowKernel w : program.windows(perBatchTwin)) {
                if (w != null) {
                    w.rollBack();
                }
            }
            return program.finish(batch, program.onCpu(perBatchTwin, batch), program.windows(perBatchTwin), CpuBackend.NAME);
        }
        return program.finish(batch, result, program.windows(perBatchTwin), NAME);
    }

    /** Runs {@code plan}'s models on the device, behind the host's decoding; see {@link DeviceInference}. */
    private BatchResult executeInference(Plan plan, RecordBatch batch) {
        if (rerunOnCpu) {
            rerunOnCpu = false;
            return cpuPlans.execute(plan, batch);
        }
        try {
            if (device == null) {
                openDevice();
                LOG.info("GPU backend restarted on {} after a device fault", device.name());
            }
            if (inference == null || !inference.runs(plan)) {
                closeInference();
                inference = new DeviceInference(plan, () -> device, () -> memory);
            }
            if (loggedInferencePlans.add(plan)) {
                LOG.info("{}", DeviceInference.placement(plan));
            }
            return inference.execute(batch);
        } catch (GpuCapacityException e) {
            if (!loggedCapacity) {
                loggedCapacity = true;
                LOG.warn("a batch runs on the CPU: {} (said once)", e.getMessage());
            }
            return cpuPlans.execute(plan, batch);
        } catch (CudaException | LinkageError e) {
            deviceFaults++;
            closeDevice();
            rerunOnCpu = true;
            throw new GpuDeviceFault("CUDA error on " + batch + ": the context is dropped and the batch goes to the CPU", e);
        }
    }

    /** Weight uploads to the device so far, all inference plans together (tests check that they happen once per context). */
    long weightUploads() {
        return pastWeightUploads + (inference == null ? 0 : inference.uploads());
    }

    private void closeInference() {
        if (inference != null) {
            pastWeightUploads += inference.uploads();
            inference.close();
            inference = null;
        }
    }

    @Override
    public void restore(Plan plan, int query, Frame saved) {
        if (DeviceQuery.whyNot(plan).isPresent()) {
            cpuPlans.restore(plan, query, saved);
            return;
        }
        if (program == null || !program.runs(plan)) {
            program = new DevicePlan(plan);
        }
        program.restore(query, saved);
    }

    @Override
    public void reset(Plan plan) {
        cpuPlans.reset(plan);
        if (program != null && program.runs(plan)) {
            // The twin holds the plan's event time: it goes with the running state.
            perBatchTwin.reset(program.perBatch());
            program = null;
        }
        if (inference != null && inference.runs(plan)) {
            closeInference();
        }
    }

    @Override
    public void restoreTime(Plan plan, PartitionTime time) {
        if (DeviceQuery.whyNot(plan).isPresent()) {
            cpuPlans.restoreTime(plan, time);
            return;
        }
        if (program == null || !program.runs(plan)) {
            program = new DevicePlan(plan);
        }
        // The twin's window kernels hold the event time of device plans (DevicePlan#windows).
        perBatchTwin.restoreTime(program.perBatch(), time);
    }

    private void closeDevice() {
        try {
            if (memory != null) {
                memory.close();
            }
        } catch (RuntimeException ignored) {
            // The context's destruction below frees what is left.
        }
        try {
            if (device != null) {
                device.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("closing the CUDA context failed: {}", e.toString());
        }
        memory = null;
        device = null;
        Arrays.fill(staged, null);
        newest = -1;
    }

    @Override
    public void close() {
        closeInference();
        closeDevice();
        cpuPlans.close();
        perBatchTwin.close();
    }
}
