package io.spate.internal.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link ByteHash} against the byte-at-a-time loops it reads words in place of: the same hash for
 * every slice (so tables built before and after agree), and equality as {@link Arrays#equals}
 * says, at every offset and length up to 40 bytes, near both ends of arrays of every size to 24.
 */
class ByteHashTest {

    @Test
    void shouldHashEverySliceAsTheByteLoopDoes() {
        SplittableRandom random = new SplittableRandom(7);
        for (int size = 0; size <= 24; size++) {
            byte[] b = bytes(random, size);
            for (int from = 0; from <= size; from++) {
                for (int length = 0; from + length <= size; length++) {
                    assertEquals(byteLoopHash(b, from, length), ByteHash.bytes(b, from, length), "size " + size + " from " + from + " length " + length);
                }
            }
        }
        for (int round = 0; round < 20_000; round++) {
            byte[] b = bytes(random, 1 + random.nextInt(64));
            int from = random.nextInt(b.length);
            int length = random.nextInt(b.length - from + 1);
            assertEquals(byteLoopHash(b, from, length), ByteHash.bytes(b, from, length));
        }
    }

    @Test
    void shouldFindSlicesEqualExactlyWhenTheirBytesAre() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200_000; round++) {
            int length = random.nextInt(41);
            byte[] a = bytes(random, length + random.nextInt(12));
            byte[] b = bytes(random, length + random.nextInt(12));
            int ia = random.nextInt(a.length - length + 1);
            int ib = random.nextInt(b.length - length + 1);
            System.arraycopy(a, ia, b, ib, length);
            if (length > 0 && random.nextBoolean()) {
                // One byte differs, anywhere: the last ones are read as part of a word too.
                b[ib + random.nextInt(length)] ^= (byte) (1 << random.nextInt(8));
            }
            boolean expected = Arrays.equals(a, ia, ia + length, b, ib, ib + length);
            assertEquals(expected, ByteHash.equal(a, ia, b, ib, length), "length " + length + " at " + ia + " and " + ib);
        }
    }

    private static byte[] bytes(SplittableRandom random, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return b;
    }

    /** The hash as it was written first: eight-byte words, then the tail a byte at a time. */
    private static long byteLoopHash(byte[] b, int from, int length) {
        long k1 = 0x9E3779B97F4A7C15L;
        long k2 = 0xC2B2AE3D27D4EB4FL;
        long h = length * k1;
        int i = from;
        int end = from + length;
        for (; i + 8 <= end; i += 8) {
            long word = 0;
            for (int k = 0; k < 8; k++) {
                word |= (b[i + k] & 0xFFL) << (8 * k);
            }
            h = Long.rotateLeft(h ^ word * k2, 31) * k1;
        }
        if (i < end) {
            long tail = 0;
            for (int shift = 0; i < end; i++, shift += 8) {
                tail |= (b[i] & 0xFFL) << shift;
            }
            h = Long.rotateLeft(h ^ tail * k2, 31) * k1;
        }
        // The finalizer is not what word-at-a-time reading changed.
        return ByteHash.mix(h);
    }
}
