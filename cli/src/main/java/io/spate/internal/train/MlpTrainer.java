package io.spate.internal.train;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import io.spate.internal.model.Mlp;
import io.spate.internal.model.MlpRunner;

/**
 * Trains an {@link Mlp} classifier as the CERN "Spark Streaming + Keras" tutorial does: Glorot
 * initialisation ({@link Mlp#random}), mini-batch Adam on the cross-entropy of the softmax
 * output, inputs L2-normalised per event exactly as {@link MlpRunner#predict} does. Immutable
 * settings: {@code MlpTrainer.create().withEpochs(2)} returns a copy.
 *
 * <p>A deterministic shuffled split holds out {@link #testFraction()} of the events; the model is
 * fitted on the rest and its accuracy and ROC AUC (of the class-1 probability) measured on them,
 * through {@link MlpRunner} so the serving path is the one measured. The same seed gives the same
 * model whatever the number of cores: every element of every product is summed in one fixed order.
 *
 * <p>The matrix products are split across the common pool's cores ({@link MlpRunner.Workers}). On
 * the 2-core development machine an epoch over 8,000 events of the standard network takes about
 * 1 s; the second core gains only about 10% there, since at 64 events per step each product is
 * small and the step has some fifteen fork-join points.
 */
public final class MlpTrainer {

    /** Passes over the training events. */
    public static final int DEFAULT_EPOCHS = 5;
    /** Events per Adam step. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Adam's step size (the Keras default). */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;
    /** Share of events held out to measure accuracy and AUC. */
    public static final double DEFAULT_TEST_FRACTION = 0.2;
    /** Seed of the split, the shuffles and the initial weights. */
    public static final long DEFAULT_SEED = 42;

    private final int[] sizes;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double testFraction;
    private final long seed;

    private MlpTrainer(int[] sizes, int epochs, int batchSize, double learningRate, double testFraction, long seed) {
        Mlp.checkSizes(sizes);
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must not be negative, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        this.sizes = sizes.clone();
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /** A trainer with the defaults and the tutorial's network ({@link Mlp#STANDARD_SIZES}). */
    public static MlpTrainer create() {
        return new MlpTrainer(Mlp.STANDARD_SIZES, DEFAULT_EPOCHS, DEFAULT_BATCH_SIZE, DEFAULT_LEARNING_RATE,
                DEFAULT_TEST_FRACTION, DEFAULT_SEED);
    }

    /** A copy training a network of these layer sizes, inputs first and classes last. */
    public MlpTrainer withSizes(int... sizes) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** A copy running {@code epochs} passes (0 measures the initial network). */
    public MlpTrainer withEpochs(int epochs) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** A copy taking an Adam step every {@code batchSize} events. */
    public MlpTrainer withBatchSize(int batchSize) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** A copy with Adam step size {@code learningRate} (&gt; 0). */
    public MlpTrainer withLearningRate(double learningRate) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** A copy holding out {@code testFraction} (in [0, 1)) of the events; 0 trains on all and measures nothing. */
    public MlpTrainer withTestFraction(double testFraction) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** A copy with seed {@code seed} for the split, the shuffles and the initial weights. */
    public MlpTrainer withSeed(long seed) {
        return new MlpTrainer(sizes, epochs, batchSize, learningRate, testFraction, seed);
    }

    /** Layer sizes (a copy). */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Passes over the training events. */
    public int epochs() {
        return epochs;
    }

    /** Events per Adam step. */
    public int batchSize() {
        return batchSize;
    }

    /** Adam's step size. */
    public double learningRate() {
        return learningRate;
    }

    /** Share of events held out. */
    public double testFraction() {
        return testFraction;
    }

    /** Seed of the split, the shuffles and the initial weights. */
    public long seed() {
        return seed;
    }

    /**
     * What a training run did.
     *
     * @param trainEvents events fitted
     * @param testEvents events held out
     * @param accuracy share of held-out events whose most probable class is their label; NaN if none
     * @param auc held-out ROC AUC of the class-1 probability; NaN without both classes held out
     * @param seconds wall time of the split, the epochs and the measurement
     */
    public record Report(int trainEvents, int testEvents, double accuracy, double auc, double seconds) {
    }

    /**
     * A trained model and how it did.
     *
     * @param model the network
     * @param report sizes, accuracy, AUC and time
     */
    public record Result(Mlp model, Report report) {
    }

    /** Told after each epoch, e.g. to print progress. */
    @FunctionalInterface
    public interface EpochListener {
        /**
         * Epoch {@code epoch} (from 1) is done.
         *
         * @param epoch the epoch just finished
         * @param meanLoss its mean training cross-entropy
         * @param seconds its wall time
         */
        void epochDone(int epoch, double meanLoss, double seconds);
    }

    /** {@link #train(float[], int[], int, EpochListener)} without progress reports. */
    public Result train(float[] features, int[] labels, int n) {
        return train(features, labels, n, (epoch, loss, seconds) -> { });
    }

    /**
     * Splits, fits and measures.
     *
     * @param features {@code n x inputs} raw features, row-major (normalised here)
     * @param labels {@code n} classes in {@code [0, outputs)}
     * @param n events
     * @param listener told after each epoch
     * @return the model and its report
     */
    public Result train(float[] features, int[] labels, int n, EpochListener listener) {
        int inputs = sizes[0];
        int classes = sizes[sizes.length - 1];
        if (n < 0 || (long) n * inputs > features.length || n > labels.length) {
            throw new IllegalArgumentException(n + " events of " + inputs + " features need " + (long) n * inputs
                    + " values and " + n + " labels, got " + features.length + " and " + labels.length);
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " of event " + i + " is not a class in [0, " + classes + ")");
            }
        }
        long start = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = IntStream.range(0, n).toArray();
        shuffle(order, n, random);
        int testEvents = (int) Math.round(n * testFraction);
        int trainEvents = n - testEvents;
        if (trainEvents == 0) {
            throw new IllegalArgumentException("no events left to train on (" + n + " events, test fraction " + testFraction + ")");
        }

        float[][] trainRows = new float[trainEvents][inputs];
        int[] trainLabels = new int[trainEvents];
        for (int r = 0; r < trainEvents; r++) {
            int event = order[testEvents + r];
            MlpRunner.normaliseL2(features, event * inputs, inputs, trainRows[r]);
            trainLabels[r] = labels[event];
        }
        Network net = new Network(Mlp.random(sizes, seed), batchSize, MlpRunner.Workers.create(true));
        int[] shuffled = IntStream.range(0, trainEvents).toArray();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long epochStart = System.nanoTime();
            shuffle(shuffled, trainEvents, random);
            double loss = 0;
            for (int from = 0; from < trainEvents; from += batchSize) {
                int rows = Math.min(batchSize, trainEvents - from);
                loss += net.step(trainRows, trainLabels, shuffled, from, rows, learningRate);
            }
            listener.epochDone(epoch, loss / trainEvents, (System.nanoTime() - epochStart) / 1e9);
        }
        Mlp model = net.toMlp();

        double accuracy = Double.NaN;
        double auc = Double.NaN;
        if (testEvents > 0) {
            float[] testX = new float[testEvents * inputs];
            int[] testLabels = new int[testEvents];
            for (int r = 0; r < testEvents; r++) {
                System.arraycopy(features, order[r] * inputs, testX, r * inputs, inputs);
                testLabels[r] = labels[order[r]];
            }
            float[] probabilities = new float[testEvents * classes];
            model.runner().predict(testX, testEvents, probabilities);
            float[] signal = new float[testEvents];
            int correct = 0;
            for (int r = 0; r < testEvents; r++) {
                if (argmax(probabilities, r * classes, classes) == testLabels[r]) {
                    correct++;
                }
                signal[r] = probabilities[r * classes + Math.min(1, classes - 1)];
            }
            accuracy = (double) correct / testEvents;
            auc = auc(signal, testLabels, testEvents);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(model, new Report(trainEvents, testEvents, accuracy, auc, seconds));
    }

    /**
     * The area under the ROC curve of {@code scores} for telling label-1 events from the others:
     * the Mann-Whitney statistic from the ranks of the scores, tied scores sharing their average
     * rank (so a tie between a positive and a negative counts one half).
     *
     * @param scores a score per event, higher meaning more likely class 1
     * @param labels 1 for a positive event, anything else for a negative one
     * @param n events
     * @return the AUC in [0, 1], or NaN without both a positive and a negative event
     */
    public static double auc(float[] scores, int[] labels, int n) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        long positives = 0;
        double positiveRanks = 0;
        for (int i = 0; i < n;) {
            int j = i;
            int groupPositives = 0;
            while (j < n && Float.compare(scores[order[j]], scores[order[i]]) == 0) {
                groupPositives += labels[order[j]] == 1 ? 1 : 0;
                j++;
            }
            // Ranks i+1 .. j share their mean.
            positiveRanks += groupPositives * (i + 1 + j) / 2.0;
            positives += groupPositives;
            i = j;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static int argmax(float[] values, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Fisher-Yates over the first {@code n} entries. */
    private static void shuffle(int[] values, int n, SplittableRandom random) {
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /**
     * The network being trained: weights, Adam moments and the per-step buffers, all sized once.
     * Layer {@code l} (from 0) maps {@code sizes[l]} to {@code sizes[l + 1]} units. Every product
     * is written so that its innermost loop runs along a row ({@link MlpRunner#multiplyAdd}):
     * <ul>
     *   <li>forward: {@code out = in . W^T}, with the weights kept as {@code W^T} ([in][out]);</li>
     *   <li>weight gradient: {@code dW^T = in^T . delta}, with the small {@code in} transposed;</li>
     *   <li>backward: {@code delta' = delta . W}, with a copy of {@code W} ([out][in]) refreshed
     *       after each step, which costs far less than a product whose rows are only a batch long.</li>
     * </ul>
     */
    private static final class Network {

        private static final double BETA1 = 0.9;
        private static final double BETA2 = 0.999;
        // Keras's epsilon; added to sqrt(v) after bias correction of the step size, as Keras does.
        private static final double EPSILON = 1e-7;
        // Transpose tile: 32 x 32 floats read and written a cache line at a time.
        private static final int TRANSPOSE_TILE = 32;

        private final int[] sizes;
        private final int layers;
        private final MlpRunner.Workers workers;
        private final float[][][] weightsT;
        private final float[][][] weights;
        private final float[][] biases;
        private final float[][][] gradWeightsT;
        private final float[][] gradBiases;
        private final float[][][] momentW;
        private final float[][][] velocityW;
        private final float[][] momentB;
        private final float[][] velocityB;
        private final float[][][] acts;
        private final float[][][] deltas;
        private final float[][][] actsT;
        private int steps;

        Network(Mlp initial, int batchSize, MlpRunner.Workers workers) {
            this.workers = workers;
            sizes = initial.sizes();
            layers = sizes.length - 1;
            weightsT = new float[layers][][];
            weights = new float[layers][][];
            biases = new float[layers][];
            gradWeightsT = new float[layers][][];
            gradBiases = new float[layers][];
            momentW = new float[layers][][];
            velocityW = new float[layers][][];
            momentB = new float[layers][];
            velocityB = new float[layers][];
            acts = new float[layers + 1][][];
            deltas = new float[layers][][];
            actsT = new float[layers][][];
            // Row references to the normalised training events, set per step: no copy.
            acts[0] = new float[batchSize][];
            for (int l = 0; l < layers; l++) {
                int in = sizes[l];
                int out = sizes[l + 1];
                weightsT[l] = copy(initial.weightsT(l));
                biases[l] = initial.bias(l).clone();
                // Layer 0's W is never needed: nothing propagates back into the inputs.
                weights[l] = l == 0 ? null : new float[out][in];
                gradWeightsT[l] = new float[in][out];
                gradBiases[l] = new float[out];
                momentW[l] = new float[in][out];
                velocityW[l] = new float[in][out];
                momentB[l] = new float[out];
                velocityB[l] = new float[out];
                acts[l + 1] = new float[batchSize][out];
                deltas[l] = new float[batchSize][out];
                actsT[l] = new float[in][batchSize];
                if (l > 0) {
                    transpose(weightsT[l], weights[l], in, out);
                }
            }
        }

        /**
         * One Adam step on events {@code order[from .. from+rows)}.
         *
         * @return the summed cross-entropy of those events before the step
         */
        double step(float[][] inputs, int[] labels, int[] order, int from, int rows, double learningRate) {
            for (int r = 0; r < rows; r++) {
                acts[0][r] = inputs[order[from + r]];
            }
            MlpRunner.forward(weightsT, biases, acts, rows, workers);

            float[][] probabilities = acts[layers];
            float[][] delta = deltas[layers - 1];
            int classes = sizes[layers];
            double loss = 0;
            float scale = 1f / rows;
            for (int r = 0; r < rows; r++) {
                int label = labels[order[from + r]];
                loss -= Math.log(Math.max(probabilities[r][label], Float.MIN_NORMAL));
                // The gradient of softmax + cross-entropy with respect to the logits, batch-averaged.
                for (int j = 0; j < classes; j++) {
                    delta[r][j] = (probabilities[r][j] - (j == label ? 1f : 0f)) * scale;
                }
            }

            for (int l = layers - 1; l >= 0; l--) {
                int in = sizes[l];
                int out = sizes[l + 1];
                float[][] d = deltas[l];
                transposeRows(acts[l], actsT[l], rows, in);
                for (float[] row : gradWeightsT[l]) {
                    Arrays.fill(row, 0f);
                }
                workers.multiplyAdd(actsT[l], d, gradWeightsT[l], in, rows, out);
                float[] gb = gradBiases[l];
                Arrays.fill(gb, 0f);
                for (int r = 0; r < rows; r++) {
                    float[] dr = d[r];
                    for (int j = 0; j < out; j++) {
                        gb[j] += dr[j];
                    }
                }
                if (l > 0) {
                    float[][] back = deltas[l - 1];
                    for (int r = 0; r < rows; r++) {
                        Arrays.fill(back[r], 0, in, 0f);
                    }
                    workers.multiplyAdd(d, weights[l], back, rows, out, in);
                    // ReLU's derivative: the gradient passes where the unit was active.
                    float[][] active = acts[l];
                    for (int r = 0; r < rows; r++) {
                        float[] br = back[r];
                        float[] ar = active[r];
                        for (int j = 0; j < in; j++) {
                            br[j] = ar[j] > 0f ? br[j] : 0f;
                        }
                    }
                }
            }
            adam(learningRate);
            return loss;
        }

        private void adam(double learningRate) {
            steps++;
            float rate = (float) (learningRate * Math.sqrt(1 - Math.pow(BETA2, steps)) / (1 - Math.pow(BETA1, steps)));
            for (int l = 0; l < layers; l++) {
                float[][] w = weightsT[l];
                float[][] g = gradWeightsT[l];
                float[][] m = momentW[l];
                float[][] v = velocityW[l];
                workers.split(sizes[l], 1, (from, to, worker) -> {
                    for (int i = from; i < to; i++) {
                        adam(w[i], g[i], m[i], v[i], rate);
                    }
                });
                adam(biases[l], gradBiases[l], momentB[l], velocityB[l], rate);
                if (l > 0) {
                    transpose(weightsT[l], weights[l], sizes[l], sizes[l + 1]);
                }
            }
        }

        private static void adam(float[] w, float[] g, float[] m, float[] v, float rate) {
            float b1 = (float) BETA1;
            float b2 = (float) BETA2;
            float eps = (float) EPSILON;
            for (int j = 0; j < w.length; j++) {
                float gj = g[j];
                float mj = b1 * m[j] + (1 - b1) * gj;
                float vj = b2 * v[j] + (1 - b2) * gj * gj;
                m[j] = mj;
                v[j] = vj;
                w[j] -= rate * mj / ((float) Math.sqrt(vj) + eps);
            }
        }

        /** {@code dst[o][i] = src[i][o]} for the {@code in x out} matrix {@code src}, tiled, split across cores. */
        private void transpose(float[][] src, float[][] dst, int in, int out) {
            workers.split(out, TRANSPOSE_TILE, (from, to, worker) -> {
                for (int o0 = from; o0 < to; o0 += TRANSPOSE_TILE) {
                    int o1 = Math.min(to, o0 + TRANSPOSE_TILE);
                    for (int i0 = 0; i0 < in; i0 += TRANSPOSE_TILE) {
                        int i1 = Math.min(in, i0 + TRANSPOSE_TILE);
                        for (int o = o0; o < o1; o++) {
                            float[] row = dst[o];
                            for (int i = i0; i < i1; i++) {
                                row[i] = src[i][o];
                            }
                        }
                    }
                }
            });
        }

        /** {@code dst[j][r] = src[r][j]} for the first {@code rows} rows of width {@code width}. */
        private static void transposeRows(float[][] src, float[][] dst, int rows, int width) {
            for (int r = 0; r < rows; r++) {
                float[] row = src[r];
                for (int j = 0; j < width; j++) {
                    dst[j][r] = row[j];
                }
            }
        }

        /** The trained network, copied so that training more would not change it. */
        Mlp toMlp() {
            float[][][] w = new float[layers][][];
            float[][] b = new float[layers][];
            for (int l = 0; l < layers; l++) {
                w[l] = copy(weightsT[l]);
                b[l] = biases[l].clone();
            }
            return new Mlp(sizes, w, b, Map.of());
        }

        private static float[][] copy(float[][] m) {
            float[][] c = new float[m.length][];
            for (int i = 0; i < m.length; i++) {
                c[i] = m[i].clone();
            }
            return c;
        }
    }
}
