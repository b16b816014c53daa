package io.spate.plan;

import java.util.List;
import java.util.Objects;

/**
 * Recommends items to the user of each record with a matrix-factorisation model: scores every
 * item for all the batch's users in one matrix product, keeps the top {@code k} per user
 * (leaving out what the user already rated when {@code excludeRated}), and writes one record per
 * event: {@code {"uid": 196, "items": [{"item": 242, "title": "...", "score": 4.2}, ...]}}. A user
 * the model does not know gets the items that score best for the average user.
 *
 * @param name the output's name
 * @param model the safetensors file (see {@code io.spate.internal.model.Recommender})
 * @param user the column holding the user id (a long)
 * @param k how many items per user
 * @param excludeRated whether items the user rated are left out
 */
public record Recommend(String name, String model, String user, int k, boolean excludeRated) implements Inference {

    /** Checks the parts. */
    public Recommend {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(user, "user");
        if (k < 1 || k > 10_000) {
            throw new IllegalArgumentException("recommend '" + name + "': k must be between 1 and 10000, was " + k);
        }
    }

    @Override
    public List<String> columns() {
        return List.of(user);
    }
}
