package io.spate.internal.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.Window;

/**
 * Puts the selected records of a batch into event-time windows, and keeps the largest event time
 * seen per input partition, from which each partition's watermark follows (see {@link Window} for
 * the rules). It walks the accepted records in batch order, which within a partition is offset
 * order, so the decision for each record depends only on the records before it in its partition.
 *
 * <p>Public as internal API: the GPU backend, which groups on the device, asks the kernel of its
 * CPU twin which windows each record goes to, so that both paths share one event-time state.
 */
public final class WindowKernel {

    /** Timestamps farther from the epoch than this (about 146,000 years) are never on time: window arithmetic stays exact. */
    private static final long TIME_LIMIT = 1L << 62;
    /** The largest time of a partition known to exist but not read from yet: it holds back eviction. */
    private static final long NOT_SEEN = Long.MIN_VALUE + 1;

    private final long size;
    private final long advance;
    private final long outOfOrderness;
    private final long lateness;
    private final long retention;
    private final Window.Unit unit;
    private final int timeColumn;
    private final int query;
    /** Per topic, per partition: the largest event time seen, {@link #NOT_SEEN}, or {@link Long#MIN_VALUE} for no such partition known. */
    private final Map<String, long[]> maxTimes = new HashMap<>();
    /** Per topic, per partition: whether this batch moved it. */
    private final Map<String, boolean[]> moved = new HashMap<>();
    /** The largest event times as {@link #mark} saw them, or null. */
    private Map<String, long[]> markedTimes;
    /** Windows that close at or before this were dropped from the state: records for them are late everywhere. */
    private long evictedThrough = Long.MIN_VALUE;

    private int[] entrySel = new int[0];
    private long[] entryStart = new long[0];
    private int entries;
    private int[] late = new int[0];
    private int lateCount;

    /** The kernel of query number {@code query}'s {@code window}, whose time column is {@code timeColumn} of the decoded batch. */
    WindowKernel(Window window, int timeColumn, int query) {
        this.size = window.size().toMillis();
        this.advance = window.advance().toMillis();
        this.outOfOrderness = window.outOfOrderness().toMillis();
        this.lateness = window.allowedLateness().toMillis();
        this.retention = window.retention().toMillis();
        this.unit = window.unit();
        this.timeColumn = timeColumn;
        this.query = query;
    }

    /** Window length in milliseconds. */
    public long size() {
        return size;
    }

    /**
     * Assigns the records {@code sel[0, n)} (an ascending subset of the accepted rows of
     * {@code decoded}, whose rows are the records of {@code batch}) to their open windows, and moves
     * every partition's event time past its accepted records. Afterwards {@link #entries()} pairs
     * (selection index, window start) are in {@link #entrySel()} and {@link #entryStart()}, and the
     * records late for all their windows in {@link #late()}.
     */
    void assign(DecodedBatch decoded, RecordBatch batch, int[] sel, int n) {
        if (decoded.type(timeColumn) == ColumnType.UTF8) {
            long[] times = IsoTimes.parse(decoded, timeColumn);
            assign(times, Window.Unit.MILLIS, decoded.accepted(), decoded.acceptedCount(), batch, sel, n);
        } else {
            assign(decoded.longs(timeColumn), unit, decoded.accepted(), decoded.acceptedCount(), batch, sel, n);
        }
    }

    /**
     * {@link #assign(DecodedBatch, RecordBatch, int[], int)} over columns decoded elsewhere:
     * {@code times} the time column by row, in the window's unit (read as milliseconds here),
     * {@code accepted[0, acceptedCount)} the accepted rows
     * ascending, {@code sel[0, n)} the selected ones among them.
     */
    public void assign(long[] times, int[] accepted, int acceptedCount, RecordBatch batch, int[] sel, int n) {
        assign(times, unit, accepted, acceptedCount, batch, sel, n);
    }

    private void assign(long[] times, Window.Unit unit, int[] accepted, int acceptedCount, RecordBatch batch, int[] sel, int n) {
        int perRecord = (int) (size / advance);
        if (entrySel.length < n * perRecord) {
            entrySel = new int[n * perRecord];
            entryStart = new long[n * perRecord];
        }
        entries = 0;
        lateCount = 0;
        String topic = null;
        long[] max = null;
        boolean[] touched = null;
        int j = 0;
        for (int a = 0; a < acceptedCount; a++) {
            int row = accepted[a];
            if (batch.topic(row) != topic) {
                topic = batch.topic(row);
                max = maxTimes.get(topic);
                touched = moved.get(topic);
            }
            int p = batch.partition(row);
            if (max == null || p >= max.length) {
                max = grow(topic, p);
                touched = moved.get(topic);
            }
            // A time that does not fit in milliseconds comes out as Long.MAX_VALUE: out of range, so late.
            long t = unit.toMillis(times[row], Long.MAX_VALUE);
            boolean inRange = t > -TIME_LIMIT && t < TIME_LIMIT;
            if (j < n && sel[j] == row) {
                if (!inRange || !place(j, t, watermark(max[p]))) {
                    if (late.length == lateCount) {
                        late = Arrays.copyOf(late, Math.max(16, 2 * lateCount));
                    }
                    late[lateCount++] = row;
                }
                j++;
            }
            if (inRange && t > max[p]) {
                max[p] = t;
                touched[p] = true;
            }
        }
    }

    /**
     * Remembers every partition's event time as it is now, before a batch whose run may fail after
     * {@link #assign} (the GPU backend's device run): see {@link #rollBack}.
     */
    public void mark() {
        markedTimes = new HashMap<>();
        maxTimes.forEach((topic, max) -> markedTimes.put(topic, max.clone()));
    }

    /**
     * Sets the event times back to the last {@link #mark}, with no partition marked as moved, so
     * that the batch whose run failed is assigned again from the same time, not from past itself.
     */
    public void rollBack() {
        if (markedTimes == null) {
            return;
        }
        maxTimes.clear();
        moved.clear();
        markedTimes.forEach((topic, max) -> {
            maxTimes.put(topic, max);
            moved.put(topic, new boolean[max.length]);
        });
        markedTimes = null;
    }

    /** Adds an entry for each open window of time {@code t}; returns whether there was one. */
    private boolean place(int selIndex, long t, long watermark) {
        boolean placed = false;
        for (long start = Math.floorDiv(t, advance) * advance; start > t - size; start -= advance) {
            long closes = closes(start);
            if (closes > watermark && closes > evictedThrough) {
                entrySel[entries] = selIndex;
                entryStart[entries] = start;
                entries++;
                placed = true;
            }
        }
        return placed;
    }

    /** The watermark that follows from a partition's largest event time (Flink's bounded out-of-orderness). */
    private long watermark(long maxTime) {
        return maxTime <= NOT_SEEN ? Long.MIN_VALUE : maxTime - outOfOrderness - 1;
    }

    /** The watermark at or past which the window starting at {@code start} accepts nothing more. */
    public long closes(long start) {
        return start + size - 1 + lateness;
    }

    private long[] grow(String topic, int partition) {
        long[] max = maxTimes.get(topic);
        int from = max == null ? 0 : max.length;
        max = max == null ? new long[partition + 1] : Arrays.copyOf(max, Math.max(partition + 1, 2 * max.length));
        Arrays.fill(max, from, max.length, Long.MIN_VALUE);
        maxTimes.put(topic, max);
        boolean[] touched = moved.get(topic);
        moved.put(topic, touched == null ? new boolean[max.length] : Arrays.copyOf(touched, max.length));
        return max;
    }

    /** Number of (record, window) pairs of the last batch. */
    public int entries() {
        return entries;
    }

    /** For each entry, the index into the selection of its record. */
    public int[] entrySel() {
        return entrySel;
    }

    /** For each entry, the start of its window. */
    public long[] entryStart() {
        return entryStart;
    }

    /** The rows of the last batch's late records, in batch order: {@link #lateCount()} of them. */
    public int[] late() {
        return late;
    }

    /** Number of late records in the last batch. */
    public int lateCount() {
        return lateCount;
    }

    /** The partitions whose largest event time the last batch moved, and that time; clears the marks. */
    public List<PartitionTime> movedTimes() {
        List<PartitionTime> out = new ArrayList<>();
        for (Map.Entry<String, boolean[]> e : moved.entrySet()) {
            boolean[] touched = e.getValue();
            long[] max = maxTimes.get(e.getKey());
            for (int p = 0; p < touched.length; p++) {
                if (touched[p]) {
                    out.add(new PartitionTime(query, e.getKey(), p, max[p]));
                    touched[p] = false;
                }
            }
        }
        return out;
    }

    /**
     * Sets a partition's largest event time, as saved before a restart; {@link Long#MIN_VALUE}
     * makes the partition known though not read from yet, so that it holds back eviction.
     */
    void restore(String topic, int partition, long maxTime) {
        long[] max = maxTimes.get(topic);
        if (max == null || partition >= max.length) {
            max = grow(topic, partition);
        }
        max[partition] = Math.max(max[partition], Math.max(maxTime, NOT_SEEN));
    }

    /**
     * The watermark every partition known has passed (those known but not read from yet hold it
     * back; those never heard of do not), less the retention, if that passed a window boundary since the last eviction: windows
     * closing at or before it can be dropped. {@link Long#MIN_VALUE} if nothing new
     * can be dropped. Records for dropped windows are late from then on, whatever their partition.
     */
    public long evictable() {
        long min = Long.MAX_VALUE;
        for (long[] max : maxTimes.values()) {
            for (long m : max) {
                if (m == NOT_SEEN) {
                    return Long.MIN_VALUE;
                }
                if (m != Long.MIN_VALUE) {
                    min = Math.min(min, watermark(m));
                }
            }
        }
        if (min == Long.MAX_VALUE || min < Long.MIN_VALUE + retention) {
            return Long.MIN_VALUE;
        }
        min -= retention;
        if (evictedThrough != Long.MIN_VALUE && Math.floorDiv(min - lateness, advance) <= Math.floorDiv(evictedThrough - lateness, advance)) {
            return Long.MIN_VALUE;
        }
        return min;
    }

    /** Records that windows closing at or before {@code watermark} were dropped. */
    public void evicted(long watermark) {
        evictedThrough = Math.max(evictedThrough, watermark);
    }
}
