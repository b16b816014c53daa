package io.spate.gpu.internal;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.internal.cpu.CpuBackend;
import io.spate.plan.Inference;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * A plan whose model inference runs on the device: the CPU backend decodes each batch, runs the
 * plan's queries (per batch only, see {@link #whyNot}), gathers the features or user ids and makes
 * the frames, exactly as it does alone, while the models themselves (forward pass, top-k) run on
 * the device through {@link DeviceModels}. So both backends build the same frames and rejects.
 */
final class DeviceInference implements AutoCloseable {

    private final Plan plan;
    private final DeviceModels models;
    private final CpuBackend host;

    DeviceInference(Plan plan, Supplier<GpuDevice> device, Supplier<DeviceMemory> memory) {
        this.plan = plan;
        this.models = new DeviceModels(device, memory);
        this.host = new CpuBackend(models);
    }

    /**
     * Why {@code plan}'s inference cannot run on the device, or empty when it can: it has
     * inference, and its queries keep no state across batches (no running totals, no windows). A
     * batch whose device run fails runs again on the CPU, which must not count it twice.
     */
    static Optional<String> whyNot(Plan plan) {
        if (plan.inferences().isEmpty()) {
            return Optional.of("the plan has no model inference");
        }
        for (Query q : plan.queries()) {
            if (q.running() || q.window().isPresent()) {
                return Optional.of("query '" + q.name() + "' keeps state across batches, so the plan and its inference run on the CPU");
            }
        }
        return Optional.empty();
    }

    /** The log line that says where the steps of {@code plan} run. */
    static String placement(Plan plan) {
        String steps = plan.inferences().stream().map(Inference::name).collect(Collectors.joining(", "));
        String queries = plan.queries().isEmpty() ? "" : ", queries " + plan.queries().stream().map(Query::name).toList();
        return "plan " + steps + ": decoding (" + plan.format().name() + ")" + queries
                + " on the host, model inference (" + steps + ") on the device";
    }

    /** Whether this runs {@code other}. */
    boolean runs(Plan other) {
        return plan == other || plan.equals(other);
    }

    /** The batch's result; throws what the device throws (a CUDA error, a capacity limit). */
    BatchResult execute(RecordBatch batch) {
        BatchResult r = host.execute(plan, batch);
        return new BatchResult(r.batch(), r.frames(), r.rejected(), r.reasons(), GpuBackend.NAME);
    }

    /** How often model weights went to the device for this plan. */
    long uploads() {
        return models.uploads();
    }

    /** Frees the models' device memory (when the context still lives) and the host's buffers. */
    @Override
    public void close() {
        models.close();
        host.close();
    }
}
