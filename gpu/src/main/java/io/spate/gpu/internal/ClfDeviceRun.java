package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.frame.Column;
import io.spate.frame.DoubleColumn;
import io.spate.frame.Frame;
import io.spate.frame.LongColumn;
import io.spate.frame.Utf8Column;
import io.spate.internal.codec.ClfDecoder;
import io.spate.plan.AggFn;
import io.spate.plan.Aggregate;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

/**
 * Runs the queries of a CLF plan over one batch on the device, in two steps: {@link #stage}
 * queues one copy of the batch from pinned memory into a device slot on the copy stream (the
 * backend does it for the next batch while the current one computes); {@link #run} makes the
 * compute stream wait for that copy, then runs the parse kernel, per query the group-by (or word
 * count) kernels, and one small copy back of one packed row per group. The host builds key
 * columns from the batch's payload (the staging buffer, read in place).
 */
final class ClfDeviceRun {

    static final int CLF_STRINGS = 7;
    static final int CLF_LONGS = 3;

    /** Reject reasons by the kernels' code (spate_kernels.cuh), 0 being "decoded". */
    static final String[] REASONS = {null, ClfDecoder.EMPTY, ClfDecoder.EMPTY_HOST, ClfDecoder.EMPTY_IDENT, ClfDecoder.EMPTY_AUTHUSER,
        ClfDecoder.TOO_FEW_FIELDS, ClfDecoder.NO_OPEN_BRACKET, ClfDecoder.NO_CLOSE_BRACKET, ClfDecoder.BAD_TIME, ClfDecoder.NO_OPEN_QUOTE,
        ClfDecoder.NO_CLOSE_QUOTE, ClfDecoder.NO_STATUS, ClfDecoder.BAD_STATUS, ClfDecoder.BIG_STATUS, ClfDecoder.BAD_BYTES, ClfDecoder.BIG_BYTES};

    /**
     * One query's per-batch groups, in the order of their first record: keys then aggregates
     * (no having, no running values), and the number of records of each group.
     */
    record Groups(Frame frame, long[] counts) {
    }

    /** What a batch gave: per query groups (null when a query must run on the CPU), and the rejects. */
    record Result(List<Groups> groups, int[] rejected, String[] reasons) {
    }

    private final GpuDevice device;
    private final DeviceMemory memory;
    private final List<DeviceQuery> queries;
    private final long hashMask;

    ClfDeviceRun(GpuDevice device, DeviceMemory memory, List<DeviceQuery> queries, long hashMask) {
        this.device = device;
        this.memory = memory;
        this.queries = queries;
        this.hashMask = hashMask;
    }

    /** A batch whose copy to device slot {@code slot} is queued on the copy stream ({@link #stage}). */
    record Staged(RecordBatch batch, int slot) {
    }

    /**
     * Queues the copy of {@code batch} into device slot {@code slot} on the copy stream and
     * returns at once. A batch built in pinned staging buffers ({@link StagingPool}) is copied
     * straight from there; a heap batch is first copied into the backend's own pinned buffer of
     * the slot. The bounds go through the slot's pinned bounds buffer.
     */
    static Staged stage(GpuDevice device, DeviceMemory memory, RecordBatch batch, int slot) {
        int n = batch.count();
        if (n == 0) {
            return new Staged(batch, slot);
        }
        device.makeCurrent();
        int bytes = batch.byteSize();
        CUdeviceptr data = memory.device(DeviceMemory.data(slot), Math.max(1, bytes));
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
     * once the results are back (so the copy is done too); a query's groups are null when that
     * query must run on the CPU for this batch.
     */
    Result run(Staged staged) {
        RecordBatch batch = staged.batch();
        int n = batch.count();
        if (n == 0) {
            List<Groups> empty = new ArrayList<>();
            for (DeviceQuery q : queries) {
                empty.add(groups(q, batch, new long[0], 0, 0));
            }
            return new Result(empty, new int[0], new String[0]);
        }
        device.makeCurrent();
        int bytes = batch.byteSize();
        CUdeviceptr data = memory.device(DeviceMemory.data(staged.slot()), Math.max(1, bytes));
        CUdeviceptr bounds = memory.device(DeviceMemory.bounds(staged.slot()), 4L * (n + 1));
        CUdeviceptr starts = memory.device(DeviceMemory.Dev.STARTS, 4L * CLF_STRINGS * n);
        CUdeviceptr lengths = memory.device(DeviceMemory.Dev.LENGTHS, 4L * CLF_STRINGS * n);
        CUdeviceptr longs = memory.device(DeviceMemory.Dev.LONGS, 8L * CLF_LONGS * n);
        CUdeviceptr reason = memory.device(DeviceMemory.Dev.REASON, n);
        device.computeAfterCopy(staged.slot());
        device.launch("clf_parse", n, GpuDevice.COMPUTE, Pointer.to(Pointer.to(data), Pointer.to(bounds), Pointer.to(new int[] {0}),
                Pointer.to(new int[] {n}), Pointer.to(new int[] {n}), Pointer.to(starts), Pointer.to(lengths), Pointer.to(longs),
                Pointer.to(reason)));
        ByteBuffer hostReason = memory.pinned(DeviceMemory.Host.REASON, n);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.REASON), reason, n, device.stream(0));
        List<Groups> out = new ArrayList<>();
        for (DeviceQuery q : queries) {
            out.add(q.wordColumn >= 0 ? words(q, batch, n, data, starts, lengths, reason)
                    : groupBy(q, batch, n, data, starts, lengths, longs, reason));
        }
        device.sync(0);
        int rejectedCount = 0;
        for (int r = 0; r < n; r++) {
            rejectedCount += hostReason.get(r) != 0 ? 1 : 0;
        }
        int[] rejected = new int[rejectedCount];
        String[] reasons = new String[rejectedCount];
        for (int r = 0, i = 0; r < n; r++) {
            int code = hostReason.get(r);
            if (code != 0) {
                rejected[i] = r;
                reasons[i++] = REASONS[code];
            }
        }
        return new Result(out, rejected, reasons);
    }

    private Groups groupBy(DeviceQuery q, RecordBatch batch, int n, CUdeviceptr data, CUdeviceptr starts, CUdeviceptr lengths,
                           CUdeviceptr longs, CUdeviceptr reason) {
        int cap = capacity(n);
        int na = q.fns.length;
        CUdeviceptr desc = memory.device(DeviceMemory.Dev.DESC, 8L * q.desc.length);
        CUdeviceptr literals = memory.device(DeviceMemory.Dev.LITERALS, q.literals.length);
        ByteBuffer small = memory.pinned(DeviceMemory.Host.SMALL, 8L * q.desc.length + q.literals.length + 16);
        small.asLongBuffer().put(q.desc);
        small.position(8 * q.desc.length);
        small.put(q.literals);
        Pointer smallPointer = memory.pinnedPointer(DeviceMemory.Host.SMALL);
        JCudaDriver.cuMemcpyHtoDAsync(desc, smallPointer, 8L * q.desc.length, device.stream(0));
        JCudaDriver.cuMemcpyHtoDAsync(literals, smallPointer.withByteOffset(8L * q.desc.length), q.literals.length, device.stream(0));
        CUdeviceptr slotRow = memory.device(DeviceMemory.Dev.SLOT_ROW, 4L * cap);
        CUdeviceptr firstRow = memory.device(DeviceMemory.Dev.FIRST_ROW, 4L * cap);
        CUdeviceptr counts = memory.device(DeviceMemory.Dev.COUNTS, 8L * cap);
        CUdeviceptr acc = memory.device(DeviceMemory.Dev.ACC, 8L * Math.max(1, na) * cap);
        CUdeviceptr aggs = desc.withByteOffset(8L * (q.filters * DeviceQuery.FILTER_WORDS + q.keyCount * DeviceQuery.KEY_WORDS));
        CUdeviceptr keys = desc.withByteOffset(8L * q.filters * DeviceQuery.FILTER_WORDS);
        device.launch("group_init", cap, 0, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotRow), Pointer.to(firstRow),
                Pointer.to(counts), Pointer.to(acc), Pointer.to(aggs), Pointer.to(new int[] {na})));
        device.launch("group_insert", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(longs), Pointer.to(reason), Pointer.to(desc), Pointer.to(new int[] {q.filters}), Pointer.to(new int[] {q.keyCount}),
                Pointer.to(new int[] {na}), Pointer.to(literals), Pointer.to(new long[] {hashMask}), Pointer.to(new int[] {cap}),
                Pointer.to(slotRow), Pointer.to(firstRow), Pointer.to(counts), Pointer.to(acc)));
        int stride = 2 + q.keyCount + na;
        long[] rows = compact("group_compact", cap, stride, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(new int[] {n}),
                Pointer.to(slotRow), Pointer.to(firstRow), Pointer.to(counts), Pointer.to(acc), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(longs), Pointer.to(keys), Pointer.to(new int[] {q.keyCount}), Pointer.to(new int[] {na}),
                Pointer.to(memory.device(DeviceMemory.Dev.OUT_COUNT, 4)), Pointer.to(memory.device(DeviceMemory.Dev.OUT, 8L * stride * cap))));
        return groups(q, batch, rows, rows.length / stride, stride);
    }

    /** Runs a compact kernel and copies its packed rows back (two small synchronous copies). */
    private long[] compact(String kernel, int cap, int stride, Pointer params) {
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

    private Groups words(DeviceQuery q, RecordBatch batch, int n, CUdeviceptr data, CUdeviceptr starts, CUdeviceptr lengths, CUdeviceptr reason) {
        boolean lowercase = q.query.tokenize().orElseThrow().lowercase();
        CUdeviceptr totals = memory.device(DeviceMemory.Dev.TOTALS, 16);
        JCudaDriver.cuMemsetD32Async(totals, 0, 4, device.stream(0));
        device.launch("words_count", n, 0, Pointer.to(Pointer.to(new int[] {n}), Pointer.to(data), Pointer.to(starts), Pointer.to(lengths),
                Pointer.to(reason), Pointer.to(new int[] {q.wordColumn}), Pointer.to(totals)));
        ByteBuffer small = memory.pinned(DeviceMemory.Host.SMALL, 16);
        JCudaDriver.cuMemcpyDtoHAsync(memory.pinnedPointer(DeviceMemory.Host.SMALL), totals, 16, device.stream(0));
        device.sync(0);
        long words = small.getLong(0);
        if (lowercase && small.getLong(8) > 0) {
            // Lower-casing non-ASCII words follows Unicode rules, which only the CPU applies.
            return null;
        }
        if (words == 0) {
            return groups(q, batch, new long[0], 0, 3);
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
        long[] rows = compact("words_compact", cap, 3, Pointer.to(Pointer.to(new int[] {cap}), Pointer.to(slotKey), Pointer.to(counts),
                Pointer.to(firstStart), Pointer.to(memory.device(DeviceMemory.Dev.OUT_COUNT, 4)),
                Pointer.to(memory.device(DeviceMemory.Dev.OUT, 8L * 3 * cap))));
        return groups(q, batch, rows, rows.length / 3, 3);
    }

    /**
     * A device answer that cannot be right (a count or a byte range out of bounds): handled as a
     * device fault (the context is dropped and the batch re-runs on the CPU), never trusted.
     */
    static CudaException corrupt(String what) {
        return new CudaException("the device's answer is corrupt: " + what);
    }

    /** Checks that bytes [start, start + length) of the batch are inside its payload of {@code size} bytes. */
    private static void checkRange(long start, long length, int size) {
        if (start < 0 || length < 0 || start + length > size) {
            throw corrupt("bytes [" + start + ", " + (start + length) + ") of a " + size + "-byte batch");
        }
    }

    /** A power of two at least twice {@code n}, so the table is at most half full and probing ends. */
    private static int capacity(int n) {
        long cap = Long.highestOneBit(Math.max(2L, 2L * n) - 1) << 1;
        if (cap > 1 << 30) {
            throw new GpuCapacityException("a batch of " + n + " rows needs a group table larger than 2^30 slots");
        }
        return (int) cap;
    }

    /**
     * The frame of packed rows {@code rows} ({@code groups} rows of {@code stride} longs: first row
     * or first word start, count, then key words and aggregates, or for words the length), ordered
     * by first record as the CPU orders groups.
     */
    static Groups groups(DeviceQuery q, RecordBatch batch, long[] rows, int groups, int stride) {
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        Arrays.sort(order, Comparator.comparingLong(g -> rows[g * stride]));
        long[] counts = new long[groups];
        for (int i = 0; i < groups; i++) {
            counts[i] = rows[order[i] * stride + 1];
        }
        List<Column> columns = new ArrayList<>();
        ByteBuffer data = batch.payload();
        if (q.wordColumn >= 0) {
            boolean lowercase = q.query.tokenize().orElseThrow().lowercase();
            int total = 0;
            for (int i = 0; i < groups; i++) {
                checkRange(rows[order[i] * stride], rows[order[i] * stride + 2], batch.byteSize());
                total += (int) rows[order[i] * stride + 2];
            }
            byte[] bytes = new byte[total];
            int[] offsets = new int[groups + 1];
            for (int i = 0; i < groups; i++) {
                int from = (int) rows[order[i] * stride];
                int len = (int) rows[order[i] * stride + 2];
                for (int b = 0; b < len; b++) {
                    byte c = data.get(from + b);
                    bytes[offsets[i] + b] = lowercase && c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
                }
                offsets[i + 1] = offsets[i] + len;
            }
            columns.add(new Utf8Column(q.query.keys().get(0).alias(), bytes, offsets, groups));
        } else {
            for (int k = 0; k < q.keyCount; k++) {
                columns.add(keyColumn(q, k, batch, rows, order, stride));
            }
        }
        List<Aggregate> aggs = q.query.aggregates();
        for (int a = 0; a < aggs.size(); a++) {
            AggFn fn = aggs.get(a).fn();
            String alias = aggs.get(a).alias();
            if (fn == AggFn.COUNT) {
                columns.add(new LongColumn(alias, counts.clone(), groups));
                continue;
            }
            long[] acc = new long[groups];
            for (int i = 0; i < groups; i++) {
                acc[i] = rows[order[i] * stride + 2 + q.keyCount + a];
            }
            if (fn == AggFn.MEAN) {
                double[] mean = new double[groups];
                for (int i = 0; i < groups; i++) {
                    mean[i] = (double) acc[i] / counts[i];
                }
                columns.add(new DoubleColumn(alias, mean, groups));
            } else {
                columns.add(new LongColumn(alias, acc, groups));
            }
        }
        return new Groups(new Frame(columns, q.keyCount, groups), counts);
    }

    private static Column keyColumn(DeviceQuery q, int k, RecordBatch batch, long[] rows, Integer[] order, int stride) {
        int groups = order.length;
        String alias = q.query.keys().get(k).alias();
        if (q.keyKinds[k] == DeviceQuery.KIND_LONG) {
            long[] v = new long[groups];
            for (int i = 0; i < groups; i++) {
                v[i] = rows[order[i] * stride + 2 + k];
            }
            return new LongColumn(alias, v, groups);
        }
        long total = 0;
        for (int i = 0; i < groups; i++) {
            long word = rows[order[i] * stride + 2 + k];
            checkRange(word >> 32, (int) word, batch.byteSize());
            total += (int) word;
        }
        ByteBuffer data = batch.payload();
        byte[] bytes = new byte[Math.toIntExact(total)];
        int[] offsets = new int[groups + 1];
        for (int i = 0; i < groups; i++) {
            long word = rows[order[i] * stride + 2 + k];
            int start = (int) (word >>> 32);
            int len = (int) word;
            data.get(start, bytes, offsets[i], len);
            offsets[i + 1] = offsets[i] + len;
        }
        return new Utf8Column(alias, bytes, offsets, groups);
    }
}
