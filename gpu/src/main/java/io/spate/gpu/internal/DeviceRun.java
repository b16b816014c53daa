package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.spate.PartitionTime;
import io.spate.RecordBatch;
import io.spate.frame.Frame;
import io.spate.internal.cpu.WindowKernel;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Runs the queries of a plan over one batch on the device, in two steps: {@link #stage} queues one
 * copy of the batch from pinned memory into a device slot on the copy stream (the backend does it
 * for the next batch while the current one computes); {@link #run} makes the compute stream wait
 * for that copy, then runs the format's decode kernel ({@link DeviceDecode}), per query the
 * group-by (or word count) kernels, and one small copy back of one packed row per group. A windowed
 * query first copies back which records pass its filters and their times, so that the host can
 * assign their windows, then groups the (record, window) entries ({@link WindowGroupBy}). The host
 * builds key columns from the batch's payload (the staging buffer, read in place) and, for strings
 * the decode rewrote, from the arena, copied back once per batch when it is used.
 */
final class DeviceRun {

    /**
     * One query's per-batch groups, in the order of their first record: keys then aggregates
     * (no having, no running values), and the number of records of each group; from the device,
     * also per aggregate and group the largest magnitude a long sum or mean added, unsigned (0 for
     * the other aggregates; {@code maxAbs} null where the CPU computed the groups), from which the
     * host tells whether a sum may have left the long range ({@link QueryFinish#mayOverflow}).
     */
    record Groups(Frame frame, long[] counts, long[][] maxAbs) {

        Groups(Frame frame, long[] counts) {
            this(frame, counts, null);
        }
    }

    /**
     * What a batch gave: per query groups and the rejects; or, when the whole batch must be decoded
     * on the CPU, why ({@code whyCpu}, the rest null).
     */
    record Result(List<Groups> groups, int[] rejected, String[] reasons, String whyCpu, EventTime eventTime) {

        Result(List<Groups> groups, int[] rejected, String[] reasons) {
            this(groups, rejected, reasons, null, EventTime.NONE);
        }

        Result(List<Groups> groups, int[] rejected, String[] reasons, EventTime eventTime) {
            this(groups, rejected, reasons, null, eventTime);
        }

        static Result onCpu(String why) {
            return new Result(null, null, null, why, EventTime.NONE);
        }
    }

    /** The event time a batch moved, as {@link io.spate.BatchResult} carries it: late records, the query of each, moved partition times. */
    record EventTime(int[] late, int[] lateQuery, List<PartitionTime> times) {

        static final EventTime NONE = new EventTime(new int[0], new int[0], List.of());
    }

    /** The bytes string starts index: the batch's payload, then the decode's arena from {@code batchBytes} on. */
    record HostBytes(ByteBuffer batch, int batchBytes, byte[] arena) {

        /** Fails as a corrupt device answer unless [start, start + length) lies in the batch or in the arena. */
        void check(long start, long length) {
            long arenaBytes = arena == null ? 0 : arena.length;
            boolean inBatch = start >= 0 && length >= 0 && start + length <= batchBytes;
            boolean inArena = start >= batchBytes && length >= 0 && start + length <= batchBytes + arenaBytes;
            if (!inBatch && !inArena) {
                throw corrupt("bytes [" + start + ", " + (start + length) + ") outside the batch's " + batchBytes
                        + " bytes and the arena's " + arenaBytes);
            }
        }

        void get(int start, byte[] to, int at, int length) {
            check(start, length);
            if (start < batchBytes) {
                batch.get(start, to, at, length);
            } else {
                System.arraycopy(arena, start - batchBytes, to, at, length);
            }
        }

        byte get(int index) {
            return index < batchBytes ? batch.get(index) : arena[index - batchBytes];
        }
    }

    private final GpuDevice device;
    private final DeviceMemory memory;
    private final DeviceDecode decode;
    private final List<DeviceQuery> queries;
    private final WindowGroupBy windows;
    private final long hashMask;

    DeviceRun(GpuDevice device, DeviceMemory memory, DeviceDecode decode, List<DeviceQuery> queries, List<WindowKernel> windows,
              WindowEntries entries, long hashMask) {
        this.device = device;
        this.memory = memory;
        this.decode = decode;
        this.queries = queries;
        this.windows = new WindowGroupBy(this, device, memory, queries, windows, entries, hashMask);
        this.hashMask = hashMask;
    }

    /** A batch whose copy to device slot {@code slot} is queued on the copy stream ({@link #stage}). */
    record Staged(RecordBatch batch, int slot) {
    }

    /**
     * Queues the copy of {@code batch} into device slot {@code slot} on the copy stream and
     * returns at once. A batch built in pinned staging buffers ({@link StagingPool}) is copied
     * straight from there; a heap batch is first copied into the backend's own pinned buffer of
     * the slot. The bounds go through the slot's pinned bounds buffer. With {@code arena}, the
     * device data buffer has room for the decode's arena after the batch, as much again.
     */
    static Staged stage(GpuDevice device, DeviceMemory memory, RecordBatch batch, int slot, boolean arena) {
        int n = batch.count();
        if (n == 0) {
            return new Staged(batch, slot);
        }
        device.makeCurrent();
        int bytes = batch.byteSize();
        CUdeviceptr data = memory.device(DeviceMemory.data(slot), Math.max(1, (arena ? 2L : 1L) * bytes));
        CUdeviceptr bounds = memory.device(DeviceMemory.bounds(slot), 4L * (n + 1));
        ByteBuffer hostBounds = memory.pinned(DeviceMemory.hostBounds(slot), 4L * (n + 1));
        hostBounds.asIntBuffer().put(batch.bounds(), 0, n + 1);
        CUstream copy = device.stream(GpuDevice.COPY);
        JCudaDriver.cuMemcpyHtoDAsync(bounds, memory.pinnedPointer(DeviceMemory.hostBounds(slot)), 4L * (n + 1), copy);
        if (bytes > 0) {
            Pointer from;
            if (batch.stagedIn().filter(StagingPool.class::isInstance).isPresent()) {
                from = Pointer.to(batch.payload());
            } else {
                ByteBuffer hostData = memory.pinned(DeviceMemory.hostData(slot), bytes);
                hostData.put(batch.data(), 0, bytes);
                from = memory.pinnedPointer(DeviceMemory.hostData(slot));
            }
            JCudaDriver.cuMemcpyHtoDAsync(data, from, bytes, copy);
        }
        device.copyQueued(slot);
        return new Staged(batch, slot);
    }

    /**
     * Runs a batch {@link #stage} queued: its kernels wait on the device for its copy. Returns
     * once the results are back (so the copy is done too).
     */
    Result run(Staged staged) {
        RecordBatch batch = staged.batch();
        int n = batch.count();
        if (n == 0) {
            List<Groups> empty = new ArrayList<>();
            for (DeviceQuery q : queries) {
                empty.add(GroupFrames.of(q, new HostBytes(batch.payload(), 0, new byte[0]), new long[0], 0, 0));
            }
            return new Result(empty, new int[0], new String[0]);
        }
        device.makeCurrent();
        int bytes = batch.byteSize();
        CUdeviceptr data = memory.device(DeviceMemory.data(staged.slot()), Math.max(1, (decode.rewrites() ? 2L : 1L) * bytes));
        CUdeviceptr bounds = memory.device(DeviceMemory.bounds(staged.slot()), 4L * (n + 1));
        CUdeviceptr starts = memory.device(DeviceMemory.Dev.STARTS, 4L * Math.max(1, decode.strings()) * n);
        CUdeviceptr lengths = memory.device(DeviceMemory.Dev.LENGTHS, 4L * Math.max(1, decode.strings()) * n);
        CUdeviceptr longs = memory.device(DeviceMemory.Dev.LONGS, 8L * Math.max(1, decode.numbers()) * n);
        CUdeviceptr reason = memory.device(DeviceMemory.Dev.REASON, n);
        CUdeviceptr arenaUsed = memory.device(DeviceMemory.Dev.ARENA_USED, 4);
        device.computeAfterCopy(staged.slot());
        JCudaDriver.cuMemsetD32Async(arenaUsed, 0, 1, device.stream(GpuDevice.COMPUTE));
        decode.launch(device, memory, new DeviceDecode.Buffers(data, bounds, n, bytes, starts, lengths, longs, reason, arenaUsed));
        ByteBuffer hostReason = memory.pinned(DeviceMemory.Host.REASON, n);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.REASON), reason, n, device.stream(0));
        ByteBuffer hostArenaUsed = memory.pinned(DeviceMemory.Host.ARENA_USED, 4);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.ARENA_USED), arenaUsed, 4, device.stream(0));
        boolean windowed = windows.any();
        DeviceDecode.Verdicts verdicts = null;
        if (windowed) {
            // A batch the CPU must decode goes to the twin with its event time untouched, as do
            // batches too big for the device: both are known before any window is assigned.
            device.sync(0);
            verdicts = decode.verdicts(batch, hostReason);
            if (verdicts.whyCpu() != null) {
                return Result.onCpu(verdicts.whyCpu());
            }
            windows.reserve(n);
            windows.mark();
        }
        try {
            return finishRun(batch, n, verdicts, windowed, hostReason, hostArenaUsed, data, starts, lengths, longs, reason);
        } catch (RuntimeException | LinkageError e) {
            // The batch runs again on the CPU twin: from the event time it found, not the one it moved.
            windows.rollBack();
            throw e;
        }
    }

    /** The group-bys of a decoded batch and its result; {@code verdicts} are already known when {@code windowed}. */
    private Result finishRun(RecordBatch batch, int n, DeviceDecode.Verdicts verdicts, boolean windowed, ByteBuffer hostReason,
                             ByteBuffer hostArenaUsed, CUdeviceptr data, CUdeviceptr starts, CUdeviceptr lengths, CUdeviceptr longs,
                             CUdeviceptr reason) {
        int bytes = batch.byteSize();
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            DeviceQuery q = queries.get(i);
            rows.add(q.wordColumn >= 0 ? words(q, n, data, starts, lengths, reason)
                    : q.window != null ? windows.run(q, windows.window(i), batch, hostReason, data, starts, lengths, longs, reason)
                    : groupBy(q, n, data, starts, lengths, longs, reason));
        }
        device.sync(0);
        if (verdicts == null) {
            verdicts = decode.verdicts(batch, hostReason);
            if (verdicts.whyCpu() != null) {
                return Result.onCpu(verdicts.whyCpu());
            }
        }
        HostBytes text = new HostBytes(batch.payload(), bytes, arena(data, bytes, hostArenaUsed.getInt(0)));
        List<Groups> out = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            DeviceQuery q = queries.get(i);
            long[] r = rows.get(i);
            int stride = q.wordColumn >= 0 ? 3 : (q.window != null ? 3 : 2) + q.keyCount + q.accumulatorWords();
            out.add(GroupFrames.of(q, text, r, r.length / stride, stride));
        }
        return new Result(out, verdicts.rejected(), verdicts.reasons(), windowed ? windows.eventTime() : EventTime.NONE);
    }

    /** The {@code used} bytes the decode wrote into the arena after the batch bytes (one synchronous copy, only when it wrote any). */
    private static byte[] arena(CUdeviceptr data, int bytes, int used) {
        byte[] arena = new byte[used];
        if (used > 0) {
            JCudaDriver.cuMemcpyDtoH(Pointer.to(arena), data.withByteOffset(bytes), used);
        }
        return arena;
    }

    /** The packed rows of one query's groups (see {@link GroupFrames}). */
    private long[] groupBy(DeviceQuery q, int n, CUdeviceptr data, CUdeviceptr starts, CUdeviceptr lengths,
                           CUdeviceptr longs, CUdeviceptr reason) {
        int cap = capacity(n);
        int na = q.fns.length;
        CUdeviceptr desc = upload(q);
        CUdeviceptr literals = memory.device(DeviceMemory.Dev.LITERALS, q.literals.length);
        CUdeviceptr slotRow = memory.device(DeviceMemory.Dev.SLOT_ROW, 4L * cap);
        CUdeviceptr firstRow = memory.device(DeviceMemory.Dev.FIRST_ROW, 4L * cap);
        CUdeviceptr counts = memory.device(DeviceMemory.Dev.COUNTS, 8L * cap);
        CUdeviceptr acc = memory.device(DeviceMemory.Dev.ACC, 8L * Math.max(1, q.accumulatorWords()) * cap);
        CUdeviceptr aggs = desc.withByteOffset(8L * (q.filters * DeviceQuery.FILTER_WORDS + q.keyCount * DeviceQuery.KEY_WORDS));
        CUdeviceptr keys = desc.withByteOffset(8L * q.filters * DeviceQuery.FILTER_WORDS);
        device.launch("group_init", cap, 0, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotRow), Pointer.to(firstRow),
                Pointer.to(counts), Pointer.to(acc), Pointer.to(aggs), Pointer.to(new int[] {na})));
        device.launch("group_insert", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(longs), Pointer.to(reason), Pointer.to(desc), Pointer.to(new int[] {q.filters}), Pointer.to(new int[] {q.keyCount}),
                Pointer.to(new int[] {na}), Pointer.to(literals), Pointer.to(new long[] {hashMask}), Pointer.to(new int[] {cap}),
                Pointer.to(slotRow), Pointer.to(firstRow), Pointer.to(counts), Pointer.to(acc)));
        int stride = 2 + q.keyCount + q.accumulatorWords();
        return compact("group_compact", cap, stride, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(new int[] {n}),
                Pointer.to(slotRow), Pointer.to(firstRow), Pointer.to(counts), Pointer.to(acc), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(longs), Pointer.to(keys), Pointer.to(new int[] {q.keyCount}), Pointer.to(new int[] {na}),
                Pointer.to(memory.device(DeviceMemory.Dev.OUT_COUNT, 4)), Pointer.to(memory.device(DeviceMemory.Dev.OUT, 8L * stride * cap))));
    }

    /** Queues the copy of {@code q}'s descriptor words and literals to the device; returns the descriptor buffer. */
    CUdeviceptr upload(DeviceQuery q) {
        CUdeviceptr desc = memory.device(DeviceMemory.Dev.DESC, 8L * q.desc.length);
        CUdeviceptr literals = memory.device(DeviceMemory.Dev.LITERALS, q.literals.length);
        ByteBuffer small = memory.pinned(DeviceMemory.Host.SMALL, 8L * q.desc.length + q.literals.length + 16);
        small.asLongBuffer().put(q.desc);
        small.position(8 * q.desc.length);
        small.put(q.literals);
        Pointer smallPointer = memory.pinnedPointer(DeviceMemory.Host.SMALL);
        JCudaDriver.cuMemcpyHtoDAsync(desc, smallPointer, 8L * q.desc.length, device.stream(0));
        JCudaDriver.cuMemcpyHtoDAsync(literals, smallPointer.withByteOffset(8L * q.desc.length), q.literals.length, device.stream(0));
        return desc;
    }

    /** Runs a compact kernel and copies its packed rows back (two small synchronous copies). */
    long[] compact(String kernel, int cap, int stride, Pointer params) {
        CUdeviceptr outCount = memory.device(DeviceMemory.Dev.OUT_COUNT, 4);
        CUdeviceptr out = memory.device(DeviceMemory.Dev.OUT, 8L * stride * cap);
        JCudaDriver.cuMemsetD32Async(outCount, 0, 1, device.stream(0));
        device.launch(kernel, cap, 0, params);
        ByteBuffer count = memory.pinned(DeviceMemory.Host.SMALL, 16);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.SMALL), outCount, 4, device.stream(0));
        device.sync(0);
        int groups = count.getInt(0);
        if (groups < 0 || groups > cap) {
            throw corrupt(kernel + " reported " + groups + " groups for a table of " + cap + " slots");
        }
        long bytes = 8L * stride * groups;
        long[] rows = new long[groups * stride];
        if (groups > 0) {
            ByteBuffer host = memory.pinned(DeviceMemory.Host.OUT, bytes);
            JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.OUT), out, bytes, device.stream(0));
            device.sync(0);
            host.asLongBuffer().get(rows);
        }
        return rows;
    }

    /** The packed rows of one word count (grouped by bytes, ASCII letters folded when lower-casing; {@link WordGroups} finishes it). */
    private long[] words(DeviceQuery q, int n, CUdeviceptr data, CUdeviceptr starts, CUdeviceptr lengths, CUdeviceptr reason) {
        boolean lowercase = q.query.tokenize().orElseThrow().lowercase();
        CUdeviceptr totals = memory.device(DeviceMemory.Dev.TOTALS, 16);
        JCudaDriver.cuMemsetD32Async(totals, 0, 2, device.stream(0));
        device.launch("words_count", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(reason), Pointer.to(new int[] {q.wordColumn}), Pointer.to(totals)));
        ByteBuffer small = memory.pinned(DeviceMemory.Host.SMALL, 16);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.SMALL), totals, 8, device.stream(0));
        device.sync(0);
        long words = small.getLong(0);
        if (words == 0) {
            return new long[0];
        }
        if (words > Integer.MAX_VALUE / 4) {
            throw new GpuCapacityException("too many words in one batch for the device word count: " + words);
        }
        int cap = capacity((int) words);
        CUdeviceptr slotKey = memory.device(DeviceMemory.Dev.ACC, 8L * cap);
        CUdeviceptr counts = memory.device(DeviceMemory.Dev.COUNTS, 8L * cap);
        CUdeviceptr firstStart = memory.device(DeviceMemory.Dev.FIRST_ROW, 4L * cap);
        device.launch("words_init", cap, 0, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotKey), Pointer.to(counts), Pointer.to(firstStart)));
        device.launch("words_insert", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(reason), Pointer.to(new int[] {q.wordColumn}), Pointer.to(new int[] {lowercase ? 1 : 0}),
                Pointer.to(new long[] {hashMask}), Pointer.to(new int[] {cap}), Pointer.to(slotKey), Pointer.to(counts), Pointer.to(firstStart)));
        return compact("words_compact", cap, 3, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotKey), Pointer.to(counts),
                Pointer.to(firstStart), Pointer.to(memory.device(DeviceMemory.Dev.OUT_COUNT, 4)),
                Pointer.to(memory.device(DeviceMemory.Dev.OUT, 8L * 3 * cap))));
    }

    /**
     * A device answer that cannot be right (a count or a byte range out of bounds): handled as a
     * device fault (the context is dropped and the batch re-runs on the CPU), never trusted.
     */
    static CudaException corrupt(String what) {
        return new CudaException("the device's answer is corrupt: " + what);
    }

    /** A power of two at least twice {@code n}, so the table is at most half full and probing ends. */
    static int capacity(int n) {
        long cap = Long.highestOneBit(Math.max(2L, 2L * n) - 1) << 1;
        if (cap > 1 << 30) {
            throw new GpuCapacityException("a batch of " + n + " rows needs a group table larger than 2^30 slots");
        }
        return (int) cap;
    }
}
