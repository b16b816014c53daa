package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.spate.BatchResult;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.codec.BatchDecoder;
import io.spate.internal.codec.BatchDecoders;
import io.spate.internal.codec.DecodedBatch;
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

    PlanProgram(Plan plan, int hashMask, String backendName) {
        this.plan = plan;
        this.backendName = backendName;
        decoded = new DecodedBatch(plan.referencedFields());
        decoder = BatchDecoders.forFormat(plan.format(), plan.referencedFields());
        for (Query q : plan.queries()) {
            kernels.add(new QueryKernel(q, decoded, hashMask));
        }
        for (Inference i : plan.inferences()) {
            inferences.add(InferenceKernel.of(i, decoded));
        }
    }

    /** Seeds the running state of query {@code query} (see {@link QueryKernel#restore}). */
    void restore(int query, Frame saved) {
        kernels.get(query).restore(saved);
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
                frames.add(k.run(decoded));
            }
            if (inferences.isEmpty()) {
                return new BatchResult(batch, frames, decoded.rejectedRows(), decoded.rejectedReasons(), backendName);
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
            return new BatchResult(batch, frames, rejects.keySet().stream().mapToInt(Integer::intValue).toArray(),
                    rejects.values().toArray(new String[0]), backendName);
        } finally {
            decoded.release();
        }
    }
}
