package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.List;

import io.spate.frame.Column;
import io.spate.frame.ColumnType;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.codec.ByteArena;
import io.spate.internal.cpu.RunningState;
import io.spate.internal.cpu.WindowKernel;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.InputFormat;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * The host's part of one query after the per-batch groups are known (from the device, or from the
 * CPU after a fault): merge into the running state when the query runs across batches, then apply
 * {@code having}, as {@code io.spate.internal.cpu.QueryKernel} does, and drop the running windows
 * every partition's watermark has closed. Keys enter the running state in the CPU's serialized
 * form (numbers as 8 bytes, strings length-prefixed; a window's start and end first).
 *
 * <p>Before that, {@link #mayOverflow} checks the device's long sums: the device adds a group's
 * values in no particular order, while the CPU rejects, in batch order, the record that would take
 * a sum out of the long range. When even the largest value the batch added, times the group's
 * count, plus the running sum cannot leave the range, no order of the adds can, so the device's
 * sums are exact and the CPU would reject nothing; otherwise the batch goes to the CPU twin.
 */
final class QueryFinish {

    private final Query query;
    private final RunningState state;
    private final ByteArena keyBuffer = new ByteArena();

    QueryFinish(Query query, InputFormat format) {
        this.query = query;
        List<Aggregate> aggs = query.aggregates();
        ColumnType[] types = new ColumnType[aggs.size()];
        for (int a = 0; a < types.length; a++) {
            Aggregate agg = aggs.get(a);
            ColumnType input = agg.column() == null ? ColumnType.LONG : format.field(agg.column()).orElseThrow().type();
            types[a] = Plan.resultType(agg.fn(), input);
        }
        state = query.running() ? new RunningState(aggs, types) : null;
    }

    /** The running state, or null when the query runs per batch: the sums the twin's long sums continue. */
    RunningState state() {
        return state;
    }

    /**
     * Whether a long sum or mean of the device's per-batch groups could have left the long range
     * in some order of its records (counting from the running sum): then the CPU must take the
     * batch, which rejects the records that would overflow it. False for groups the CPU computed.
     */
    boolean mayOverflow(DeviceRun.Groups groups) {
        long[][] maxAbs = groups.maxAbs();
        if (maxAbs == null) {
            return false;
        }
        Frame f = groups.frame();
        long[] counts = groups.counts();
        for (int a = 0; a < maxAbs.length; a++) {
            boolean running = state != null && query.aggregates().get(a).fn() == AggFn.SUM;
            long bound = running ? state.sumBound(a) : 0;
            for (int r = 0; r < f.rows(); r++) {
                if (fitsAround(counts[r], maxAbs[a][r], bound)) {
                    continue;
                }
                if (!running) {
                    return true;
                }
                // No room beside the largest running sum of any group: look up this group's own.
                int length = RunningState.writeKey(f, r, keyBuffer);
                int g = state.find(keyBuffer.bytes(), 0, length);
                if (!fits(counts[r], maxAbs[a][r], g < 0 ? 0 : state.sum(g, a))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code count} values of magnitude at most {@code maxAbs} (unsigned: Long.MIN_VALUE
     * stands for 2^63, the magnitude of Long.MIN_VALUE itself, which no positive value has), added
     * in any order to {@code base}, keep the sum in the long range.
     */
    static boolean fits(long count, long maxAbs, long base) {
        if (maxAbs == 0 || count == 0) {
            return true;
        }
        // Unsigned rooms above and below base, each at most 2^64 - 1.
        long up = Long.MAX_VALUE - base;
        long down = base - Long.MIN_VALUE;
        long upStep = maxAbs < 0 ? Long.MAX_VALUE : maxAbs;
        return Long.compareUnsigned(count, Long.divideUnsigned(up, upStep)) <= 0
                && Long.compareUnsigned(count, Long.divideUnsigned(down, maxAbs)) <= 0;
    }

    /** {@link #fits} for every base of magnitude at most {@code bound} (unsigned, as {@link RunningState#sumBound} gives it). */
    static boolean fitsAround(long count, long maxAbs, long bound) {
        long highest = bound < 0 ? Long.MAX_VALUE : bound;
        return fits(count, maxAbs, highest) && fits(count, maxAbs, bound < 0 ? Long.MIN_VALUE : -bound);
    }

    /**
     * The query's frame from its per-batch groups; mutates the running state, from which it then
     * evicts the windows {@code window} (the query's event time, or null) has closed.
     */
    Frame finish(DeviceRun.Groups groups, WindowKernel window) {
        Frame out = finish(groups);
        if (window != null && state != null) {
            long through = window.evictable();
            if (through != Long.MIN_VALUE) {
                state.retain(g -> window.closes(state.keyLong(g, 0)) > through);
                window.evicted(through);
            }
        }
        return out;
    }

    private Frame finish(DeviceRun.Groups groups) {
        Frame f = groups.frame();
        if (state == null && query.having().isEmpty()) {
            return f;
        }
        int keys = f.keyCount();
        int rows = f.rows();
        Column[] values = f.columns().subList(keys, f.columns().size()).toArray(new Column[0]);
        if (state != null) {
            int[] stateGroups = new int[rows];
            for (int r = 0; r < rows; r++) {
                int length = RunningState.writeKey(f, r, keyBuffer);
                stateGroups[r] = state.findOrAdd(keyBuffer.bytes(), 0, length);
                state.merge(stateGroups[r], r, groups.counts()[r], values);
            }
            values = state.values(stateGroups, rows);
        }
        List<Column> columns = new ArrayList<>(f.columns().subList(0, keys));
        columns.addAll(List.of(values));
        if (query.having().isEmpty()) {
            return new Frame(columns, keys, rows);
        }
        int index = 0;
        while (!query.aggregates().get(index).alias().equals(query.having().get().alias())) {
            index++;
        }
        Column h = values[index];
        int[] kept = new int[rows];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            double v = h instanceof LongColumn l ? l.get(r) : ((DoubleColumn) h).get(r);
            if (query.having().get().test(v)) {
                kept[count++] = r;
            }
        }
        List<Column> out = new ArrayList<>();
        for (Column c : columns) {
            out.add(gather(c, kept, count));
        }
        return new Frame(out, keys, count);
    }

    /** Seeds the running state (see {@link RunningState#restore}). */
    void restore(Frame saved) {
        if (state == null) {
            throw new IllegalStateException("query has no running state to restore");
        }
        state.restore(saved);
    }

    private static Column gather(Column c, int[] kept, int n) {
        if (c instanceof LongColumn l) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = l.get(kept[i]);
            }
            return new LongColumn(c.name(), v, n);
        }
        if (c instanceof DoubleColumn d) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = d.get(kept[i]);
            }
            return new DoubleColumn(c.name(), v, n);
        }
        Utf8Column u = (Utf8Column) c;
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(u.getBytes(kept[i]));
        }
        return Utf8Column.ofBytes(c.name(), values);
    }
}
