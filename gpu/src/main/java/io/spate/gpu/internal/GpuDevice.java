package io.spate.gpu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * One CUDA context on one device, with the kernels module loaded from the fatbin resource and two
 * streams: stream {@link #COMPUTE} runs kernels and small copies, stream {@link #COPY} copies
 * batches to the device, so the copy of the next batch overlaps the kernels of the current one.
 * Batches are copied into one of two slots; an event per slot marks its copy done, and the
 * compute stream waits on it. Made and used on the compute actor's thread; {@link #close()}
 * destroys the context.
 */
final class GpuDevice implements AutoCloseable {

    /** The kernels resource, built by nvcc from {@code gpu/src/main/cuda}. */
    static final String FATBIN = "/io/spate/gpu/spate-kernels.fatbin";
    /** The stream that runs kernels and the small copies around them. */
    static final int COMPUTE = 0;
    /** The stream that copies batches to the device. */
    static final int COPY = 1;
    /** Batch slots: the one being computed and the one being copied. */
    static final int SLOTS = 2;

    /** What the name of the CUDA driver stand-in's device (gpu/src/standin) says: it is no GPU. */
    static final String STAND_IN_MARK = "stand-in";

    static final String[] KERNELS = {"clf_parse", "delim_parse", "json_parse", "group_init", "group_insert", "group_compact",
        "group_select", "window_insert", "window_compact",
        "words_count", "words_init", "words_insert", "words_compact",
        // Model inference (inference.cu).
        "mlp_normalise", "mlp_dense", "mlp_softmax", "mf_topk"};

    private final CUcontext context = new CUcontext();
    private final CUmodule module = new CUmodule();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final CUstream[] streams = {new CUstream(), new CUstream()};
    private final CUevent[] copied = {new CUevent(), new CUevent()};
    private final String name;

    /** A context on device {@code ordinal}, current on the calling thread. */
    GpuDevice(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        name = deviceName(device);
        JCudaDriver.cuCtxCreate(context, 0, device);
        try {
            JCudaDriver.cuModuleLoadData(module, fatbin());
            for (String k : KERNELS) {
                CUfunction f = new CUfunction();
                JCudaDriver.cuModuleGetFunction(f, module, k);
                functions.put(k, f);
            }
            for (CUstream s : streams) {
                JCudaDriver.cuStreamCreate(s, CUstream_flags.CU_STREAM_NON_BLOCKING);
            }
            for (CUevent e : copied) {
                JCudaDriver.cuEventCreate(e, CUevent_flags.CU_EVENT_DISABLE_TIMING);
            }
        } catch (RuntimeException e) {
            JCudaDriver.cuCtxDestroy(context);
            throw e;
        }
    }

    /** The fatbin bytes. */
    static byte[] fatbin() {
        try (InputStream in = GpuDevice.class.getResourceAsStream(FATBIN)) {
            if (in == null) {
                throw new IllegalStateException("the kernels resource " + FATBIN + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String deviceName(CUdevice device) {
        byte[] bytes = new byte[256];
        JCudaDriver.cuDeviceGetName(bytes, bytes.length, device);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Whether device {@code name} is the CUDA driver stand-in's, which runs the kernels on the host CPU. */
    static boolean isStandIn(String name) {
        return name.contains(STAND_IN_MARK);
    }

    static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        JCudaDriver.cuDeviceGetAttribute(v, attribute, device);
        return v[0];
    }

    /** A one-line description of device {@code ordinal}: name, compute capability, memory, driver. */
    static String describe(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        JCudaDriver.cuInit(0);
        CUdevice device = new CUdevice();
        JCudaDriver.cuDeviceGet(device, ordinal);
        long[] memory = new long[1];
        JCudaDriver.cuDeviceTotalMem(memory, device);
        int[] driver = new int[1];
        JCudaDriver.cuDriverGetVersion(driver);
        return String.format("device %d: %s, compute capability %d.%d, %,d MiB, CUDA driver %d.%d", ordinal, deviceName(device),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR),
                attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR),
                memory[0] >> 20, driver[0] / 1000, driver[0] % 1000 / 10);
    }

    /** The device's name. */
    String name() {
        return name;
    }

    /** Makes the context current on the calling thread (the actor's dispatcher thread). */
    void makeCurrent() {
        JCudaDriver.cuCtxSetCurrent(context);
    }

    /** Stream {@code i} of 2. */
    CUstream stream(int i) {
        return streams[i];
    }

    /** Marks the copies queued so far on the copy stream as the copy of slot {@code slot}. */
    void copyQueued(int slot) {
        JCudaDriver.cuEventRecord(copied[slot], streams[COPY]);
    }

    /** Makes the compute stream wait (on the device, not the host) for the copy of slot {@code slot}. */
    void computeAfterCopy(int slot) {
        JCudaDriver.cuStreamWaitEvent(streams[COMPUTE], copied[slot], 0);
    }

    /** Waits on the host for the copy of slot {@code slot}. */
    void awaitCopy(int slot) {
        JCudaDriver.cuEventSynchronize(copied[slot]);
    }

    /** Waits for stream {@code i}. */
    void sync(int i) {
        JCudaDriver.cuStreamSynchronize(streams[i]);
    }

    /** Launches kernel {@code kernel} over {@code threads} threads (at least one) on stream {@code stream}. */
    void launch(String kernel, long threads, int stream, Pointer params) {
        int block = 256;
        long blocks = (threads + block - 1) / block;
        if (threads <= 0 || blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(kernel + ": cannot launch over " + threads + " threads");
        }
        JCudaDriver.cuLaunchKernel(functions.get(kernel), (int) blocks, 1, 1, block, 1, 1, 0, streams[stream], params, null);
    }

    /** Launches kernel {@code kernel} over {@code gridX} x {@code gridY} blocks of {@code block} threads on stream {@code stream}. */
    void launchGrid(String kernel, int gridX, int gridY, int block, int stream, Pointer params) {
        if (gridX <= 0 || gridY <= 0 || gridY > 65_535) {
            throw new IllegalArgumentException(kernel + ": cannot launch a grid of " + gridX + " x " + gridY + " blocks");
        }
        JCudaDriver.cuLaunchKernel(functions.get(kernel), gridX, gridY, 1, block, 1, 1, 0, streams[stream], params, null);
    }

    @Override
    public void close() {
        // After a fault some of these calls fail too; destroying the context frees what they would.
        try {
            JCudaDriver.cuCtxSetCurrent(context);
            for (CUstream s : streams) {
                JCudaDriver.cuStreamDestroy(s);
            }
            for (CUevent e : copied) {
                JCudaDriver.cuEventDestroy(e);
            }
            JCudaDriver.cuModuleUnload(module);
        } catch (RuntimeException ignored) {
            // The context goes below either way.
        } finally {
            JCudaDriver.cuCtxDestroy(context);
        }
    }
}
