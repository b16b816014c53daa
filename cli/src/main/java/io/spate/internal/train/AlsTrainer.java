package io.spate.internal.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import io.spate.internal.model.Recommender;

/**
 * Trains a {@link Recommender} by explicit-feedback ALS with weighted-lambda regularisation (Zhou
 * et al., "Large-scale parallel collaborative filtering for the Netflix prize", 2008), extended
 * with a user and an item bias around the global mean; see {@link AlsSolver}. Immutable settings:
 * {@code AlsTrainer.create().withFactors(32)} returns a copy.
 *
 * <p>A deterministic random split holds out {@link #testFraction()} of the ratings; the model is
 * fitted on the rest and its RMSE measured on them, predictions clipped to the training ratings'
 * range ([1, 5] for MovieLens). The saved model is the one measured. Its rated-item lists hold all
 * ratings, held-out ones included, since serving should not recommend what a user already rated.
 */
public final class AlsTrainer {

    /** Latent factors per user and item (the model stores two more for the biases). */
    public static final int DEFAULT_FACTORS = 20;
    /** ALS iterations (a user half-step and an item half-step each). */
    public static final int DEFAULT_ITERATIONS = 10;
    /** Weighted-lambda regularisation strength, tuned on MovieLens 100k. */
    public static final double DEFAULT_LAMBDA = 0.1;
    /** Share of ratings held out to measure RMSE. */
    public static final double DEFAULT_TEST_FRACTION = 0.1;
    /** Seed of the split and the initial factors. */
    public static final long DEFAULT_SEED = 42;

    private final int factors;
    private final int iterations;
    private final double lambda;
    private final double testFraction;
    private final long seed;

    private AlsTrainer(int factors, int iterations, double lambda, double testFraction, long seed) {
        if (factors <= 0) {
            throw new IllegalArgumentException("factors must be positive, got " + factors);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must not be negative, got " + iterations);
        }
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be positive, got " + lambda);
        }
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("test fraction must be in [0, 1), got " + testFraction);
        }
        this.factors = factors;
        this.iterations = iterations;
        this.lambda = lambda;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    /** A trainer with the defaults. */
    public static AlsTrainer create() {
        return new AlsTrainer(DEFAULT_FACTORS, DEFAULT_ITERATIONS, DEFAULT_LAMBDA, DEFAULT_TEST_FRACTION, DEFAULT_SEED);
    }

    /** A copy with {@code factors} latent factors. */
    public AlsTrainer withFactors(int factors) {
        return new AlsTrainer(factors, iterations, lambda, testFraction, seed);
    }

    /** A copy running {@code iterations} iterations. */
    public AlsTrainer withIterations(int iterations) {
        return new AlsTrainer(factors, iterations, lambda, testFraction, seed);
    }

    /** A copy with regularisation strength {@code lambda} (&gt; 0). */
    public AlsTrainer withLambda(double lambda) {
        return new AlsTrainer(factors, iterations, lambda, testFraction, seed);
    }

    /** A copy holding out {@code testFraction} (in [0, 1)) of the ratings; 0 trains on all and measures nothing. */
    public AlsTrainer withTestFraction(double testFraction) {
        return new AlsTrainer(factors, iterations, lambda, testFraction, seed);
    }

    /** A copy with seed {@code seed} for the split and the initial factors. */
    public AlsTrainer withSeed(long seed) {
        return new AlsTrainer(factors, iterations, lambda, testFraction, seed);
    }

    /** Latent factors. */
    public int factors() {
        return factors;
    }

    /** Iterations. */
    public int iterations() {
        return iterations;
    }

    /** Regularisation strength. */
    public double lambda() {
        return lambda;
    }

    /** Share of ratings held out. */
    public double testFraction() {
        return testFraction;
    }

    /** Seed of the split and the initial factors. */
    public long seed() {
        return seed;
    }

    /**
     * What a training run did.
     *
     * @param users distinct users in the ratings
     * @param items distinct items in the ratings
     * @param trainRatings ratings fitted
     * @param testRatings ratings held out
     * @param rmse held-out RMSE, NaN if nothing was held out
     * @param seconds wall time of the split and the iterations
     */
    public record Report(int users, int items, int trainRatings, int testRatings, double rmse, double seconds) {
    }

    /**
     * A trained model and how it did.
     *
     * @param model the recommender
     * @param report sizes, RMSE and time
     * @param baselineRmse held-out RMSE of always predicting the training mean, for comparison
     */
    public record Result(Recommender model, Report report, double baselineRmse) {
    }

    /**
     * Splits, fits and measures.
     *
     * @param ratings all ratings; ids must fit the file format ({@link Recommender#MAX_ID})
     * @param titles item titles by item id; items without one get an empty title
     * @return the model and its report
     */
    public Result train(Ratings ratings, Map<Long, String> titles) {
        long[] userIds = new long[ratings.userCount()];
        Arrays.setAll(userIds, ratings::userId);
        long[] itemIds = new long[ratings.itemCount()];
        Arrays.setAll(itemIds, ratings::itemId);
        // Refuse ids the file cannot hold before spending time on training.
        Recommender.checkIds("user", userIds);
        Recommender.checkIds("item", itemIds);
        if (ratings.size() == 0) {
            throw new IllegalArgumentException("no ratings to train on");
        }
        long start = System.nanoTime();
        Ratings.Split split = ratings.split(testFraction, seed);
        AlsSolver solver = new AlsSolver(split.train(), factors, lambda, seed);
        for (int it = 0; it < iterations; it++) {
            solver.iterate();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        float low = split.train().min();
        float high = split.train().max();
        double rmse = rmse(split.test(), (u, i) -> Math.min(high, Math.max(low, solver.predict(u, i))));
        double mean = split.train().mean();
        double baseline = rmse(split.test(), (u, i) -> mean);

        String[] itemTitles = new String[itemIds.length];
        for (int i = 0; i < itemIds.length; i++) {
            itemTitles[i] = titles.getOrDefault(itemIds[i], "");
        }
        int[][] rated = ratedItems(ratings);
        String algorithm = String.format(Locale.ROOT,
                "als-wr biased (factors=%d, iterations=%d, lambda=%s, test-fraction=%s, seed=%d);"
                        + " columns %d and %d hold mu+b_u/1 (users) and 1/b_i (items)",
                factors, iterations, lambda, testFraction, seed, factors, factors + 1);
        Recommender model = new Recommender(userIds, solver.userRows(), itemIds, solver.itemRows(), factors + 2,
                rated[0], rated[1], itemTitles, algorithm, rmse);
        Report report = new Report(ratings.userCount(), ratings.itemCount(), split.train().size(), split.test().size(),
                rmse, seconds);
        return new Result(model, report, baseline);
    }

    /** A prediction for dense (user, item). */
    private interface Predictor {
        double predict(int user, int item);
    }

    private static double rmse(Ratings test, Predictor predictor) {
        if (test.size() == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int r = 0; r < test.size(); r++) {
            double error = predictor.predict(test.user(r), test.item(r)) - test.value(r);
            sum += error * error;
        }
        return Math.sqrt(sum / test.size());
    }

    /** The distinct items each user rated, as CSR {indptr, items}. */
    private static int[][] ratedItems(Ratings ratings) {
        SparseRows byUser = SparseRows.of(ratings, true);
        int[] indptr = new int[byUser.rows() + 1];
        int[] items = new int[ratings.size()];
        int n = 0;
        for (int u = 0; u < byUser.rows(); u++) {
            int from = byUser.indptr()[u];
            int to = byUser.indptr()[u + 1];
            int[] row = Arrays.copyOfRange(byUser.columns(), from, to);
            Arrays.sort(row);
            for (int j = 0; j < row.length; j++) {
                if (j == 0 || row[j] != row[j - 1]) {
                    items[n++] = row[j];
                }
            }
            indptr[u + 1] = n;
        }
        return new int[][] {indptr, Arrays.copyOf(items, n)};
    }
}
