// Delimited (CSV, TSV, any single-byte delimiter) decoding on the device: one thread per record,
// the split and conversion rules of io.spate.internal.codec.DelimitedDecoder. Included by
// kernels.cu, so it lands in the same fatbin.
//
// The decoded layout is the common one of every format (see kernels.cu): per read string field
// starts/lengths into the data buffer, per read number field 8-byte words (long values, or double
// bits), a verdict per record. The data buffer holds the batch bytes and, from arena_base on, an
// arena as large again: a quoted field with "" pairs is unescaped there (never longer than its raw
// bytes, so the arena cannot overflow) and its start points there, so every later kernel reads
// rewritten strings exactly as it reads slices of the batch.
//
// The verdict is 0 (decoded), DECODE_SKIP (the header line), DECODE_REJECT (malformed; the host
// words the reason with the CPU decoder, which reads just that record) or DECODE_HOST (a double
// only Double.parseDouble rounds right: the batch goes to the CPU).

#include "numbers.cuh"

// Field spec, two ints per column of the format: how it is read (-1 not read, else KIND_*) and its
// index among the decoded string columns or among the decoded number columns.
#define DELIM_SPEC_WORDS 2

// Writes d[from, to) with each "" made " into the arena; returns the arena offset it starts at.
__device__ static int delim_unescape(unsigned char* data, int from, int to, int pairs, int arena_base, int* arena_used) {
    int at = atomicAdd(arena_used, to - from - pairs);
    unsigned char* out = data + arena_base + at;
    for (int i = from; i < to; i++) {
        *out++ = data[i];
        if (data[i] == '"') {
            // The splitter found quotes inside only in pairs: keep the first, skip the second.
            i++;
        }
    }
    return arena_base + at;
}

// Converts field f = d[from, to) of record row; returns 0, DECODE_REJECT or DECODE_HOST.
__device__ static int delim_convert(unsigned char* data, int from, int to, int pairs, const int* spec, int f, long long n, int row,
                                    int* starts, int* lengths, long long* nums, int arena_base, int* arena_used) {
    int kind = spec[f * DELIM_SPEC_WORDS];
    long long col = spec[f * DELIM_SPEC_WORDS + 1];
    if (kind == KIND_STRING) {
        starts[col * n + row] = pairs > 0 ? delim_unescape(data, from, to, pairs, arena_base, arena_used) : from;
        lengths[col * n + row] = to - from - pairs;
        return 0;
    }
    // A number with "" inside holds a quote, so it fails to parse just as its unescaped text does.
    if (kind == KIND_LONG) {
        long long v;
        if (parse_long(data, from, to, &v) != NUMBER_OK) {
            return DECODE_REJECT;
        }
        nums[col * n + row] = v;
        return 0;
    }
    double v;
    int parsed = parse_double(data, from, to, &v);
    if (parsed == NUMBER_BAD) {
        return DECODE_REJECT;
    }
    if (parsed == NUMBER_SLOW) {
        return DECODE_HOST;
    }
    nums[col * n + row] = __double_as_longlong(v);
    return 0;
}

// Records [0, n) of a batch; bounds holds n + 1 offsets into data. header_len < 0: no header.
extern "C" __global__ void delim_parse(unsigned char* data, const int* bounds, int n, const int* spec, int field_count,
                                       int delimiter, int quoted, int trim_cr, const unsigned char* header, int header_len,
                                       int* starts, int* lengths, long long* nums, unsigned char* reason,
                                       int arena_base, int* arena_used) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    const unsigned char* d = data;
    unsigned char delim = (unsigned char) delimiter;
    int start = bounds[row];
    int end = bounds[row + 1];
    if (trim_cr && end > start && d[end - 1] == '\r') {
        end--;
    }
    if (header_len >= 0 && end - start == header_len) {
        bool same = true;
        for (int i = 0; i < header_len && same; i++) {
            same = d[start + i] == header[i];
        }
        if (same) {
            reason[row] = DECODE_SKIP;
            return;
        }
    }
    int verdict = 0;
    int found = 0;
    int p = start;
    while (true) {
        int e;
        int content_start = p;
        int content_end;
        int pairs = 0;
        if (quoted && p < end && d[p] == '"') {
            content_start = p + 1;
            int q = content_start;
            while (true) {
                while (q < end && d[q] != '"') {
                    q++;
                }
                if (q == end) {
                    reason[row] = DECODE_REJECT;
                    return;
                }
                if (q + 1 < end && d[q + 1] == '"') {
                    pairs++;
                    q += 2;
                    continue;
                }
                break;
            }
            content_end = q;
            e = q + 1;
            if (e < end && d[e] != delim) {
                reason[row] = DECODE_REJECT;
                return;
            }
        } else {
            e = p;
            while (e < end && d[e] != delim) {
                e++;
            }
            content_end = e;
        }
        if (found < field_count && spec[found * DELIM_SPEC_WORDS] >= 0) {
            int v = delim_convert(data, content_start, content_end, pairs, spec, found, n, row, starts, lengths, nums, arena_base, arena_used);
            if (v == DECODE_REJECT) {
                reason[row] = DECODE_REJECT;
                return;
            }
            verdict = v > verdict ? v : verdict;
        }
        found++;
        if (e == end) {
            break;
        }
        p = e + 1;
    }
    reason[row] = found != field_count ? DECODE_REJECT : verdict;
}
