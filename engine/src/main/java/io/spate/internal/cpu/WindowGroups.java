package io.spate.internal.cpu;

import java.util.Arrays;

/**
 * Numbers the (window start, batch group) pairs of one batch densely, in order of first
 * appearance, with an open-addressing hash table kept between batches. For each pair it remembers
 * the window start and a record of the group (where the key columns are read from).
 */
final class WindowGroups {

    private long[] starts = new long[64];
    private int[] groups = new int[64];
    private int[] rows = new int[64];
    private int[] slots = new int[128];
    private int size;

    /** Empties the table for a new batch. */
    void clear() {
        Arrays.fill(slots, 0);
        size = 0;
    }

    /** The id of pair ({@code start}, {@code group}), adding it (with {@code row}, a record of the group) if new. */
    int findOrAdd(long start, int group, int row) {
        int mask = slots.length - 1;
        int pos = home(start, group, mask);
        while (true) {
            int slot = slots[pos];
            if (slot == 0) {
                return add(pos, start, group, row);
            }
            int id = slot - 1;
            if (starts[id] == start && groups[id] == group) {
                return id;
            }
            pos = (pos + 1) & mask;
        }
    }

    private int add(int pos, long start, int group, int row) {
        int id = size++;
        if (id == starts.length) {
            starts = Arrays.copyOf(starts, 2 * id);
            groups = Arrays.copyOf(groups, 2 * id);
            rows = Arrays.copyOf(rows, 2 * id);
        }
        starts[id] = start;
        groups[id] = group;
        rows[id] = row;
        slots[pos] = id + 1;
        if (2 * size > slots.length) {
            slots = new int[2 * slots.length];
            int mask = slots.length - 1;
            for (int i = 0; i < size; i++) {
                int p = home(starts[i], groups[i], mask);
                while (slots[p] != 0) {
                    p = (p + 1) & mask;
                }
                slots[p] = i + 1;
            }
        }
        return id;
    }

    private static int home(long start, int group, int mask) {
        long h = (start * 0x9E3779B97F4A7C15L) ^ (group * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Number of pairs. */
    int size() {
        return size;
    }

    /** The window start of each pair. */
    long[] starts() {
        return starts;
    }

    /** A record of each pair's group. */
    int[] rows() {
        return rows;
    }
}
