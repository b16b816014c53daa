package io.spate.internal.train;

/**
 * A sparse matrix in compressed-row form (CSR): row {@code r}'s entries are
 * {@code columns[indptr[r] .. indptr[r + 1])} with their {@code values}. ALS walks the ratings
 * by user and by item, so it keeps one of these per side.
 *
 * @param indptr rows + 1 offsets
 * @param columns the column of each entry
 * @param values the value of each entry
 */
record SparseRows(int[] indptr, int[] columns, float[] values) {

    /** The ratings by user ({@code byUser}) or by item, in the ratings' order within a row. */
    static SparseRows of(Ratings ratings, boolean byUser) {
        int rows = byUser ? ratings.userCount() : ratings.itemCount();
        int[] indptr = new int[rows + 1];
        for (int r = 0; r < ratings.size(); r++) {
            indptr[(byUser ? ratings.user(r) : ratings.item(r)) + 1]++;
        }
        for (int row = 0; row < rows; row++) {
            indptr[row + 1] += indptr[row];
        }
        int[] next = indptr.clone();
        int[] columns = new int[ratings.size()];
        float[] values = new float[ratings.size()];
        for (int r = 0; r < ratings.size(); r++) {
            int row = byUser ? ratings.user(r) : ratings.item(r);
            int at = next[row]++;
            columns[at] = byUser ? ratings.item(r) : ratings.user(r);
            values[at] = ratings.value(r);
        }
        return new SparseRows(indptr, columns, values);
    }

    /** The number of rows. */
    int rows() {
        return indptr.length - 1;
    }

    /** The number of entries in {@code row}. */
    int count(int row) {
        return indptr[row + 1] - indptr[row];
    }
}
