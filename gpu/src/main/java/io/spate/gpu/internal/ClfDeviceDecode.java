package io.spate.gpu.internal;

import java.nio.ByteBuffer;

import io.spate.RecordBatch;
import io.spate.internal.codec.ClfDecoder;
import io.spate.plan.ClfFormat;

import jcuda.Pointer;

/**
 * CLF on the device: {@code clf_parse} decodes every field of the schema (so a field's column is
 * its schema position within its kind) and writes the index of the CPU decoder's reject reason.
 */
final class ClfDeviceDecode extends DeviceDecode {

    /** Reject reasons by the kernel's code (spate_kernels.cuh), 0 being "decoded". */
    static final String[] REASONS = {null, ClfDecoder.EMPTY, ClfDecoder.EMPTY_HOST, ClfDecoder.EMPTY_IDENT, ClfDecoder.EMPTY_AUTHUSER,
        ClfDecoder.TOO_FEW_FIELDS, ClfDecoder.NO_OPEN_BRACKET, ClfDecoder.NO_CLOSE_BRACKET, ClfDecoder.BAD_TIME, ClfDecoder.NO_OPEN_QUOTE,
        ClfDecoder.NO_CLOSE_QUOTE, ClfDecoder.NO_STATUS, ClfDecoder.BAD_STATUS, ClfDecoder.BIG_STATUS, ClfDecoder.BAD_BYTES, ClfDecoder.BIG_BYTES,
        ClfDecoder.MULTI_LINE};

    ClfDeviceDecode() {
        super(new ClfFormat(), new ClfFormat().schema());
    }

    @Override
    void launch(GpuDevice device, DeviceMemory memory, Buffers b) {
        device.launch("clf_parse", b.n(), GpuDevice.COMPUTE, Pointer.to(Pointer.to(b.data()), Pointer.to(b.bounds()), Pointer.to(new int[] {0}),
                Pointer.to(new int[] {b.n()}), Pointer.to(new int[] {b.n()}), Pointer.to(b.starts()), Pointer.to(b.lengths()),
                Pointer.to(b.numbers()), Pointer.to(b.reason())));
    }

    @Override
    Verdicts verdicts(RecordBatch batch, ByteBuffer codes) {
        int n = batch.count();
        int count = 0;
        for (int r = 0; r < n; r++) {
            count += codes.get(r) != 0 ? 1 : 0;
        }
        int[] rejected = new int[count];
        String[] reasons = new String[count];
        for (int r = 0, i = 0; r < n; r++) {
            int code = codes.get(r);
            if (code != 0) {
                rejected[i] = r;
                reasons[i++] = REASONS[code];
            }
        }
        return new Verdicts(rejected, reasons, null);
    }
}
