package io.spate.internal.model;

/**
 * Scores batches of users against every item of a {@link Recommender} and keeps the top k per
 * user. Not thread-safe: one per compute actor, as it reuses its scratch; after construction a call
 * allocates nothing.
 *
 * <p>The batch's scores are one matrix product (n x f) * (f x items), computed in tiles of
 * {@value #USER_TILE} users by {@value #ITEM_TILE} items: the tile's f item-factor column segments
 * stay in cache while each user of the tile accumulates its scores with one vectorisable
 * multiply-add loop per factor, and each user's scores are folded into its top-k heap before the
 * next user's are computed, so the n x items score matrix never exists.
 */
public final class RecommenderRunner implements RecommendScorer {

    /** Users per tile: the item-factor tile is reused this often while hot in cache. */
    static final int USER_TILE = 32;
    /** Items per tile: f x ITEM_TILE floats of item factors stay in L2 (about 90 KB at f = 22). */
    static final int ITEM_TILE = 1024;

    private final Recommender model;
    private final int k;
    private final int factors;
    private final int items;
    private final float[] userFactors;
    private final float[][] itemColumns;
    private final int[] ratedIndptr;
    private final int[] ratedItems;
    private final float[] row;
    private final int[] ratedCursor = new int[USER_TILE];
    private final TopKHeaps heaps;

    RecommenderRunner(Recommender model, int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive, got " + k);
        }
        this.model = model;
        this.k = k;
        this.factors = model.factors();
        this.items = model.items();
        this.userFactors = model.userFactors();
        this.itemColumns = model.itemColumns();
        this.ratedIndptr = model.ratedIndptr();
        this.ratedItems = model.ratedItems();
        // Indexed like the item columns (see Recommender#itemColumns); only one tile of it is hot at a time.
        this.row = new float[items];
        // A heap never needs more room than there are items, whatever k asks for.
        this.heaps = new TopKHeaps(USER_TILE, Math.max(1, Math.min(k, items)));
    }

    /** The model this runner scores with. */
    public Recommender model() {
        return model;
    }

    /** Items recommended per user. */
    public int k() {
        return k;
    }

    @Override
    public void recommend(int[] userIndexes, int n, boolean excludeRated, int[] outItems, float[] outScores) {
        if (n < 0 || n > userIndexes.length) {
            throw new IllegalArgumentException("n = " + n + " but " + userIndexes.length + " user indexes");
        }
        if (outItems.length < (long) n * k || outScores.length < (long) n * k) {
            throw new IllegalArgumentException("outputs need n * k = " + ((long) n * k) + " entries, have "
                    + outItems.length + " and " + outScores.length);
        }
        for (int j = 0; j < n; j++) {
            if (userIndexes[j] >= model.users()) {
                throw new IndexOutOfBoundsException("user index " + userIndexes[j] + " of " + model.users());
            }
        }
        for (int start = 0; start < n; start += USER_TILE) {
            int count = Math.min(USER_TILE, n - start);
            for (int s = 0; s < count; s++) {
                int user = userIndexes[start + s];
                ratedCursor[s] = user < 0 ? 0 : ratedIndptr[user];
            }
            for (int from = 0; from < items; from += ITEM_TILE) {
                int to = Math.min(items, from + ITEM_TILE);
                for (int s = 0; s < count; s++) {
                    int user = userIndexes[start + s];
                    if (user >= 0) {
                        scoreRow(user, from, to);
                        select(s, user, from, to, excludeRated);
                    }
                }
            }
            for (int s = 0; s < count; s++) {
                heaps.drain(s, outItems, outScores, (start + s) * k, k);
            }
        }
    }

    /** row[from, to) = the user's scores of items [from, to). */
    private void scoreRow(int user, int from, int to) {
        float[] scores = row;
        int u = user * factors;
        float a = userFactors[u];
        float[] column = itemColumns[0];
        for (int i = from; i < to; i++) {
            scores[i] = a * column[i];
        }
        for (int d = 1; d < factors; d++) {
            a = userFactors[u + d];
            column = itemColumns[d];
            for (int i = from; i < to; i++) {
                scores[i] += a * column[i];
            }
        }
    }

    /** Offers the user's scores of items [from, to) to its heap, skipping rated items if asked. */
    private void select(int slot, int user, int from, int to, boolean excludeRated) {
        float[] scores = row;
        int cursor = ratedCursor[slot];
        int end = excludeRated ? ratedIndptr[user + 1] : cursor;
        float threshold = heaps.threshold(slot);
        int i = from;
        while (i < to) {
            // Rated items ascend: they cut the tile into runs scanned without a per-item check.
            int stop = cursor < end && ratedItems[cursor] < to ? ratedItems[cursor] : to;
            for (; i < stop; i++) {
                if (scores[i] > threshold) {
                    heaps.offer(slot, i, scores[i]);
                    threshold = heaps.threshold(slot);
                }
            }
            if (stop < to) {
                i = Math.max(i, stop + 1);
                cursor++;
            }
        }
        ratedCursor[slot] = cursor;
    }
}
