package io.spate.internal.cpu;

import java.util.Arrays;
import java.util.List;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.codec.ByteArena;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.GroupKey;

/**
 * The group-key columns of one query, seen as one composite key per record: its hash and its
 * equality with another record's key, both computed from the decoded arrays, and the output key
 * columns built from one representative record per group.
 */
final class GroupKeys implements GroupTable.Keys {

    private final int[] cols;
    private final ColumnType[] types;
    private final String[] aliases;
    private final long[][] longs;
    private final double[][] doubles;
    private final int[][] starts;
    private final int[][] lengths;
    private byte[] data;
    private byte[] arena;
    /** Whether the key is one string column, the common case, which hashes and compares without the loop over columns. */
    private final boolean oneString;
    /** The one string column's starts and lengths while bound (when {@link #oneString}). */
    private int[] starts0;
    private int[] lengths0;

    /** Keys {@code keys} over the columns of {@code layout} (a batch made for the plan's fields). */
    GroupKeys(List<GroupKey> keys, DecodedBatch layout) {
        int n = keys.size();
        cols = new int[n];
        types = new ColumnType[n];
        aliases = new String[n];
        for (int k = 0; k < n; k++) {
            cols[k] = layout.columnIndex(keys.get(k).column());
            types[k] = layout.type(cols[k]);
            aliases[k] = keys.get(k).alias();
        }
        longs = new long[n][];
        doubles = new double[n][];
        starts = new int[n][];
        lengths = new int[n][];
        oneString = n == 1 && types[0] != ColumnType.LONG && types[0] != ColumnType.DOUBLE;
    }

    /** Number of key columns. */
    int size() {
        return cols.length;
    }

    /** Points at the arrays of a decoded batch; call after decoding, as the arena may have moved. */
    void bind(DecodedBatch batch) {
        for (int k = 0; k < cols.length; k++) {
            switch (types[k]) {
                case LONG: longs[k] = batch.longs(cols[k]); break;
                case DOUBLE: doubles[k] = batch.doubles(cols[k]); break;
                default:
                    starts[k] = batch.starts(cols[k]);
                    lengths[k] = batch.lengths(cols[k]);
                    break;
            }
        }
        data = batch.data();
        arena = batch.arena().bytes();
        if (oneString) {
            starts0 = starts[0];
            lengths0 = lengths[0];
        }
    }

    /** Drops the references to the last batch. */
    void unbind() {
        Arrays.fill(longs, null);
        Arrays.fill(doubles, null);
        Arrays.fill(starts, null);
        Arrays.fill(lengths, null);
        data = null;
        arena = null;
        starts0 = null;
        lengths0 = null;
    }

    /** The hash of the key of record {@code row}. */
    int hash(int row) {
        if (oneString) {
            int s = starts0[row];
            long h = ByteHash.bytes(s >= 0 ? data : arena, s >= 0 ? s : ~s, lengths0[row]);
            return (int) (h ^ h >>> 32);
        }
        long h = 0;
        for (int k = 0; k < cols.length; k++) {
            long kh;
            switch (types[k]) {
                case LONG: kh = ByteHash.ofLong(longs[k][row]); break;
                case DOUBLE: kh = ByteHash.ofLong(Double.doubleToLongBits(doubles[k][row])); break;
                default:
                    int s = starts[k][row];
                    kh = ByteHash.bytes(s >= 0 ? data : arena, s >= 0 ? s : ~s, lengths[k][row]);
                    break;
            }
            h = ByteHash.combine(h, kh);
        }
        return ByteHash.finish(h);
    }

    /** Whether records {@code a} and {@code b} have equal keys. */
    @Override
    public boolean same(int a, int b) {
        if (oneString) {
            int la = lengths0[a];
            if (la != lengths0[b]) {
                return false;
            }
            int sa = starts0[a];
            int sb = starts0[b];
            return ByteHash.equal(sa >= 0 ? data : arena, sa >= 0 ? sa : ~sa, sb >= 0 ? data : arena, sb >= 0 ? sb : ~sb, la);
        }
        for (int k = 0; k < cols.length; k++) {
            switch (types[k]) {
                case LONG:
                    if (longs[k][a] != longs[k][b]) {
                        return false;
                    }
                    break;
                case DOUBLE:
                    if (Double.doubleToLongBits(doubles[k][a]) != Double.doubleToLongBits(doubles[k][b])) {
                        return false;
                    }
                    break;
                default:
                    int la = lengths[k][a];
                    if (la != lengths[k][b]) {
                        return false;
                    }
                    int sa = starts[k][a];
                    int sb = starts[k][b];
                    if (!ByteHash.equal(sa >= 0 ? data : arena, sa >= 0 ? sa : ~sa, sb >= 0 ? data : arena, sb >= 0 ? sb : ~sb, la)) {
                        return false;
                    }
                    break;
            }
        }
        return true;
    }

    /**
     * Appends the key of record {@code row} to {@code out} as self-delimiting bytes (strings with a
     * length prefix, numbers as 8 bytes), so keys can outlive the batch in running state.
     */
    void writeKey(int row, ByteArena out) {
        for (int k = 0; k < cols.length; k++) {
            switch (types[k]) {
                case LONG: out.appendLong(longs[k][row]); break;
                case DOUBLE: out.appendLong(Double.doubleToLongBits(doubles[k][row])); break;
                default:
                    int s = starts[k][row];
                    int len = lengths[k][row];
                    out.appendLong(len);
                    int from = s >= 0 ? s : ~s;
                    out.append(s >= 0 ? data : arena, from, from + len);
                    break;
            }
        }
    }

    /** Output column {@code k}: the key of record {@code rows[i]} for each {@code i < count}. */
    Column column(int k, int[] rows, int count) {
        switch (types[k]) {
            case LONG: {
                long[] src = longs[k];
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    values[i] = src[rows[i]];
                }
                return new LongColumn(aliases[k], values, count);
            }
            case DOUBLE: {
                double[] src = doubles[k];
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = src[rows[i]];
                }
                return new DoubleColumn(aliases[k], values, count);
            }
            default:
                return utf8Column(k, rows, count);
        }
    }

    /** Copies the key bytes into one compact array, so the frame holds no reference to the batch. */
    private Utf8Column utf8Column(int k, int[] rows, int count) {
        int[] st = starts[k];
        int[] len = lengths[k];
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += len[rows[i]];
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("group keys of column '" + aliases[k] + "' exceed 2 GiB");
        }
        byte[] bytes = new byte[(int) total];
        int[] offsets = new int[count + 1];
        int p = 0;
        for (int i = 0; i < count; i++) {
            int s = st[rows[i]];
            int l = len[rows[i]];
            System.arraycopy(s >= 0 ? data : arena, s >= 0 ? s : ~s, bytes, p, l);
            p += l;
            offsets[i + 1] = p;
        }
        return new Utf8Column(aliases[k], bytes, offsets, count);
    }
}
