package io.spate.internal.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.spate.BatchResult;
import io.spate.OutputBatch;
import io.spate.PartitionTime;
import io.spate.Pipeline;
import io.spate.RecordBatch;
import io.spate.SourceOffsets;
import io.spate.frame.Frame;
import io.spate.internal.state.StateRecords;

/**
 * Turns a batch result into the records to produce: one JSON record per group per query to the
 * query's topic, and one record per malformed input to the dead-letter topic, carrying the batch's
 * offsets along so they are committed only once all of these are acked.
 */
public final class ResultEncoder {

    /** Header naming why a record was dead-lettered. */
    public static final String REASON_HEADER = "spate.error.reason";
    /** Header with the source topic of a dead-lettered record. */
    public static final String TOPIC_HEADER = "spate.source.topic";
    /** Header with the source partition of a dead-lettered record (decimal). */
    public static final String PARTITION_HEADER = "spate.source.partition";
    /** Header with the source offset of a dead-lettered record (decimal). */
    public static final String OFFSET_HEADER = "spate.source.offset";
    /** Header with the Kafka timestamp of a dead-lettered record (decimal epoch milliseconds), when it had one. */
    public static final String TIMESTAMP_HEADER = "spate.source.timestamp";
    /** Header with the name of the pipeline that rejected the record. */
    public static final String PIPELINE_HEADER = "spate.pipeline";
    /** Header naming the output (topic) a late record was not counted in. */
    public static final String OUTPUT_HEADER = "spate.output";
    /** The reason of a record that came after all its windows closed. */
    public static final String LATE = "late";

    private final Pipeline pipeline;
    private final FrameEncoder frames = new FrameEncoder();

    /** An encoder for {@code pipeline}'s outputs. */
    public ResultEncoder(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * The records of {@code result}, with its batch's offsets as pass-through. The batch's payload
     * is read here for the last time (dead letters copy their values): a staged payload goes back
     * to its staging buffers ({@link RecordBatch#release()}).
     */
    public OutputBatch encode(BatchResult result) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        List<Frame> results = result.frames();
        for (int q = 0; q < results.size(); q++) {
            Frame frame = results.get(q);
            String topic = pipeline.outputTopics().get(q);
            if (frame.nesting() != null) {
                for (int r = 0; r < frame.nesting().records(); r++) {
                    int first = frame.nesting().bounds()[r];
                    records.add(new ProducerRecord<>(topic, frames.key(frame, first), frames.nestedValue(frame, r)));
                }
            } else {
                for (int row = 0; row < frame.rows(); row++) {
                    records.add(new ProducerRecord<>(topic, frames.key(frame, row), frames.value(frame, row)));
                }
            }
        }
        RecordBatch batch = result.batch();
        int[] rejected = result.rejected();
        for (int i = 0; i < rejected.length; i++) {
            records.add(deadLetter(batch, rejected[i], result.reasons()[i]));
        }
        for (int i = 0; i < result.late().length; i++) {
            ProducerRecord<byte[], byte[]> late = deadLetter(batch, result.late()[i], LATE);
            late.headers().add(OUTPUT_HEADER, pipeline.outputTopics().get(result.lateQuery()[i]).getBytes(StandardCharsets.UTF_8));
            records.add(late);
        }
        for (PartitionTime t : result.times()) {
            records.add(StateRecords.eventTime(pipeline, t));
        }
        SourceOffsets offsets = batch.sourceOffsets();
        batch.release();
        return new OutputBatch(records, offsets);
    }

    /**
     * The dead letter of record {@code index}: its value, key and headers as they came,
     * then Spate's headers saying why and from where (after the record's own, so that a reader
     * taking a header's last value gets Spate's even for a record dead-lettered twice).
     */
    private ProducerRecord<byte[], byte[]> deadLetter(RecordBatch batch, int index, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (int h = 0; h < batch.headerCount(index); h++) {
            headers.add(batch.headerName(index, h), batch.headerValue(index, h));
        }
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC_HEADER, batch.topic(index).getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION_HEADER, Integer.toString(batch.partition(index)).getBytes(StandardCharsets.US_ASCII));
        headers.add(OFFSET_HEADER, Long.toString(batch.offset(index)).getBytes(StandardCharsets.US_ASCII));
        headers.add(PIPELINE_HEADER, pipeline.name().getBytes(StandardCharsets.UTF_8));
        long timestamp = batch.timestamp(index);
        if (timestamp != RecordBatch.NO_TIMESTAMP) {
            headers.add(TIMESTAMP_HEADER, Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
        }
        // The dead letter is stamped when written: an old source timestamp would let the topic's
        // time-based retention delete it at once.
        return new ProducerRecord<>(pipeline.deadLetterTopic(), null, null, batch.key(index), batch.value(index), headers);
    }

    /** Number of records {@code result} makes. */
    public static int recordCount(BatchResult result) {
        int n = result.rejectedCount() + result.late().length + result.times().size();
        for (Frame f : result.frames()) {
            n += f.nesting() != null ? f.nesting().records() : f.rows();
        }
        return n;
    }
}
