package io.spate.internal.cpu;

import java.util.Arrays;
import java.util.List;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.LongColumn;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;

/**
 * Computes the aggregates of one query, one column at a time over the selected records, into one
 * fresh array per aggregate indexed by group id (the arrays become the result frame's columns).
 *
 * <p>{@code sum} of a long column never wraps: a record whose value would take its group's sum
 * out of the long range (counting from the running sum the batch continues, if any) is not added
 * but noted in an {@link Overflows}, with a reason fixed per aggregate, and the batch is run again
 * without it (see {@link PlanProgram}). The check is the sign rule of {@link Math#addExact},
 * {@code ((acc ^ r) & (v ^ r)) < 0}, a branch that is never taken on sound data; no exception is
 * thrown per record. {@code mean} of a long column sums exactly in 128 bits (a long and a carry
 * word per group), so it never overflows and rejects nothing, and divides once at the end.
 */
final class AggregateKernel {

    private final AggFn[] fns;
    private final int[] cols;
    private final ColumnType[] inputTypes;
    private final String[] aliases;
    /** Per aggregate, the dead-letter reason of a record that would overflow it (long sums only). */
    private final String[] overflowReasons;

    /** The aggregates of query {@code query} over the columns of {@code layout}. */
    AggregateKernel(String query, List<Aggregate> aggregates, DecodedBatch layout) {
        int n = aggregates.size();
        fns = new AggFn[n];
        cols = new int[n];
        inputTypes = new ColumnType[n];
        aliases = new String[n];
        overflowReasons = new String[n];
        for (int a = 0; a < n; a++) {
            Aggregate agg = aggregates.get(a);
            fns[a] = agg.fn();
            aliases[a] = agg.alias();
            cols[a] = agg.column() == null ? -1 : layout.columnIndex(agg.column());
            inputTypes[a] = cols[a] < 0 ? ColumnType.LONG : layout.type(cols[a]);
            overflowReasons[a] = agg.fn() != AggFn.SUM ? null
                    : "overflow: sum(" + agg.column() + ") of the record's group in " + query + " exceeds the long range";
        }
    }

    /** Whether aggregate {@code a} is a sum of a long column (the one kind that can overflow). */
    boolean sumsLongs(int a) {
        return fns[a] == AggFn.SUM && inputTypes[a] == ColumnType.LONG;
    }

    /** Number of aggregates. */
    int size() {
        return fns.length;
    }

    /**
     * One column per aggregate, of {@code groups} values: record {@code sel[i]} belongs to group
     * {@code groupOf[i]}, for {@code i < n}, and every group has at least one record. A long sum
     * {@code a} continues from {@code bases[a][g]} in group {@code g} where {@code bases} and
     * {@code bases[a]} are not null (the running sums), but its column holds only what the batch
     * adds; the records whose value would overflow it are added to {@code overflows}, not to it.
     */
    Column[] compute(DecodedBatch batch, int[] sel, int[] groupOf, int n, int groups, long[][] bases, Overflows overflows) {
        long[] counts = new long[groups];
        for (int i = 0; i < n; i++) {
            counts[groupOf[i]]++;
        }
        Column[] out = new Column[fns.length];
        for (int a = 0; a < fns.length; a++) {
            if (fns[a] == AggFn.COUNT) {
                out[a] = new LongColumn(aliases[a], counts.clone(), groups);
            } else if (inputTypes[a] == ColumnType.LONG) {
                long[] base = bases == null ? null : bases[a];
                out[a] = overLongs(a, batch.longs(cols[a]), sel, groupOf, n, groups, counts, base, overflows);
            } else {
                out[a] = overDoubles(a, batch.doubles(cols[a]), sel, groupOf, n, groups, counts);
            }
        }
        return out;
    }

    /**
     * Whether long sum {@code a} over the records {@code sel[0, n)} of {@code batch} stays in the
     * long range in every group and in any order, whatever running sum of magnitude at most
     * {@code bound} (unsigned, as {@link RunningState#sumBound} gives it) it continues: the
     * records' magnitudes added up fit beside the bound. Then the running sums need not be looked
     * up: summed from zero, the batch's part is the same, and no record is left out.
     */
    boolean fitsAround(int a, DecodedBatch batch, int[] sel, int n, long bound) {
        if (bound < 0) {
            return false;
        }
        long room = Long.MAX_VALUE - bound;
        long[] v = batch.longs(cols[a]);
        for (int i = 0; i < n; i++) {
            long magnitude = Math.abs(v[sel[i]]);
            // Math.abs leaves Long.MIN_VALUE negative: 2^63 fits beside no bound.
            room -= magnitude;
            if (magnitude < 0 || room < 0) {
                return false;
            }
        }
        return true;
    }

    private Column overLongs(int a, long[] v, int[] sel, int[] groupOf, int n, int groups, long[] counts, long[] base,
                             Overflows overflows) {
        long[] acc = new long[groups];
        switch (fns[a]) {
            case MIN:
                Arrays.fill(acc, Long.MAX_VALUE);
                for (int i = 0; i < n; i++) {
                    int g = groupOf[i];
                    acc[g] = Math.min(acc[g], v[sel[i]]);
                }
                break;
            case MAX:
                Arrays.fill(acc, Long.MIN_VALUE);
                for (int i = 0; i < n; i++) {
                    int g = groupOf[i];
                    acc[g] = Math.max(acc[g], v[sel[i]]);
                }
                break;
            case MEAN:
                return mean(a, acc, v, sel, groupOf, n, groups, counts);
            default:
                sum(a, acc, v, sel, groupOf, n, groups, base, overflows);
                break;
        }
        return new LongColumn(aliases[a], acc, groups);
    }

    /** Sums into {@code acc} (zeros) what the batch adds to each group's sum, leaving out the values that would overflow it. */
    private void sum(int a, long[] acc, long[] v, int[] sel, int[] groupOf, int n, int groups, long[] base, Overflows overflows) {
        if (base != null) {
            System.arraycopy(base, 0, acc, 0, groups);
        }
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            long x = v[sel[i]];
            long s = acc[g];
            long r = s + x;
            if (((s ^ r) & (x ^ r)) < 0) {
                overflows.add(sel[i], overflowReasons[a]);
            } else {
                acc[g] = r;
            }
        }
        if (base != null) {
            // Two's complement: the running state adds this back exactly, even where it alone leaves the range.
            for (int g = 0; g < groups; g++) {
                acc[g] -= base[g];
            }
        }
    }

    /**
     * The means of a long column: each group's sum in 128 bits ({@code lo} in {@code acc}, the high
     * word beside it), so that no sum wraps; a sum that fits a long divides as a long does.
     */
    private Column mean(int a, long[] acc, long[] v, int[] sel, int[] groupOf, int n, int groups, long[] counts) {
        long[] hi = new long[groups];
        for (int i = 0; i < n; i++) {
            int g = groupOf[i];
            long x = v[sel[i]];
            long lo = acc[g];
            long r = lo + x;
            hi[g] += (x >> 63) + (Long.compareUnsigned(r, lo) < 0 ? 1 : 0);
            acc[g] = r;
        }
        double[] mean = new double[groups];
        for (int g = 0; g < groups; g++) {
            long lo = acc[g];
            double sum = hi[g] == (lo >> 63) ? (double) lo : hi[g] * 0x1p64 + unsigned(lo);
            mean[g] = sum / counts[g];
        }
        return new DoubleColumn(aliases[a], mean, groups);
    }

    /** {@code bits} read as an unsigned long, to the nearest double. */
    private static double unsigned(long bits) {
        double d = (double) (bits >>> 1) * 2.0;
        return d + (bits & 1);
    }

    private Column overDoubles(int a, double[] v, int[] sel, int[] groupOf, int n, int groups, long[] counts) {
        double[] acc = new double[groups];
        switch (fns[a]) {
            case MIN:
                Arrays.fill(acc, Double.POSITIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int g = groupOf[i];
                    acc[g] = Math.min(acc[g], v[sel[i]]);
                }
                break;
            case MAX:
                Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                for (int i = 0; i < n; i++) {
                    int g = groupOf[i];
                    acc[g] = Math.max(acc[g], v[sel[i]]);
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    acc[groupOf[i]] += v[sel[i]];
                }
                break;
        }
        if (fns[a] == AggFn.MEAN) {
            for (int g = 0; g < groups; g++) {
                acc[g] /= counts[g];
            }
        }
        return new DoubleColumn(aliases[a], acc, groups);
    }
}
