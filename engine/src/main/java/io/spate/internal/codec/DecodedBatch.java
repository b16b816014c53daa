package io.spate.internal.codec;

import java.util.Arrays;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.Field;

/**
 * The decoded form of one batch: one column per referenced field, indexed by record number, plus
 * which records were accepted and which were rejected (and why). Records that are neither (a
 * skipped header line) take part in nothing.
 *
 * <p>String values are slices: {@link #starts(int)} and {@link #lengths(int)}. A non-negative
 * start indexes {@link #data()}, the batch bytes themselves; a negative start {@code s} indexes the
 * {@linkplain #arena() arena} at {@code ~s}. Use {@link #source(int)} and {@link #offset(int)} to
 * resolve one.
 *
 * <p>One instance is reused for every batch of a plan, so its arrays grow to the largest batch and
 * then stop allocating. Values of rejected or skipped records are left undefined. Not thread-safe.
 */
public final class DecodedBatch {

    private final Field[] fields;
    private final long[][] longs;
    private final double[][] doubles;
    private final int[][] starts;
    private final int[][] lengths;
    private final ByteArena arena = new ByteArena();
    private byte[] data;
    private int rows;
    private int[] accepted = new int[0];
    private int acceptedCount;
    private int[] rejected = new int[16];
    private String[] reasons = new String[16];
    private int rejectedCount;

    /** Columns for {@code fields}, in that order (normally {@link io.spate.plan.Plan#referencedFields()}). */
    public DecodedBatch(List<Field> fields) {
        this.fields = fields.toArray(new Field[0]);
        int n = this.fields.length;
        longs = new long[n][];
        doubles = new double[n][];
        starts = new int[n][];
        lengths = new int[n][];
        allocate(0, false);
    }

    /** Prepares for decoding {@code batch}: room for its records, nothing accepted or rejected yet. */
    public void reset(RecordBatch batch) {
        reset(batch.data(), batch.count());
    }

    /** Prepares for {@code rows} rows whose string slices point into {@code data} (or the arena). */
    public void reset(byte[] data, int rows) {
        this.data = data;
        this.rows = rows;
        ensureRoom(rows, false);
        arena.clear();
        acceptedCount = 0;
        rejectedCount = 0;
    }

    /**
     * Sets the row count to {@code rows}, keeping the values and accepted records set so far and
     * growing the arrays if needed: for kernels that learn their row count as they go (the words of
     * a text), starting from {@link #reset(byte[], int)} with an estimate.
     */
    public void resize(int rows) {
        ensureRoom(rows, true);
        this.rows = rows;
    }

    /**
     * Marks rows {@code [acceptedCount(), rows)} as decoded, each in turn: for kernels that accept
     * every row they make (so far, row {@code i} is the {@code i}-th accepted one).
     */
    public void acceptUpTo(int rows) {
        for (int row = acceptedCount; row < rows; row++) {
            accepted[row] = row;
        }
        acceptedCount = rows;
    }

    /** Drops the reference to the last batch's bytes so they can be collected; the arrays are kept. */
    public void release() {
        data = null;
    }

    /** Makes the arrays hold at least {@code rows} rows (at least doubling them), keeping their values if {@code keep}. */
    private void ensureRoom(int rows, boolean keep) {
        if (accepted.length < rows) {
            allocate((int) Math.max(rows, Math.min(Integer.MAX_VALUE - 8, 2L * accepted.length)), keep);
        }
    }

    private void allocate(int capacity, boolean keep) {
        accepted = keep ? Arrays.copyOf(accepted, capacity) : new int[capacity];
        for (int c = 0; c < fields.length; c++) {
            switch (fields[c].type()) {
                case LONG: longs[c] = keep ? Arrays.copyOf(longs[c], capacity) : new long[capacity]; break;
                case DOUBLE: doubles[c] = keep ? Arrays.copyOf(doubles[c], capacity) : new double[capacity]; break;
                default:
                    starts[c] = keep ? Arrays.copyOf(starts[c], capacity) : new int[capacity];
                    lengths[c] = keep ? Arrays.copyOf(lengths[c], capacity) : new int[capacity];
                    break;
            }
        }
    }

    /** Number of columns. */
    public int columnCount() {
        return fields.length;
    }

    /** The field column {@code col} holds. */
    public Field field(int col) {
        return fields[col];
    }

    /** The index of the column named {@code name}, or -1. */
    public int columnIndex(String name) {
        for (int c = 0; c < fields.length; c++) {
            if (fields[c].name().equals(name)) {
                return c;
            }
        }
        return -1;
    }

    /** The type of column {@code col}. */
    public ColumnType type(int col) {
        return fields[col].type();
    }

    /** Number of records in the batch. */
    public int rows() {
        return rows;
    }

    /** Values of a {@code LONG} column, by record. */
    public long[] longs(int col) {
        return longs[col];
    }

    /** Values of a {@code DOUBLE} column, by record. */
    public double[] doubles(int col) {
        return doubles[col];
    }

    /** Slice starts of a {@code UTF8} column, by record (see the class comment for negative starts). */
    public int[] starts(int col) {
        return starts[col];
    }

    /** Slice lengths of a {@code UTF8} column, by record. */
    public int[] lengths(int col) {
        return lengths[col];
    }

    /** The batch bytes that non-negative slice starts index. */
    public byte[] data() {
        return data;
    }

    /** The side arena for rewritten strings (negative slice starts). */
    public ByteArena arena() {
        return arena;
    }

    /** The array a slice with this start lies in: the batch bytes or the arena. */
    public byte[] source(int start) {
        return start >= 0 ? data : arena.bytes();
    }

    /** The offset in {@link #source(int)} of a slice with this start. */
    public static int offset(int start) {
        return start >= 0 ? start : ~start;
    }

    /** Sets a string value to {@code data()[start, start+length)}. */
    public void setSlice(int col, int row, int start, int length) {
        starts[col][row] = start;
        lengths[col][row] = length;
    }

    /** Sets a string value to {@code arena()[arenaStart, arenaStart+length)}. */
    public void setArenaSlice(int col, int row, int arenaStart, int length) {
        starts[col][row] = ~arenaStart;
        lengths[col][row] = length;
    }

    /** Marks record {@code row} as decoded; rows must be accepted in ascending order. */
    public void accept(int row) {
        accepted[acceptedCount++] = row;
    }

    /** Marks record {@code row} as malformed; rows must be rejected in ascending order. */
    public void reject(int row, String reason) {
        if (rejectedCount == rejected.length) {
            rejected = Arrays.copyOf(rejected, 2 * rejectedCount);
            reasons = Arrays.copyOf(reasons, 2 * rejectedCount);
        }
        rejected[rejectedCount] = row;
        reasons[rejectedCount] = reason;
        rejectedCount++;
    }

    /**
     * Moves accepted records {@code rows[0, n)} (ascending, each accepted) to the rejected ones,
     * with {@code reasons}: records decoding accepted that a later step refuses (a value that would
     * take a sum out of the long range). Allocates; meant for the rare batch that needs it.
     */
    public void rejectAccepted(int[] rows, String[] reasons, int n) {
        int kept = 0;
        int j = 0;
        for (int i = 0; i < acceptedCount; i++) {
            int row = accepted[i];
            while (j < n && rows[j] < row) {
                j++;
            }
            if (j < n && rows[j] == row) {
                continue;
            }
            accepted[kept++] = row;
        }
        if (acceptedCount - kept != n) {
            throw new IllegalArgumentException((acceptedCount - kept) + " of the " + n + " records to reject were accepted");
        }
        acceptedCount = kept;
        int total = rejectedCount + n;
        int[] mergedRows = new int[Math.max(16, total)];
        String[] mergedReasons = new String[mergedRows.length];
        int a = 0;
        int b = 0;
        for (int k = 0; k < total; k++) {
            if (b == n || (a < rejectedCount && rejected[a] < rows[b])) {
                mergedRows[k] = rejected[a];
                mergedReasons[k] = this.reasons[a];
                a++;
            } else {
                mergedRows[k] = rows[b];
                mergedReasons[k] = reasons[b];
                b++;
            }
        }
        rejected = mergedRows;
        this.reasons = mergedReasons;
        rejectedCount = total;
    }

    /** The accepted records, ascending; valid up to {@link #acceptedCount()}. Do not modify. */
    public int[] accepted() {
        return accepted;
    }

    /** Number of accepted records. */
    public int acceptedCount() {
        return acceptedCount;
    }

    /** Number of rejected records. */
    public int rejectedCount() {
        return rejectedCount;
    }

    /** A copy of the rejected record indexes, ascending. */
    public int[] rejectedRows() {
        return Arrays.copyOf(rejected, rejectedCount);
    }

    /** A copy of the reasons, parallel to {@link #rejectedRows()}. */
    public String[] rejectedReasons() {
        return Arrays.copyOf(reasons, rejectedCount);
    }

    /** The reason record {@code row} was rejected, or null if it was not; for tests and diagnostics. */
    public String reasonFor(int row) {
        int i = Arrays.binarySearch(rejected, 0, rejectedCount, row);
        return i >= 0 ? reasons[i] : null;
    }

    /** Column {@code col} of record {@code row} as a byte array; for tests and diagnostics, not the hot path. */
    public byte[] bytes(int col, int row) {
        int s = starts[col][row];
        int off = offset(s);
        return Arrays.copyOfRange(source(s), off, off + lengths[col][row]);
    }
}
