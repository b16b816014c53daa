package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.Window;

/**
 * The host side of a device group-by: one query's per-batch frame from the packed rows the compact
 * kernel copied back (first record, count, a word per key, a word per aggregate, a word per
 * aggregate for the largest magnitude a long sum or mean added; for windows the first entry,
 * count, window start, then the same), with key strings read from the batch or the
 * decode's arena, and double accumulators turned back into doubles. Windowed frames start with
 * the window_start and window_end keys, as the CPU's do.
 */
final class GroupFrames {

    private GroupFrames() {
    }

    /**
     * The frame of packed rows {@code rows} ({@code groups} rows of {@code stride} longs: first row
     * or first word start, count, then key words and aggregates, or for words the length), ordered
     * by first record as the CPU orders groups (windowed: by first entry, as the CPU numbers its
     * (window, group) pairs).
     */
    static DeviceRun.Groups of(DeviceQuery q, DeviceRun.HostBytes data, long[] rows, int groups, int stride) {
        if (q.wordColumn >= 0) {
            return WordGroups.of(q, data, rows, groups);
        }
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        Arrays.sort(order, Comparator.comparingLong(g -> rows[g * stride]));
        long[] counts = new long[groups];
        for (int i = 0; i < groups; i++) {
            counts[i] = rows[order[i] * stride + 1];
        }
        // Windowed rows carry the window start as one more word before the keys.
        int lead = q.window == null ? 2 : 3;
        List<Column> columns = new ArrayList<>();
        if (q.window != null) {
            long size = q.window.size().toMillis();
            long[] start = new long[groups];
            long[] end = new long[groups];
            for (int i = 0; i < groups; i++) {
                start[i] = rows[order[i] * stride + 2];
                end[i] = start[i] + size;
            }
            columns.add(new LongColumn(Window.START, start, groups));
            columns.add(new LongColumn(Window.END, end, groups));
        }
        for (int k = 0; k < q.keyCount; k++) {
            columns.add(keyColumn(q, k, data, rows, order, stride, lead));
        }
        List<Aggregate> aggs = q.query.aggregates();
        long[][] maxAbs = new long[aggs.size()][groups];
        for (int a = 0; a < aggs.size(); a++) {
            for (int i = 0; i < groups; i++) {
                maxAbs[a][i] = rows[order[i] * stride + lead + q.keyCount + aggs.size() + a];
            }
        }
        for (int a = 0; a < aggs.size(); a++) {
            AggFn fn = aggs.get(a).fn();
            String alias = aggs.get(a).alias();
            if (fn == AggFn.COUNT) {
                columns.add(new LongColumn(alias, counts.clone(), groups));
                continue;
            }
            long[] acc = new long[groups];
            for (int i = 0; i < groups; i++) {
                acc[i] = rows[order[i] * stride + lead + q.keyCount + a];
            }
            if (q.aggKinds[a] == DeviceQuery.KIND_DOUBLE) {
                columns.add(doubleAggregate(fn, alias, acc, counts));
            } else if (fn == AggFn.MEAN) {
                double[] mean = new double[groups];
                for (int i = 0; i < groups; i++) {
                    mean[i] = (double) acc[i] / counts[i];
                }
                columns.add(new DoubleColumn(alias, mean, groups));
            } else {
                columns.add(new LongColumn(alias, acc, groups));
            }
        }
        return new DeviceRun.Groups(new Frame(columns, columns.size() - aggs.size(), groups), counts, maxAbs);
    }

    /** A double aggregate from its accumulator words: min and max hold order-preserving bits (kernels.cu's ordered()), sums the double bits. */
    private static Column doubleAggregate(AggFn fn, String alias, long[] acc, long[] counts) {
        double[] v = new double[acc.length];
        for (int i = 0; i < acc.length; i++) {
            long bits = fn == AggFn.MIN || fn == AggFn.MAX ? (acc[i] >= 0 ? acc[i] : acc[i] ^ Long.MAX_VALUE) : acc[i];
            v[i] = Double.longBitsToDouble(bits);
            if (fn == AggFn.MEAN) {
                v[i] /= counts[i];
            }
        }
        return new DoubleColumn(alias, v, acc.length);
    }

    private static Column keyColumn(DeviceQuery q, int k, DeviceRun.HostBytes data, long[] rows, Integer[] order, int stride, int lead) {
        int groups = order.length;
        String alias = q.query.keys().get(k).alias();
        if (q.keyKinds[k] == DeviceQuery.KIND_LONG) {
            long[] v = new long[groups];
            for (int i = 0; i < groups; i++) {
                v[i] = rows[order[i] * stride + lead + k];
            }
            return new LongColumn(alias, v, groups);
        }
        if (q.keyKinds[k] == DeviceQuery.KIND_DOUBLE) {
            double[] v = new double[groups];
            for (int i = 0; i < groups; i++) {
                v[i] = Double.longBitsToDouble(rows[order[i] * stride + lead + k]);
            }
            return new DoubleColumn(alias, v, groups);
        }
        long total = 0;
        for (int i = 0; i < groups; i++) {
            long word = rows[order[i] * stride + lead + k];
            data.check(word >>> 32, (int) word);
            total += (int) word;
        }
        byte[] bytes = new byte[Math.toIntExact(total)];
        int[] offsets = new int[groups + 1];
        for (int i = 0; i < groups; i++) {
            long word = rows[order[i] * stride + lead + k];
            int start = (int) (word >>> 32);
            int len = (int) word;
            data.get(start, bytes, offsets[i], len);
            offsets[i + 1] = offsets[i] + len;
        }
        return new Utf8Column(alias, bytes, offsets, groups);
    }
}
