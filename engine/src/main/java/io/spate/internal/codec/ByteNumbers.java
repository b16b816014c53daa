package io.spate.internal.codec;

import java.nio.charset.StandardCharsets;

/**
 * Number parsing straight from bytes, without making a {@code String} in the common cases.
 *
 * <p>Integers: an optional sign then ASCII digits; anything else, or a value outside the
 * {@code long} range, does not parse. Doubles: the decimal literal grammar
 * {@code [+-]?(D+(\.D*)?|\.D+)([eE][+-]?D+)?} (D an ASCII digit), with no spaces, no {@code NaN} or
 * {@code Infinity}, no hex and no {@code d}/{@code f} suffix; the value is always the one
 * {@link Double#parseDouble} gives for the same text.
 */
public final class ByteNumbers {

    /** The powers of ten a double holds exactly; 10^23 is the first it cannot. */
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    /** Mantissas up to 2^53 are exact doubles, the condition for the fast path to round correctly. */
    private static final long MAX_EXACT_MANTISSA = 1L << 53;

    private ByteNumbers() {
    }

    /**
     * Parses {@code b[from, to)} as an unsigned decimal integer: -1 if it is empty or has a
     * non-digit, -2 if it does not fit a long.
     */
    public static long parseUnsigned(byte[] b, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return -2;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** Whether {@code b[from, to)} is an optionally signed decimal integer that fits a long. */
    public static boolean isLong(byte[] b, int from, int to) {
        int p = from;
        boolean negative = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        if (p >= to) {
            return false;
        }
        // Accumulate negatively so that Long.MIN_VALUE, which has no positive twin, fits.
        long v = 0;
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                return false;
            }
            if (v < (limit + d) / 10) {
                return false;
            }
            v = v * 10 - d;
        }
        return true;
    }

    /** The value of {@code b[from, to)}, which {@link #isLong} must have accepted. */
    public static long parseLong(byte[] b, int from, int to) {
        int p = from;
        boolean negative = false;
        if (b[p] == '-' || b[p] == '+') {
            negative = b[p] == '-';
            p++;
        }
        long v = 0;
        for (; p < to; p++) {
            v = v * 10 - (b[p] - '0');
        }
        return negative ? v : -v;
    }

    /**
     * Parses {@code b[from, to)} as a double; {@link Double#NaN} when the text is not a decimal
     * literal (the grammar has no NaN, so NaN always means "did not parse").
     *
     * <p>A mantissa of at most 2^53 scaled by at most 10^22 is computed with one correctly rounded
     * multiplication or division of two exact doubles, which is exactly what
     * {@code Double.parseDouble} returns; longer literals go through {@code Double.parseDouble}.
     */
    public static double parseDouble(byte[] b, int from, int to) {
        int p = from;
        boolean negative = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            negative = b[p] == '-';
            p++;
        }
        long mantissa = 0;
        int significant = 0;
        int scale = 0;
        boolean anyDigit = false;
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            anyDigit = true;
            if (mantissa != 0 || d != 0) {
                significant++;
                if (significant <= 18) {
                    mantissa = mantissa * 10 + d;
                }
            }
        }
        if (p < to && b[p] == '.') {
            p++;
            for (; p < to; p++) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                anyDigit = true;
                if (mantissa != 0 || d != 0) {
                    significant++;
                    if (significant <= 18) {
                        mantissa = mantissa * 10 + d;
                        scale--;
                    }
                } else {
                    scale--;
                }
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        int exponent = 0;
        if (p < to && (b[p] == 'e' || b[p] == 'E')) {
            p++;
            boolean negativeExponent = false;
            if (p < to && (b[p] == '-' || b[p] == '+')) {
                negativeExponent = b[p] == '-';
                p++;
            }
            if (p >= to) {
                return Double.NaN;
            }
            for (; p < to; p++) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    return Double.NaN;
                }
                // Saturate: beyond this the value is 0 or infinite whatever the mantissa.
                if (exponent < 100_000) {
                    exponent = exponent * 10 + d;
                }
            }
            if (negativeExponent) {
                exponent = -exponent;
            }
        }
        if (p != to) {
            return Double.NaN;
        }
        if (significant <= 18 && mantissa <= MAX_EXACT_MANTISSA) {
            if (mantissa == 0) {
                return negative ? -0.0 : 0.0;
            }
            int e = scale + exponent;
            if (e >= 0 && e <= 22) {
                double v = mantissa * POW10[e];
                return negative ? -v : v;
            }
            if (e < 0 && e >= -22) {
                double v = mantissa / POW10[-e];
                return negative ? -v : v;
            }
        }
        return Double.parseDouble(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }
}
