package io.spate.gpu.internal;

import java.util.Arrays;
import java.util.function.IntFunction;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A model's tensors in device memory, uploaded once per context: the first batch a context runs
 * uploads them, later batches reuse them, and after a device fault the backend's new context gets
 * them again (the old context's destruction freed the old copies). Used by {@link DeviceMlp} and
 * {@link DeviceRecommender}.
 */
final class DeviceTensors {

    /** The host bytes of one tensor. */
    record Host(Pointer values, long bytes) {
    }

    private final CUdeviceptr[] tensors;
    private GpuDevice uploadedTo;
    private long uploads;

    DeviceTensors(int count) {
        tensors = new CUdeviceptr[count];
    }

    /** Uploads tensor {@code i} as {@code host.apply(i)} gives it, each of them, unless {@code gpu} holds them already. */
    void uploadIfNew(GpuDevice gpu, DeviceMemory mem, IntFunction<Host> host) {
        if (uploadedTo == gpu) {
            return;
        }
        // Pointers into a context that is gone: that context's destruction freed them.
        Arrays.fill(tensors, null);
        uploadedTo = null;
        try {
            for (int i = 0; i < tensors.length; i++) {
                Host h = host.apply(i);
                tensors[i] = mem.allocate(h.bytes());
                if (h.bytes() > 0) {
                    JCudaDriver.cuMemcpyHtoD(tensors[i], h.values(), h.bytes());
                }
            }
        } catch (GpuCapacityException e) {
            release(mem);
            throw e;
        }
        uploadedTo = gpu;
        uploads++;
    }

    /** Tensor {@code i} on the device that {@link #uploadIfNew} last uploaded to. */
    CUdeviceptr get(int i) {
        return tensors[i];
    }

    /** How often the tensors went to the device (once per context that ran the model). */
    long uploads() {
        return uploads;
    }

    /** Frees the tensors, when {@code current} (the backend's context now) is the one that holds them. */
    void close(GpuDevice current, DeviceMemory mem) {
        if (uploadedTo != null && uploadedTo == current) {
            release(mem);
        }
        uploadedTo = null;
    }

    private void release(DeviceMemory mem) {
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] != null) {
                mem.free(tensors[i]);
                tensors[i] = null;
            }
        }
    }
}
