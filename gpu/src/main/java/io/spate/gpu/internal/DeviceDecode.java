package io.spate.gpu.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

import io.spate.RecordBatch;
import io.spate.frame.ColumnType;
import io.spate.plan.ClfFormat;
import io.spate.plan.DelimitedFormat;
import io.spate.plan.Field;
import io.spate.plan.InputFormat;
import io.spate.plan.JsonFormat;
import io.spate.plan.Plan;

import jcuda.driver.CUdeviceptr;

/**
 * A format's decode on the device: the kernel that turns the batch bytes into the decoded layout
 * every later kernel reads (see {@code kernels.cu}), and the host side of its verdicts. The layout:
 * each decoded string field as starts/lengths into the data buffer, each number field as 8-byte
 * words (long values, double bits), one verdict byte per record. Formats that rewrite strings
 * (unescaped quotes, JSON escapes) write them into an arena after the batch bytes in the same data
 * buffer, so a rewritten string is read like a slice of the batch.
 *
 * <p>The decoded columns are numbered per kind: a field's column is its index among the decoded
 * string fields, or among the decoded number (long and double) fields.
 */
abstract class DeviceDecode {

    /** What a decode kernel writes into and reads from, for one batch of {@code n} records. */
    record Buffers(CUdeviceptr data, CUdeviceptr bounds, int n, int bytes, CUdeviceptr starts, CUdeviceptr lengths,
                   CUdeviceptr numbers, CUdeviceptr reason, CUdeviceptr arenaUsed) {
    }

    /** The verdicts of a batch in the host's terms: rejected records with reasons, or null rows when the CPU must decode the batch. */
    record Verdicts(int[] rejected, String[] reasons, String whyCpu) {

        static Verdicts cpu(String why) {
            return new Verdicts(null, null, why);
        }
    }

    private final List<Field> fields;
    private final boolean rewrites;

    DeviceDecode(InputFormat format, List<Field> fields) {
        this.fields = List.copyOf(fields);
        this.rewrites = rewrites(format);
    }

    /**
     * Whether the decode kernel of {@code format} may rewrite strings into the arena, which doubles
     * the device data buffer: the one answer both the batch's copy ahead ({@link DeviceRun#stage})
     * and its run go by, so the run never has to grow (and so lose) a staged buffer.
     */
    static boolean rewrites(InputFormat format) {
        return format instanceof JsonFormat || format instanceof DelimitedFormat d && d.quoted();
    }

    /** Why the device cannot decode {@code plan}'s format, or empty when it can. */
    static Optional<String> whyNot(Plan plan) {
        if (plan.readsMetadata()) {
            return Optional.of("record metadata columns (_key, _timestamp, _header...) are read on the host");
        }
        if (plan.format() instanceof ClfFormat || plan.format() instanceof DelimitedFormat) {
            return Optional.empty();
        }
        if (plan.format() instanceof JsonFormat) {
            return JsonDeviceDecode.whyNot(plan.decodedFields());
        }
        return Optional.of("the device has no decoder for the " + plan.format().name() + " format");
    }

    /** The device decode of {@code plan}'s format, a plan {@link #whyNot} accepted. */
    static DeviceDecode of(Plan plan) {
        if (plan.format() instanceof ClfFormat) {
            return new ClfDeviceDecode();
        }
        if (plan.format() instanceof DelimitedFormat delimited) {
            return new DelimitedDeviceDecode(delimited, plan.decodedFields());
        }
        return new JsonDeviceDecode((JsonFormat) plan.format(), plan.decodedFields());
    }

    /** The decoded fields, in column order within each kind. */
    final List<Field> fields() {
        return fields;
    }

    /** The device kind of field {@code name} ({@link DeviceQuery#KIND_STRING} and so on). */
    final int kind(String name) {
        return kindOf(field(name).type());
    }

    static int kindOf(ColumnType type) {
        return switch (type) {
            case LONG -> DeviceQuery.KIND_LONG;
            case DOUBLE -> DeviceQuery.KIND_DOUBLE;
            default -> DeviceQuery.KIND_STRING;
        };
    }

    /** The column of field {@code name} among the decoded fields of its kind. */
    final int column(String name) {
        boolean string = kind(name) == DeviceQuery.KIND_STRING;
        int i = 0;
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return i;
            }
            if ((kindOf(f.type()) == DeviceQuery.KIND_STRING) == string) {
                i++;
            }
        }
        throw new IllegalArgumentException("field " + name + " is not decoded");
    }

    private Field field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("field " + name + " is not decoded"));
    }

    /** Number of decoded string columns. */
    final int strings() {
        return (int) fields.stream().filter(f -> kindOf(f.type()) == DeviceQuery.KIND_STRING).count();
    }

    /** Number of decoded number columns. */
    final int numbers() {
        return fields.size() - strings();
    }

    /** Whether the kernel may rewrite strings into the arena ({@link #rewrites(InputFormat)}). */
    final boolean rewrites() {
        return rewrites;
    }

    /** Queues the decode kernel on the compute stream (after the batch's copy). */
    abstract void launch(GpuDevice device, DeviceMemory memory, Buffers b);

    /** The host's reading of the verdict bytes {@code codes} of {@code batch} (a view of the copied-back verdicts). */
    abstract Verdicts verdicts(RecordBatch batch, ByteBuffer codes);
}
