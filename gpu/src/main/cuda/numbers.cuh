// Number parsing from bytes on the device, with the rules and values of
// io.spate.internal.codec.ByteNumbers (shared by the delimited and JSON decode kernels).
#pragma once

#include "spate_kernels.cuh"

#define NUMBER_OK 0
#define NUMBER_BAD 1
// A valid literal outside the exact fast path: only the host's Double.parseDouble rounds it right.
#define NUMBER_SLOW 2

// ByteNumbers.isLong + parseLong: an optional sign then digits, within the long range.
__device__ static int parse_long(const unsigned char* b, int from, int to, long long* out) {
    int p = from;
    bool negative = false;
    if (p < to && (b[p] == '-' || b[p] == '+')) {
        negative = b[p] == '-';
        p++;
    }
    if (p >= to) {
        return NUMBER_BAD;
    }
    // Accumulated negatively so that LLONG_MIN, which has no positive twin, fits.
    long long v = 0;
    long long limit = negative ? SPATE_LLONG_MIN : -SPATE_LLONG_MAX;
    for (; p < to; p++) {
        int d = (int) b[p] - '0';
        if (d < 0 || d > 9) {
            return NUMBER_BAD;
        }
        if (v < (limit + d) / 10) {
            return NUMBER_BAD;
        }
        v = v * 10 - d;
    }
    *out = negative ? v : -v;
    return NUMBER_OK;
}

// 10^e for 0 <= e <= 22: every step is an exact product, so the result is the exact power.
__device__ static double exact_pow10(int e) {
    double p = 1.0;
    for (int i = 0; i < e; i++) {
        p *= 10.0;
    }
    return p;
}

// ByteNumbers.parseDouble: the grammar [+-]?(D+(.D*)?|.D+)([eE][+-]?D+)?; a mantissa of at most
// 18 significant digits and 2^53 scaled by at most 10^22 is one correctly rounded IEEE multiply or
// divide of exact doubles, which is what Double.parseDouble returns; anything else is NUMBER_SLOW.
__device__ static int parse_double(const unsigned char* b, int from, int to, double* out) {
    int p = from;
    bool negative = false;
    if (p < to && (b[p] == '-' || b[p] == '+')) {
        negative = b[p] == '-';
        p++;
    }
    long long mantissa = 0;
    int significant = 0;
    int scale = 0;
    bool any_digit = false;
    for (; p < to; p++) {
        int d = (int) b[p] - '0';
        if (d < 0 || d > 9) {
            break;
        }
        any_digit = true;
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
            int d = (int) b[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            any_digit = true;
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
    if (!any_digit) {
        return NUMBER_BAD;
    }
    int exponent = 0;
    if (p < to && (b[p] == 'e' || b[p] == 'E')) {
        p++;
        bool negative_exponent = false;
        if (p < to && (b[p] == '-' || b[p] == '+')) {
            negative_exponent = b[p] == '-';
            p++;
        }
        if (p >= to) {
            return NUMBER_BAD;
        }
        for (; p < to; p++) {
            int d = (int) b[p] - '0';
            if (d < 0 || d > 9) {
                return NUMBER_BAD;
            }
            if (exponent < 100000) {
                exponent = exponent * 10 + d;
            }
        }
        if (negative_exponent) {
            exponent = -exponent;
        }
    }
    if (p != to) {
        return NUMBER_BAD;
    }
    if (significant <= 18 && mantissa <= (1LL << 53)) {
        if (mantissa == 0) {
            *out = negative ? -0.0 : 0.0;
            return NUMBER_OK;
        }
        int e = scale + exponent;
        if (e >= 0 && e <= 22) {
            double v = (double) mantissa * exact_pow10(e);
            *out = negative ? -v : v;
            return NUMBER_OK;
        }
        if (e < 0 && e >= -22) {
            double v = (double) mantissa / exact_pow10(-e);
            *out = negative ? -v : v;
            return NUMBER_OK;
        }
    }
    return NUMBER_SLOW;
}
