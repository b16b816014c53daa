package io.spate.internal.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte buffer for string values that cannot be a plain slice of the batch bytes
 * (unescaped JSON strings, CSV fields with doubled quotes). Cleared per batch, reused across
 * batches, so it stops allocating once it has grown to the largest batch's need.
 */
public final class ByteArena {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[1024];
    private int size;

    /** Forgets the contents, keeping the memory. */
    public void clear() {
        size = 0;
    }

    /** Forgets the bytes after the first {@code size}, as when a tentative write is abandoned. */
    public void truncate(int size) {
        if (size < 0 || size > this.size) {
            throw new IllegalArgumentException("cannot truncate " + this.size + " bytes to " + size);
        }
        this.size = size;
    }

    /** Number of bytes written since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    /** The backing array; valid up to {@link #size()}, and replaced when the arena grows. */
    public byte[] bytes() {
        return bytes;
    }

    /** Appends {@code src[from, to)}; returns where it starts in the arena. */
    public int append(byte[] src, int from, int to) {
        int start = size;
        ensure(to - from);
        System.arraycopy(src, from, bytes, size, to - from);
        size += to - from;
        return start;
    }

    /** Appends one byte. */
    public void append(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    /** Appends {@code v} as 8 bytes, least significant first (see {@link #longAt}). */
    public void appendLong(long v) {
        ensure(Long.BYTES);
        LONGS.set(bytes, size, v);
        size += Long.BYTES;
    }

    /** The long {@link #appendLong} wrote at byte {@code at}. */
    public long longAt(int at) {
        if (at < 0 || at > size - Long.BYTES) {
            throw new IndexOutOfBoundsException("no long at " + at + " of " + size + " bytes");
        }
        return (long) LONGS.get(bytes, at);
    }

    /**
     * Appends {@code chars[from, from+length)} encoded as UTF-8; returns where it starts. An unpaired
     * surrogate becomes {@code ?}, as {@link String#getBytes(java.nio.charset.Charset)} does.
     */
    public int appendUtf8(char[] chars, int from, int length) {
        int start = size;
        // 3 bytes per char covers every case: a surrogate pair is 2 chars for 4 bytes.
        ensure(3 * length);
        byte[] b = bytes;
        int p = size;
        int end = from + length;
        for (int i = from; i < end; i++) {
            char c = chars[i];
            if (c < 0x80) {
                b[p++] = (byte) c;
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | c >> 6);
                b[p++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(chars[i + 1])) {
                    int cp = Character.toCodePoint(c, chars[++i]);
                    b[p++] = (byte) (0xF0 | cp >> 18);
                    b[p++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    b[p++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    b[p++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    b[p++] = '?';
                }
            } else {
                b[p++] = (byte) (0xE0 | c >> 12);
                b[p++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[p++] = (byte) (0x80 | c & 0x3F);
            }
        }
        size = p;
        return start;
    }

    private void ensure(int extra) {
        long needed = (long) size + extra;
        if (needed > bytes.length) {
            if (needed > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("string arena would exceed 2 GiB");
            }
            bytes = Arrays.copyOf(bytes, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
        }
    }
}
