package io.spate.gpu.internal;

import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.Plan;
import io.spate.spi.ComputeBackend;

import jcuda.CudaException;

/**
 * The GPU compute backend. Plans the device runs ({@link DeviceQuery#whyNot} says which) are
 * parsed, filtered, grouped and aggregated on the device, and finished on the host (running
 * state, having); other plans run on a CPU twin, which is said once per plan in the log.
 *
 * <p>A CUDA error during a batch drops the context and throws {@link GpuDeviceFault}, the running
 * state untouched; the compute actor counts the fault and runs the batch again, and that run goes
 * to the CPU (the plan's per-batch twin, feeding the same running state), so no batch is lost or
 * counted twice. The batch after gets a new context. A batch over the memory caps runs on the CPU.
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
    private GpuDevice device;
    private DeviceMemory memory;
    private DevicePlan program;
    private boolean rerunOnCpu;
    private boolean loggedCapacity;
    private long deviceFaults;

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

    @Override
    public BatchResult execute(Plan plan, RecordBatch batch) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(batch, "batch");
        Optional<String> whyNot = DeviceQuery.whyNot(plan);
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
            return program.finish(batch, program.onCpu(perBatchTwin, batch), CpuBackend.NAME);
        }
        ClfDeviceRun.Result result;
        try {
            if (device == null) {
                openDevice();
                LOG.info("GPU backend restarted on {} after a device fault", device.name());
            }
            result = new ClfDeviceRun(device, memory, program.queries(), hashMask).run(batch);
        } catch (GpuCapacityException e) {
            if (!loggedCapacity) {
                loggedCapacity = true;
                LOG.warn("a batch runs on the CPU: {} (said once)", e.getMessage());
            }
            return program.finish(batch, program.onCpu(perBatchTwin, batch), CpuBackend.NAME);
        } catch (CudaException | LinkageError e) {
            deviceFaults++;
            closeDevice();
            rerunOnCpu = true;
            throw new GpuDeviceFault("CUDA error on " + batch + ": the context is dropped and the batch goes to the CPU", e);
        }
        for (ClfDeviceRun.Groups g : result.groups()) {
            if (g == null) {
                // A query the device cannot take for this batch (non-ASCII words to lower-case): the whole batch goes to the CPU.
                return program.finish(batch, program.onCpu(perBatchTwin, batch), CpuBackend.NAME);
            }
        }
        return program.finish(batch, result, NAME);
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
    public void restoreTime(Plan plan, io.spate.PartitionTime time) {
        // Only plans with windows have event time, and those run on the CPU (DeviceQuery.whyNot).
        cpuPlans.restoreTime(plan, time);
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
    }

    @Override
    public void close() {
        closeDevice();
        cpuPlans.close();
        perBatchTwin.close();
    }
}
