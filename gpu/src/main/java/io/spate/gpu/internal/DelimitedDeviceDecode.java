package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * Delimited records (CSV, TSV, any delimiter) on the device: {@code delim_parse} (delimited.cu)
 * splits and converts with {@code DelimitedDecoder}'s rules, unescapes quoted fields with
 * {@code ""} into the arena, skips header lines; the reasons of malformed records come from
 * {@link RejectReasons}.
 */
final class DelimitedDeviceDecode extends DeviceDecode {

    private final DelimitedFormat format;
    /** Per column of the format: its kind (-1 when not decoded) and its decoded column. */
    private final int[] spec;
    private final byte[] header;
    private final RejectReasons reasons;

    DelimitedDeviceDecode(DelimitedFormat format, List<Field> fields) {
        super(format, fields);
        this.format = format;
        List<Field> columns = format.columns();
        spec = new int[2 * columns.size()];
        for (int f = 0; f < columns.size(); f++) {
            Field field = columns.get(f);
            boolean read = fields.contains(field);
            spec[2 * f] = read ? kindOf(field.type()) : -1;
            spec[2 * f + 1] = read ? column(field.name()) : -1;
        }
        header = format.skipHeader() ? format.headerLine().getBytes(StandardCharsets.UTF_8) : new byte[0];
        reasons = new RejectReasons(format, fields);
    }

    @Override
    void launch(GpuDevice device, DeviceMemory memory, Buffers b) {
        long specBytes = 4L * spec.length;
        ByteBuffer host = memory.pinned(DeviceMemory.Host.FORMAT, specBytes + header.length + 1);
        host.asIntBuffer().put(spec);
        host.position((int) specBytes);
        host.put(header);
        CUdeviceptr described = memory.device(DeviceMemory.Dev.FORMAT, specBytes + header.length + 1);
        JCudaDriver.cuMemcpyHtoDAsync(described, memory.pinnedPointer(DeviceMemory.Host.FORMAT), specBytes + header.length + 1,
                device.stream(GpuDevice.COMPUTE));
        device.launch("delim_parse", b.n(), GpuDevice.COMPUTE, Pointer.to(Pointer.to(b.data()), Pointer.to(b.bounds()),
                Pointer.to(new int[] {b.n()}), Pointer.to(described), Pointer.to(new int[] {format.columns().size()}),
                Pointer.to(new int[] {format.delimiter() & 0xFF}), Pointer.to(new int[] {format.quoted() ? 1 : 0}),
                Pointer.to(new int[] {format.trimCarriageReturn() ? 1 : 0}), Pointer.to(described.withByteOffset(specBytes)),
                Pointer.to(new int[] {format.skipHeader() ? header.length : -1}), Pointer.to(b.starts()), Pointer.to(b.lengths()),
                Pointer.to(b.numbers()), Pointer.to(b.reason()), Pointer.to(new int[] {b.bytes()}), Pointer.to(b.arenaUsed())));
    }

    @Override
    Verdicts verdicts(RecordBatch batch, ByteBuffer codes) {
        return reasons.of(batch, codes);
    }
}
