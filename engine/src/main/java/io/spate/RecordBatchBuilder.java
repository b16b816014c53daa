package io.spate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.spate.spi.BatchBuffers;

/**
 * Accumulates record values into one growing byte array, or into a staging buffer lent by
 * {@link BatchBuffers} (pinned memory a GPU copies from directly), and their Kafka metadata (key,
 * timestamp, headers) beside them. Appending a record copies its bytes and writes a few
 * primitives; nothing is allocated per record except when the arrays grow (doubling). Keys and
 * header values go back to back into a second byte array, header names into a short list of the
 * distinct names seen. A staging buffer that fills up is traded for a larger one, or for a heap array when
 * none is free. Not thread-safe; one builder fills one batch and is then spent.
 */
public final class RecordBatchBuilder {

    private final BatchBuffers buffers;
    private byte[] data;
    private ByteBuffer staged;
    private int[] bounds;
    private int[] partitions;
    private long[] offsets;
    private int[] topicIndexes;
    private long[] timestamps;
    private int[] keyStarts;
    private int[] keyLengths;
    private byte[] meta = new byte[64];
    private int metaSize;
    private int[] headerEnds;
    private int[] headerNames = new int[0];
    private int[] headerStarts = new int[0];
    private int[] headerLengths = new int[0];
    private int headerCount;
    private final List<String> names = new ArrayList<>(1);
    private final List<String> topics = new ArrayList<>(1);
    private String lastTopic;
    private int lastTopicIndex = -1;
    private long oldestTimestamp = RecordBatch.NO_TIMESTAMP;
    private int count;
    private int size;
    private boolean built;

    RecordBatchBuilder(int initialBytes, int initialRecords, BatchBuffers buffers) {
        this.buffers = buffers;
        staged = buffers == BatchBuffers.HEAP ? null : buffers.allocate(Math.max(16, initialBytes));
        if (staged == null) {
            data = new byte[Math.max(16, initialBytes)];
        }
        int n = Math.max(4, initialRecords);
        bounds = new int[n + 1];
        partitions = new int[n];
        offsets = new long[n];
        topicIndexes = new int[n];
        timestamps = new long[n];
        keyStarts = new int[n];
        keyLengths = new int[n];
        headerEnds = new int[n];
    }

    /**
     * Appends {@code value[from, from+length)} as one record read from {@code topic}/{@code partition}
     * at {@code offset}, with no key, no timestamp ({@link RecordBatch#NO_TIMESTAMP}) and no headers.
     */
    public void append(byte[] value, int from, int length, String topic, int partition, long offset) {
        append(value, from, length, topic, partition, offset, RecordBatch.NO_TIMESTAMP, null);
    }

    /**
     * Appends {@code value[from, from+length)} as one record read from {@code topic}/{@code partition}
     * at {@code offset}, with its Kafka {@code timestamp} (epoch milliseconds, or
     * {@link RecordBatch#NO_TIMESTAMP}) and {@code key} (copied; {@code null} for none). Its headers
     * follow with {@link #header}.
     */
    public void append(byte[] value, int from, int length, String topic, int partition, long offset, long timestamp, byte[] key) {
        int at = reserve(length);
        if (staged != null) {
            staged.put(at, value, from, length);
        } else {
            System.arraycopy(value, from, data, at, length);
        }
        finish(length, topic, partition, offset, timestamp, key == null ? -1 : appendMeta(key), key == null ? -1 : key.length);
    }

    /**
     * Appends the remaining bytes of {@code value} as one record, like
     * {@link #append(byte[], int, int, String, int, long, long, byte[])}: the bytes are copied
     * straight from the buffer (a view of the consumer's fetched bytes, say), whose position is left
     * as it was. {@code key} is copied the same way; {@code null} for none.
     */
    public void append(ByteBuffer value, String topic, int partition, long offset, long timestamp, ByteBuffer key) {
        int length = value.remaining();
        int at = reserve(length);
        if (staged != null) {
            staged.put(at, value, value.position(), length);
        } else {
            value.get(value.position(), data, at, length);
        }
        int keyAt = -1;
        int keyLength = -1;
        if (key != null) {
            keyLength = key.remaining();
            keyAt = reserveMeta(keyLength);
            key.get(key.position(), meta, keyAt, keyLength);
        }
        finish(length, topic, partition, offset, timestamp, keyAt, keyLength);
    }

    /** Makes room for a record of {@code length} bytes; returns where its bytes go. */
    private int reserve(int length) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (count == partitions.length) {
            int n = count * 2;
            bounds = Arrays.copyOf(bounds, n + 1);
            partitions = Arrays.copyOf(partitions, n);
            offsets = Arrays.copyOf(offsets, n);
            topicIndexes = Arrays.copyOf(topicIndexes, n);
            timestamps = Arrays.copyOf(timestamps, n);
            keyStarts = Arrays.copyOf(keyStarts, n);
            keyLengths = Arrays.copyOf(keyLengths, n);
            headerEnds = Arrays.copyOf(headerEnds, n);
        }
        int needed = size + length;
        if (staged != null) {
            if (needed > staged.capacity()) {
                growStaged(needed);
            }
        } else if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length)));
        }
        return size;
    }

    /** Records the appended record's length and metadata; its value bytes are in place. */
    private void finish(int length, String topic, int partition, long offset, long timestamp, int keyAt, int keyLength) {
        partitions[count] = partition;
        offsets[count] = offset;
        topicIndexes[count] = topicIndex(topic);
        timestamps[count] = timestamp;
        if (timestamp != RecordBatch.NO_TIMESTAMP && (oldestTimestamp == RecordBatch.NO_TIMESTAMP || timestamp < oldestTimestamp)) {
            oldestTimestamp = timestamp;
        }
        keyStarts[count] = Math.max(0, keyAt);
        keyLengths[count] = keyLength;
        headerEnds[count] = headerCount;
        count++;
        size += length;
        bounds[count] = size;
    }

    /**
     * Adds header {@code name} with {@code value} (copied; {@code null} for none) to the record
     * appended last. A name may repeat, as in Kafka; readers take its last value.
     */
    public void header(String name, byte[] value) {
        if (built || count == 0) {
            throw new IllegalStateException(built ? "batch already built" : "no record to add a header to");
        }
        if (headerCount == headerNames.length) {
            int n = Math.max(8, 2 * headerCount);
            headerNames = Arrays.copyOf(headerNames, n);
            headerStarts = Arrays.copyOf(headerStarts, n);
            headerLengths = Arrays.copyOf(headerLengths, n);
        }
        headerNames[headerCount] = nameIndex(name);
        headerStarts[headerCount] = value == null ? 0 : appendMeta(value);
        headerLengths[headerCount] = value == null ? -1 : value.length;
        headerCount++;
        headerEnds[count - 1] = headerCount;
    }

    private int appendMeta(byte[] bytes) {
        int at = reserveMeta(bytes.length);
        System.arraycopy(bytes, 0, meta, at, bytes.length);
        return at;
    }

    /** Makes room for {@code length} metadata bytes; returns where they go. */
    private int reserveMeta(int length) {
        int at = metaSize;
        if (at + length > meta.length) {
            meta = Arrays.copyOf(meta, Math.max(at + length, (int) Math.min(Integer.MAX_VALUE - 8, 2L * meta.length)));
        }
        metaSize = at + length;
        return at;
    }

    private int nameIndex(String name) {
        // Few distinct names per batch: a scan beats hashing each one.
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equals(name)) {
                return i;
            }
        }
        names.add(name);
        return names.size() - 1;
    }

    /** Moves the bytes so far into a larger staging buffer, or into a heap array when none is free. */
    private void growStaged(int needed) {
        int grown = Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * staged.capacity()));
        ByteBuffer old = staged;
        staged = buffers.allocate(grown);
        if (staged != null) {
            staged.put(0, old, 0, size);
        } else {
            data = new byte[grown];
            old.get(0, data, 0, size);
        }
        buffers.release(old);
    }

    private int topicIndex(String topic) {
        // Topic strings come from the consumer's own records, so identity almost always hits.
        if (topic == lastTopic) {
            return lastTopicIndex;
        }
        int i = topics.indexOf(topic);
        if (i < 0) {
            topics.add(topic);
            i = topics.size() - 1;
        }
        lastTopic = topic;
        lastTopicIndex = i;
        return i;
    }

    /** Records appended so far. */
    public int count() {
        return count;
    }

    /** Payload bytes appended so far. */
    public int byteSize() {
        return size;
    }

    /** Seals the batch. The builder must not be used afterwards. */
    public RecordBatch build(SourceOffsets sourceOffsets, long sequence) {
        built = true;
        RecordBatch.Metadata metadata = new RecordBatch.Metadata(timestamps, keyStarts, keyLengths, meta, headerEnds, headerNames,
                headerStarts, headerLengths, names, oldestTimestamp);
        return new RecordBatch(data, staged, staged == null ? null : buffers, bounds, count, partitions, offsets, topicIndexes, topics,
                metadata, sourceOffsets, sequence);
    }
}
