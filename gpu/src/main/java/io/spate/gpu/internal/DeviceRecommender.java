package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

import io.spate.internal.model.RecommendScorer;
import io.spate.internal.model.Recommender;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * A {@link Recommender}'s top-k per user on the device (kernel {@code mf_topk} in
 * {@code inference.cu}): the factors and the rated items go to the device once, on first use, and
 * stay while the context lives (again after a device fault, in the new context). Per batch only the
 * users' indexes go over and only k items and scores per user come back; the users x items scores
 * never leave the device. The device computes each score as the CPU does, in the same order and
 * without fused multiply-adds, so items, order and scores equal the CPU's exactly.
 */
final class DeviceRecommender implements RecommendScorer {

    /** Threads per block of {@code mf_topk} (MF_THREADS there). */
    static final int THREADS = 128;
    /** At most this many blocks, each taking users in turn: bounds the per-thread lists' scratch. */
    static final int MAX_BLOCKS = 256;

    private final Recommender model;
    private final int k;
    /** Entries each thread keeps: k, but never more than there are items. */
    private final int kept;
    private final Supplier<GpuDevice> device;
    private final Supplier<DeviceMemory> memory;
    /** User factors, item factors by column, rated items' row starts, rated items. */
    private final DeviceTensors tensors = new DeviceTensors(4);

    DeviceRecommender(Recommender model, int k, Supplier<GpuDevice> device, Supplier<DeviceMemory> memory) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        this.model = model;
        this.k = k;
        this.kept = Math.min(k, model.items());
        this.device = device;
        this.memory = memory;
    }

    /** How often the model went to the device (once per context that ran it). */
    long uploads() {
        return tensors.uploads();
    }

    @Override
    public void recommend(int[] userIndexes, int n, boolean excludeRated, int[] outItems, float[] outScores) {
        if (n < 0 || n > userIndexes.length) {
            throw new IllegalArgumentException("n = " + n + " but " + userIndexes.length + " user indexes");
        }
        if (outItems.length < (long) n * k || outScores.length < (long) n * k) {
            throw new IllegalArgumentException("outputs need n * k = " + ((long) n * k) + " entries, have "
                    + outItems.length + " and " + outScores.length);
        }
        Arrays.fill(outItems, 0, n * k, -1);
        Arrays.fill(outScores, 0, n * k, Float.NaN);
        // Unknown users (negative indexes) get nothing, as on the CPU; the device sees known ones only.
        int[] known = new int[n];
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (userIndexes[j] >= model.users()) {
                throw new IndexOutOfBoundsException("user index " + userIndexes[j] + " of " + model.users());
            }
            if (userIndexes[j] >= 0) {
                known[m++] = j;
            }
        }
        if (m == 0 || kept == 0) {
            return;
        }
        GpuDevice gpu = device.get();
        DeviceMemory mem = memory.get();
        gpu.makeCurrent();
        tensors.uploadIfNew(gpu, mem, this::tensor);
        ByteBuffer in = mem.pinned(DeviceMemory.Host.INFER_IN, 4L * m);
        for (int j = 0; j < m; j++) {
            in.putInt(4 * j, userIndexes[known[j]]);
        }
        int blocks = Math.min(m, MAX_BLOCKS);
        long listBytes = 4L * blocks * THREADS * kept;
        long outBytes = 8L * m * kept;
        CUdeviceptr users = mem.device(DeviceMemory.Dev.INFER_IN, 4L * m);
        CUdeviceptr listScores = mem.device(DeviceMemory.Dev.INFER_A, listBytes);
        CUdeviceptr listItems = mem.device(DeviceMemory.Dev.INFER_B, listBytes);
        CUdeviceptr out = mem.device(DeviceMemory.Dev.INFER_OUT, outBytes);
        CUdeviceptr outScoresDevice = out;
        CUdeviceptr outItemsDevice = out.withByteOffset(4L * m * kept);
        JCudaDriver.cuMemcpyHtoDAsync(users, mem.pinnedPointer(DeviceMemory.Host.INFER_IN), 4L * m, gpu.stream(GpuDevice.COMPUTE));
        gpu.launchGrid("mf_topk", blocks, 1, THREADS, GpuDevice.COMPUTE, Pointer.to(Pointer.to(tensors.get(0)), Pointer.to(tensors.get(1)),
                Pointer.to(new int[] {model.factors()}), Pointer.to(new int[] {model.items()}), Pointer.to(tensors.get(2)),
                Pointer.to(tensors.get(3)), Pointer.to(new int[] {excludeRated ? 1 : 0}), Pointer.to(users), Pointer.to(new int[] {m}),
                Pointer.to(new int[] {kept}), Pointer.to(listScores), Pointer.to(listItems), Pointer.to(outScoresDevice),
                Pointer.to(outItemsDevice)));
        ByteBuffer back = mem.pinned(DeviceMemory.Host.INFER_OUT, outBytes);
        JCudaDriver.cuMemcpyDtoHAsync(mem.pinnedPointer(DeviceMemory.Host.INFER_OUT), out, outBytes, gpu.stream(GpuDevice.COMPUTE));
        gpu.sync(GpuDevice.COMPUTE);
        for (int j = 0; j < m; j++) {
            int row = known[j] * k;
            for (int e = 0; e < kept; e++) {
                outScores[row + e] = back.getFloat(4 * (j * kept + e));
                outItems[row + e] = back.getInt(4 * (m * kept + j * kept + e));
            }
        }
    }

    /** Tensor {@code i} as {@link #tensors} lists them. */
    private DeviceTensors.Host tensor(int i) {
        return switch (i) {
            case 0 -> new DeviceTensors.Host(Pointer.to(model.userFactors()), 4L * model.userFactors().length);
            case 1 -> new DeviceTensors.Host(Pointer.to(columns(model)), 4L * model.itemFactors().length);
            case 2 -> new DeviceTensors.Host(Pointer.to(model.ratedIndptr()), 4L * model.ratedIndptr().length);
            default -> new DeviceTensors.Host(Pointer.to(model.ratedItems()), 4L * model.ratedItems().length);
        };
    }

    /** The item factors by column (factors x items), so that the kernel's threads read them coalesced. */
    private static float[] columns(Recommender model) {
        float[] rows = model.itemFactors();
        int f = model.factors();
        int items = model.items();
        float[] columns = new float[rows.length];
        for (int i = 0; i < items; i++) {
            for (int d = 0; d < f; d++) {
                columns[d * items + i] = rows[i * f + d];
            }
        }
        return columns;
    }

    /** Frees the model, when the context that holds it is still the backend's. */
    void close() {
        tensors.close(device.get(), memory.get());
    }
}
