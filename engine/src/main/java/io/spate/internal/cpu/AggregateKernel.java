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
 * <p>{@code sum} of a long column is plain long addition: it wraps on overflow rather than failing,
 * which the workloads it serves (byte counts, event counts) never reach. {@code mean} of a long
 * column sums exactly in a long and divides once at the end.
 */
final class AggregateKernel {

    private final AggFn[] fns;
    private final int[] cols;
    private final ColumnType[] inputTypes;
    private final String[] aliases;

    /** The aggregates over the columns of {@code layout}. */
    AggregateKernel(List<Aggregate> aggregates, DecodedBatch layout) {
        int n = aggregates.size();
        fns = new AggFn[n];
        cols = new int[n];
        inputTypes = new ColumnType[n];
        aliases = new String[n];
        for (int a = 0; a < n; a++) {
            Aggregate agg = aggregates.get(a);
            fns[a] = agg.fn();
            aliases[a] = agg.alias();
            cols[a] = agg.column() == null ? -1 : layout.columnIndex(agg.column());
            inputTypes[a] = cols[a] < 0 ? ColumnType.LONG : layout.type(cols[a]);
        }
    }

    /**
     * One column per aggregate, of {@code groups} values: record {@code sel[i]} belongs to group
     * {@code groupOf[i]}, for {@code i < n}, and every group has at least one record.
     */
    Column[] compute(DecodedBatch batch, int[] sel, int[] groupOf, int n, int groups) {
        long[] counts = new long[groups];
        for (int i = 0; i < n; i++) {
            counts[groupOf[i]]++;
        }
        Column[] out = new Column[fns.length];
        for (int a = 0; a < fns.length; a++) {
            if (fns[a] == AggFn.COUNT) {
                out[a] = new LongColumn(aliases[a], counts.clone(), groups);
            } else if (inputTypes[a] == ColumnType.LONG) {
                out[a] = overLongs(a, batch.longs(cols[a]), sel, groupOf, n, groups, counts);
            } else {
                out[a] = overDoubles(a, batch.doubles(cols[a]), sel, groupOf, n, groups, counts);
            }
        }
        return out;
    }

    private Column overLongs(int a, long[] v, int[] sel, int[] groupOf, int n, int groups, long[] counts) {
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
            default:
                for (int i = 0; i < n; i++) {
                    acc[groupOf[i]] += v[sel[i]];
                }
                break;
        }
        if (fns[a] == AggFn.MEAN) {
            double[] mean = new double[groups];
            for (int g = 0; g < groups; g++) {
                mean[g] = (double) acc[g] / counts[g];
            }
            return new DoubleColumn(aliases[a], mean, groups);
        }
        return new LongColumn(aliases[a], acc, groups);
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
