package io.spate.internal.model;

import java.util.Arrays;

/**
 * Maps external ids to dense indexes without allocating per lookup (a {@code HashMap<Long, ...>}
 * would box every id on the hot path): binary search over the sorted ids.
 */
final class IdIndex {

    private final long[] sortedIds;
    private final int[] indexes;

    /** An index of {@code ids}, which must be distinct; {@code ids[i]} maps to {@code i}. */
    IdIndex(long[] ids) {
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        sortedIds = new long[ids.length];
        indexes = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            sortedIds[i] = ids[order[i]];
            indexes[i] = order[i];
        }
    }

    /** The dense index of {@code id}, -1 if absent. */
    int indexOf(long id) {
        int at = Arrays.binarySearch(sortedIds, id);
        return at < 0 ? -1 : indexes[at];
    }
}
