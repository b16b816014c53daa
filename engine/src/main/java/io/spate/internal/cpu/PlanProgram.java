package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

import io.spate.BatchResult;
import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.codec.BatchDecoder;
import io.spate.internal.codec.BatchDecoders;
import io.spate.internal.codec.DecodedBatch;
import io.spate.internal.model.ModelRunners;
import io.spate.plan.Inference;
import io.spate.plan.Plan;
import io.spate.plan.Query;

/**
 * A plan made ready to run: its decoder, the reusable decoded columns of the fields it reads, and
 * one kernel per query. Built once per plan and kept while the plan stays the same.
 */
final class PlanProgram {

    private final Plan plan;
    private final BatchDecoder decoder;
    private final DecodedBatch decoded;
    private final List<QueryKernel> kernels = new ArrayList<>();
    private final List<InferenceKernel> inferences = new ArrayList<>();
    private final String backendName;

    PlanProgram(Plan plan, int hashMask, String backendName, ModelRunners runners) {
        this.plan = plan;
        this.backendName = backendName;
        decoded = new DecodedBatch(plan.referencedFields());
        decoder = BatchDecoders.forPlan(plan);
        for (Query q : plan.queries()) {
            kernels.add(new QueryKernel(q, kernels.size(), decoded, hashMask));
        }
        for (Inference i : plan.inferences()) {
            inferences.add(InferenceKernel.of(i, decoded, runners));
        }
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

    /** Whether this program runs {@code other}. */
    boolean runs(Plan other) {
        return plan == other || plan.equals(other);
    }

    /** Decodes the batch once and runs every query over it. */
    BatchResult execute(RecordBatch batch) {
        decoded.reset(batch);
        try {
            decoder.decode(batch, decoded);
            List<Frame> frames = new ArrayList<>(kernels.size() + inferences.size());
            for (QueryKernel k : kernels) {
                frames.add(k.run(decoded, batch));
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
            decoded.release();
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
