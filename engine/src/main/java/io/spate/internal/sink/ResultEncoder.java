package io.spate.internal.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
    /** Header with the size in bytes of a dead letter's original value, when it was cut to fit the dead-letter topic. */
    public static final String SIZE_HEADER = "spate.source.size";
    /** Header naming what of a dead letter was cut to fit the dead-letter topic: {@code value}, and {@code key}, {@code headers}. */
    public static final String TRUNCATED_HEADER = "spate.error.truncated";
    /** Header with the name of the pipeline that rejected the record. */
    public static final String PIPELINE_HEADER = "spate.pipeline";
    /** Header naming the output (topic) a late record was not counted in. */
    public static final String OUTPUT_HEADER = "spate.output";
    /** The reason of a record that came after all its windows closed. */
    public static final String LATE = "late";

    /** Kafka's default largest record, less framing: the dead-letter limit when none is given. */
    public static final int DEFAULT_DEAD_LETTER_MAX_BYTES = 1_048_588 - 64 * 1024;

    private final Pipeline pipeline;
    private final int deadLetterMaxBytes;
    private final FrameEncoder frames = new FrameEncoder();

    /** An encoder for {@code pipeline}'s outputs, with dead letters up to {@link #DEFAULT_DEAD_LETTER_MAX_BYTES}. */
    public ResultEncoder(Pipeline pipeline) {
        this(pipeline, DEFAULT_DEAD_LETTER_MAX_BYTES);
    }

    /**
     * An encoder for {@code pipeline}'s outputs whose dead letters (value, key and headers) stay
     * within {@code deadLetterMaxBytes}: a larger one is cut to fit, and says so in its headers.
     */
    public ResultEncoder(Pipeline pipeline, int deadLetterMaxBytes) {
        this.pipeline = pipeline;
        this.deadLetterMaxBytes = deadLetterMaxBytes;
    }

    /**
     * The records of {@code result}, with its batch's offsets as pass-through. The batch's payload
     * is read here for the last time (dead letters copy their values): a staged payload goes back
     * to its staging buffers ({@link RecordBatch#release()}).
     */
    public OutputBatch encode(BatchResult result) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        addResults(result.frames(), records);
        addPerRecord(result, records);
        RecordBatch batch = result.batch();
        SourceOffsets offsets = batch.sourceOffsets();
        long oldest = batch.oldestTimestamp();
        batch.release();
        return new OutputBatch(records, offsets, oldest);
    }

    /** Adds the records of {@code frames} (one per query, in the pipeline's output order): one per group, or per nested record. */
    void addResults(List<Frame> frames, List<ProducerRecord<byte[], byte[]>> records) {
        for (int q = 0; q < frames.size(); q++) {
            Frame frame = frames.get(q);
            String topic = pipeline.outputTopics().get(q);
            if (frame.nesting() != null) {
                for (int r = 0; r < frame.nesting().records(); r++) {
                    int first = frame.nesting().bounds()[r];
                    records.add(new ProducerRecord<>(topic, this.frames.key(frame, first), this.frames.nestedValue(frame, r)));
                }
            } else {
                for (int row = 0; row < frame.rows(); row++) {
                    records.add(new ProducerRecord<>(topic, this.frames.key(frame, row), this.frames.value(frame, row)));
                }
            }
        }
    }

    /**
     * Adds the records that stand for single input records or partitions, not groups: the dead
     * letters of malformed and late records (their values copied, so the batch may go), and the
     * event times of windowed outputs.
     */
    void addPerRecord(BatchResult result, List<ProducerRecord<byte[], byte[]>> records) {
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
    }

    /**
     * The dead letter of record {@code index}: its value, key and headers as they came,
     * then Spate's headers saying why and from where (after the record's own, so that a reader
     * taking a header's last value gets Spate's even for a record dead-lettered twice).
     */
    private ProducerRecord<byte[], byte[]> deadLetter(RecordBatch batch, int index, String reason) {
        byte[] key = batch.key(index);
        byte[] value = batch.value(index);
        RecordHeaders own = new RecordHeaders();
        int ownBytes = 0;
        for (int h = 0; h < batch.headerCount(index); h++) {
            String name = batch.headerName(index, h);
            byte[] v = batch.headerValue(index, h);
            own.add(name, v);
            ownBytes += name.length() + (v == null ? 0 : v.length) + 8;
        }
        List<String> cut = new ArrayList<>(3);
        int keyBytes = key == null ? 0 : key.length;
        // Spate's own headers and the record framing take well under the 64 KiB the limit leaves.
        if (keyBytes + ownBytes + value.length > deadLetterMaxBytes) {
            // What cannot be written whole is cut: the headers and key first if they alone are too
            // large, then the value to what is left, so that the record is never refused.
            if (ownBytes > deadLetterMaxBytes / 4) {
                own = new RecordHeaders();
                ownBytes = 0;
                cut.add("headers");
            }
            if (keyBytes > deadLetterMaxBytes / 4) {
                key = Arrays.copyOf(key, deadLetterMaxBytes / 4);
                keyBytes = key.length;
                cut.add("key");
            }
            int room = deadLetterMaxBytes - keyBytes - ownBytes;
            if (value.length > room) {
                cut.add(0, "value");
            }
        }
        RecordHeaders headers = own;
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(TOPIC_HEADER, batch.topic(index).getBytes(StandardCharsets.UTF_8));
        headers.add(PARTITION_HEADER, Integer.toString(batch.partition(index)).getBytes(StandardCharsets.US_ASCII));
        headers.add(OFFSET_HEADER, Long.toString(batch.offset(index)).getBytes(StandardCharsets.US_ASCII));
        long timestamp = batch.timestamp(index);
        if (timestamp != RecordBatch.NO_TIMESTAMP) {
            headers.add(TIMESTAMP_HEADER, Long.toString(timestamp).getBytes(StandardCharsets.US_ASCII));
        }
        headers.add(PIPELINE_HEADER, pipeline.name().getBytes(StandardCharsets.UTF_8));
        if (!cut.isEmpty()) {
            int room = deadLetterMaxBytes - keyBytes - ownBytes;
            headers.add(SIZE_HEADER, Integer.toString(value.length).getBytes(StandardCharsets.US_ASCII));
            headers.add(TRUNCATED_HEADER, String.join(",", cut).getBytes(StandardCharsets.US_ASCII));
            if (value.length > room) {
                value = Arrays.copyOf(value, Math.max(0, room));
            }
        }
        // The dead letter is stamped when written: an old source timestamp would let the topic's
        // time-based retention delete it at once.
        return new ProducerRecord<>(pipeline.deadLetterTopic(), null, null, key, value, headers);
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
