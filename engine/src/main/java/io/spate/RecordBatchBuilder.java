package io.spate;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.spate.spi.BatchBuffers;

/**
 * Accumulates record values into one growing byte array, or into a staging buffer lent by
 * {@link BatchBuffers} (pinned memory a GPU copies from directly). Appending a record copies its
 * bytes and writes a few primitives; nothing is allocated per record except when the arrays grow
 * (doubling). A staging buffer that fills up is traded for a larger one, or for a heap array when
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
    private final List<String> topics = new ArrayList<>(1);
    private String lastTopic;
    private int lastTopicIndex = -1;
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
    }

    /** Appends {@code value[from, from+length)} as one record read from {@code topic}/{@code partition} at {@code offset}. */
    public void append(byte[] value, int from, int length, String topic, int partition, long offset) {
        if (built) {
            throw new IllegalStateException("batch already built");
        }
        if (count == partitions.length) {
            int n = count * 2;
            bounds = Arrays.copyOf(bounds, n + 1);
            partitions = Arrays.copyOf(partitions, n);
            offsets = Arrays.copyOf(offsets, n);
            topicIndexes = Arrays.copyOf(topicIndexes, n);
        }
        int needed = size + length;
        if (staged != null) {
            if (needed > staged.capacity()) {
                growStaged(needed);
            }
            if (staged != null) {
                staged.put(size, value, from, length);
            }
        } else if (needed > data.length) {
            data = Arrays.copyOf(data, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, 2L * data.length)));
        }
        if (staged == null) {
            System.arraycopy(value, from, data, size, length);
        }
        size = needed;
        partitions[count] = partition;
        offsets[count] = offset;
        topicIndexes[count] = topicIndex(topic);
        count++;
        bounds[count] = size;
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
        return new RecordBatch(data, staged, staged == null ? null : buffers, bounds, count, partitions, offsets, topicIndexes, topics,
                sourceOffsets, sequence);
    }
}
