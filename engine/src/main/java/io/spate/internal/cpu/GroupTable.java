package io.spate.internal.cpu;

import java.util.Arrays;

/**
 * An open-addressing (linear probing) hash table from composite keys to dense group ids, which
 * are numbered in order of first appearance. It stores no keys: each group remembers the first
 * record that had its key, and a probe compares the new record's key with that record's through
 * {@link Keys#same}, so no key object is ever made. The table keeps at most half its slots
 * full, doubles when needed, and is reused across batches.
 */
final class GroupTable {

    /** Rows' keys as the table sees them: compared by row, never made into objects. */
    interface Keys {
        /** Whether rows {@code a} and {@code b} have equal keys. */
        boolean same(int a, int b);
    }

    private static final int INITIAL_CAPACITY = 1024;

    /** Applied to every hash; all ones normally, fewer bits in tests to force collisions. */
    private final int hashMask;
    /** Group id + 1 per slot, 0 when empty; only the first {@code capacity} entries are in use. */
    private int[] slots = new int[INITIAL_CAPACITY];
    private int capacity;
    private int[] groupHash = new int[INITIAL_CAPACITY / 2];
    private int[] groupRow = new int[INITIAL_CAPACITY / 2];
    private int groups;

    /** A table that keeps only the {@code hashMask} bits of each hash (-1 for all). */
    GroupTable(int hashMask) {
        this.hashMask = hashMask;
    }

    /** Empties the table for a new batch. */
    void clear() {
        capacity = INITIAL_CAPACITY;
        Arrays.fill(slots, 0, capacity, 0);
        groups = 0;
    }

    /** Number of groups. */
    int size() {
        return groups;
    }

    /** The first records of the groups, by group id; valid up to {@link #size()}. */
    int[] firstRows() {
        return groupRow;
    }

    /** The group of the key of record {@code row}, whose key hash is {@code hash}; adds one if new. */
    int findOrAdd(int hash, int row, Keys keys) {
        hash &= hashMask;
        int mask = capacity - 1;
        int pos = hash & mask;
        while (true) {
            int slot = slots[pos];
            if (slot == 0) {
                return add(pos, hash, row);
            }
            int g = slot - 1;
            if (groupHash[g] == hash && keys.same(groupRow[g], row)) {
                return g;
            }
            pos = (pos + 1) & mask;
        }
    }

    private int add(int pos, int hash, int row) {
        int g = groups++;
        if (g == groupHash.length) {
            groupHash = Arrays.copyOf(groupHash, 2 * g);
            groupRow = Arrays.copyOf(groupRow, 2 * g);
        }
        groupHash[g] = hash;
        groupRow[g] = row;
        slots[pos] = g + 1;
        if (2 * groups > capacity) {
            grow();
        }
        return g;
    }

    /** Doubles the slots and reinserts every group from its stored hash; keys need not be compared. */
    private void grow() {
        capacity *= 2;
        if (slots.length < capacity) {
            slots = new int[capacity];
        } else {
            Arrays.fill(slots, 0, capacity, 0);
        }
        int mask = capacity - 1;
        for (int g = 0; g < groups; g++) {
            int pos = groupHash[g] & mask;
            while (slots[pos] != 0) {
                pos = (pos + 1) & mask;
            }
            slots[pos] = g + 1;
        }
    }
}
