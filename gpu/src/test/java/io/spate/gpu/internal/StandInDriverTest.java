package io.spate.gpu.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA driver stand-in rejects what a real driver rejects, with CUDA's error codes, and keeps
 * the ordering of streams and events: checked here through JCuda, as Spate's code reaches it.
 */
@Tag("gpu")
@DisplayName("the CUDA driver stand-in keeps CUDA's rules (checked through JCuda)")
class StandInDriverTest {

    private CUcontext context;
    private CUmodule module;

    @BeforeEach
    void open() {
        GpuTestDevice.require();
        assumeTrue(GpuDetection.probe().standIn(), "checks the stand-in's own rules");
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, 0);
        context = new CUcontext();
        JCudaDriver.cuCtxCreate(context, 0, device);
        module = new CUmodule();
        JCudaDriver.cuModuleLoadData(module, GpuDevice.fatbin());
    }

    @AfterEach
    void close() {
        if (context != null) {
            JCudaDriver.cuCtxDestroy(context);
        }
    }

    private static void assertCuda(String code, Executable call) {
        CudaException e = assertThrows(CudaException.class, call);
        assertTrue(e.getMessage().contains(code), "expected " + code + ", got " + e.getMessage());
    }

    private static CUdeviceptr alloc(long bytes) {
        CUdeviceptr p = new CUdeviceptr();
        JCudaDriver.cuMemAlloc(p, bytes);
        return p;
    }

    private CUfunction groupInit() {
        CUfunction f = new CUfunction();
        JCudaDriver.cuModuleGetFunction(f, module, "group_init");
        return f;
    }

    /** group_init over a table of {@code cap} slots (no aggregates) in the given buffers. */
    private static Pointer groupInitParams(int cap, CUdeviceptr slotRow, CUdeviceptr firstRow, CUdeviceptr counts, CUdeviceptr acc) {
        return Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotRow), Pointer.to(firstRow), Pointer.to(counts), Pointer.to(acc),
                Pointer.to(acc), Pointer.to(new int[] {0}));
    }

    @Test
    void shouldRejectCopiesPastAnAllocationAndFreedPointers() {
        CUdeviceptr p = alloc(64);
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemcpyHtoD(p, Pointer.to(new byte[65]), 65));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemcpyHtoD(p.withByteOffset(60), Pointer.to(new byte[8]), 8));
        JCudaDriver.cuMemcpyHtoD(p.withByteOffset(56), Pointer.to(new byte[8]), 8);
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemFree(p.withByteOffset(8)));
        JCudaDriver.cuMemFree(p);
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemFree(p));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemcpyHtoD(p, Pointer.to(new byte[8]), 8));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuMemAlloc(new CUdeviceptr(), 0));
    }

    @Test
    void shouldFindOnlyTheKernelsOfTheLoadedImage() {
        assertCuda("CUDA_ERROR_NOT_FOUND", () -> JCudaDriver.cuModuleGetFunction(new CUfunction(), module, "no_such_kernel"));
        assertCuda("CUDA_ERROR_INVALID_IMAGE", () -> JCudaDriver.cuModuleLoadData(new CUmodule(), new byte[64]));
        CUfunction f = groupInit();
        JCudaDriver.cuModuleUnload(module);
        CUdeviceptr b = alloc(64);
        assertCuda("CUDA_ERROR_INVALID_HANDLE", () -> JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 1, 1, 1, 0, null, groupInitParams(1, b, b, b, b), null));
    }

    @Test
    void shouldRejectEmptyAndOversizedGrids() {
        CUfunction f = groupInit();
        CUdeviceptr b = alloc(64);
        Pointer params = groupInitParams(1, b, b, b, b);
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuLaunchKernel(f, 0, 1, 1, 1, 1, 1, 0, null, params, null));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 0, 1, 1, 0, null, params, null));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 1025, 1, 1, 0, null, params, null));
        assertCuda("CUDA_ERROR_INVALID_VALUE", () -> JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 64, 1, 32, 0, null, params, null));
    }

    @Test
    void shouldFaultStickilyOnAFreedKernelArgumentAndWorkAgainInANewContext() {
        CUfunction f = groupInit();
        CUdeviceptr live = alloc(1024);
        CUdeviceptr freed = alloc(1024);
        JCudaDriver.cuMemFree(freed);
        // Launches are queued: the fault shows when the host waits, and every call after fails the same way.
        JCudaDriver.cuLaunchKernel(f, 1, 1, 1, 4, 1, 1, 0, null, groupInitParams(4, live, freed, live, live), null);
        assertCuda("CUDA_ERROR_ILLEGAL_ADDRESS", JCudaDriver::cuCtxSynchronize);
        assertCuda("CUDA_ERROR_ILLEGAL_ADDRESS", () -> alloc(16));
        JCudaDriver.cuCtxDestroy(context);
        assertCuda("CUDA_ERROR_INVALID_CONTEXT", () -> JCudaDriver.cuCtxSetCurrent(context));
        context = null;
        open();
        CUdeviceptr fresh = alloc(16);
        JCudaDriver.cuMemcpyHtoD(fresh, Pointer.to(new int[] {1, 2, 3, 4}), 16);
    }

    @Test
    void shouldRunACopyBeforeTheKernelThatWaitsForItsEvent() {
        CUstream copy = new CUstream();
        CUstream compute = new CUstream();
        JCudaDriver.cuStreamCreate(copy, CUstream_flags.CU_STREAM_NON_BLOCKING);
        JCudaDriver.cuStreamCreate(compute, CUstream_flags.CU_STREAM_NON_BLOCKING);
        CUevent copied = new CUevent();
        JCudaDriver.cuEventCreate(copied, 0);
        int cap = 8;
        CUdeviceptr slotRow = alloc(4L * cap);
        CUdeviceptr other = alloc(8L * cap);
        Pointer pinned = new Pointer();
        JCudaDriver.cuMemAllocHost(pinned, 4L * cap);
        ByteBuffer host = pinned.getByteBuffer(0, 4L * cap).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cap; i++) {
            host.putInt(4 * i, 7);
        }
        // The copy writes 7s; group_init, ordered after it by the event, writes -1 into every slot.
        JCudaDriver.cuMemcpyHtoDAsync(slotRow, pinned, 4L * cap, copy);
        JCudaDriver.cuEventRecord(copied, copy);
        JCudaDriver.cuStreamWaitEvent(compute, copied, 0);
        JCudaDriver.cuLaunchKernel(groupInit(), 1, 1, 1, cap, 1, 1, 0, compute, groupInitParams(cap, slotRow, other, other, other), null);
        JCudaDriver.cuMemcpyDtoHAsync(pinned, slotRow, 4L * cap, compute);
        JCudaDriver.cuStreamSynchronize(compute);
        int[] got = new int[cap];
        host.asIntBuffer().get(got);
        int[] want = new int[cap];
        java.util.Arrays.fill(want, -1);
        assertArrayEquals(want, got);
        JCudaDriver.cuMemFreeHost(pinned);
        assertEquals(0, JCudaDriver.cuStreamDestroy(copy));
        JCudaDriver.cuStreamDestroy(compute);
        JCudaDriver.cuEventDestroy(copied);
    }
}
