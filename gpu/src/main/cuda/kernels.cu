// Spate device kernels: CLF field splitting, filter + hash group-by + aggregate, word count; the
// delimited and JSON decode kernels and model inference live in the files included below.
//
// Built into one fatbin resource (sm_80 and sm_90 cubins, compute_90 PTX) by the gpu module's
// `nvcc` Maven profile:
//   nvcc -fatbin -O3 -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90
//        -gencode arch=compute_90,code=compute_90 -o spate-kernels.fatbin kernels.cu
// Every kernel is extern "C" so the host finds it by its plain name (cuModuleGetFunction).
//
// The decoded layout every format's decode kernel writes, and every later kernel reads
// (io.spate.gpu.internal.DeviceDecode on the host):
//   data:           the batch bytes; for formats that rewrite strings (quoted CSV, JSON escapes)
//                   followed by an arena of the same size, where rewritten strings are written
//   starts/lengths: int[strings][n]  string column c of record r at [c * n + r], into data
//   longs:          long long[numbers][n]  number columns: long values, or double bits (KIND_DOUBLE)
//   reason:         unsigned char[n], 0 = decoded, else a CLF reason index or a DECODE_* verdict
//   group tables:   slot_row[cap] (-1 empty), first_row[cap], counts[cap], acc[2 * aggs][cap]: each
//                   aggregate's accumulator, then per aggregate the largest magnitude a long sum or
//                   mean added to the slot (0 for the others)
// Kernels never launch with zero blocks: the host skips empty work.

#include "spate_kernels.cuh"
#include "delimited.cu"
#include "json.cu"

// ---------------------------------------------------------------------------------------------
// CLF decoding: one thread per record, the exact checks of io.spate.internal.codec.ClfDecoder.

__device__ static int index_of(const unsigned char* d, int from, int to, unsigned char b) {
    for (int i = from; i < to; i++) {
        if (d[i] == b) {
            return i;
        }
    }
    return -1;
}

__device__ static int last_index_of(const unsigned char* d, int from, int to, unsigned char b) {
    for (int i = to - 1; i >= from; i--) {
        if (d[i] == b) {
            return i;
        }
    }
    return -1;
}

// Whether a CR or LF lies in d[from, to): a record of several log lines.
__device__ static bool has_line_break(const unsigned char* d, int from, int to) {
    for (int i = from; i < to; i++) {
        if (d[i] == '\n' || d[i] == '\r') {
            return true;
        }
    }
    return false;
}

// -1: empty or a non-digit; -2: does not fit a long (ByteNumbers.parseUnsigned).
__device__ static long long parse_unsigned(const unsigned char* d, int from, int to) {
    if (from >= to) {
        return -1;
    }
    long long v = 0;
    for (int i = from; i < to; i++) {
        int digit = (int) d[i] - '0';
        if (digit < 0 || digit > 9) {
            return -1;
        }
        if (v > (SPATE_LLONG_MAX - digit) / 10) {
            return -2;
        }
        v = v * 10 + digit;
    }
    return v;
}

__device__ static int digits2(const unsigned char* b, int at) {
    int hi = (int) b[at] - '0';
    int lo = (int) b[at + 1] - '0';
    if (hi < 0 || hi > 9 || lo < 0 || lo > 9) {
        return -1000;
    }
    return hi * 10 + lo;
}

__device__ static int month_of(unsigned char a, unsigned char b, unsigned char c) {
    if (a == 'J' && b == 'a' && c == 'n') return 1;
    if (a == 'F' && b == 'e' && c == 'b') return 2;
    if (a == 'M' && b == 'a' && c == 'r') return 3;
    if (a == 'A' && b == 'p' && c == 'r') return 4;
    if (a == 'M' && b == 'a' && c == 'y') return 5;
    if (a == 'J' && b == 'u' && c == 'n') return 6;
    if (a == 'J' && b == 'u' && c == 'l') return 7;
    if (a == 'A' && b == 'u' && c == 'g') return 8;
    if (a == 'S' && b == 'e' && c == 'p') return 9;
    if (a == 'O' && b == 'c' && c == 't') return 10;
    if (a == 'N' && b == 'o' && c == 'v') return 11;
    if (a == 'D' && b == 'e' && c == 'c') return 12;
    return 0;
}

__device__ static int days_in_month(int year, int month) {
    switch (month) {
        case 2: return ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0) ? 29 : 28;
        case 4: case 6: case 9: case 11: return 30;
        default: return 31;
    }
}

// Days from 1970-01-01 (H. Hinnant's days_from_civil, as ClfTime.daysFromCivil).
__device__ static long long days_from_civil(int year, int month, int day) {
    int y = month <= 2 ? year - 1 : year;
    int era = (y >= 0 ? y : y - 399) / 400;
    int year_of_era = y - era * 400;
    int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097LL + day_of_era - 719468LL;
}

// dd/Mon/yyyy:HH:mm:ss +hhmm as epoch milliseconds, or SPATE_LLONG_MIN (ClfTime.parse).
__device__ static long long clf_time(const unsigned char* b, int from, int to) {
    if (to - from != 26 || b[from + 2] != '/' || b[from + 6] != '/' || b[from + 11] != ':'
            || b[from + 14] != ':' || b[from + 17] != ':' || b[from + 20] != ' ') {
        return SPATE_LLONG_MIN;
    }
    int day = digits2(b, from);
    int month = month_of(b[from + 3], b[from + 4], b[from + 5]);
    int century = digits2(b, from + 7);
    int year_of_century = digits2(b, from + 9);
    int hour = digits2(b, from + 12);
    int minute = digits2(b, from + 15);
    int second = digits2(b, from + 18);
    unsigned char sign = b[from + 21];
    int offset_hours = digits2(b, from + 22);
    int offset_minutes = digits2(b, from + 24);
    if (month == 0 || century < 0 || year_of_century < 0) {
        return SPATE_LLONG_MIN;
    }
    int year = century * 100 + year_of_century;
    if (day < 1 || day > days_in_month(year, month)
            || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
            || (sign != '+' && sign != '-') || offset_hours < 0 || offset_hours > 23
            || offset_minutes < 0 || offset_minutes > 59) {
        return SPATE_LLONG_MIN;
    }
    long long seconds = days_from_civil(year, month, day) * 86400LL + hour * 3600LL + minute * 60LL + second;
    long long offset = offset_hours * 3600LL + offset_minutes * 60LL;
    seconds -= sign == '+' ? offset : -offset;
    return seconds * 1000LL;
}

__device__ static void set_field(int* starts, int* lengths, int field, long long n, int row, int from, int to) {
    starts[field * n + row] = from;
    lengths[field * n + row] = to - from;
}

// Records [row_from, row_to) of a batch of n; bounds holds n + 1 absolute offsets into data.
extern "C" __global__ void clf_parse(const unsigned char* data, const int* bounds, int row_from, int row_to, int n,
                                     int* starts, int* lengths, long long* longs, unsigned char* reason) {
    long long row_ll = (long long) row_from + (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= row_to) {
        return;
    }
    int row = (int) row_ll;
    const unsigned char* d = data;
    int start = bounds[row];
    int end = bounds[row + 1];
    while (end > start && (d[end - 1] == '\n' || d[end - 1] == '\r')) {
        end--;
    }
    if (start == end) { reason[row] = CLF_EMPTY; return; }
    if (has_line_break(d, start, end)) { reason[row] = CLF_MULTI_LINE; return; }
    int p = start;
    int sp = index_of(d, p, end, ' ');
    if (sp < 0) { reason[row] = CLF_TOO_FEW_FIELDS; return; }
    if (sp == p) { reason[row] = CLF_EMPTY_HOST; return; }
    set_field(starts, lengths, CLF_HOST, n, row, p, sp);
    p = sp + 1;
    sp = index_of(d, p, end, ' ');
    if (sp < 0) { reason[row] = CLF_TOO_FEW_FIELDS; return; }
    if (sp == p) { reason[row] = CLF_EMPTY_IDENT; return; }
    set_field(starts, lengths, CLF_IDENT, n, row, p, sp);
    p = sp + 1;
    sp = index_of(d, p, end, ' ');
    if (sp < 0) { reason[row] = CLF_TOO_FEW_FIELDS; return; }
    if (sp == p) { reason[row] = CLF_EMPTY_AUTHUSER; return; }
    set_field(starts, lengths, CLF_AUTHUSER, n, row, p, sp);
    p = sp + 1;
    if (p >= end || d[p] != '[') { reason[row] = CLF_NO_OPEN_BRACKET; return; }
    int time_start = p + 1;
    int time_end = index_of(d, time_start, end, ']');
    if (time_end < 0) { reason[row] = CLF_NO_CLOSE_BRACKET; return; }
    long long millis = clf_time(d, time_start, time_end);
    if (millis == SPATE_LLONG_MIN) { reason[row] = CLF_BAD_TIME; return; }
    set_field(starts, lengths, CLF_TIME, n, row, time_start, time_end);
    p = time_end + 1;
    if (p + 1 >= end || d[p] != ' ' || d[p + 1] != '"') { reason[row] = CLF_NO_OPEN_QUOTE; return; }
    int request_start = p + 2;
    // Requests may contain quotes, so the request ends at the last quote of the record.
    int request_end = last_index_of(d, request_start, end, '"');
    if (request_end < 0) { reason[row] = CLF_NO_CLOSE_QUOTE; return; }
    p = request_end + 1;
    if (p >= end || d[p] != ' ') { reason[row] = CLF_NO_STATUS; return; }
    p++;
    sp = index_of(d, p, end, ' ');
    if (sp < 0) { reason[row] = CLF_NO_STATUS; return; }
    long long status = parse_unsigned(d, p, sp);
    if (status < 0) { reason[row] = status == -1 ? CLF_BAD_STATUS : CLF_BIG_STATUS; return; }
    long long bytes = (sp + 2 == end && d[sp + 1] == '-') ? 0 : parse_unsigned(d, sp + 1, end);
    if (bytes < 0) { reason[row] = bytes == -1 ? CLF_BAD_BYTES : CLF_BIG_BYTES; return; }
    longs[CLF_TIMESTAMP * n + row] = millis;
    longs[CLF_STATUS * n + row] = status;
    longs[CLF_BYTES * n + row] = bytes;
    set_field(starts, lengths, CLF_REQUEST, n, row, request_start, request_end);
    int method_end = index_of(d, request_start, request_end, ' ');
    if (method_end < 0) {
        method_end = request_end;
    }
    set_field(starts, lengths, CLF_METHOD, n, row, request_start, method_end);
    int path_start = min(method_end + 1, request_end);
    int path_end = index_of(d, path_start, request_end, ' ');
    if (path_end < 0) {
        path_end = request_end;
    }
    set_field(starts, lengths, CLF_PATH, n, row, path_start, path_end);
    reason[row] = CLF_OK;
}

// ---------------------------------------------------------------------------------------------
// Hashing: any good spread works, the device table need not agree with the CPU's.

__device__ static unsigned long long mix64(unsigned long long h) {
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

__device__ static unsigned char fold(unsigned char b, int lowercase) {
    return (lowercase && b >= 'A' && b <= 'Z') ? (unsigned char) (b + 32) : b;
}

__device__ static unsigned long long hash_bytes(const unsigned char* d, int from, int length, int lowercase) {
    unsigned long long h = 0x9E3779B97F4A7C15ULL * (unsigned long long) (length + 1);
    for (int i = 0; i < length; i++) {
        h = (h ^ fold(d[from + i], lowercase)) * 0x100000001B3ULL;
    }
    return mix64(h);
}

__device__ static unsigned long long combine(unsigned long long h, unsigned long long key_hash) {
    return mix64(h * 0x9E3779B97F4A7C15ULL + key_hash);
}

__device__ static bool same_bytes(const unsigned char* d, int a, int b, int length, int lowercase) {
    for (int i = 0; i < length; i++) {
        if (fold(d[a + i], lowercase) != fold(d[b + i], lowercase)) {
            return false;
        }
    }
    return true;
}

// Maps double bits to a long that orders as Double.compare orders the doubles (-0.0 below 0.0;
// the decoders never make NaN), and back: the same map, as it is an involution.
__device__ static long long ordered(long long bits) {
    return bits >= 0 ? bits : bits ^ SPATE_LLONG_MAX;
}

// -1, 0 or 1 as Arrays.compareUnsigned of d[from, from+length) with lit[0, lit_length).
__device__ static int compare_unsigned(const unsigned char* d, int from, int length, const unsigned char* lit, int lit_length) {
    int common = min(length, lit_length);
    for (int i = 0; i < common; i++) {
        unsigned char x = d[from + i];
        unsigned char y = lit[i];
        if (x != y) {
            return x < y ? -1 : 1;
        }
    }
    return length == lit_length ? 0 : (length < lit_length ? -1 : 1);
}

// ---------------------------------------------------------------------------------------------
// Group-by over decoded CLF records. A query is described by desc (long longs):
//   filters: DESC_FILTER_WORDS each: kind (KIND_*), column, passes (bit cmp+1 set when that
//            comparison passes), equality-only flag, literal (long value, double bits, or offset
//            into literals), literal length
//   keys:    DESC_KEY_WORDS each: kind, column
//   aggs:    DESC_AGG_WORDS each: function (AGG_*), number column (-1 for count), kind
// Double accumulators: min and max hold ordered() bits, so that the integer atomics give exactly
// Math.min/Math.max; sums (and means) are atomic double adds, whose rounding depends on the order
// of the adds: equal to the CPU's sum within a relative 1e-9 for the data Spate serves, not bit
// for bit.

__device__ static bool passes_filters(const unsigned char* data, const int* starts, const int* lengths, const long long* longs,
                                      long long n, int row, const long long* desc, int nf, const unsigned char* literals) {
    for (int f = 0; f < nf; f++) {
        const long long* w = desc + f * DESC_FILTER_WORDS;
        int kind = (int) w[0];
        int col = (int) w[1];
        int passes = (int) w[2];
        int cmp;
        if (kind != KIND_STRING) {
            long long v = longs[col * n + row];
            long long lit = w[4];
            if (kind == KIND_DOUBLE) {
                v = ordered(v);
                lit = ordered(lit);
            }
            cmp = v < lit ? -1 : (v == lit ? 0 : 1);
        } else {
            int from = starts[col * n + row];
            int length = lengths[col * n + row];
            int lit_length = (int) w[5];
            const unsigned char* lit = literals + w[4];
            if (w[3]) {
                cmp = (length == lit_length && compare_unsigned(data, from, length, lit, lit_length) == 0) ? 0 : 1;
            } else {
                cmp = compare_unsigned(data, from, length, lit, lit_length);
            }
        }
        if (((passes >> (cmp + 1)) & 1) == 0) {
            return false;
        }
    }
    return true;
}

__device__ static unsigned long long key_hash(const unsigned char* data, const int* starts, const int* lengths, const long long* longs,
                                              long long n, int row, const long long* keys, int nk) {
    unsigned long long h = 0;
    for (int k = 0; k < nk; k++) {
        int kind = (int) keys[k * DESC_KEY_WORDS];
        int col = (int) keys[k * DESC_KEY_WORDS + 1];
        unsigned long long kh = kind != KIND_STRING
                ? mix64((unsigned long long) longs[col * n + row] * 0x9E3779B97F4A7C15ULL + 0xC2B2AE3D27D4EB4FULL)
                : hash_bytes(data, starts[col * n + row], lengths[col * n + row], 0);
        h = combine(h, kh);
    }
    return h;
}

__device__ static bool same_key(const unsigned char* data, const int* starts, const int* lengths, const long long* longs,
                                long long n, int a, int b, const long long* keys, int nk) {
    for (int k = 0; k < nk; k++) {
        int kind = (int) keys[k * DESC_KEY_WORDS];
        int col = (int) keys[k * DESC_KEY_WORDS + 1];
        if (kind != KIND_STRING) {
            // Double keys are equal when their bits are, as Double.doubleToLongBits compares them.
            if (longs[col * n + a] != longs[col * n + b]) {
                return false;
            }
        } else {
            int length = lengths[col * n + a];
            if (length != lengths[col * n + b]
                    || !same_bytes(data, starts[col * n + a], starts[col * n + b], length, 0)) {
                return false;
            }
        }
    }
    return true;
}

// Counts record row into slot pos, whose first record (or entry) becomes first if that is smaller,
// and folds its aggregate columns into the slot's accumulators. A long sum or mean also raises the
// slot's largest magnitude added (acc row na + a): the device adds in no order, so the host, which
// knows each group's count and running sum, tells from it whether some order of the adds could
// leave the long range, and if so runs the batch on the CPU, which rejects, in batch order, the
// records that would.
__device__ static void accumulate(unsigned int pos, int first, int row, long long stride, const long long* longs,
                                  const long long* aggs, int na, int cap, int* first_row, unsigned long long* counts, long long* acc) {
    atomicAdd(&counts[pos], 1ULL);
    atomicMin(&first_row[pos], first);
    for (int a = 0; a < na; a++) {
        int fn = (int) aggs[a * DESC_AGG_WORDS];
        if (fn == AGG_COUNT) {
            continue;
        }
        long long v = longs[aggs[a * DESC_AGG_WORDS + 1] * stride + row];
        long long* slot = &acc[(long long) a * cap + pos];
        if (aggs[a * DESC_AGG_WORDS + 2] == KIND_DOUBLE) {
            if (fn == AGG_MIN) {
                atomicMin(slot, ordered(v));
            } else if (fn == AGG_MAX) {
                atomicMax(slot, ordered(v));
            } else {
                atomicAdd((double*) slot, __longlong_as_double(v));
            }
        } else if (fn == AGG_MIN) {
            atomicMin(slot, v);
        } else if (fn == AGG_MAX) {
            atomicMax(slot, v);
        } else {
            unsigned long long magnitude = v < 0 ? 0ULL - (unsigned long long) v : (unsigned long long) v;
            unsigned long long* largest = (unsigned long long*) &acc[(long long) (na + a) * cap + pos];
            // A plain read first: the atomic is needed only while the group's largest magnitude grows.
            if (magnitude > *(volatile unsigned long long*) largest) {
                atomicMax(largest, magnitude);
            }
            // Two's complement addition: exact whenever the host's bound holds; else the CPU takes the batch.
            atomicAdd((unsigned long long*) slot, (unsigned long long) v);
        }
    }
}

// Empties a table of cap slots and sets every accumulator to its identity.
extern "C" __global__ void group_init(int cap, int* slot_row, int* first_row, unsigned long long* counts,
                                      long long* acc, const long long* aggs, int na) {
    long long pos = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (pos >= cap) {
        return;
    }
    slot_row[pos] = -1;
    first_row[pos] = SPATE_INT_MAX;
    counts[pos] = 0ULL;
    for (int a = 0; a < na; a++) {
        int fn = (int) aggs[a * DESC_AGG_WORDS];
        long long identity = 0LL;
        if (aggs[a * DESC_AGG_WORDS + 2] == KIND_DOUBLE) {
            // Math.min starts from +Infinity, Math.max from -Infinity; a double 0.0 has all bits 0.
            identity = fn == AGG_MIN ? ordered(0x7FF0000000000000LL) : (fn == AGG_MAX ? ordered((long long) 0xFFF0000000000000ULL) : 0LL);
        } else {
            identity = fn == AGG_MIN ? SPATE_LLONG_MAX : (fn == AGG_MAX ? SPATE_LLONG_MIN : 0LL);
        }
        acc[(long long) a * cap + pos] = identity;
        acc[(long long) (na + a) * cap + pos] = 0LL;
    }
}

// One thread per record: decoded, passing the filters -> find or claim the slot of its key
// (open addressing, linear probing; a slot is claimed by a CAS of its row from -1, and the
// claiming row's fields are already in global memory, so the key is compared by bytes right
// away), then count and aggregate into that slot with atomics.
extern "C" __global__ void group_insert(int n, const unsigned char* data, const int* starts, const int* lengths,
                                        const long long* longs, const unsigned char* reason,
                                        const long long* desc, int nf, int nk, int na, const unsigned char* literals,
                                        unsigned long long hash_mask, int cap,
                                        int* slot_row, int* first_row, unsigned long long* counts, long long* acc) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    if (reason[row] != CLF_OK) {
        return;
    }
    long long stride = n;
    if (!passes_filters(data, starts, lengths, longs, stride, row, desc, nf, literals)) {
        return;
    }
    const long long* keys = desc + nf * DESC_FILTER_WORDS;
    const long long* aggs = keys + nk * DESC_KEY_WORDS;
    unsigned int mask = (unsigned int) cap - 1u;
    unsigned int pos = (unsigned int) (key_hash(data, starts, lengths, longs, stride, row, keys, nk) & hash_mask) & mask;
    volatile int* slots = slot_row;
    while (true) {
        int current = slots[pos];
        if (current == -1) {
            current = atomicCAS(&slot_row[pos], -1, row);
            if (current == -1) {
                break;
            }
        }
        if (same_key(data, starts, lengths, longs, stride, current, row, keys, nk)) {
            break;
        }
        pos = (pos + 1u) & mask;
    }
    accumulate(pos, row, row, stride, longs, aggs, na, cap, first_row, counts, acc);
}

// One thread per slot: each used slot becomes one packed row of out (stride 2 + nk + 2 * na long
// longs: first row, count, one word per key, one per aggregate, then each aggregate's largest
// magnitude added) at an index taken from out_count.
// A string key is written as (start << 32 | length) of the group's first record; a long key as is.
extern "C" __global__ void group_compact(int cap, int n, const int* slot_row, const int* first_row,
                                         const unsigned long long* counts, const long long* acc,
                                         const int* starts, const int* lengths, const long long* longs,
                                         const long long* keys, int nk, int na, int* out_count, long long* out) {
    long long pos = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (pos >= cap || slot_row[pos] == -1) {
        return;
    }
    int i = atomicAdd(out_count, 1);
    long long stride = 2 + nk + 2 * na;
    long long* o = out + (long long) i * stride;
    int row = first_row[pos];
    o[0] = row;
    o[1] = (long long) counts[pos];
    for (int k = 0; k < nk; k++) {
        int kind = (int) keys[k * DESC_KEY_WORDS];
        long long col = keys[k * DESC_KEY_WORDS + 1];
        o[2 + k] = kind != KIND_STRING ? longs[col * n + row]
                : (((long long) starts[col * n + row]) << 32) | (long long) (unsigned int) lengths[col * n + row];
    }
    for (int a = 0; a < 2 * na; a++) {
        o[2 + nk + a] = acc[(long long) a * cap + pos];
    }
}

// ---------------------------------------------------------------------------------------------
// Event-time windows. Which windows a record goes to depends on the records before it in its
// partition (the watermark), so the host decides it (io.spate.internal.cpu.WindowKernel, the CPU's
// own rules) from the time column and which records pass the filters (group_select), and sends
// one entry per (record, window) pair: the record's row and the window's start. window_insert
// groups the entries by (window start, keys), the start hashed and compared as one more long key;
// a group's first entry orders the groups as the CPU's WindowGroups numbers them.

// selected[row] = 1 when record row decoded and passes the filters, else 0.
extern "C" __global__ void group_select(int n, const unsigned char* data, const int* starts, const int* lengths,
                                        const long long* longs, const unsigned char* reason,
                                        const long long* desc, int nf, const unsigned char* literals, unsigned char* selected) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    selected[row] = (reason[row] == CLF_OK && passes_filters(data, starts, lengths, longs, n, row, desc, nf, literals)) ? 1 : 0;
}

// One thread per entry: find or claim the slot of (window start, keys) as group_insert does (a
// slot holds the entry that claimed it), then count and aggregate the entry's record there.
extern "C" __global__ void window_insert(int entries, const int* entry_row, const long long* entry_start, int n,
                                         const unsigned char* data, const int* starts, const int* lengths, const long long* longs,
                                         const long long* keys, int nk, const long long* aggs, int na,
                                         unsigned long long hash_mask, int cap,
                                         int* slot_entry, int* first_entry, unsigned long long* counts, long long* acc) {
    long long e_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (e_ll >= entries) {
        return;
    }
    int e = (int) e_ll;
    int row = entry_row[e];
    long long start = entry_start[e];
    long long stride = n;
    unsigned long long h = combine(key_hash(data, starts, lengths, longs, stride, row, keys, nk),
                                   mix64((unsigned long long) start * 0x9E3779B97F4A7C15ULL + 0xC2B2AE3D27D4EB4FULL));
    unsigned int mask = (unsigned int) cap - 1u;
    unsigned int pos = (unsigned int) (h & hash_mask) & mask;
    volatile int* slots = slot_entry;
    while (true) {
        int current = slots[pos];
        if (current == -1) {
            current = atomicCAS(&slot_entry[pos], -1, e);
            if (current == -1) {
                break;
            }
        }
        if (entry_start[current] == start && same_key(data, starts, lengths, longs, stride, entry_row[current], row, keys, nk)) {
            break;
        }
        pos = (pos + 1u) & mask;
    }
    accumulate(pos, e, row, stride, longs, aggs, na, cap, first_entry, counts, acc);
}

// One thread per slot: used slots become packed rows of out (stride 3 + nk + 2 * na: first entry,
// count, window start, one word per key as group_compact writes them, one per aggregate, then
// each aggregate's largest magnitude added).
extern "C" __global__ void window_compact(int cap, int n, const int* slot_entry, const int* first_entry,
                                          const unsigned long long* counts, const long long* acc,
                                          const int* entry_row, const long long* entry_start,
                                          const int* starts, const int* lengths, const long long* longs,
                                          const long long* keys, int nk, int na, int* out_count, long long* out) {
    long long pos = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (pos >= cap || slot_entry[pos] == -1) {
        return;
    }
    int i = atomicAdd(out_count, 1);
    long long stride = 3 + nk + 2 * na;
    long long* o = out + (long long) i * stride;
    int first = first_entry[pos];
    int row = entry_row[first];
    o[0] = first;
    o[1] = (long long) counts[pos];
    o[2] = entry_start[first];
    for (int k = 0; k < nk; k++) {
        int kind = (int) keys[k * DESC_KEY_WORDS];
        long long col = keys[k * DESC_KEY_WORDS + 1];
        o[3 + k] = kind != KIND_STRING ? longs[col * n + row]
                : (((long long) starts[col * n + row]) << 32) | (long long) (unsigned int) lengths[col * n + row];
    }
    for (int a = 0; a < 2 * na; a++) {
        o[3 + nk + a] = acc[(long long) a * cap + pos];
    }
}

// ---------------------------------------------------------------------------------------------
// Word count over one string column (Tokenize): a word is a maximal run of ASCII letters, digits,
// '_' and bytes >= 0x80. Lower-casing folds ASCII letters only; the host lower-cases the distinct
// non-ASCII words by Unicode rules and merges the groups that become one (WordGroups).

__device__ static bool is_word_byte(unsigned char b) {
    return b >= 0x80 || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_';
}

// totals[0] += words (the host sizes the word table with it).
extern "C" __global__ void words_count(int n, const unsigned char* data, const int* starts, const int* lengths,
                                       const unsigned char* reason, int col, unsigned long long* totals) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    if (reason[row] != CLF_OK) {
        return;
    }
    int p = starts[(long long) col * n + row];
    int end = p + lengths[(long long) col * n + row];
    unsigned long long words = 0;
    while (p < end) {
        while (p < end && !is_word_byte(data[p])) {
            p++;
        }
        int from = p;
        while (p < end && is_word_byte(data[p])) {
            p++;
        }
        if (p > from) {
            words++;
        }
    }
    if (words > 0) {
        atomicAdd(&totals[0], words);
    }
}

// Empties a word table of cap slots.
extern "C" __global__ void words_init(int cap, unsigned long long* slot_key, unsigned long long* counts, int* first_start) {
    long long pos = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (pos >= cap) {
        return;
    }
    slot_key[pos] = WORD_EMPTY;
    counts[pos] = 0ULL;
    first_start[pos] = SPATE_INT_MAX;
}

// One thread per record: each word claims or finds its slot, whose key word is
// (length << 32 | start) of the word that claimed it, and counts itself there.
extern "C" __global__ void words_insert(int n, const unsigned char* data, const int* starts, const int* lengths,
                                        const unsigned char* reason, int col, int lowercase,
                                        unsigned long long hash_mask, int cap,
                                        unsigned long long* slot_key, unsigned long long* counts, int* first_start) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    if (reason[row] != CLF_OK) {
        return;
    }
    unsigned int mask = (unsigned int) cap - 1u;
    volatile unsigned long long* slots = slot_key;
    int p = starts[(long long) col * n + row];
    int end = p + lengths[(long long) col * n + row];
    while (p < end) {
        while (p < end && !is_word_byte(data[p])) {
            p++;
        }
        int from = p;
        while (p < end && is_word_byte(data[p])) {
            p++;
        }
        if (p == from) {
            continue;
        }
        int length = p - from;
        unsigned long long key = ((unsigned long long) (unsigned int) length << 32) | (unsigned long long) (unsigned int) from;
        unsigned int pos = (unsigned int) (hash_bytes(data, from, length, lowercase) & hash_mask) & mask;
        while (true) {
            unsigned long long current = slots[pos];
            if (current == WORD_EMPTY) {
                current = atomicCAS(&slot_key[pos], WORD_EMPTY, key);
                if (current == WORD_EMPTY) {
                    break;
                }
            }
            int current_length = (int) (current >> 32);
            int current_start = (int) (unsigned int) (current & 0xFFFFFFFFULL);
            if (current_length == length && same_bytes(data, current_start, from, length, lowercase)) {
                break;
            }
            pos = (pos + 1u) & mask;
        }
        atomicAdd(&counts[pos], 1ULL);
        atomicMin(&first_start[pos], from);
    }
}

// One thread per slot: used slots become packed rows (first start, count, length) of out.
extern "C" __global__ void words_compact(int cap, const unsigned long long* slot_key, const unsigned long long* counts,
                                         const int* first_start, int* out_count, long long* out) {
    long long pos = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (pos >= cap || slot_key[pos] == WORD_EMPTY) {
        return;
    }
    int i = atomicAdd(out_count, 1);
    long long* o = out + (long long) i * 3;
    o[0] = first_start[pos];
    o[1] = (long long) counts[pos];
    o[2] = (long long) (slot_key[pos] >> 32);
}

// Model inference: MLP forward pass, matrix-factorisation top-k.
#include "inference.cu"
