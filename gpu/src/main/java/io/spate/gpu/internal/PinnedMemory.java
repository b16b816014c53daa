package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;

/**
 * Pinned host memory for {@link StagingPool}: {@code cuMemHostAlloc} with
 * {@code CU_MEMHOSTALLOC_PORTABLE}, made in the device's primary context (retained on first use,
 * released on {@link #close()}), so it stays valid and pinned for every context: the backend's
 * own context may be dropped after a device fault and made again while batches sit in these
 * buffers. Called from the batch source's thread (allocate), the stream's (free on release) and
 * the cleaner's; the primary context is pushed around each call.
 */
final class PinnedMemory implements StagingPool.Memory {

    private final int ordinal;
    private final Map<ByteBuffer, Pointer> pointers = new IdentityHashMap<>();
    private CUcontext primary;

    PinnedMemory(int ordinal) {
        this.ordinal = ordinal;
    }

    @Override
    public synchronized ByteBuffer allocate(long bytes) {
        push();
        try {
            Pointer p = new Pointer();
            JCudaDriver.cuMemHostAlloc(p, bytes, JCudaDriver.CU_MEMHOSTALLOC_PORTABLE);
            ByteBuffer b = p.getByteBuffer(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
            pointers.put(b, p);
            return b;
        } finally {
            pop();
        }
    }

    @Override
    public synchronized void free(ByteBuffer buffer) {
        Pointer p = pointers.remove(buffer);
        if (p == null) {
            return;
        }
        push();
        try {
            JCudaDriver.cuMemFreeHost(p);
        } finally {
            pop();
        }
    }

    private void push() {
        if (primary == null) {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, ordinal);
            CUcontext c = new CUcontext();
            JCudaDriver.cuDevicePrimaryCtxRetain(c, device);
            primary = c;
        }
        JCudaDriver.cuCtxPushCurrent(primary);
    }

    private static void pop() {
        JCudaDriver.cuCtxPopCurrent(new CUcontext());
    }

    @Override
    public synchronized void close() {
        if (primary != null) {
            CUdevice device = new CUdevice();
            JCudaDriver.cuDeviceGet(device, ordinal);
            JCudaDriver.cuDevicePrimaryCtxRelease(device);
            primary = null;
        }
    }
}
