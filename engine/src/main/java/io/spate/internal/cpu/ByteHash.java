package io.spate.internal.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Hashes of key values straight from their bytes or bits: a multiply-rotate loop over 8-byte
 * words finished with the MurmurHash3 mixer, so similar keys (URLs, host names) spread well.
 */
final class ByteHash {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    private ByteHash() {
    }

    /** Hash of {@code b[from, from+length)}. */
    static long bytes(byte[] b, int from, int length) {
        long h = length * K1;
        int i = from;
        int end = from + length;
        for (; i + 8 <= end; i += 8) {
            h = Long.rotateLeft(h ^ (long) LONGS.get(b, i) * K2, 31) * K1;
        }
        if (i < end) {
            h = Long.rotateLeft(h ^ tail(b, i, end - i) * K2, 31) * K1;
        }
        return mix(h);
    }

    /**
     * The {@code n} (1 to 7) bytes at {@code b[i]}, little-endian, in a long's low bytes, as a loop
     * over them would make it; read as one word where the array has eight bytes there (or before
     * their end), since most keys (words, hosts) are short and this is their whole hash.
     */
    private static long tail(byte[] b, int i, int n) {
        if (i + 8 <= b.length) {
            return (long) LONGS.get(b, i) & -1L >>> (64 - 8 * n);
        }
        if (i + n >= 8) {
            return (long) LONGS.get(b, i + n - 8) >>> (64 - 8 * n);
        }
        long tail = 0;
        for (int k = 0; k < n; k++) {
            tail |= (b[i + k] & 0xFFL) << (8 * k);
        }
        return tail;
    }

    /**
     * Whether {@code a[ia, ia+length)} and {@code b[ib, ib+length)} hold the same bytes: eight at a
     * time, which for the short keys of a group-by (words, hosts) beats {@code Arrays.equals}'
     * range checks and vectorized mismatch.
     */
    static boolean equal(byte[] a, int ia, byte[] b, int ib, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if ((long) LONGS.get(a, ia + i) != (long) LONGS.get(b, ib + i)) {
                return false;
            }
        }
        return i == length || tail(a, ia + i, length - i) == tail(b, ib + i, length - i);
    }

    /** Hash of a long. */
    static long ofLong(long v) {
        return mix(v * K1 + K2);
    }

    /** Folds the hash of one more key into {@code h}. */
    static long combine(long h, long keyHash) {
        return Long.rotateLeft(h ^ keyHash, 27) * K1 + K2;
    }

    /** The table hash of a combined key hash. */
    static int finish(long h) {
        h = mix(h);
        return (int) (h ^ h >>> 32);
    }

    /** The MurmurHash3 64-bit finalizer. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
