package io.spate.gpu.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Column;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.internal.cpu.CpuBackend;
import io.spate.internal.cpu.RunningState;
import io.spate.internal.cpu.WindowKernel;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * A plan the device runs: its queries in device form, the host finish of each (running state,
 * having), and the per-batch twin of the plan (same queries, no running state, no having, a count
 * added where none is) that the CPU runs when the device cannot take a batch, so both paths feed
 * the same host finish and the running state stays in one place. Twin queries keep their windows:
 * the twin's window kernels hold the plan's event time for both paths ({@link #windows}).
 */
final class DevicePlan {

    /** Alias of the count added to per-batch twin queries that have none. */
    private static final String HIDDEN_COUNT = "__spate_gpu_count";

    private final Plan plan;
    private final Plan perBatch;
    private final DeviceDecode decode;
    private final List<DeviceQuery> queries = new ArrayList<>();
    private final List<QueryFinish> finishes = new ArrayList<>();
    private final boolean[] hiddenCount;

    DevicePlan(Plan plan) {
        this.plan = plan;
        this.decode = DeviceDecode.of(plan);
        List<Query> twins = new ArrayList<>();
        hiddenCount = new boolean[plan.queries().size()];
        for (int i = 0; i < plan.queries().size(); i++) {
            Query q = plan.queries().get(i);
            queries.add(DeviceQuery.of(q, decode));
            finishes.add(new QueryFinish(q, plan.format()));
            List<Aggregate> aggs = new ArrayList<>(q.aggregates());
            hiddenCount[i] = aggs.stream().noneMatch(a -> a.fn() == AggFn.COUNT);
            if (hiddenCount[i]) {
                aggs.add(Aggregate.count(HIDDEN_COUNT));
            }
            twins.add(new Query(q.name(), q.filters(), q.keys(), aggs, Optional.empty(), q.tokenize(), false, q.window()));
        }
        perBatch = new Plan(plan.format(), twins);
    }

    /** Whether this is the device form of {@code other}. */
    boolean runs(Plan other) {
        return plan == other || plan.equals(other);
    }

    DeviceDecode decode() {
        return decode;
    }

    List<DeviceQuery> queries() {
        return queries;
    }

    /** The per-batch twin plan, which {@code twin} (the backend's CPU twin) runs. */
    Plan perBatch() {
        return perBatch;
    }

    /**
     * Per query, the window kernel of the twin's run of it in {@code twin}, or null without windows:
     * the one event time the device path and the twin both move.
     */
    List<WindowKernel> windows(CpuBackend twin) {
        List<WindowKernel> out = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            out.add(queries.get(i).window == null ? null : twin.window(perBatch, i));
        }
        return out;
    }

    /** Groups held by the host's running state of every query. */
    long heldGroups() {
        long n = 0;
        for (QueryFinish f : finishes) {
            n += f.state() == null ? 0 : f.state().size();
        }
        return n;
    }

    /** Seeds the running state of query {@code query}. */
    void restore(int query, Frame saved) {
        finishes.get(query).restore(saved);
    }

    /**
     * Whether a long sum of the device's {@code result} may have left the long range in some order
     * of its records ({@link QueryFinish#mayOverflow}): the batch must run on the CPU twin.
     */
    boolean mayOverflow(DeviceRun.Result result) {
        for (int i = 0; i < finishes.size(); i++) {
            if (finishes.get(i).mayOverflow(result.groups().get(i))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The batch's per-batch groups computed by {@code cpu} (a backend kept for this plan's twin),
     * whose long sums continue the running sums the host keeps, so that it dead-letters the records
     * that would take one out of the long range as the CPU backend does.
     */
    DeviceRun.Result onCpu(CpuBackend cpu, RecordBatch batch) {
        List<RunningState> sumBases = new ArrayList<>();
        for (QueryFinish f : finishes) {
            sumBases.add(f.state());
        }
        BatchResult r = cpu.execute(perBatch, batch, sumBases);
        List<DeviceRun.Groups> groups = new ArrayList<>();
        for (int i = 0; i < plan.queries().size(); i++) {
            Frame f = r.frames().get(i);
            Query q = plan.queries().get(i);
            int countColumn = f.keyCount();
            while (!(hiddenCount[i] ? HIDDEN_COUNT : firstCountAlias(q)).equals(f.columns().get(countColumn).name())) {
                countColumn++;
            }
            LongColumn counts = (LongColumn) f.columns().get(countColumn);
            long[] c = new long[f.rows()];
            for (int row = 0; row < c.length; row++) {
                c[row] = counts.get(row);
            }
            List<Column> columns = new ArrayList<>(f.columns());
            if (hiddenCount[i]) {
                columns.remove(columns.size() - 1);
            }
            groups.add(new DeviceRun.Groups(new Frame(columns, f.keyCount(), f.rows()), c));
        }
        return new DeviceRun.Result(groups, r.rejected(), r.reasons(), new DeviceRun.EventTime(r.late(), r.lateQuery(), r.times()));
    }

    private static String firstCountAlias(Query q) {
        return q.aggregates().stream().filter(a -> a.fn() == AggFn.COUNT).findFirst().orElseThrow().alias();
    }

    /**
     * The batch's result from its per-batch groups: the host finish of each query (the windows of
     * {@code windows}, per query or null, evicted as the CPU evicts them), with its event time.
     */
    BatchResult finish(RecordBatch batch, DeviceRun.Result result, List<WindowKernel> windows, String backend) {
        List<Frame> frames = new ArrayList<>();
        for (int i = 0; i < finishes.size(); i++) {
            frames.add(finishes.get(i).finish(result.groups().get(i), windows.get(i)));
        }
        DeviceRun.EventTime time = result.eventTime();
        return new BatchResult(batch, frames, result.rejected(), result.reasons(), backend, time.late(), time.lateQuery(), time.times());
    }
}
