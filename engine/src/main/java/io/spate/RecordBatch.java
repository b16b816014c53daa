package io.spate;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.spate.spi.BatchBuffers;

/**
 * A batch of raw Kafka record values: all payload bytes back to back in one array, plus the
 * boundaries of each record, where it came from, and its key, timestamp and headers.
 *
 * <p>This is the unit of work of Spate. The per-record cost of building it is one copy of the
 * value bytes into {@link #data()}; everything after (parsing, grouping, aggregation) is done per
 * batch by a {@link io.spate.spi.ComputeBackend}. A batch is immutable once built and may be read
 * from several threads.
 *
 * <p>The payload is a heap array, or a staging buffer lent by the backend's {@link BatchBuffers}
 * (pinned memory the GPU copies from): {@link #payload()} reads either without a copy, and
 * {@link #data()} makes a heap copy of a staged payload the first time it is asked (a backend that
 * staged the batch reads the buffer; the CPU reads arrays), except for a payload staged in a heap
 * buffer (the CPU backend's), whose array it returns, valid until {@link #release()}. A staged payload goes back to its
 * buffers with {@link #release()} once the batch's results are encoded; reading it afterwards fails.
 */
public final class RecordBatch {

    /** The timestamp of a record that has none (Kafka's {@code RecordBatch.NO_TIMESTAMP}). */
    public static final long NO_TIMESTAMP = -1L;

    /**
     * Keys, timestamps and headers of the records, in arrays: keys and header values are slices of
     * {@code bytes} (length -1 for null); record {@code i}'s headers are entries
     * {@code [headerEnds[i-1], headerEnds[i])}, their names indexes into {@code names};
     * {@code oldestTimestamp} is the smallest timestamp, or {@link #NO_TIMESTAMP} when none has one.
     */
    record Metadata(long[] timestamps, int[] keyStarts, int[] keyLengths, byte[] bytes, int[] headerEnds, int[] headerNames,
                    int[] headerStarts, int[] headerLengths, List<String> names, long oldestTimestamp) {

        Metadata {
            names = List.copyOf(names);
        }
    }

    private volatile byte[] data;
    private final ByteBuffer staged;
    private final BatchBuffers buffers;
    private volatile boolean released;
    private final int[] bounds;
    private final int count;
    private final int[] partitions;
    private final long[] offsets;
    private final int[] topicIndexes;
    private final List<String> topics;
    private final Metadata metadata;
    private final SourceOffsets sourceOffsets;
    private final long sequence;

    RecordBatch(byte[] data, ByteBuffer staged, BatchBuffers buffers, int[] bounds, int count, int[] partitions, long[] offsets,
                int[] topicIndexes, List<String> topics, Metadata metadata, SourceOffsets sourceOffsets,
                long sequence) {
        this.data = data;
        this.staged = staged;
        this.buffers = buffers;
        this.bounds = bounds;
        this.count = count;
        this.partitions = partitions;
        this.offsets = offsets;
        this.topicIndexes = topicIndexes;
        this.topics = List.copyOf(topics);
        this.metadata = metadata;
        this.sourceOffsets = Objects.requireNonNull(sourceOffsets, "sourceOffsets");
        this.sequence = sequence;
    }

    /** A builder with room for {@code initialBytes} payload bytes and {@code initialRecords} records; both grow. */
    public static RecordBatchBuilder builder(int initialBytes, int initialRecords) {
        return new RecordBatchBuilder(initialBytes, initialRecords, BatchBuffers.HEAP);
    }

    /**
     * A builder that writes the payload into a buffer from {@code buffers} (a heap array when they
     * have none free, or when they are {@link BatchBuffers#HEAP}).
     */
    public static RecordBatchBuilder builder(int initialBytes, int initialRecords, BatchBuffers buffers) {
        return new RecordBatchBuilder(initialBytes, initialRecords, Objects.requireNonNull(buffers, "buffers"));
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

    /**
     * The payload bytes of all records back to back; index with {@link #start(int)} and
     * {@link #end(int)}. Do not modify. For a batch staged in direct memory the first call copies
     * the payload to the heap (read {@link #payload()} to avoid that); for one staged in a heap
     * buffer it is that buffer's array, which may be longer, valid until {@link #release()}.
     */
    public byte[] data() {
        byte[] d = data;
        if (d == null && staged != null && staged.hasArray() && staged.arrayOffset() == 0) {
            // Staged in a heap array (the CPU backend's own buffers): that array is the payload.
            checkNotReleased();
            return staged.array();
        }
        if (d == null) {
            synchronized (this) {
                d = data;
                if (d == null) {
                    d = new byte[byteSize()];
                    payload().get(0, d);
                    data = d;
                }
            }
        }
        return d;
    }

    /**
     * The payload bytes as a read-only buffer from index 0 to {@link #byteSize()}: a view of the
     * heap array, or of the staging buffer (direct) the batch was built in. Valid until
     * {@link #release()}.
     */
    public ByteBuffer payload() {
        if (staged == null) {
            return ByteBuffer.wrap(data, 0, byteSize()).slice().asReadOnlyBuffer();
        }
        checkNotReleased();
        return staged.asReadOnlyBuffer().position(0).limit(byteSize()).slice();
    }

    /** The buffers that lent this batch's payload, or empty when it lives on the heap. */
    public Optional<BatchBuffers> stagedIn() {
        return Optional.ofNullable(buffers);
    }

    /**
     * Gives a staged payload back to its buffers; a no-op for a heap batch and after the first
     * call. Called once nothing reads the payload any more (after the batch's results are encoded);
     * {@link #data()} still works afterwards only if it had made its heap copy before.
     */
    public void release() {
        if (staged == null || released) {
            return;
        }
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        buffers.release(staged);
    }

    private void checkNotReleased() {
        if (released) {
            throw new IllegalStateException(this + ": its staged payload was released");
        }
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
        byte[] d = data;
        if (d != null) {
            return Arrays.copyOfRange(d, bounds[i], bounds[i + 1]);
        }
        byte[] v = new byte[bounds[i + 1] - bounds[i]];
        payload().get(bounds[i], v);
        return v;
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

    /** The Kafka timestamp of record {@code i} (epoch milliseconds), or {@link #NO_TIMESTAMP}. */
    public long timestamp(int i) {
        return metadata.timestamps[i];
    }

    /**
     * The oldest Kafka timestamp of the batch's records (epoch milliseconds), or
     * {@link #NO_TIMESTAMP} when none has one: where the batch's end-to-end latency starts.
     */
    public long oldestTimestamp() {
        return metadata.oldestTimestamp;
    }

    /** Copy of the key of record {@code i}, or {@code null} when it has none. */
    public byte[] key(int i) {
        return slice(metadata.keyStarts[i], metadata.keyLengths[i]);
    }

    /**
     * The keys and header values of all records back to back; index with {@link #keyStart},
     * {@link #keyLength}, {@link #headerStart} and {@link #headerLength}. Do not modify.
     */
    public byte[] metadataBytes() {
        return metadata.bytes;
    }

    /** Index in {@link #metadataBytes()} of the key of record {@code i}. */
    public int keyStart(int i) {
        return metadata.keyStarts[i];
    }

    /** Length of the key of record {@code i}, or -1 when it has none. */
    public int keyLength(int i) {
        return metadata.keyLengths[i];
    }

    /** Number of headers of record {@code i}. */
    public int headerCount(int i) {
        return metadata.headerEnds[i] - firstHeader(i);
    }

    /** Name of header {@code h} (from 0) of record {@code i}. */
    public String headerName(int i, int h) {
        return metadata.names.get(metadata.headerNames[firstHeader(i) + h]);
    }

    /** Copy of the value of header {@code h} (from 0) of record {@code i}, or {@code null} when it has none. */
    public byte[] headerValue(int i, int h) {
        int e = firstHeader(i) + h;
        return slice(metadata.headerStarts[e], metadata.headerLengths[e]);
    }

    /**
     * The header of record {@code i} called {@code name}, as an entry for {@link #headerStart} and
     * {@link #headerLength}: its last one when the name repeats, -1 when it has none. Finds the name
     * once per call; a loop over records looks it up once with {@link #headerNameIndex}.
     */
    public int header(int i, String name) {
        return header(i, headerNameIndex(name));
    }

    /** The index of header name {@code name} in this batch, for {@link #header(int, int)}; -1 when no record has it. */
    public int headerNameIndex(String name) {
        return metadata.names.indexOf(name);
    }

    /** The header of record {@code i} whose name has index {@code nameIndex} (see {@link #header(int, String)}). */
    public int header(int i, int nameIndex) {
        if (nameIndex < 0) {
            return -1;
        }
        for (int e = metadata.headerEnds[i] - 1, first = firstHeader(i); e >= first; e--) {
            if (metadata.headerNames[e] == nameIndex) {
                return e;
            }
        }
        return -1;
    }

    /** Index in {@link #metadataBytes()} of the value of header entry {@code entry}. */
    public int headerStart(int entry) {
        return metadata.headerStarts[entry];
    }

    /** Length of the value of header entry {@code entry}, or -1 when it has none. */
    public int headerLength(int entry) {
        return metadata.headerLengths[entry];
    }

    private int firstHeader(int i) {
        return i == 0 ? 0 : metadata.headerEnds[i - 1];
    }

    private byte[] slice(int start, int length) {
        return length < 0 ? null : Arrays.copyOfRange(metadata.bytes, start, start + length);
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
