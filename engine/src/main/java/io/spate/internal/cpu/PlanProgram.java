package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.frame.Frame;
import io.spate.internal.codec.BatchDecoder;
import io.spate.internal.codec.BatchDecoders;
import io.spate.internal.codec.DecodedBatch;
import io.spate.internal.model.ModelRunners;
import io.spate.plan.AggFn;
import io.spate.plan.Inference;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * A plan made ready to run: its decoder, the reusable decoded columns of the fields it reads, and
 * one kernel per query. Built once per plan and kept while the plan stays the same.
 *
 * <p>Overflow: a record whose value would take a long {@code sum} of any query out of the long
 * range (in batch order, from the running sum where the query runs across batches) goes to the
 * dead letters and counts in no query and no inference of its batch, as a malformed record does.
 * So every query first takes the batch in without touching its running state
 * ({@link QueryKernel#prepare}); if any noted such a record, all of them drop their step, the
 * event time the windowed ones moved is set back, and the batch is taken in again without those
 * records, until a pass finds none (leaving out a record can, with values of both signs, make
 * another one overflow, in another query or the same); then every query merges and finishes. On
 * sound data that is one pass, and the checks cost one predictable branch per summed value.
 */
final class PlanProgram {

    private final Plan plan;
    private final BatchDecoder decoder;
    private final DecodedBatch decoded;
    private final List<QueryKernel> kernels = new ArrayList<>();
    private final List<InferenceKernel> inferences = new ArrayList<>();
    private final String backendName;
    private final Overflows overflows = new Overflows();
    /** Whether a query sums a long column (and so a pass may overflow and be taken again). */
    private final boolean sumsLongs;

    PlanProgram(Plan plan, int hashMask, String backendName, ModelRunners runners) {
        this.plan = plan;
        this.backendName = backendName;
        decoded = new DecodedBatch(plan.referencedFields());
        decoder = BatchDecoders.forPlan(plan);
        List<Query> queries = plan.queries();
        for (int q = 0; q < queries.size(); q++) {
            QueryKernel kernel = new QueryKernel(queries.get(q), q, decoded, hashMask);
            for (int earlier = 0; earlier < q; earlier++) {
                if (QueryKernel.selectsAlike(queries.get(earlier), queries.get(q))) {
                    kernel.selectLike(kernels.get(earlier));
                    break;
                }
            }
            kernels.add(kernel);
        }
        for (Inference i : plan.inferences()) {
            inferences.add(InferenceKernel.of(i, decoded, runners));
        }
        sumsLongs = plan.queries().stream().flatMap(q -> q.aggregates().stream())
                .anyMatch(a -> a.fn() == AggFn.SUM && decoded.columnIndex(a.column()) >= 0
                        && decoded.type(decoded.columnIndex(a.column())) == ColumnType.LONG);
    }

    /** Seeds the running state of query {@code query} (see {@link QueryKernel#restore}). */
    void restore(int query, Frame saved) {
        kernels.get(query).restore(saved);
    }

    /** Sets the largest event time seen in an input partition by a windowed query, as saved before a restart. */
    void restore(PartitionTime time) {
        WindowKernel window = kernels.get(time.query()).window();
        if (window == null) {
            throw new IllegalArgumentException("query " + time.query() + " of the plan has no windows");
        }
        window.restore(time.topic(), time.partition(), time.timestamp());
    }

    /** The window kernel of query {@code query}, or null if it has no windows. */
    WindowKernel window(int query) {
        return kernels.get(query).window();
    }

    /** Groups held by the running state of every query. */
    long heldGroups() {
        long n = 0;
        for (QueryKernel k : kernels) {
            n += k.heldGroups();
        }
        return n;
    }

    /** Whether this program runs {@code other}. */
    boolean runs(Plan other) {
        return plan == other || plan.equals(other);
    }

    /**
     * Decodes the batch once and runs every query over it; a query with no running state of its
     * own sums from {@code sumBases.get(q)}'s running sums where that list is given and the entry
     * is not null (see {@link CpuBackend#execute(Plan, RecordBatch, List)}).
     */
    BatchResult execute(RecordBatch batch, List<RunningState> sumBases) {
        decoded.reset(batch);
        try {
            decoder.decode(batch, decoded);
            takeIn(batch, sumBases);
            List<Frame> frames = new ArrayList<>(kernels.size() + inferences.size());
            for (QueryKernel k : kernels) {
                frames.add(k.finish());
            }
            if (inferences.isEmpty()) {
                return result(batch, frames, decoded.rejectedRows(), decoded.rejectedReasons());
            }
            // Inferences reject accepted rows only, so these rows are disjoint from decoding's; the map sorts them.
            TreeMap<Integer, String> rejects = new TreeMap<>();
            for (InferenceKernel k : inferences) {
                frames.add(k.run(decoded, rejects::putIfAbsent));
            }
            int[] rows = decoded.rejectedRows();
            String[] reasons = decoded.rejectedReasons();
            for (int i = 0; i < rows.length; i++) {
                rejects.put(rows[i], reasons[i]);
            }
            return result(batch, frames, rejects.keySet().stream().mapToInt(Integer::intValue).toArray(),
                    rejects.values().toArray(new String[0]));
        } finally {
            for (QueryKernel k : kernels) {
                k.abandon();
            }
            decoded.release();
        }
    }

    /** Every query's first step over the decoded batch, again without the records that overflow a sum until none does. */
    private void takeIn(RecordBatch batch, List<RunningState> sumBases) {
        while (true) {
            if (sumsLongs) {
                markWindows();
            }
            overflows.clear();
            for (int q = 0; q < kernels.size(); q++) {
                kernels.get(q).prepare(decoded, batch, sumBases == null ? null : sumBases.get(q), overflows);
            }
            if (overflows.isEmpty()) {
                return;
            }
            for (QueryKernel k : kernels) {
                k.abandon();
                if (k.window() != null) {
                    k.window().rollBack();
                }
            }
            decoded.rejectAccepted(overflows.rows(), overflows.reasons(), overflows.distinct());
        }
    }

    private void markWindows() {
        for (QueryKernel k : kernels) {
            if (k.window() != null) {
                k.window().mark();
            }
        }
    }

    /** The result, with the late records and moved event times of the windowed queries. */
    private BatchResult result(RecordBatch batch, List<Frame> frames, int[] rejected, String[] reasons) {
        int lateCount = 0;
        for (QueryKernel k : kernels) {
            lateCount += k.window() == null ? 0 : k.window().lateCount();
        }
        if (lateCount == 0 && kernels.stream().allMatch(k -> k.window() == null)) {
            return new BatchResult(batch, frames, rejected, reasons, backendName);
        }
        int[] late = new int[lateCount];
        int[] lateQuery = new int[lateCount];
        List<PartitionTime> times = new ArrayList<>();
        int at = 0;
        for (int q = 0; q < kernels.size(); q++) {
            WindowKernel w = kernels.get(q).window();
            if (w != null) {
                System.arraycopy(w.late(), 0, late, at, w.lateCount());
                Arrays.fill(lateQuery, at, at + w.lateCount(), q);
                at += w.lateCount();
                times.addAll(w.movedTimes());
            }
        }
        return new BatchResult(batch, frames, rejected, reasons, backendName, late, lateQuery, times);
    }
}
