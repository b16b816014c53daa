package io.spate.internal.train;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The state and half-steps of biased ALS-WR: predicted rating
 * {@code mu + b_u + b_i + p_u . q_i}. Fixing the item side, each user's {@code [p_u, b_u]} is the
 * solution of a small ridge regression whose penalty grows with the user's rating count
 * ({@code lambda * n_u}, the weighted-lambda regularisation of Zhou et al. 2008), solved exactly by
 * Cholesky; then the same for items. Rows are independent, so each half-step runs in parallel
 * with the same result whatever the thread count.
 */
final class AlsSolver {

    /** Rows per parallel task: enough work to amortise the scratch, enough tasks to balance. */
    private static final int CHUNK = 32;

    private final int f;
    private final double lambda;
    private final double mu;
    private final SparseRows byUser;
    private final SparseRows byItem;
    private final double[] p;
    private final double[] q;
    private final double[] userBias;
    private final double[] itemBias;

    /** Starts from small random item factors (seeded) and zero biases. */
    AlsSolver(Ratings train, int factors, double lambda, long seed) {
        this.f = factors;
        this.lambda = lambda;
        this.mu = train.size() == 0 ? 0 : train.mean();
        this.byUser = SparseRows.of(train, true);
        this.byItem = SparseRows.of(train, false);
        this.p = new double[train.userCount() * f];
        this.q = new double[train.itemCount() * f];
        this.userBias = new double[train.userCount()];
        this.itemBias = new double[train.itemCount()];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < q.length; i++) {
            q[i] = 0.1 * random.nextGaussian();
        }
    }

    /** One ALS iteration: users given items, then items given users. */
    void iterate() {
        solve(byUser, p, userBias, q, itemBias);
        solve(byItem, q, itemBias, p, userBias);
    }

    /** The unclipped predicted rating of dense user {@code u} for dense item {@code i}. */
    double predict(int u, int i) {
        double sum = mu + userBias[u] + itemBias[i];
        for (int d = 0; d < f; d++) {
            sum += p[u * f + d] * q[i * f + d];
        }
        return sum;
    }

    /** Users' {@code [p_u, mu + b_u, 1]}: with {@link #itemRows()}, a dot product gives the prediction. */
    float[] userRows() {
        return fold(p, userBias, mu, true);
    }

    /** Items' {@code [q_i, 1, b_i]}. */
    float[] itemRows() {
        return fold(q, itemBias, 0, false);
    }

    private float[] fold(double[] factors, double[] bias, double offset, boolean biasFirst) {
        int rows = bias.length;
        int width = f + 2;
        float[] out = new float[rows * width];
        for (int r = 0; r < rows; r++) {
            for (int d = 0; d < f; d++) {
                out[r * width + d] = (float) factors[r * f + d];
            }
            out[r * width + f] = biasFirst ? (float) (offset + bias[r]) : 1f;
            out[r * width + f + 1] = biasFirst ? 1f : (float) (offset + bias[r]);
        }
        return out;
    }

    /** Solves every row of {@code rows} for {@code [own, ownBias]} with the other side fixed. */
    private void solve(SparseRows rows, double[] own, double[] ownBias, double[] other, double[] otherBias) {
        int chunks = (rows.rows() + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int dim = f + 1;
            double[] a = new double[dim * dim];
            double[] b = new double[dim];
            double[] x = new double[dim];
            int end = Math.min(rows.rows(), (c + 1) * CHUNK);
            for (int r = c * CHUNK; r < end; r++) {
                solveRow(rows, r, own, ownBias, other, otherBias, a, b, x);
            }
        });
    }

    private void solveRow(SparseRows rows, int r, double[] own, double[] ownBias, double[] other, double[] otherBias,
            double[] a, double[] b, double[] x) {
        int dim = f + 1;
        int n = rows.count(r);
        if (n == 0) {
            // Nothing to learn from: the prediction falls back to the mean and the other side's bias.
            Arrays.fill(own, r * f, (r + 1) * f, 0);
            ownBias[r] = 0;
            return;
        }
        Arrays.fill(a, 0);
        Arrays.fill(b, 0);
        x[f] = 1;
        for (int e = rows.indptr()[r]; e < rows.indptr()[r + 1]; e++) {
            int c = rows.columns()[e];
            System.arraycopy(other, c * f, x, 0, f);
            double y = rows.values()[e] - mu - otherBias[c];
            for (int i = 0; i < dim; i++) {
                double xi = x[i];
                b[i] += y * xi;
                int rowStart = i * dim;
                for (int j = 0; j <= i; j++) {
                    a[rowStart + j] += xi * x[j];
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            a[i * dim + i] += lambda * n;
        }
        if (!Cholesky.solve(a, b, dim)) {
            throw new IllegalStateException("normal equations not positive definite (lambda " + lambda + " too small?)");
        }
        System.arraycopy(b, 0, own, r * f, f);
        ownBias[r] = b[f];
    }
}
