package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.function.Supplier;

import io.spate.internal.model.Mlp;
import io.spate.internal.model.MlpPredictor;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * An {@link Mlp}'s forward pass on the device (kernels in {@code inference.cu}). The weights and
 * biases go to the device once, on first use, and stay there while the context lives; after a
 * device fault the backend has a new context, and the first batch in it uploads them again. Per
 * batch only the raw features go over and only the probabilities come back; the normalisation,
 * every layer and the softmax run on the device.
 *
 * <p>Probabilities equal the CPU's ({@code MlpRunner}) up to float32 rounding: both work in
 * float32, but the device sums each dot product in another order (tiles, fused multiply-adds).
 */
final class DeviceMlp implements MlpPredictor {

    /**
     * Events per pass through the layers: bounds the two activation buffers (2 x 16 MiB for the
     * standard network's widest layer of 1,000) while leaving a pass thousands of tiles of work.
     */
    static final int ROWS_PER_PASS = 4096;
    private static final int TILE = 64;
    private static final int TILE_THREADS = 256;

    private final Mlp mlp;
    private final int[] sizes;
    private final int widest;
    private final Supplier<GpuDevice> device;
    private final Supplier<DeviceMemory> memory;
    /** Layer l's transposed weights at 2l, its biases at 2l + 1. */
    private final DeviceTensors tensors;

    DeviceMlp(Mlp mlp, Supplier<GpuDevice> device, Supplier<DeviceMemory> memory) {
        this.mlp = mlp;
        this.sizes = mlp.sizes();
        int w = 0;
        for (int s : sizes) {
            w = Math.max(w, s);
        }
        this.widest = w;
        this.device = device;
        this.memory = memory;
        this.tensors = new DeviceTensors(2 * mlp.layers());
    }

    /** How often the weights went to the device (once per context that ran this model). */
    long uploads() {
        return tensors.uploads();
    }

    @Override
    public void predict(float[] x, int n, float[] probabilities) {
        int inputs = mlp.inputs();
        int outputs = mlp.outputs();
        if (n < 0 || (long) n * inputs > x.length || (long) n * outputs > probabilities.length) {
            throw new IllegalArgumentException(n + " events need " + (long) n * inputs + " features and room for "
                    + (long) n * outputs + " probabilities, got " + x.length + " and " + probabilities.length);
        }
        if (n == 0) {
            return;
        }
        GpuDevice gpu = device.get();
        DeviceMemory mem = memory.get();
        gpu.makeCurrent();
        tensors.uploadIfNew(gpu, mem, this::tensor);
        for (int start = 0; start < n; start += ROWS_PER_PASS) {
            pass(gpu, mem, x, start, Math.min(ROWS_PER_PASS, n - start), probabilities);
        }
    }

    /** Events {@code [start, start + rows)}: features over, the layers, probabilities back. */
    private void pass(GpuDevice gpu, DeviceMemory mem, float[] x, int start, int rows, float[] probabilities) {
        int inputs = sizes[0];
        int outputs = sizes[sizes.length - 1];
        long inBytes = 4L * rows * inputs;
        ByteBuffer in = mem.pinned(DeviceMemory.Host.INFER_IN, inBytes);
        in.asFloatBuffer().put(x, start * inputs, rows * inputs);
        CUdeviceptr features = mem.device(DeviceMemory.Dev.INFER_IN, inBytes);
        CUdeviceptr from = mem.device(DeviceMemory.Dev.INFER_A, 4L * rows * widest);
        CUdeviceptr to = mem.device(DeviceMemory.Dev.INFER_B, 4L * rows * widest);
        JCudaDriver.cuMemcpyHtoDAsync(features, mem.pinnedPointer(DeviceMemory.Host.INFER_IN), inBytes, gpu.stream(GpuDevice.COMPUTE));
        gpu.launch("mlp_normalise", rows, GpuDevice.COMPUTE, Pointer.to(Pointer.to(features), Pointer.to(new int[] {rows}),
                Pointer.to(new int[] {inputs}), Pointer.to(from)));
        int layers = mlp.layers();
        for (int l = 0; l < layers; l++) {
            int k = sizes[l];
            int width = sizes[l + 1];
            gpu.launchGrid("mlp_dense", (width + TILE - 1) / TILE, (rows + TILE - 1) / TILE, TILE_THREADS, GpuDevice.COMPUTE,
                    Pointer.to(Pointer.to(from), Pointer.to(tensors.get(2 * l)), Pointer.to(tensors.get(2 * l + 1)), Pointer.to(to),
                            Pointer.to(new int[] {rows}), Pointer.to(new int[] {k}), Pointer.to(new int[] {width}),
                            Pointer.to(new int[] {l < layers - 1 ? 1 : 0})));
            CUdeviceptr swap = from;
            from = to;
            to = swap;
        }
        gpu.launch("mlp_softmax", rows, GpuDevice.COMPUTE, Pointer.to(Pointer.to(from), Pointer.to(new int[] {rows}),
                Pointer.to(new int[] {outputs})));
        long outBytes = 4L * rows * outputs;
        ByteBuffer out = mem.pinned(DeviceMemory.Host.INFER_OUT, outBytes);
        JCudaDriver.cuMemcpyDtoHAsync(mem.pinnedPointer(DeviceMemory.Host.INFER_OUT), from, outBytes, gpu.stream(GpuDevice.COMPUTE));
        gpu.sync(GpuDevice.COMPUTE);
        out.asFloatBuffer().get(probabilities, start * outputs, rows * outputs);
    }

    /** Tensor {@code i}: layer i / 2's weights, transposed and flattened (even i), or its biases (odd i). */
    private DeviceTensors.Host tensor(int i) {
        int l = i / 2;
        if (i % 2 == 1) {
            return new DeviceTensors.Host(Pointer.to(mlp.bias(l)), 4L * mlp.bias(l).length);
        }
        float[][] wt = mlp.weightsT(l);
        int width = sizes[l + 1];
        float[] flat = new float[wt.length * width];
        for (int r = 0; r < wt.length; r++) {
            System.arraycopy(wt[r], 0, flat, r * width, width);
        }
        return new DeviceTensors.Host(Pointer.to(flat), 4L * flat.length);
    }

    /** Frees the weights, when the context that holds them is still the backend's. */
    void close() {
        tensors.close(device.get(), memory.get());
    }
}
