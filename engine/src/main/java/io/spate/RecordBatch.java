package io.spate;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A batch of raw Kafka record values: all payload bytes back to back in one array, plus the
 * boundaries of each record and where it came from.
 *
 * <p>This is the unit of work of Spate. The per-record cost of building it is one copy of the
 * value bytes into {@link #data()}; everything after (parsing, grouping, aggregation) is done per
 * batch by a {@link io.spate.spi.ComputeBackend}. A batch is immutable once built and may be read
 * from several threads.
 */
public final class RecordBatch {

    private final byte[] data;
    private final int[] bounds;
    private final int count;
    private final int[] partitions;
    private final long[] offsets;
    private final int[] topicIndexes;
    private final List<String> topics;
    private final SourceOffsets sourceOffsets;
    private final long sequence;

    RecordBatch(byte[] data, int[] bounds, int count, int[] partitions, long[] offsets,
                int[] topicIndexes, List<String> topics, SourceOffsets sourceOffsets,
                long sequence) {
        this.data = data;
        this.bounds = bounds;
        this.count = count;
        this.partitions = partitions;
        this.offsets = offsets;
        this.topicIndexes = topicIndexes;
        this.topics = List.copyOf(topics);
        this.sourceOffsets = Objects.requireNonNull(sourceOffsets, "sourceOffsets");
        this.sequence = sequence;
    }

    /** A builder with room for {@code initialBytes} payload bytes and {@code initialRecords} records; both grow. */
    public static RecordBatchBuilder builder(int initialBytes, int initialRecords) {
        return new RecordBatchBuilder(initialBytes, initialRecords);
    }

    /** Builds a batch of the given values, as if read from partition 0 of {@code topic} from offset 0 on. */
    public static RecordBatch of(String topic, List<byte[]> values) {
        RecordBatchBuilder b = builder(1024, Math.max(1, values.size()));
        long offset = 0;
        for (byte[] v : values) {
            b.append(v, 0, v.length, topic, 0, offset++);
        }
        return b.build(SourceOffsets.NONE, 0);
    }

    /** Number of records. */
    public int count() {
        return count;
    }

    /** The payload bytes of all records back to back; index with {@link #start(int)} and {@link #end(int)}. Do not modify. */
    public byte[] data() {
        return data;
    }

    /** Total payload bytes. */
    public int byteSize() {
        return bounds[count];
    }

    /** Index in {@link #data()} of the first byte of record {@code i}. */
    public int start(int i) {
        return bounds[i];
    }

    /** Index in {@link #data()} one past the last byte of record {@code i}. */
    public int end(int i) {
        return bounds[i + 1];
    }

    /** The record boundaries: record {@code i} spans {@code [bounds[i], bounds[i+1])}; length {@code count()+1}. Do not modify. */
    public int[] bounds() {
        return bounds;
    }

    /** Copy of the value bytes of record {@code i} (for dead letters and tests, not for the hot path). */
    public byte[] value(int i) {
        return Arrays.copyOfRange(data, bounds[i], bounds[i + 1]);
    }

    /** Kafka partition record {@code i} was read from. */
    public int partition(int i) {
        return partitions[i];
    }

    /** Kafka offset of record {@code i} in its partition. */
    public long offset(int i) {
        return offsets[i];
    }

    /** Topic record {@code i} was read from. */
    public String topic(int i) {
        return topics.get(topicIndexes[i]);
    }

    /** The offsets to commit once everything computed from this batch is safely written. */
    public SourceOffsets sourceOffsets() {
        return sourceOffsets;
    }

    /** Position of this batch in its stream, starting at 0; used in logs and metrics. */
    public long sequence() {
        return sequence;
    }

    @Override
    public String toString() {
        return "RecordBatch[#" + sequence + ", " + count + " records, " + byteSize() + " bytes]";
    }
}
