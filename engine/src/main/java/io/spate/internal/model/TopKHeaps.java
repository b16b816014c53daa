package io.spate.internal.model;

/**
 * One bounded min-heap per slot, all in flat arrays, keeping the {@code capacity} best (score,
 * item) pairs offered to each slot. Better means a higher score, or on equal scores a lower item
 * index, so results are deterministic. The root of a heap is its worst entry, so most offers are
 * rejected with a single comparison.
 */
final class TopKHeaps {

    private final int capacity;
    private final float[] scores;
    private final int[] items;
    private final int[] sizes;

    /** {@code slots} heaps of {@code capacity} entries each. */
    TopKHeaps(int slots, int capacity) {
        this.capacity = capacity;
        this.scores = new float[slots * capacity];
        this.items = new int[slots * capacity];
        this.sizes = new int[slots];
    }

    /** The score an offer to {@code slot} must beat, or -infinity while the heap has room. */
    float threshold(int slot) {
        return sizes[slot] < capacity ? Float.NEGATIVE_INFINITY : scores[slot * capacity];
    }

    /**
     * Offers an item; callers offer items in increasing index order, so an equal score never
     * displaces an entry already kept (whose index is lower).
     */
    void offer(int slot, int item, float score) {
        int base = slot * capacity;
        int size = sizes[slot];
        if (size < capacity) {
            siftUp(base, size, item, score);
            sizes[slot] = size + 1;
        } else if (score > scores[base]) {
            siftDown(base, size, item, score);
        }
    }

    /**
     * Writes the kept entries of {@code slot}, best first, to {@code outItems}/{@code outScores}
     * from {@code offset}, padding to {@code k} entries with item -1 and score NaN. Leaves the heap empty.
     */
    void drain(int slot, int[] outItems, float[] outScores, int offset, int k) {
        int base = slot * capacity;
        int size = sizes[slot];
        for (int j = size; j < k; j++) {
            outItems[offset + j] = -1;
            outScores[offset + j] = Float.NaN;
        }
        // Popping the worst entry each time fills the output from the back.
        for (int n = size; n > 0; n--) {
            outItems[offset + n - 1] = items[base];
            outScores[offset + n - 1] = scores[base];
            if (n > 1) {
                siftDown(base, n - 1, items[base + n - 1], scores[base + n - 1]);
            }
        }
        sizes[slot] = 0;
    }

    private static boolean worse(float scoreA, int itemA, float scoreB, int itemB) {
        return scoreA < scoreB || (scoreA == scoreB && itemA > itemB);
    }

    private void siftUp(int base, int at, int item, float score) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!worse(score, item, scores[base + parent], items[base + parent])) {
                break;
            }
            scores[base + at] = scores[base + parent];
            items[base + at] = items[base + parent];
            at = parent;
        }
        scores[base + at] = score;
        items[base + at] = item;
    }

    /** Puts (item, score) at the root of a heap of {@code size} entries and restores the order. */
    private void siftDown(int base, int size, int item, float score) {
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && worse(scores[base + child + 1], items[base + child + 1], scores[base + child], items[base + child])) {
                child++;
            }
            if (!worse(scores[base + child], items[base + child], score, item)) {
                break;
            }
            scores[base + at] = scores[base + child];
            items[base + at] = items[base + child];
            at = child;
        }
        scores[base + at] = score;
        items[base + at] = item;
    }
}
