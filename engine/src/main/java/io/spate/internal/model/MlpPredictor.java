package io.spate.internal.model;

/**
 * The batched forward pass of one {@link Mlp}, wherever it runs: {@link MlpRunner} on the CPU, or
 * a compute backend's own (the GPU backend's runs it on the device). Each implementation keeps its
 * scratch, so one instance serves one compute actor.
 *
 * <p>Internal API: public so that a backend in another module can supply one through
 * {@link ModelRunners}.
 */
public interface MlpPredictor {

    /**
     * Class probabilities of {@code n} events. Each event's raw features are L2-normalised by the
     * predictor, as in training; the caller passes them as they are.
     *
     * @param x {@code n x inputs} raw features, row-major (may be longer)
     * @param n events
     * @param probabilities receives {@code n x outputs} softmax probabilities, row-major (may be longer)
     */
    void predict(float[] x, int n, float[] probabilities);
}
