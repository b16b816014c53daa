package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import io.spate.RecordBatch;
import io.spate.internal.codec.BatchDecoder;
import io.spate.internal.codec.BatchDecoders;
import io.spate.internal.codec.DecodedBatch;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;

/**
 * The host side of the verdicts of the delimited and JSON decode kernels. The kernel decides which
 * records are malformed; the reasons are worded by the CPU decoder, run over just those records.
 * That keeps every reason (field numbers, JSON byte offsets as Jackson counts them) the CPU's by
 * construction, costs host work only per malformed record (each of which becomes a dead letter on
 * the host anyway), and checks the kernel: should the CPU decoder accept a record the kernel
 * rejected, the batch goes to the CPU, so the device may be stricter than the CPU (it is, at
 * Jackson's size limits), never laxer.
 */
final class RejectReasons {

    private static final String TYPE_NAME = "rejected";

    private final BatchDecoder decoder;
    private final DecodedBatch decoded;

    RejectReasons(InputFormat format, List<Field> fields) {
        decoder = BatchDecoders.forFormat(format, fields);
        decoded = new DecodedBatch(fields);
    }

    /** The verdicts of {@code batch} from the kernel's codes (0, DECODE_REJECT, DECODE_SKIP or DECODE_HOST per record). */
    DeviceDecode.Verdicts of(RecordBatch batch, ByteBuffer codes) {
        int n = batch.count();
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            int code = codes.get(r) & 0xFF;
            switch (code) {
                case 0, DeviceQuery.DECODE_SKIP -> { }
                case DeviceQuery.DECODE_REJECT -> rows.add(r);
                case DeviceQuery.DECODE_HOST -> {
                    return DeviceDecode.Verdicts.cpu("a record holds a value only the CPU decodes exactly"
                            + " (a double beyond the exact fast path, an integer beyond a long as a double, an escaped JSON key)");
                }
                default -> throw new IllegalStateException("decode kernel wrote verdict " + code + " for record " + r);
            }
        }
        int[] rejected = new int[rows.size()];
        String[] reasons = new String[rows.size()];
        if (rows.isEmpty()) {
            return new DeviceDecode.Verdicts(rejected, reasons, null);
        }
        List<byte[]> values = new ArrayList<>(rows.size());
        for (int r : rows) {
            values.add(batch.value(r));
        }
        RecordBatch alone = RecordBatch.of(TYPE_NAME, values);
        decoded.reset(alone);
        try {
            decoder.decode(alone, decoded);
            for (int i = 0; i < rejected.length; i++) {
                rejected[i] = rows.get(i);
                reasons[i] = decoded.reasonFor(i);
                if (reasons[i] == null) {
                    return DeviceDecode.Verdicts.cpu("the device rejected record " + rejected[i] + ", which the CPU decoder accepts");
                }
            }
        } finally {
            decoded.release();
        }
        return new DeviceDecode.Verdicts(rejected, reasons, null);
    }
}
