package io.spate.internal.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.Pipeline;
import io.spate.PipelineMetrics;
import io.spate.RecordBatch;
import io.spate.SourceOffsets;
import io.spate.TransactionalOffsets;
import io.spate.frame.Frame;
import io.spate.internal.cpu.FrameMerge;
import io.spate.plan.Query;

/**
 * Results written once per interval instead of once per batch ({@code spate.output.emit-interval}).
 * Each batch's result is first {@linkplain #hold held}: its dead letters and event times are
 * encoded at once, so that the batch goes back to its staging buffers, and its frames are kept.
 * The batches held over an interval are then {@linkplain #emit emitted} as one output batch: each
 * query's frames merged into one row per key ({@link FrameMerge}), model answers one after another,
 * the held records after them, and the batches' offsets combined, to be committed once everything
 * is acked or in the same transaction.
 */
final class IntervalEncoder {

    /** What a batch leaves for the interval's output: its frames, its per-record records, its offsets. */
    record Held(List<Frame> frames, List<ProducerRecord<byte[], byte[]>> records, SourceOffsets offsets, long oldestTimestamp) {
        /** The rows of its frames plus its per-record records: what it adds to the interval's output at most. */
        long rows() {
            long rows = records.size();
            for (Frame f : frames) {
                rows += f.rows();
            }
            return rows;
        }
    }

    private final ResultEncoder encoder;
    /** One per query (in output order); model outputs have none and are concatenated. */
    private final FrameMerge[] merges;

    IntervalEncoder(Pipeline pipeline, int deadLetterMaxBytes) {
        encoder = new ResultEncoder(pipeline, deadLetterMaxBytes);
        List<Query> queries = pipeline.plan().queries();
        merges = new FrameMerge[queries.size()];
        for (int q = 0; q < merges.length; q++) {
            merges[q] = new FrameMerge(queries.get(q));
        }
    }

    /** Fails, naming the key, when one of {@code pipeline}'s outputs cannot be merged over an interval. */
    static void check(Pipeline pipeline) {
        for (Query q : pipeline.plan().queries()) {
            FrameMerge.unmergeable(q).ifPresent(why -> {
                throw new IllegalArgumentException("spate.output.emit-interval: pipeline '" + pipeline.name() + "': " + why
                        + ", so its results cannot be merged over an interval; set emit-interval = 0 to write each batch's");
            });
        }
    }

    /**
     * Keeps what {@code result} will output, its per-record records encoded by {@code encoder}; its
     * batch is released. Needs none of an interval encoder's merging state, so the stage that holds
     * batches has only a {@link ResultEncoder}.
     */
    static Held hold(ResultEncoder encoder, BatchResult result) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        encoder.addPerRecord(result, records);
        RecordBatch batch = result.batch();
        Held held = new Held(result.frames(), records, batch.sourceOffsets(), batch.oldestTimestamp());
        batch.release();
        return held;
    }

    /**
     * The output of {@code held} (oldest first): one output batch, or one per run of batches read
     * in one consumer generation, since a transaction may only commit offsets of its own generation.
     */
    List<OutputBatch> emit(List<Held> held, PipelineMetrics metrics) {
        List<OutputBatch> out = new ArrayList<>(1);
        int from = 0;
        for (int i = 1; i <= held.size(); i++) {
            if (i == held.size() || !Objects.equals(generation(held.get(i)), generation(held.get(from)))) {
                out.add(merged(held.subList(from, i), metrics));
                from = i;
            }
        }
        return out;
    }

    private OutputBatch merged(List<Held> held, PipelineMetrics metrics) {
        int outputs = held.get(0).frames().size();
        List<Frame> frames = new ArrayList<>(outputs);
        for (int q = 0; q < outputs; q++) {
            List<Frame> parts = new ArrayList<>(held.size());
            for (Held h : held) {
                parts.add(h.frames().get(q));
            }
            frames.add(q < merges.length ? merges[q].merge(parts) : FrameMerge.concat(parts));
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        encoder.addResults(frames, records);
        List<SourceOffsets> offsets = new ArrayList<>(held.size());
        long oldest = RecordBatch.NO_TIMESTAMP;
        for (Held h : held) {
            records.addAll(h.records());
            offsets.add(h.offsets());
            if (h.oldestTimestamp() != RecordBatch.NO_TIMESTAMP && (oldest == RecordBatch.NO_TIMESTAMP || h.oldestTimestamp() < oldest)) {
                oldest = h.oldestTimestamp();
            }
        }
        metrics.outputsEncoded(frames, records.size());
        return new OutputBatch(records, offsets.get(0).followedBy(offsets.subList(1, offsets.size())), oldest);
    }

    private static ConsumerGroupMetadata generation(Held h) {
        return h.offsets() instanceof TransactionalOffsets t ? t.groupMetadata() : null;
    }
}
