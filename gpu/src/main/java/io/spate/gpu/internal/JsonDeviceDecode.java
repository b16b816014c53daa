package io.spate.gpu.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.spate.RecordBatch;
import io.spate.plan.Field;
import io.spate.plan.JsonFormat;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * JSON records on the device: {@code json_parse} (json.cu) validates each record as Jackson does
 * and extracts the wanted dotted paths, which it gets as a flat tree of object keys (the shape of
 * the CPU decoder's {@code JsonPathTree}); the reasons of malformed records come from
 * {@link RejectReasons}.
 */
final class JsonDeviceDecode extends DeviceDecode {

    /** The fields' seen marks are bits of one 64-bit word in the kernel. */
    static final int MAX_FIELDS = 64;
    /** Objects deeper than the kernel's JSON_PATH_DEPTH are never walked. */
    static final int MAX_PATH_DEPTH = 15;
    private static final int NODE_WORDS = 7;

    private final int[] nodes;
    private final byte[] names;
    /** Whether a record must be an object: unless the format reads the whole record ({@code .}), as the CPU decoder has it. */
    private final boolean rootMustBeObject;
    private final RejectReasons reasons;

    JsonDeviceDecode(JsonFormat format, List<Field> fields) {
        super(format, fields);
        rootMustBeObject = format.field(".").isEmpty();
        List<int[]> tree = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        tree.add(node(-1, -1, 0));
        keys.add("");
        ByteArrayOutputStream nameBytes = new ByteArrayOutputStream();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            int at = 0;
            for (String segment : JsonFormat.path(f.name())) {
                int child = -1;
                for (int c = 1; c < tree.size(); c++) {
                    if (tree.get(c)[0] == at && keys.get(c).equals(segment)) {
                        child = c;
                    }
                }
                if (child < 0) {
                    byte[] utf8 = segment.getBytes(StandardCharsets.UTF_8);
                    tree.add(node(at, nameBytes.size(), utf8.length));
                    keys.add(segment);
                    nameBytes.writeBytes(utf8);
                    child = tree.size() - 1;
                }
                tree.get(at)[6] = 1;
                at = child;
            }
            int[] leaf = tree.get(at);
            leaf[3] = i;
            leaf[4] = kindOf(f.type());
            leaf[5] = column(f.name());
        }
        nodes = new int[NODE_WORDS * tree.size()];
        for (int c = 0; c < tree.size(); c++) {
            System.arraycopy(tree.get(c), 0, nodes, NODE_WORDS * c, NODE_WORDS);
        }
        nameBytes.write(0);
        names = nameBytes.toByteArray();
        reasons = new RejectReasons(format, fields);
    }

    private static int[] node(int parent, int nameOffset, int nameLength) {
        return new int[] {parent, nameOffset, nameLength, -1, 0, -1, 0};
    }

    /** Why the device cannot extract {@code fields}, or empty when it can. */
    static Optional<String> whyNot(List<Field> fields) {
        if (fields.size() > MAX_FIELDS) {
            return Optional.of("the device extracts at most " + MAX_FIELDS + " JSON fields, the plan reads " + fields.size());
        }
        for (Field f : fields) {
            if (JsonFormat.path(f.name()).size() > MAX_PATH_DEPTH) {
                return Optional.of("JSON path '" + f.name() + "' is deeper than the " + MAX_PATH_DEPTH + " levels the device walks");
            }
        }
        return Optional.empty();
    }

    @Override
    void launch(GpuDevice device, DeviceMemory memory, Buffers b) {
        long nodeBytes = 4L * nodes.length;
        ByteBuffer host = memory.pinned(DeviceMemory.Host.FORMAT, nodeBytes + names.length);
        host.asIntBuffer().put(nodes);
        host.position((int) nodeBytes);
        host.put(names);
        CUdeviceptr described = memory.device(DeviceMemory.Dev.FORMAT, nodeBytes + names.length);
        JCudaDriver.cuMemcpyHtoDAsync(described, memory.pinnedPointer(DeviceMemory.Host.FORMAT), nodeBytes + names.length,
                device.stream(GpuDevice.COMPUTE));
        device.launch("json_parse", b.n(), GpuDevice.COMPUTE, Pointer.to(Pointer.to(b.data()), Pointer.to(b.bounds()),
                Pointer.to(new int[] {b.n()}), Pointer.to(described), Pointer.to(new int[] {nodes.length / NODE_WORDS}),
                Pointer.to(described.withByteOffset(nodeBytes)), Pointer.to(new int[] {fields().size()}),
                Pointer.to(new int[] {rootMustBeObject ? 1 : 0}),
                Pointer.to(b.starts()), Pointer.to(b.lengths()), Pointer.to(b.numbers()), Pointer.to(b.reason()),
                Pointer.to(new int[] {b.bytes()}), Pointer.to(b.arenaUsed())));
    }

    @Override
    Verdicts verdicts(RecordBatch batch, ByteBuffer codes) {
        return reasons.of(batch, codes);
    }
}
