package io.spate.internal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.spate.RecordBatch;
import io.spate.RecordBatchBuilder;
import io.spate.SourceOffsets;
import io.spate.internal.SharedData;

/**
 * What the decoders' equivalence tests share: byte edits that mutate a record, batches whose array
 * ends with their last record (so a read past a record's end shows), and records shown readably in
 * a failure message.
 */
final class RecordEdits {

    /** The most bytes of a record a failure message shows. */
    private static final int SHOWN = 600;

    private RecordEdits() {
    }

    /** {@code a} with {@code b} inserted at {@code at}. */
    static byte[] insert(byte[] a, int at, byte b) {
        byte[] out = new byte[a.length + 1];
        System.arraycopy(a, 0, out, 0, at);
        out[at] = b;
        System.arraycopy(a, at, out, at + 1, a.length - at);
        return out;
    }

    /** {@code a} with the byte at {@code at} replaced by {@code b}. */
    static byte[] replace(byte[] a, int at, byte b) {
        byte[] out = a.clone();
        out[at] = b;
        return out;
    }

    /** {@code a} without the byte at {@code at}. */
    static byte[] delete(byte[] a, int at) {
        byte[] out = new byte[a.length - 1];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(a, at + 1, out, at, a.length - at - 1);
        return out;
    }

    /**
     * One to three random edits of {@code record}: a byte replaced, inserted or deleted, the record
     * cut or a stretch of it repeated; a new byte is random one time in four, else one of {@code special}.
     */
    static byte[] mutate(byte[] record, byte[] special, SplittableRandom r) {
        byte[] out = record;
        int edits = 1 + r.nextInt(3);
        for (int e = 0; e < edits; e++) {
            byte b = r.nextInt(4) == 0 ? (byte) r.nextInt(256) : special[r.nextInt(special.length)];
            int at = r.nextInt(out.length + 1);
            switch (r.nextInt(6)) {
                case 0:
                case 1:
                    out = at < out.length ? replace(out, at, b) : insert(out, at, b);
                    break;
                case 2:
                    out = insert(out, at, b);
                    break;
                case 3:
                    out = at < out.length ? delete(out, at) : out;
                    break;
                case 4:
                    out = Arrays.copyOf(out, at);
                    break;
                default:
                    int length = r.nextInt(out.length - at + 1);
                    out = SharedData.concat(Arrays.copyOf(out, at + length), Arrays.copyOfRange(out, at, out.length));
                    break;
            }
        }
        return out;
    }

    /** Each char of {@code s} as one byte (Latin-1). */
    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A batch of {@code records} whose byte array ends with the last one; when they are shorter in
     * all than the builder's 16-byte minimum, a record of {@code pad} chars goes first to make up
     * the difference.
     */
    static RecordBatch exactBatch(List<byte[]> records, char pad) {
        List<byte[]> all = new ArrayList<>();
        int total = 0;
        for (byte[] r : records) {
            total += r.length;
        }
        if (total < 16) {
            all.add(latin1(String.valueOf(pad).repeat(16 - total)));
            total = 16;
        }
        all.addAll(records);
        RecordBatchBuilder builder = RecordBatch.builder(total, all.size());
        long offset = 0;
        for (byte[] r : all) {
            builder.append(r, 0, r.length, "test", 0, offset++);
        }
        RecordBatch batch = builder.build(SourceOffsets.NONE, 0);
        assertEquals(total, batch.data().length, "the last record ends the array");
        return batch;
    }

    /** Record {@code row} of {@code batch}, printable ASCII as it is and other bytes as {@code \xNN}, cut after 600 bytes. */
    static String show(RecordBatch batch, int row) {
        byte[] d = batch.data();
        StringBuilder sb = new StringBuilder("#").append(row).append(" \"");
        int from = batch.bounds()[row];
        int to = Math.min(batch.bounds()[row + 1], from + SHOWN);
        for (int i = from; i < to; i++) {
            int c = d[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\x%02x", c));
            }
        }
        return sb.append(to < batch.bounds()[row + 1] ? "...\"" : "\"").toString();
    }
}
