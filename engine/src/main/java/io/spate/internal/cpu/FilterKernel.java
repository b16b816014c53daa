package io.spate.internal.cpu;

import java.util.Arrays;
import java.util.List;

import io.spate.frame.ColumnType;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.CompareOp;
import io.spate.plan.Filter;

/**
 * The filters of one query (all must pass), applied one after the other to a selection vector of
 * record indexes, each pass keeping the records that pass in place.
 */
final class FilterKernel {

    private final int[] cols;
    private final ColumnType[] types;
    /** Bit 0, 1 or 2 set when the filter passes for a comparison below, equal to or above the literal. */
    private final int[] passes;
    private final boolean[] equalityOnly;
    private final long[] longLiterals;
    private final double[] doubleLiterals;
    private final byte[][] bytesLiterals;

    /** The filters over the columns of {@code layout}; the plan has checked that literals fit their columns. */
    FilterKernel(List<Filter> filters, DecodedBatch layout) {
        int n = filters.size();
        cols = new int[n];
        types = new ColumnType[n];
        passes = new int[n];
        equalityOnly = new boolean[n];
        longLiterals = new long[n];
        doubleLiterals = new double[n];
        bytesLiterals = new byte[n][];
        for (int i = 0; i < n; i++) {
            Filter f = filters.get(i);
            cols[i] = layout.columnIndex(f.column());
            types[i] = layout.type(cols[i]);
            passes[i] = (f.op().test(-1) ? 1 : 0) | (f.op().test(0) ? 2 : 0) | (f.op().test(1) ? 4 : 0);
            equalityOnly[i] = f.op() == CompareOp.EQ || f.op() == CompareOp.NE;
            switch (types[i]) {
                case LONG: longLiterals[i] = f.longLiteral(); break;
                case DOUBLE: doubleLiterals[i] = f.doubleLiteral(); break;
                default: bytesLiterals[i] = f.bytesLiteral(); break;
            }
        }
    }

    /** Keeps in {@code sel[0, n)} the records that pass every filter, in order; returns how many. */
    int apply(DecodedBatch batch, int[] sel, int n) {
        for (int i = 0; i < cols.length && n > 0; i++) {
            switch (types[i]) {
                case LONG: n = longs(batch.longs(cols[i]), longLiterals[i], passes[i], sel, n); break;
                case DOUBLE: n = doubles(batch.doubles(cols[i]), doubleLiterals[i], passes[i], sel, n); break;
                default: n = strings(batch, cols[i], i, sel, n); break;
            }
        }
        return n;
    }

    /** Whether a comparison result in -1, 0 or 1 passes. */
    private static boolean pass(int passes, int cmp) {
        return (passes >> (cmp + 1) & 1) != 0;
    }

    private static int longs(long[] v, long literal, int passes, int[] sel, int n) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int row = sel[i];
            if (pass(passes, Integer.signum(Long.compare(v[row], literal)))) {
                sel[kept++] = row;
            }
        }
        return kept;
    }

    private static int doubles(double[] v, double literal, int passes, int[] sel, int n) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int row = sel[i];
            if (pass(passes, Integer.signum(Double.compare(v[row], literal)))) {
                sel[kept++] = row;
            }
        }
        return kept;
    }

    private int strings(DecodedBatch batch, int col, int filter, int[] sel, int n) {
        int[] st = batch.starts(col);
        int[] len = batch.lengths(col);
        byte[] data = batch.data();
        byte[] arena = batch.arena().bytes();
        byte[] lit = bytesLiterals[filter];
        int p = passes[filter];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int row = sel[i];
            int s = st[row];
            byte[] src = s >= 0 ? data : arena;
            int from = s >= 0 ? s : ~s;
            int to = from + len[row];
            int cmp;
            if (equalityOnly[filter]) {
                // Equality needs no ordering, and a length mismatch answers it without reading bytes.
                cmp = len[row] == lit.length && Arrays.equals(src, from, to, lit, 0, lit.length) ? 0 : 1;
            } else {
                cmp = Integer.signum(Arrays.compareUnsigned(src, from, to, lit, 0, lit.length));
            }
            if (pass(p, cmp)) {
                sel[kept++] = row;
            }
        }
        return kept;
    }
}
