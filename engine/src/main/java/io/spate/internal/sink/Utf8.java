package io.spate.internal.sink;

/** UTF-8 validation over byte ranges, without decoding. */
final class Utf8 {

    private Utf8() {
    }

    /** Whether {@code bytes[from, from+length)} is well-formed UTF-8 (no overlongs, no surrogates). */
    static boolean isValid(byte[] bytes, int from, int length) {
        int i = from;
        int end = from + length;
        while (i < end) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int n;
            int min;
            if ((b & 0xE0) == 0xC0) {
                n = 1;
                min = 0x80;
            } else if ((b & 0xF0) == 0xE0) {
                n = 2;
                min = 0x800;
            } else if ((b & 0xF8) == 0xF0) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + n >= end) {
                return false;
            }
            int cp = b & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int c = bytes[i + k];
                if ((c & 0xC0) != 0x80) {
                    return false;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }
}
