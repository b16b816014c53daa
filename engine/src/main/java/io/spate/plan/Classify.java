package io.spate.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Classifies each record with an MLP (softmax over two classes): writes the record's {@code id},
 * {@code p_signal} (the probability of class 1) and {@code label} (1 when {@code p_signal >=
 * threshold}, else 0). Features are L2-normalised per record by the model runner.
 *
 * @param name the output's name
 * @param model the safetensors file (see {@code io.spate.internal.model.Mlp} for the tensor names)
 * @param id the column identifying a record (EventId)
 * @param features the numeric input columns, in the model's input order
 * @param threshold the decision threshold on the class-1 probability
 */
public record Classify(String name, String model, String id, List<String> features, double threshold) implements Inference {

    /** Checks the parts. */
    public Classify {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(id, "id");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("classify '" + name + "' needs feature columns");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("classify '" + name + "': threshold must be in [0, 1], was " + threshold);
        }
    }

    @Override
    public List<String> columns() {
        List<String> all = new ArrayList<>();
        all.add(id);
        all.addAll(features);
        return all;
    }
}
