package io.spate.frame;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A column of byte strings stored back to back: value {@code i} is
 * {@code bytes[offsets[i], offsets[i+1])}. Values are kept as the bytes they arrived as; they are
 * normally UTF-8 but need not be (the NASA log has Latin-1 bytes), and encoders must cope.
 */
public record Utf8Column(String name, byte[] bytes, int[] offsets, int size) implements Column {

    /** A column of the given strings, UTF-8 encoded. */
    public static Utf8Column of(String name, String... values) {
        List<byte[]> list = new ArrayList<>(values.length);
        for (String v : values) {
            list.add(v.getBytes(StandardCharsets.UTF_8));
        }
        return ofBytes(name, list);
    }

    /** A column of the given byte strings. */
    public static Utf8Column ofBytes(String name, List<byte[]> values) {
        int total = 0;
        for (byte[] v : values) {
            total += v.length;
        }
        byte[] bytes = new byte[total];
        int[] offsets = new int[values.size() + 1];
        int pos = 0;
        for (int i = 0; i < values.size(); i++) {
            byte[] v = values.get(i);
            System.arraycopy(v, 0, bytes, pos, v.length);
            pos += v.length;
            offsets[i + 1] = pos;
        }
        return new Utf8Column(name, bytes, offsets, values.size());
    }

    @Override
    public ColumnType type() {
        return ColumnType.UTF8;
    }

    /** Start of value {@code row} in {@link #bytes()}. */
    public int start(int row) {
        return offsets[row];
    }

    /** Length in bytes of value {@code row}. */
    public int length(int row) {
        return offsets[row + 1] - offsets[row];
    }

    /** Copy of the bytes of value {@code row}. */
    public byte[] getBytes(int row) {
        return Arrays.copyOfRange(bytes, offsets[row], offsets[row + 1]);
    }

    /** Value {@code row} decoded as UTF-8 (malformed bytes replaced); for tests and display, not the hot path. */
    public String getString(int row) {
        return new String(bytes, offsets[row], length(row), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < Math.min(size, 10); i++) {
            shown.add(getString(i));
        }
        return name + "=" + shown + (size > 10 ? "..." : "");
    }
}
