package io.spate.internal.model;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the safetensors format (the Hugging Face format that Keras 3, PyTorch and JAX
 * export): an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
 * and byte range, then the raw little-endian data. Only {@code F32} tensors are supported, which
 * is what Spate's models use; {@code __metadata__} is a string-to-string map.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /**
     * One tensor: row-major float data of the given shape.
     *
     * @param shape the dimensions
     * @param data {@code product(shape)} values, row-major
     */
    public record Tensor(int[] shape, float[] data) {
        /** Checks that the data fits the shape. */
        public Tensor {
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                }
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
            }
        }

        /** A 2-D tensor's rows. */
        public int rows() {
            return shape[0];
        }

        /** A 2-D tensor's columns (1 for a vector). */
        public int cols() {
            return shape.length > 1 ? shape[1] : 1;
        }
    }

    /**
     * A file's tensors (in file order) and metadata.
     *
     * @param tensors by name
     * @param metadata the {@code __metadata__} strings
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {

        /** The tensor {@code name} with exactly {@code shape}, or a clear error. */
        public Tensor require(String name, int... shape) {
            Tensor t = tensors.get(name);
            if (t == null) {
                throw new IllegalArgumentException("no tensor '" + name + "' (have " + tensors.keySet() + ")");
            }
            if (shape.length > 0 && !Arrays.equals(t.shape(), shape)) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + ", expected " + Arrays.toString(shape));
            }
            return t;
        }
    }

    private Safetensors() {
    }

    /** Reads a safetensors file. */
    public static Contents read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Parses safetensors bytes; {@code source} names them in errors. */
    public static Contents parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 8) {
            throw new IOException(source + ": not a safetensors file (too short)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new IOException(source + ": bad safetensors header length " + headerLength);
        }
        JsonNode header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        int base = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        header.fields().forEachRemaining(fields::add);
        for (Map.Entry<String, JsonNode> e : fields) {
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode t = e.getValue();
            String dtype = t.path("dtype").asText();
            if (!dtype.equals("F32")) {
                throw new IOException(source + ": tensor '" + e.getKey() + "' is " + dtype + ", only F32 is supported");
            }
            JsonNode shapeNode = t.path("shape");
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asInt();
            }
            long begin = t.path("data_offsets").path(0).asLong(-1);
            long end = t.path("data_offsets").path(1).asLong(-1);
            if (begin < 0 || end < begin || base + end > bytes.length || (end - begin) % 4 != 0) {
                throw new IOException(source + ": tensor '" + e.getKey() + "' has bad data_offsets [" + begin + ", " + end + "]");
            }
            float[] data = new float[(int) ((end - begin) / 4)];
            buf.position(base + (int) begin);
            buf.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            try {
                tensors.put(e.getKey(), new Tensor(shape, data));
            } catch (IllegalArgumentException bad) {
                throw new IOException(source + ": tensor '" + e.getKey() + "': " + bad.getMessage(), bad);
            }
        }
        return new Contents(tensors, metadata);
    }

    /** Writes {@code tensors} (in map order) and {@code metadata} to {@code file}. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(serialize(tensors, metadata));
        }
    }

    /** The safetensors bytes of {@code tensors} and {@code metadata}. */
    public static byte[] serialize(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            var shape = t.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = 4L * e.getValue().data().length;
            t.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        // The format asks for the data to start 8-byte aligned: pad the header with spaces.
        int padded = (headerBytes.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(headerBytes);
        for (int i = headerBytes.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (Tensor t : tensors.values()) {
            out.asFloatBuffer().put(t.data());
            out.position(out.position() + 4 * t.data().length);
        }
        return out.array();
    }
}
