package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.spate.internal.model.Mlp;
import io.spate.internal.model.MlpPredictor;
import io.spate.internal.model.ModelRunners;
import io.spate.internal.model.RecommendScorer;
import io.spate.internal.model.Recommender;

/**
 * The device's runners for the models of one plan: the CPU backend that fronts a
 * {@link DeviceInference} asks here for the runner of each classify and recommend step when it
 * makes the plan ready. Owns what they keep on the device, and frees it when the plan goes.
 */
final class DeviceModels implements ModelRunners, AutoCloseable {

    private final Supplier<GpuDevice> device;
    private final Supplier<DeviceMemory> memory;
    private final List<DeviceMlp> mlps = new ArrayList<>();
    private final List<DeviceRecommender> recommenders = new ArrayList<>();

    /** Runners on whatever context {@code device} and {@code memory} give at each batch (a new one after a fault). */
    DeviceModels(Supplier<GpuDevice> device, Supplier<DeviceMemory> memory) {
        this.device = device;
        this.memory = memory;
    }

    @Override
    public MlpPredictor predictor(Mlp mlp) {
        DeviceMlp d = new DeviceMlp(mlp, device, memory);
        mlps.add(d);
        return d;
    }

    @Override
    public RecommendScorer scorer(Recommender model, int k) {
        DeviceRecommender d = new DeviceRecommender(model, k, device, memory);
        recommenders.add(d);
        return d;
    }

    /** How often model weights went to the device, all models together. */
    long uploads() {
        long n = 0;
        for (DeviceMlp m : mlps) {
            n += m.uploads();
        }
        for (DeviceRecommender r : recommenders) {
            n += r.uploads();
        }
        return n;
    }

    @Override
    public void close() {
        mlps.forEach(DeviceMlp::close);
        recommenders.forEach(DeviceRecommender::close);
    }
}
