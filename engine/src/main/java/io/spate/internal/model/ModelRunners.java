package io.spate.internal.model;

/**
 * Where a compute backend runs the models of its plans: it makes the {@link MlpPredictor} of each
 * classify step and the {@link RecommendScorer} of each recommend step when a plan is made ready.
 * The defaults run on the CPU ({@link #CPU}); the GPU backend overrides both to run on its device,
 * while decoding, feature gathering and the result frames stay the CPU backend's, so both build
 * the same frames.
 *
 * <p>Internal API: public for the GPU backend ({@code io.spate.gpu.internal}).
 */
public interface ModelRunners {

    /** The CPU's runners: {@link Mlp#runner()} and {@link Recommender#runner(int)}. */
    ModelRunners CPU = new ModelRunners() {
    };

    /** The forward pass of {@code mlp} for one compute actor. */
    default MlpPredictor predictor(Mlp mlp) {
        return mlp.runner();
    }

    /** The top-{@code k} scorer of {@code model} for one compute actor. */
    default RecommendScorer scorer(Recommender model, int k) {
        return model.runner(k);
    }
}
