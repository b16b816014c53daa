package io.spate.internal.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs an {@link Mlp}'s forward pass over batches of events, reusing scratch buffers sized once,
 * so predicting allocates nothing per event. Not thread-safe: one runner per compute actor (the
 * {@link Mlp} itself is shared). Events go through the layers {@value #CHUNK_ROWS} at a time, each
 * layer one matrix product over the whole chunk.
 *
 * <p>The matrix product here is also the trainer's. It works on row arrays ({@code float[][]})
 * rather than one flat array on purpose: HotSpot 17 vectorises {@code c[j] += a * b[j]} but not
 * {@code c[ci + j] += a * b[bi + j]} with run-time row offsets, and the difference measured on the
 * 2-core development machine is about five-fold (4 against 20 GFLOP/s).
 */
public final class MlpRunner implements MlpPredictor {

    /** Events per pass through the layers: bounds the scratch (2 MB for the standard network). */
    public static final int CHUNK_ROWS = 256;

    /**
     * Whether {@link Mlp#runner()} splits a product across cores. Measured on the 2-core
     * development machine (shared with other builds), 64 to 1,000 events per call, splitting the
     * output columns over both cores gains 1.3-1.45x (about 23,000 to 33,000 events/s at 1,000), so it
     * is on; a deployment that already runs one compute actor per core can ask for
     * {@link Mlp#runner(boolean) runner(false)}.
     */
    static final boolean DEFAULT_PARALLEL = true;

    // Tiles of the product: a TILE_K x TILE_N block of the right matrix (256 KB) stays in L2 while
    // every row of the left one passes over it.
    static final int TILE_K = 128;
    static final int TILE_N = 512;

    private final Mlp mlp;
    private final float[][][] weightsT;
    private final float[][] biases;
    private final float[][][] activations;
    private final Workers workers;

    MlpRunner(Mlp mlp, boolean parallel) {
        this.mlp = mlp;
        int layers = mlp.layers();
        int[] sizes = mlp.sizes();
        weightsT = new float[layers][][];
        biases = new float[layers][];
        for (int l = 0; l < layers; l++) {
            weightsT[l] = mlp.weightsT(l);
            biases[l] = mlp.bias(l);
        }
        activations = new float[layers + 1][][];
        for (int l = 0; l <= layers; l++) {
            activations[l] = new float[CHUNK_ROWS][sizes[l]];
        }
        workers = Workers.create(parallel);
    }

    /** The network this runner evaluates. */
    public Mlp model() {
        return mlp;
    }

    @Override
    public void predict(float[] x, int n, float[] probabilities) {
        int inputs = mlp.inputs();
        int outputs = mlp.outputs();
        if (n < 0 || (long) n * inputs > x.length || (long) n * outputs > probabilities.length) {
            throw new IllegalArgumentException(n + " events need " + (long) n * inputs + " features and room for "
                    + (long) n * outputs + " probabilities, got " + x.length + " and " + probabilities.length);
        }
        float[][] in = activations[0];
        float[][] out = activations[activations.length - 1];
        for (int start = 0; start < n; start += CHUNK_ROWS) {
            int rows = Math.min(CHUNK_ROWS, n - start);
            for (int r = 0; r < rows; r++) {
                normaliseL2(x, (start + r) * inputs, inputs, in[r]);
            }
            forward(weightsT, biases, activations, rows, workers);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(out[r], 0, probabilities, (start + r) * outputs, outputs);
            }
        }
    }

    /**
     * Writes {@code x[offset .. offset+length)} divided by its L2 norm into {@code out}; a zero
     * vector stays zero.
     */
    public static void normaliseL2(float[] x, int offset, int length, float[] out) {
        double sum = 0;
        for (int i = 0; i < length; i++) {
            double v = x[offset + i];
            sum += v * v;
        }
        double norm = Math.sqrt(sum);
        for (int i = 0; i < length; i++) {
            out[i] = norm == 0 ? 0f : (float) (x[offset + i] / norm);
        }
    }

    /**
     * The forward pass over {@code rows} events: {@code acts[0]} holds the normalised inputs,
     * {@code acts[l + 1]} receives layer {@code l}'s output (ReLU, or softmax for the last).
     */
    public static void forward(float[][][] weightsT, float[][] biases, float[][][] acts, int rows, Workers workers) {
        int layers = weightsT.length;
        for (int l = 0; l < layers; l++) {
            float[][] in = acts[l];
            float[][] out = acts[l + 1];
            float[] bias = biases[l];
            int width = bias.length;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bias, 0, out[r], 0, width);
            }
            workers.multiplyAdd(in, weightsT[l], out, rows, weightsT[l].length, width);
            if (l < layers - 1) {
                for (int r = 0; r < rows; r++) {
                    float[] row = out[r];
                    for (int j = 0; j < width; j++) {
                        row[j] = Math.max(row[j], 0f);
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    softmax(out[r], width);
                }
            }
        }
    }

    /** Softmax in place, shifted by the maximum so that no exponent overflows. */
    static void softmax(float[] row, int width) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, row[j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            double e = Math.exp(row[j] - max);
            row[j] = (float) e;
            sum += e;
        }
        float inv = (float) (1 / sum);
        for (int j = 0; j < width; j++) {
            row[j] *= inv;
        }
    }

    /**
     * {@code c[i][j] += sum_p a[i][p] * b[p][j]} for rows {@code [i0, i1)}, columns
     * {@code [j0, j1)} and {@code p < k}, tiled for the caches. Zeros of {@code a} (half of a
     * ReLU output) are skipped; the others are taken four at a time so that each pass over a row
     * of {@code c} does four multiply-adds per load and store.
     *
     * @param nonZero scratch of at least {@link #TILE_K} ints
     */
    static void multiplyAdd(float[][] a, float[][] b, float[][] c, int i0, int i1, int k, int j0, int j1, int[] nonZero) {
        for (int jt = j0; jt < j1; jt += TILE_N) {
            int je = Math.min(j1, jt + TILE_N);
            for (int pt = 0; pt < k; pt += TILE_K) {
                int pe = Math.min(k, pt + TILE_K);
                for (int i = i0; i < i1; i++) {
                    float[] ai = a[i];
                    int count = 0;
                    for (int p = pt; p < pe; p++) {
                        if (ai[p] != 0f) {
                            nonZero[count++] = p;
                        }
                    }
                    float[] ci = c[i];
                    int q = 0;
                    for (; q + 4 <= count; q += 4) {
                        int p0 = nonZero[q];
                        int p1 = nonZero[q + 1];
                        int p2 = nonZero[q + 2];
                        int p3 = nonZero[q + 3];
                        axpy4(ai[p0], b[p0], ai[p1], b[p1], ai[p2], b[p2], ai[p3], b[p3], ci, jt, je);
                    }
                    for (; q < count; q++) {
                        int p = nonZero[q];
                        axpy(ai[p], b[p], ci, jt, je);
                    }
                }
            }
        }
    }

    // The loops below index every array by j alone, which is what lets C2 vectorise them.
    private static void axpy4(float a0, float[] b0, float a1, float[] b1, float a2, float[] b2, float a3, float[] b3,
            float[] c, int from, int to) {
        for (int j = from; j < to; j++) {
            c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
        }
    }

    private static void axpy(float a, float[] b, float[] c, int from, int to) {
        for (int j = from; j < to; j++) {
            c[j] += a * b[j];
        }
    }

    /**
     * Splits work over index ranges between the calling thread and fork-join workers, with
     * reusable tasks so that a split allocates nothing but the caller's lambda. The pieces are
     * forked: into the caller's pool when it runs in one (a Pekko dispatcher is a fork-join pool),
     * otherwise into the common pool. Every output element is computed by one thread in the same
     * order however the work is split, so results do not depend on the number of cores. Not
     * thread-safe.
     */
    public static final class Workers {

        // Below this many multiply-adds a product runs on the calling thread: a fork and join
        // costs tens of microseconds, the time of about a million multiply-adds.
        static final long PARALLEL_MIN_WORK = 1L << 20;
        // Column ranges are cut at multiples of 16 floats (one cache line, one AVX-512 vector).
        private static final int ALIGN = 16;

        /** A piece of split work over {@code [from, to)}, run by worker {@code worker}. */
        @FunctionalInterface
        public interface RangeBody {
            /** Does the work of {@code [from, to)} with worker {@code worker}'s scratch. */
            void run(int from, int to, int worker);
        }

        private final int count;
        private final Part[] parts;
        private final int[][] nonZero;

        private Workers(int count) {
            this.count = count;
            parts = new Part[count - 1];
            for (int w = 0; w < parts.length; w++) {
                parts[w] = new Part();
            }
            nonZero = new int[count][TILE_K];
        }

        /** Workers for as many cores as the common pool can use, or for the calling thread only. */
        public static Workers create(boolean parallel) {
            int cores = Math.min(Runtime.getRuntime().availableProcessors(), ForkJoinPool.getCommonPoolParallelism() + 1);
            return new Workers(parallel ? Math.max(1, cores) : 1);
        }

        /** Threads that share a split (1 when sequential). */
        public int count() {
            return count;
        }

        /** {@link MlpRunner#multiplyAdd} of an {@code m x k} by a {@code k x n} matrix into {@code c}, split across cores. */
        public void multiplyAdd(float[][] a, float[][] b, float[][] c, int m, int k, int n) {
            if (count == 1 || (long) m * k * n < PARALLEL_MIN_WORK) {
                MlpRunner.multiplyAdd(a, b, c, 0, m, k, 0, n, nonZero[0]);
            } else if (n >= 4 * ALIGN * count) {
                // Split columns: each thread then reads only its share of b, the large operand.
                split(n, ALIGN, (from, to, w) -> MlpRunner.multiplyAdd(a, b, c, 0, m, k, from, to, nonZero[w]));
            } else {
                split(m, 1, (from, to, w) -> MlpRunner.multiplyAdd(a, b, c, from, to, k, 0, n, nonZero[w]));
            }
        }

        /** Runs {@code body} over {@code [0, size)} cut into up to {@link #count()} ranges at multiples of {@code align}. */
        public void split(int size, int align, RangeBody body) {
            int pieces = (int) Math.min(count, ((long) size + align - 1) / align);
            if (pieces <= 1) {
                body.run(0, size, 0);
                return;
            }
            int step = (size + pieces - 1) / pieces;
            step = (step + align - 1) / align * align;
            int forked = 0;
            Throwable failure = null;
            try {
                for (int w = 1; w < pieces && w * step < size; w++) {
                    parts[w - 1].prepare(body, w * step, Math.min(size, (w + 1) * step), w).fork();
                    forked = w;
                }
                body.run(0, Math.min(size, step), 0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            // Every forked part is joined, even after a failure, so that none is still running
            // (and none is reused while running) when the caller moves on.
            for (int w = forked; w >= 1; w--) {
                Part part = parts[w - 1];
                try {
                    part.join();
                } catch (RuntimeException | Error e) {
                    if (failure == null) {
                        failure = e;
                    }
                } finally {
                    part.reinitialize();
                }
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            } else if (failure instanceof Error e) {
                throw e;
            }
        }

        /** A reusable fork-join task running one range of a split. */
        private static final class Part extends RecursiveAction {
            private static final long serialVersionUID = 1L;
            private transient RangeBody body;
            private int from;
            private int to;
            private int worker;

            Part prepare(RangeBody body, int from, int to, int worker) {
                this.body = body;
                this.from = from;
                this.to = to;
                this.worker = worker;
                return this;
            }

            @Override
            protected void compute() {
                body.run(from, to, worker);
            }
        }
    }
}
