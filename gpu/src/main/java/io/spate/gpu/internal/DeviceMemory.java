package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * The buffers of one {@link GpuDevice}: device buffers and the backend's own pinned host buffers,
 * one of each role (the batch's own, one per slot), kept between batches and grown (with headroom)
 * only when a batch needs more, within the configured caps ({@code spate.gpu.max-device-bytes},
 * and for pinned memory what {@code spate.gpu.staging-bytes} leaves of
 * {@code spate.gpu.max-pinned-bytes}). Besides the roles, buffers a caller owns ({@link #allocate}:
 * model weights, kept across batches) count against the same cap. Freed when closed, before the
 * context goes.
 */
final class DeviceMemory implements AutoCloseable {

    /** The device buffers: a batch's payload and bounds in one of two slots (see {@link GpuDevice#SLOTS}), then the work buffers. */
    enum Dev { DATA_0, DATA_1, BOUNDS_0, BOUNDS_1, STARTS, LENGTHS, LONGS, REASON, ARENA_USED, FORMAT, DESC, LITERALS, SLOT_ROW, FIRST_ROW, COUNTS, ACC,
        OUT_COUNT, OUT, TOTALS,
        /** Event-time windows: which records pass the filters, and the (record, window) entries the host assigned. */
        SELECTED, ENTRY_ROW, ENTRY_START,
        /** Model inference: a batch's features or users, two work buffers, the results. */
        INFER_IN, INFER_A, INFER_B, INFER_OUT }

    /** The pinned host buffers: where a heap batch's payload and bounds are staged, per slot, then the small ones. */
    enum Host { DATA_0, DATA_1, BOUNDS_0, BOUNDS_1, REASON, ARENA_USED, OUT, SMALL, FORMAT,
        /** Event-time windows: the selected records and their times back, the entries out. */
        SELECTED, TIMES, ENTRIES,
        /** Model inference: what goes to the device, what comes back. */
        INFER_IN, INFER_OUT }

    static Dev data(int slot) {
        return slot == 0 ? Dev.DATA_0 : Dev.DATA_1;
    }

    static Dev bounds(int slot) {
        return slot == 0 ? Dev.BOUNDS_0 : Dev.BOUNDS_1;
    }

    static Host hostData(int slot) {
        return slot == 0 ? Host.DATA_0 : Host.DATA_1;
    }

    static Host hostBounds(int slot) {
        return slot == 0 ? Host.BOUNDS_0 : Host.BOUNDS_1;
    }

    private final long maxDevice;
    private final long maxPinned;
    private final Map<Dev, CUdeviceptr> device = new EnumMap<>(Dev.class);
    private final Map<Dev, Long> deviceSize = new EnumMap<>(Dev.class);
    private final Map<CUdeviceptr, Long> owned = new IdentityHashMap<>();
    private final Map<Host, Pointer> pinned = new EnumMap<>(Host.class);
    private final Map<Host, ByteBuffer> pinnedView = new EnumMap<>(Host.class);
    private long deviceTotal;
    private long pinnedTotal;

    DeviceMemory(long maxDevice, long maxPinned) {
        this.maxDevice = maxDevice;
        this.maxPinned = maxPinned;
    }

    /** Device memory held now: the role buffers and the buffers callers own. */
    long deviceBytes() {
        return deviceTotal;
    }

    /** Device buffer {@code role} of at least {@code bytes}. */
    CUdeviceptr device(Dev role, long bytes) {
        long have = deviceSize.getOrDefault(role, 0L);
        if (have >= bytes) {
            return device.get(role);
        }
        long size = grown(bytes);
        if (deviceTotal - have + size > maxDevice) {
            throw new GpuCapacityException("the batch needs more device memory than spate.gpu.max-device-bytes = " + maxDevice);
        }
        CUdeviceptr old = device.remove(role);
        if (old != null) {
            JCudaDriver.cuMemFree(old);
            deviceTotal -= have;
            deviceSize.remove(role);
        }
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, size);
        device.put(role, p);
        deviceSize.put(role, size);
        deviceTotal += size;
        return p;
    }

    /**
     * A device buffer of {@code bytes} that its caller owns (model weights, kept across batches),
     * counted against the cap like the role buffers; freed by {@link #free} or when this closes.
     */
    CUdeviceptr allocate(long bytes) {
        if (deviceTotal + bytes > maxDevice) {
            throw new GpuCapacityException("a model needs more device memory than spate.gpu.max-device-bytes = " + maxDevice);
        }
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, Math.max(1, bytes));
        owned.put(p, bytes);
        deviceTotal += bytes;
        return p;
    }

    /** Frees a buffer {@link #allocate} made. */
    void free(CUdeviceptr p) {
        Long bytes = owned.remove(p);
        if (bytes != null) {
            deviceTotal -= bytes;
            JCudaDriver.cuMemFree(p);
        }
    }

    /** Pinned buffer {@code role} of at least {@code bytes}, as a little-endian view from 0 (contents kept only until it grows). */
    ByteBuffer pinned(Host role, long bytes) {
        ByteBuffer view = pinnedView.get(role);
        if (view != null && view.capacity() >= bytes) {
            return view.clear();
        }
        long size = grown(bytes);
        long have = view == null ? 0 : view.capacity();
        if (size > Integer.MAX_VALUE || pinnedTotal - have + size > maxPinned) {
            throw new GpuCapacityException("the batch needs more pinned memory than spate.gpu.max-pinned-bytes = " + maxPinned);
        }
        Pointer old = pinned.remove(role);
        if (old != null) {
            JCudaDriver.cuMemFreeHost(old);
            pinnedTotal -= have;
            pinnedView.remove(role);
        }
        Pointer p = new Pointer();
        JCudaDriver.cuMemAllocHost(p, size);
        pinned.put(role, p);
        ByteBuffer v = p.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
        pinnedView.put(role, v);
        pinnedTotal += size;
        return v;
    }

    /** The pointer of pinned buffer {@code role} (which {@link #pinned} made). */
    Pointer pinnedPointer(Host role) {
        return pinned.get(role);
    }

    private static long grown(long bytes) {
        // Headroom so that slowly growing batches do not reallocate every time.
        return Math.max(4096, bytes + (bytes >> 2));
    }

    @Override
    public void close() {
        try {
            for (CUdeviceptr p : device.values()) {
                JCudaDriver.cuMemFree(p);
            }
            for (CUdeviceptr p : owned.keySet()) {
                JCudaDriver.cuMemFree(p);
            }
            for (Pointer p : pinned.values()) {
                JCudaDriver.cuMemFreeHost(p);
            }
        } finally {
            device.clear();
            deviceSize.clear();
            owned.clear();
            pinned.clear();
            pinnedView.clear();
            deviceTotal = 0;
            pinnedTotal = 0;
        }
    }
}
