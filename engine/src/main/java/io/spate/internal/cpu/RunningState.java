package io.spate.internal.cpu;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.codec.ByteArena;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;

/**
 * The running aggregates of one query across batches: a hash table from serialized group keys
 * (kept in an arena of their own, so they outlive the batch) to accumulators. Each batch's
 * per-group results are merged in, and the groups the batch touched are read back with their
 * running values. {@code count} and {@code sum} add, {@code min}/{@code max} keep the extreme,
 * {@code mean} keeps a double sum and a count (so a running mean is exact to double precision).
 *
 * <p>A long {@code sum} never leaves the long range here: the aggregate kernels check each record
 * against the running sum it continues ({@link #find}, {@link #sum}) and leave out the ones that
 * would overflow it, so the batch's part, added in two's complement, lands on the exact total.
 */
public final class RunningState {

    private final AggFn[] fns;
    private final String[] aliases;
    private final ColumnType[] outputTypes;
    private ByteArena keys = new ByteArena();
    private int[] keyStart = new int[256];
    private int[] keyLength = new int[256];
    private int[] keyHash = new int[256];
    private long[] counts = new long[256];
    private final long[][] longAcc;
    private final double[][] doubleAcc;
    /** Per long sum, at least the largest magnitude any group's sum has had (0 for other aggregates). */
    private final long[] sumBound;
    /** Open addressing: 0 for empty, else a group's key hash in the high 32 bits and its id + 1 in the low 32. */
    private long[] slots = new long[512];
    private int groups;

    /** State for {@code aggregates}; {@code outputTypes} are the types their per-batch columns have. */
    public RunningState(List<Aggregate> aggregates, ColumnType[] outputTypes) {
        int n = aggregates.size();
        fns = new AggFn[n];
        aliases = new String[n];
        this.outputTypes = outputTypes.clone();
        longAcc = new long[n][];
        doubleAcc = new double[n][];
        sumBound = new long[n];
        for (int a = 0; a < n; a++) {
            fns[a] = aggregates.get(a).fn();
            aliases[a] = aggregates.get(a).alias();
            if (fns[a] == AggFn.MEAN || outputTypes[a] == ColumnType.DOUBLE) {
                doubleAcc[a] = new double[256];
            } else {
                longAcc[a] = new long[256];
            }
        }
    }

    /** Number of groups ever seen. */
    public int size() {
        return groups;
    }

    /** The state group of the key {@code keyBytes[from, from+length)}; adds an empty one if new. */
    public int findOrAdd(byte[] keyBytes, int from, int length) {
        return lookUp(keyBytes, from, length, true);
    }

    /** The state group of the key {@code keyBytes[from, from+length)}, or -1 if there is none. */
    public int find(byte[] keyBytes, int from, int length) {
        return lookUp(keyBytes, from, length, false);
    }

    private int lookUp(byte[] keyBytes, int from, int length, boolean add) {
        int hash = ByteHash.finish(ByteHash.bytes(keyBytes, from, length));
        int mask = slots.length - 1;
        int pos = hash & mask;
        while (true) {
            long slot = slots[pos];
            if (slot == 0) {
                return add ? add(pos, hash, keyBytes, from, length) : -1;
            }
            // The slot holds the group's hash beside its id: other keys are told apart without reading the group.
            int g = (int) slot - 1;
            if ((int) (slot >>> 32) == hash && keyLength[g] == length
                    && Arrays.equals(keys.bytes(), keyStart[g], keyStart[g] + length, keyBytes, from, from + length)) {
                return g;
            }
            pos = (pos + 1) & mask;
        }
    }

    private int add(int pos, int hash, byte[] keyBytes, int from, int length) {
        int g = groups++;
        if (g == keyStart.length) {
            int n = 2 * g;
            keyStart = Arrays.copyOf(keyStart, n);
            keyLength = Arrays.copyOf(keyLength, n);
            keyHash = Arrays.copyOf(keyHash, n);
            counts = Arrays.copyOf(counts, n);
            for (int a = 0; a < fns.length; a++) {
                if (longAcc[a] != null) {
                    longAcc[a] = Arrays.copyOf(longAcc[a], n);
                } else {
                    doubleAcc[a] = Arrays.copyOf(doubleAcc[a], n);
                }
            }
        }
        keyStart[g] = keys.append(keyBytes, from, from + length);
        keyLength[g] = length;
        keyHash[g] = hash;
        counts[g] = 0;
        for (int a = 0; a < fns.length; a++) {
            initial(a, g);
        }
        slots[pos] = slot(hash, g);
        if (2 * groups > slots.length) {
            rehash();
        }
        return g;
    }

    private void initial(int a, int g) {
        if (longAcc[a] != null) {
            longAcc[a][g] = fns[a] == AggFn.MIN ? Long.MAX_VALUE : fns[a] == AggFn.MAX ? Long.MIN_VALUE : 0;
        } else {
            doubleAcc[a][g] = fns[a] == AggFn.MIN ? Double.POSITIVE_INFINITY : fns[a] == AggFn.MAX ? Double.NEGATIVE_INFINITY : 0;
        }
    }

    private void rehash() {
        slots = new long[slots.length * 2];
        fillSlots();
    }

    /** Points the (empty) slot table at every group. */
    private void fillSlots() {
        int mask = slots.length - 1;
        for (int g = 0; g < groups; g++) {
            int pos = keyHash[g] & mask;
            while (slots[pos] != 0) {
                pos = (pos + 1) & mask;
            }
            slots[pos] = slot(keyHash[g], g);
        }
    }

    private static long slot(int hash, int g) {
        return (long) hash << 32 | (g + 1);
    }

    /**
     * Merges batch group {@code b} into state group {@code g}: {@code batchCount} records, and the
     * batch's aggregate values in {@code values} (one column per aggregate, indexed by batch group).
     */
    public void merge(int g, int b, long batchCount, Column[] values) {
        long before = counts[g];
        counts[g] = before + batchCount;
        for (int a = 0; a < fns.length; a++) {
            if (longAcc[a] != null) {
                long v = ((LongColumn) values[a]).get(b);
                long[] acc = longAcc[a];
                switch (fns[a]) {
                    case MIN: acc[g] = Math.min(acc[g], v); break;
                    case MAX: acc[g] = Math.max(acc[g], v); break;
                    default:
                        acc[g] += v;
                        // Unsigned, so that |Long.MIN_VALUE| (Math.abs leaves it negative) counts as the 2^63 it is.
                        long magnitude = Math.abs(acc[g]);
                        if (Long.compareUnsigned(magnitude, sumBound[a]) > 0) {
                            sumBound[a] = magnitude;
                        }
                        break;
                }
            } else {
                double v = ((DoubleColumn) values[a]).get(b);
                double[] acc = doubleAcc[a];
                switch (fns[a]) {
                    case MIN: acc[g] = Math.min(acc[g], v); break;
                    case MAX: acc[g] = Math.max(acc[g], v); break;
                    // The state keeps the sum; the batch gave its mean.
                    case MEAN: acc[g] += v * batchCount; break;
                    default: acc[g] += v; break;
                }
            }
        }
    }

    /**
     * The running value of long aggregate {@code a} (a {@code sum} of a long column) in group
     * {@code g}: what a batch's sum of that group continues from.
     */
    public long sum(int g, int a) {
        return longAcc[a][g];
    }

    /**
     * At least the magnitude of long sum {@code a} in every group, unsigned ({@link Long#MIN_VALUE}
     * stands for 2^63), kept as the groups merge; lets a caller skip looking up each group's {@link #sum}
     * when even this much room is enough.
     */
    public long sumBound(int a) {
        return sumBound[a];
    }

    /** The long written at byte {@code at} of group {@code g}'s key (see {@link ByteArena#appendLong}). */
    public long keyLong(int g, int at) {
        return keys.longAt(keyStart[g] + at);
    }

    /**
     * Drops the groups {@code keep} rejects (windows that can no longer change) and renumbers the
     * others; group ids handed out before are invalid afterwards. Returns the number dropped. The
     * kept keys move down within the same arena and the slot table is refilled in place, so a
     * windowed query that evicts after every batch allocates nothing here.
     */
    public int retain(IntPredicate keep) {
        byte[] bytes = keys.bytes();
        int n = 0;
        int at = 0;
        for (int g = 0; g < groups; g++) {
            if (!keep.test(g)) {
                continue;
            }
            int length = keyLength[g];
            if (keyStart[g] != at) {
                System.arraycopy(bytes, keyStart[g], bytes, at, length);
            }
            if (n != g) {
                keyLength[n] = length;
                keyHash[n] = keyHash[g];
                counts[n] = counts[g];
                for (int a = 0; a < fns.length; a++) {
                    if (longAcc[a] != null) {
                        longAcc[a][n] = longAcc[a][g];
                    } else {
                        doubleAcc[a][n] = doubleAcc[a][g];
                    }
                }
            }
            keyStart[n] = at;
            at += length;
            n++;
        }
        int dropped = groups - n;
        if (dropped > 0) {
            keys.truncate(at);
            groups = n;
            Arrays.fill(slots, 0);
            fillSlots();
        }
        return dropped;
    }

    /**
     * Seeds the state with {@code saved}: rows of key columns then one column per aggregate, as a
     * running query writes them (the last value of each group, read back from its output topic).
     * A running mean needs the output's count beside it, to weigh it.
     */
    public void restore(Frame saved) {
        int keys = saved.keyCount();
        Column[] values = saved.columns().subList(keys, saved.columns().size()).toArray(new Column[0]);
        LongColumn counts = null;
        for (int a = 0; a < fns.length; a++) {
            if (fns[a] == AggFn.COUNT) {
                counts = (LongColumn) values[a];
            }
        }
        if (counts == null && Arrays.asList(fns).contains(AggFn.MEAN)) {
            throw new UnsupportedOperationException("a running mean restores only next to a count in the same output");
        }
        ByteArena key = new ByteArena();
        for (int row = 0; row < saved.rows(); row++) {
            int g = findOrAdd(key.bytes(), 0, writeKey(saved, row, key));
            merge(g, row, counts == null ? 0 : counts.get(row), values);
        }
    }

    /**
     * Writes into {@code out} (cleared first) the state key of row {@code row} of a result frame,
     * its key columns serialized as a batch's group keys are (numbers as 8 bytes, strings with a
     * length prefix), so that it finds the group the row came from; returns its length.
     */
    public static int writeKey(Frame f, int row, ByteArena out) {
        out.clear();
        for (int k = 0; k < f.keyCount(); k++) {
            Column c = f.columns().get(k);
            if (c instanceof LongColumn l) {
                out.appendLong(l.get(row));
            } else if (c instanceof DoubleColumn d) {
                out.appendLong(Double.doubleToLongBits(d.get(row)));
            } else {
                Utf8Column u = (Utf8Column) c;
                out.appendLong(u.length(row));
                out.append(u.bytes(), u.start(row), u.start(row) + u.length(row));
            }
        }
        return out.size();
    }

    /** The running values of state groups {@code groupIds[0, n)}, one column per aggregate. */
    public Column[] values(int[] groupIds, int n) {
        Column[] out = new Column[fns.length];
        for (int a = 0; a < fns.length; a++) {
            if (longAcc[a] != null) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = longAcc[a][groupIds[i]];
                }
                out[a] = new LongColumn(aliases[a], v, n);
            } else {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    int g = groupIds[i];
                    v[i] = fns[a] == AggFn.MEAN ? doubleAcc[a][g] / counts[g] : doubleAcc[a][g];
                }
                out[a] = new DoubleColumn(aliases[a], v, n);
            }
        }
        return out;
    }
}
