package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.internal.cpu.WindowKernel;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * The windowed queries of one {@link DeviceRun}: per query, the device says which records pass the
 * filters and copies back their times, the host assigns their windows ({@link WindowEntries}, with
 * the query's {@link WindowKernel}), and the device groups the (record, window) entries
 * (window_insert, window_compact). Buffers are taken before any window is assigned
 * ({@link #reserve}) and event time is set back when the run fails after ({@link #rollBack}), so
 * that the batch's re-run on the CPU twin starts from the event time the batch found.
 */
final class WindowGroupBy {

    private final DeviceRun groups;
    private final GpuDevice device;
    private final DeviceMemory memory;
    private final List<DeviceQuery> queries;
    /** Per query, the kernel that holds its event time (the CPU twin's), or null without windows. */
    private final List<WindowKernel> windows;
    private final WindowEntries entries;
    private final long hashMask;

    WindowGroupBy(DeviceRun groups, GpuDevice device, DeviceMemory memory, List<DeviceQuery> queries, List<WindowKernel> windows,
                  WindowEntries entries, long hashMask) {
        this.groups = groups;
        this.device = device;
        this.memory = memory;
        this.queries = queries;
        this.windows = windows;
        this.entries = entries;
        this.hashMask = hashMask;
    }

    /** Whether any query has windows. */
    boolean any() {
        return windows.stream().anyMatch(w -> w != null);
    }

    /** The kernel of query {@code i}. */
    WindowKernel window(int i) {
        return windows.get(i);
    }

    /** Remembers the event time of every windowed query, before the batch's first window is assigned. */
    void mark() {
        for (WindowKernel w : windows) {
            if (w != null) {
                w.mark();
            }
        }
    }

    /** Sets the event time back to {@link #mark}: the batch runs again on the CPU twin. */
    void rollBack() {
        for (WindowKernel w : windows) {
            if (w != null) {
                w.rollBack();
            }
        }
    }

    /** The late records and moved times of the windowed queries, in query order as the CPU lists them. */
    DeviceRun.EventTime eventTime() {
        int count = 0;
        for (WindowKernel w : windows) {
            count += w == null ? 0 : w.lateCount();
        }
        int[] late = new int[count];
        int[] lateQuery = new int[count];
        List<PartitionTime> times = new ArrayList<>();
        int at = 0;
        for (int q = 0; q < windows.size(); q++) {
            WindowKernel w = windows.get(q);
            if (w != null) {
                System.arraycopy(w.late(), 0, late, at, w.lateCount());
                Arrays.fill(lateQuery, at, at + w.lateCount(), q);
                at += w.lateCount();
                times.addAll(w.movedTimes());
            }
        }
        return new DeviceRun.EventTime(late, lateQuery, times);
    }

    /** Windows per record of {@code q} (size over advance). */
    private static int perRecord(DeviceQuery q) {
        return (int) (q.window.size().toMillis() / q.window.advance().toMillis());
    }

    /**
     * Takes every buffer the group-bys of a batch of {@code n} records can need, at the most any
     * query needs, so that running out of device memory or table room shows before the first
     * window kernel moves event time (a batch re-run on the CPU must start from the same time).
     */
    void reserve(int n) {
        int most = 1;
        int words = 1;
        int stride = 1;
        for (DeviceQuery q : queries) {
            int per = q.window == null ? 1 : perRecord(q);
            most = Math.max(most, per);
            words = Math.max(words, q.accumulatorWords());
            stride = Math.max(stride, 3 + q.keyCount + q.accumulatorWords());
        }
        long pairs = (long) n * most;
        if (pairs > 1 << 29) {
            throw new GpuCapacityException("a batch of " + n + " records in " + most + " windows each needs a group table larger than 2^30 slots");
        }
        int cap = DeviceRun.capacity((int) pairs);
        memory.device(DeviceMemory.Dev.SELECTED, n);
        memory.device(DeviceMemory.Dev.ENTRY_ROW, 4L * pairs);
        memory.device(DeviceMemory.Dev.ENTRY_START, 8L * pairs);
        memory.device(DeviceMemory.Dev.SLOT_ROW, 4L * cap);
        memory.device(DeviceMemory.Dev.FIRST_ROW, 4L * cap);
        memory.device(DeviceMemory.Dev.COUNTS, 8L * cap);
        memory.device(DeviceMemory.Dev.ACC, 8L * words * cap);
        memory.device(DeviceMemory.Dev.OUT, 8L * stride * cap);
        memory.pinned(DeviceMemory.Host.SELECTED, n);
        memory.pinned(DeviceMemory.Host.TIMES, 8L * n);
        memory.pinned(DeviceMemory.Host.ENTRIES, WindowEntries.bytes(n, most));
        memory.pinned(DeviceMemory.Host.OUT, 8L * stride * cap);
    }

    /**
     * The packed rows of one windowed query's (window, group) pairs: the device says which records
     * pass the filters, the host assigns their windows with {@code window}, the device groups the
     * entries (see {@link GroupFrames}; window_start is the word before the keys).
     */
    long[] run(DeviceQuery q, WindowKernel window, RecordBatch batch, ByteBuffer hostReason, CUdeviceptr data,
                                 CUdeviceptr starts, CUdeviceptr lengths, CUdeviceptr longs, CUdeviceptr reason) {
        int n = batch.count();
        int na = q.fns.length;
        CUdeviceptr desc = groups.upload(q);
        CUdeviceptr literals = memory.device(DeviceMemory.Dev.LITERALS, q.literals.length);
        CUdeviceptr selected = memory.device(DeviceMemory.Dev.SELECTED, n);
        device.launch("group_select", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(longs), Pointer.to(reason), Pointer.to(desc), Pointer.to(new int[] {q.filters}), Pointer.to(literals),
                Pointer.to(selected)));
        ByteBuffer hostSelected = memory.pinned(DeviceMemory.Host.SELECTED, n);
        ByteBuffer hostTimes = memory.pinned(DeviceMemory.Host.TIMES, 8L * n);
        CUstream stream = device.stream(0);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.SELECTED), selected, n, stream);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.TIMES), longs.withByteOffset(8L * q.timeColumn * n), 8L * n, stream);
        device.sync(0);
        ByteBuffer hostEntries = memory.pinned(DeviceMemory.Host.ENTRIES, WindowEntries.bytes(n, perRecord(q)));
        int m = entries.assign(window, batch, n, hostReason, hostSelected, hostTimes, hostEntries);
        if (m == 0) {
            return new long[0];
        }
        int cap = DeviceRun.capacity(m);
        CUdeviceptr entryRow = memory.device(DeviceMemory.Dev.ENTRY_ROW, 4L * m);
        CUdeviceptr entryStart = memory.device(DeviceMemory.Dev.ENTRY_START, 8L * m);
        Pointer from = memory.pinnedPointer(DeviceMemory.Host.ENTRIES);
        JCudaDriver.cuMemcpyHtoDAsync(entryRow, from, 4L * m, stream);
        JCudaDriver.cuMemcpyHtoDAsync(entryStart, from.withByteOffset(WindowEntries.startsOffset(m)), 8L * m, stream);
        CUdeviceptr slotEntry = memory.device(DeviceMemory.Dev.SLOT_ROW, 4L * cap);
        CUdeviceptr firstEntry = memory.device(DeviceMemory.Dev.FIRST_ROW, 4L * cap);
        CUdeviceptr counts = memory.device(DeviceMemory.Dev.COUNTS, 8L * cap);
        CUdeviceptr acc = memory.device(DeviceMemory.Dev.ACC, 8L * Math.max(1, q.accumulatorWords()) * cap);
        CUdeviceptr keys = desc.withByteOffset(8L * q.filters * DeviceQuery.FILTER_WORDS);
        CUdeviceptr aggs = keys.withByteOffset(8L * q.keyCount * DeviceQuery.KEY_WORDS);
        device.launch("group_init", cap, 0, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotEntry), Pointer.to(firstEntry),
                Pointer.to(counts), Pointer.to(acc), Pointer.to(aggs), Pointer.to(new int[] {na})));
        device.launch("window_insert", m, 0, Pointer.to(Pointer.to(new int[] {m}), Pointer.to(entryRow), Pointer.to(entryStart),
                Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths), Pointer.to(longs), Pointer.to(keys),
                Pointer.to(new int[] {q.keyCount}), Pointer.to(aggs), Pointer.to(new int[] {na}), Pointer.to(new long[] {hashMask}),
                Pointer.to(new int[] {cap}), Pointer.to(slotEntry), Pointer.to(firstEntry), Pointer.to(counts), Pointer.to(acc)));
        int stride = 3 + q.keyCount + q.accumulatorWords();
        long[] rows = groups.compact("window_compact", cap, stride, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(new int[] {n}),
                Pointer.to(slotEntry), Pointer.to(firstEntry), Pointer.to(counts), Pointer.to(acc), Pointer.to(entryRow), Pointer.to(entryStart),
                Pointer.to(starts), Pointer.to(lengths), Pointer.to(longs), Pointer.to(keys), Pointer.to(new int[] {q.keyCount}),
                Pointer.to(new int[] {na}), Pointer.to(memory.device(DeviceMemory.Dev.OUT_COUNT, 4)),
                Pointer.to(memory.device(DeviceMemory.Dev.OUT, 8L * stride * cap))));
        for (int g = 0; g < rows.length; g += stride) {
            if (rows[g] < 0 || rows[g] >= m) {
                throw DeviceRun.corrupt("window_compact named entry " + rows[g] + " of " + m);
            }
        }
        return rows;
    }
}
