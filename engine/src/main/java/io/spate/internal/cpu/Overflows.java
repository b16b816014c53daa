package io.spate.internal.cpu;

import java.util.Arrays;

/**
 * The records of one pass over a batch whose value would take a long {@code sum} out of the long
 * range, with the reason of each, as the aggregate kernels find them (in any order, a record more
 * than once when it overflows several sums or windows). Reused from batch to batch; the reasons
 * are constant strings of the kernels, so finding one allocates nothing.
 */
final class Overflows {

    private int[] rows = new int[8];
    private String[] reasons = new String[8];
    private int count;

    /** Forgets the records of the last pass. */
    void clear() {
        count = 0;
    }

    /** Whether no record overflowed in this pass. */
    boolean isEmpty() {
        return count == 0;
    }

    /** Notes that the value of record {@code row} would overflow, and why. */
    void add(int row, String reason) {
        if (count == rows.length) {
            rows = Arrays.copyOf(rows, 2 * count);
            reasons = Arrays.copyOf(reasons, 2 * count);
        }
        rows[count] = row;
        reasons[count] = reason;
        count++;
    }

    /**
     * Sorts the records ascending and keeps each once, with the first reason noted for it;
     * returns how many there are ({@link #rows()} and {@link #reasons()} hold them).
     */
    int distinct() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        // Stable, so a record keeps the reason noted first.
        Arrays.sort(order, (a, b) -> Integer.compare(rows[a], rows[b]));
        int[] sortedRows = new int[count];
        String[] sortedReasons = new String[count];
        int n = 0;
        for (Integer i : order) {
            if (n == 0 || sortedRows[n - 1] != rows[i]) {
                sortedRows[n] = rows[i];
                sortedReasons[n] = reasons[i];
                n++;
            }
        }
        rows = Arrays.copyOf(sortedRows, Math.max(8, count));
        reasons = Arrays.copyOf(sortedReasons, Math.max(8, count));
        count = n;
        return n;
    }

    /** The records, ascending and distinct after {@link #distinct()}. */
    int[] rows() {
        return rows;
    }

    /** The reason of each record of {@link #rows()}. */
    String[] reasons() {
        return reasons;
    }
}
