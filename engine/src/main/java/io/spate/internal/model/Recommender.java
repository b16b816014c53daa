package io.spate.internal.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A matrix-factorisation recommender: immutable, shared by every compute actor of a node. Each
 * actor scores its batches with its own {@link #runner(int) RecommenderRunner}.
 *
 * <p><b>Score.</b> {@code score(u, i) = dot(user_factors[u], item_factors[i])}, nothing else: a
 * trainer that fits biases folds them into extra factor columns, so that serving is one plain
 * matrix product. The CLI's {@code AlsTrainer} stores {@code [p_u, mu + b_u, 1]} for users and
 * {@code [q_i, 1, b_i]} for items, which makes the score its predicted rating
 * {@code mu + b_u + b_i + p_u . q_i}.
 *
 * <p><b>File layout</b> (safetensors, all tensors F32, see {@link Safetensors}):
 * <ul>
 *   <li>{@code user_factors} [users, f], {@code item_factors} [items, f];</li>
 *   <li>{@code user_ids} [users], {@code item_ids} [items]: the external ids of the dense indexes,
 *       integers stored exactly in F32, hence limited to |id| &lt;= 2^24;</li>
 *   <li>{@code rated_indptr} [users + 1], {@code rated_items} [nnz]: the items each user rated,
 *       CSR over dense item indexes, ascending within a user (so at most 2^24 ratings, the
 *       largest offset F32 holds exactly);</li>
 *   <li>metadata {@code format} = {@code spate-mf}, {@code titles} = a JSON array of the item
 *       titles in item order, {@code algorithm}, {@code rmse} (held-out, {@code NaN} if none) and
 *       {@code score} (the formula above, for people reading the file).</li>
 * </ul>
 */
public final class Recommender {

    /** The largest id magnitude the F32 id tensors hold exactly: 2^24. */
    public static final long MAX_ID = 1L << 24;

    private final long[] userIds;
    private final long[] itemIds;
    private final float[] userFactors;
    private final float[] itemFactors;
    private final float[][] itemColumns;
    private final int factors;
    private final int[] ratedIndptr;
    private final int[] ratedItems;
    private final String[] titles;
    private final String algorithm;
    private final double rmse;
    private final IdIndex userIndex;

    /**
     * A model from its parts; arrays are copied, rated items sorted per user.
     *
     * @param userIds external id of each user (dense index order), distinct, |id| &lt;= 2^24
     * @param userFactors users x factors, row-major
     * @param itemIds external id of each item, distinct, |id| &lt;= 2^24
     * @param itemFactors items x factors, row-major
     * @param factors the factor count f
     * @param ratedIndptr users + 1 offsets into {@code ratedItems}
     * @param ratedItems the dense item indexes each user rated
     * @param titles one per item; {@code null} entries become empty strings
     * @param algorithm how the factors were made, free text
     * @param rmse held-out RMSE, {@code NaN} if not measured
     */
    public Recommender(long[] userIds, float[] userFactors, long[] itemIds, float[] itemFactors, int factors,
            int[] ratedIndptr, int[] ratedItems, String[] titles, String algorithm, double rmse) {
        if (factors <= 0) {
            throw new IllegalArgumentException("factors must be positive, got " + factors);
        }
        checkIds("user", userIds);
        checkIds("item", itemIds);
        checkLength("user_factors", userFactors.length, (long) userIds.length * factors);
        checkLength("item_factors", itemFactors.length, (long) itemIds.length * factors);
        checkLength("rated_indptr", ratedIndptr.length, userIds.length + 1L);
        checkLength("titles", titles.length, itemIds.length);
        this.userIds = userIds.clone();
        this.itemIds = itemIds.clone();
        this.userFactors = userFactors.clone();
        this.itemFactors = itemFactors.clone();
        this.factors = factors;
        this.ratedIndptr = ratedIndptr.clone();
        this.ratedItems = sortedRows(this.ratedIndptr, ratedItems, itemIds.length);
        this.titles = new String[titles.length];
        for (int i = 0; i < titles.length; i++) {
            this.titles[i] = titles[i] == null ? "" : titles[i];
        }
        this.algorithm = algorithm;
        this.rmse = rmse;
        this.itemColumns = columns(this.itemFactors, itemIds.length, factors);
        this.userIndex = new IdIndex(this.userIds);
    }

    /**
     * Reads a model written by {@link #save}.
     *
     * @param file a {@code spate-mf} safetensors file
     * @return the model
     * @throws IOException if the file cannot be read or is not a valid {@code spate-mf} model
     */
    public static Recommender load(Path file) throws IOException {
        return RecommenderFormat.read(file);
    }

    /**
     * Writes this model in the layout described above.
     *
     * @param file where to write; replaced if present
     * @throws IOException if it cannot be written
     */
    public void save(Path file) throws IOException {
        RecommenderFormat.write(this, file);
    }

    /**
     * A scorer for batches of users; one per thread, as it reuses its scratch.
     *
     * @param k how many items to recommend per user
     * @return a new runner
     */
    public RecommenderRunner runner(int k) {
        return new RecommenderRunner(this, k);
    }

    /** The dense index of user {@code uid}, -1 if the model does not know it. Allocation-free. */
    public int userIndex(long uid) {
        return userIndex.indexOf(uid);
    }

    /** The number of users. */
    public int users() {
        return userIds.length;
    }

    /** The number of items. */
    public int items() {
        return itemIds.length;
    }

    /** The factor count f: the width of both factor matrices. */
    public int factors() {
        return factors;
    }

    /** The external id of user {@code index}. */
    public long userId(int index) {
        return userIds[index];
    }

    /** The external id of item {@code index}. */
    public long itemId(int index) {
        return itemIds[index];
    }

    /** The title of item {@code index}; empty if unknown, never null. */
    public String title(int index) {
        return titles[index];
    }

    /** How the factors were made (free text). */
    public String algorithm() {
        return algorithm;
    }

    /** The held-out RMSE measured when training, {@code NaN} if none was. */
    public double rmse() {
        return rmse;
    }

    /** The number of items user {@code index} rated. */
    public int ratedCount(int index) {
        return ratedIndptr[index + 1] - ratedIndptr[index];
    }

    /**
     * One score, in double precision: a reference for the batched path, not a way to serve.
     *
     * @param user dense user index
     * @param item dense item index
     * @return {@code dot(user_factors[user], item_factors[item])}
     */
    public double score(int user, int item) {
        double sum = 0;
        for (int d = 0; d < factors; d++) {
            sum += (double) userFactors[user * factors + d] * itemFactors[item * factors + d];
        }
        return sum;
    }

    // Views for the runner and the file format: shared, never written to. The four public ones are
    // internal API, public for the GPU backend, which uploads them to its device.

    /** users x factors, row-major; shared, not to be modified. */
    public float[] userFactors() {
        return userFactors;
    }

    /** items x factors, row-major; shared, not to be modified. */
    public float[] itemFactors() {
        return itemFactors;
    }

    /**
     * The item factors by column, one array of {@code items} floats per factor: the runner's inner
     * loop then indexes its score row and a column with the same index, which the JIT vectorises
     * (with a row offset into one flat array, JDK 17's C2 does not).
     */
    float[][] itemColumns() {
        return itemColumns;
    }

    /** users + 1 offsets into {@link #ratedItems()}; shared, not to be modified. */
    public int[] ratedIndptr() {
        return ratedIndptr;
    }

    /** The dense item indexes each user rated, ascending per user; shared, not to be modified. */
    public int[] ratedItems() {
        return ratedItems;
    }

    long[] userIds() {
        return userIds;
    }

    long[] itemIds() {
        return itemIds;
    }

    String[] titles() {
        return titles;
    }

    /**
     * Refuses ids the file cannot store exactly, or repeated ones.
     *
     * @param kind "user" or "item", for the message
     * @param ids the ids to check
     */
    public static void checkIds(String kind, long[] ids) {
        for (long id : ids) {
            if (id > MAX_ID || id < -MAX_ID) {
                throw new IllegalArgumentException(kind + " id " + id + " is out of range: spate-mf files store ids as F32,"
                        + " which holds integers exactly only up to 2^24 = " + MAX_ID + " in magnitude");
            }
        }
        long[] sorted = ids.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(kind + " id " + sorted[i] + " appears twice");
            }
        }
    }

    private static void checkLength(String name, long actual, long expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has " + actual + " entries, expected " + expected);
        }
    }

    private static int[] sortedRows(int[] indptr, int[] items, int itemCount) {
        if (indptr[0] != 0 || indptr[indptr.length - 1] != items.length) {
            throw new IllegalArgumentException("rated_indptr must run from 0 to " + items.length);
        }
        int[] sorted = items.clone();
        for (int u = 0; u + 1 < indptr.length; u++) {
            if (indptr[u + 1] < indptr[u]) {
                throw new IllegalArgumentException("rated_indptr decreases at user index " + u);
            }
            Arrays.sort(sorted, indptr[u], indptr[u + 1]);
        }
        for (int item : sorted) {
            if (item < 0 || item >= itemCount) {
                throw new IllegalArgumentException("rated item index " + item + " is not in [0, " + itemCount + ")");
            }
        }
        return sorted;
    }

    private static float[][] columns(float[] rows, int n, int f) {
        float[][] columns = new float[f][n];
        for (int i = 0; i < n; i++) {
            for (int d = 0; d < f; d++) {
                columns[d][i] = rows[i * f + d];
            }
        }
        return columns;
    }
}
