// JSON field extraction on the device: one thread per record validates the whole record as
// Jackson's default parser does and picks the wanted fields on the way, with the rules of
// io.spate.internal.codec.JsonDecoder. Included by kernels.cu; writes the common decoded layout
// (see kernels.cu and delimited.cu), strings with escapes unescaped into the arena after the batch.
//
// Verdicts: 0 decoded; DECODE_REJECT when anything is wrong (the host asks the CPU decoder, which
// reads just that record, for its reason, and sends the batch to the CPU should it accept it, so the
// device only ever needs to be at least as strict as Jackson: it also rejects what Jackson's
// limits would, more tightly); DECODE_HOST for a well-formed record with a value only the host
// gets exactly (a double beyond the exact fast path, an integer beyond a long read as a double, an
// escaped key inside an object a wanted path goes through).
//
// The wanted paths come as a tree (JsonPathTree on the host), JSON_NODE_WORDS ints per node, node 0
// the root: parent, name offset and length in names, field index (its bit in the seen mask, -1 if
// the node only leads deeper), kind (KIND_*), column among the string or number columns, and
// whether it has children.

#include "numbers.cuh"

#define JSON_NODE_WORDS 7
#define JSON_MAX_DEPTH 512
// Nodes deeper than this are never wanted (the host sends deeper paths to the CPU).
#define JSON_PATH_DEPTH 16
// Tighter than Jackson's StreamReadConstraints (numbers 1000 chars, names 50000, nesting 1000).
#define JSON_MAX_NUMBER 1000
#define JSON_MAX_NAME 50000
#define JSON_MAX_STRING 20000000

__device__ static bool json_ws(unsigned char b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r';
}

__device__ static int json_hex(unsigned char b) {
    if (b >= '0' && b <= '9') return b - '0';
    if (b >= 'a' && b <= 'f') return b - 'a' + 10;
    if (b >= 'A' && b <= 'F') return b - 'A' + 10;
    return -1;
}

// The length of the well-formed UTF-8 sequence at d[p] (a lead byte >= 0x80), or 0 when it is not
// one (overlong forms, surrogates and code points above U+10FFFF included).
__device__ static int json_utf8(const unsigned char* d, int p, int end) {
    unsigned char b = d[p];
    int len;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3;
        lo = b == 0xE0 ? 0xA0 : 0x80;
        hi = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4;
        lo = b == 0xF0 ? 0x90 : 0x80;
        hi = b == 0xF4 ? 0x8F : 0xBF;
    } else {
        return 0;
    }
    if (p + len > end || d[p + 1] < lo || d[p + 1] > hi) {
        return 0;
    }
    for (int i = 2; i < len; i++) {
        if (d[p + i] < 0x80 || d[p + i] > 0xBF) {
            return 0;
        }
    }
    return len;
}

// Scans the string whose opening quote is at d[p]; returns the index of its closing quote, or -1
// when it is malformed. *escapes tells whether it holds a backslash.
__device__ static int json_scan_string(const unsigned char* d, int p, int end, bool* escapes) {
    *escapes = false;
    int q = p + 1;
    // Jackson refuses strings over 20,000,000 chars; bytes are never fewer than chars.
    if (end - q > JSON_MAX_STRING) {
        end = q + JSON_MAX_STRING;
    }
    while (q < end) {
        unsigned char b = d[q];
        if (b == '"') {
            return q;
        }
        if (b == '\\') {
            *escapes = true;
            if (q + 1 >= end) {
                return -1;
            }
            unsigned char e = d[q + 1];
            if (e == 'u') {
                if (q + 5 >= end || json_hex(d[q + 2]) < 0 || json_hex(d[q + 3]) < 0 || json_hex(d[q + 4]) < 0 || json_hex(d[q + 5]) < 0) {
                    return -1;
                }
                q += 6;
            } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
                q += 2;
            } else {
                return -1;
            }
        } else if (b < 0x20) {
            return -1;
        } else if (b >= 0x80) {
            int len = json_utf8(d, q, end);
            if (len == 0) {
                return -1;
            }
            q += len;
        } else {
            q++;
        }
    }
    return -1;
}

__device__ static int json_put_utf8(unsigned char* out, int at, unsigned int c) {
    if (c < 0x80) {
        if (out) out[at] = (unsigned char) c;
        return at + 1;
    }
    if (c < 0x800) {
        if (out) {
            out[at] = (unsigned char) (0xC0 | (c >> 6));
            out[at + 1] = (unsigned char) (0x80 | (c & 0x3F));
        }
        return at + 2;
    }
    if (c < 0x10000) {
        if (out) {
            out[at] = (unsigned char) (0xE0 | (c >> 12));
            out[at + 1] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
            out[at + 2] = (unsigned char) (0x80 | (c & 0x3F));
        }
        return at + 3;
    }
    if (out) {
        out[at] = (unsigned char) (0xF0 | (c >> 18));
        out[at + 1] = (unsigned char) (0x80 | ((c >> 12) & 0x3F));
        out[at + 2] = (unsigned char) (0x80 | ((c >> 6) & 0x3F));
        out[at + 3] = (unsigned char) (0x80 | (c & 0x3F));
    }
    return at + 4;
}

// The bytes the CPU decoder makes of the string content d[from, to) (well-formed, with escapes):
// Jackson's chars re-encoded as ByteArena.appendUtf8 does, a surrogate pair as one code point and
// a lone surrogate as '?'. Writes them to out when out is not null; returns their count.
__device__ static int json_unescape(const unsigned char* d, int from, int to, unsigned char* out) {
    int at = 0;
    unsigned int high = 0;
    int p = from;
    while (p < to) {
        unsigned int c;
        if (d[p] == '\\') {
            unsigned char e = d[p + 1];
            if (e == 'u') {
                c = (unsigned int) ((json_hex(d[p + 2]) << 12) | (json_hex(d[p + 3]) << 8) | (json_hex(d[p + 4]) << 4) | json_hex(d[p + 5]));
                p += 6;
            } else {
                c = e == 'b' ? 8 : e == 'f' ? 12 : e == 'n' ? 10 : e == 'r' ? 13 : e == 't' ? 9 : e;
                p += 2;
            }
        } else {
            // A raw character (well-formed UTF-8, so never a surrogate) ends any pending high surrogate.
            if (high) {
                at = json_put_utf8(out, at, '?');
                high = 0;
            }
            int len = d[p] < 0x80 ? 1 : json_utf8(d, p, to);
            for (int i = 0; i < len; i++) {
                if (out) out[at + i] = d[p + i];
            }
            at += len;
            p += len;
            continue;
        }
        if (high) {
            if (c >= 0xDC00 && c <= 0xDFFF) {
                at = json_put_utf8(out, at, 0x10000 + ((high - 0xD800) << 10) + (c - 0xDC00));
                high = 0;
                continue;
            }
            at = json_put_utf8(out, at, '?');
            high = 0;
        }
        if (c >= 0xD800 && c <= 0xDBFF) {
            high = c;
        } else if (c >= 0xDC00 && c <= 0xDFFF) {
            at = json_put_utf8(out, at, '?');
        } else {
            at = json_put_utf8(out, at, c);
        }
    }
    if (high) {
        at = json_put_utf8(out, at, '?');
    }
    return at;
}

// Scans the number at d[p] with JSON's grammar; returns its end, or -1. *integer: no fraction, no exponent.
__device__ static int json_scan_number(const unsigned char* d, int p, int end, bool* integer) {
    int q = p;
    *integer = true;
    if (q < end && d[q] == '-') {
        q++;
    }
    if (q >= end || d[q] < '0' || d[q] > '9') {
        return -1;
    }
    if (d[q] == '0') {
        q++;
    } else {
        while (q < end && d[q] >= '0' && d[q] <= '9') {
            q++;
        }
    }
    if (q < end && d[q] == '.') {
        *integer = false;
        q++;
        int digits = q;
        while (q < end && d[q] >= '0' && d[q] <= '9') {
            q++;
        }
        if (q == digits) {
            return -1;
        }
    }
    if (q < end && (d[q] == 'e' || d[q] == 'E')) {
        *integer = false;
        q++;
        if (q < end && (d[q] == '+' || d[q] == '-')) {
            q++;
        }
        int digits = q;
        while (q < end && d[q] >= '0' && d[q] <= '9') {
            q++;
        }
        if (q == digits) {
            return -1;
        }
    }
    return q - p > JSON_MAX_NUMBER ? -1 : q;
}

// Whether a scalar may end before d[q]: Jackson takes nothing but whitespace or a separator there.
__device__ static bool json_scalar_end(const unsigned char* d, int q, int end) {
    return q >= end || json_ws(d[q]) || d[q] == ',' || d[q] == ']' || d[q] == '}';
}

// The child of node named d[from, to), or -1.
__device__ static int json_child(const int* nodes, int node_count, const unsigned char* names, int node,
                                 const unsigned char* d, int from, int to) {
    for (int c = 1; c < node_count; c++) {
        const int* w = nodes + c * JSON_NODE_WORDS;
        if (w[0] != node || w[2] != to - from) {
            continue;
        }
        bool same = true;
        for (int i = 0; i < w[2] && same; i++) {
            same = names[w[1] + i] == d[from + i];
        }
        if (same) {
            return c;
        }
    }
    return -1;
}

// Reads the value at d[p] into the column of leaf node w; returns the index after it, or -1 with
// *verdict set. A string leaf takes a string, number or boolean (as its text), a long leaf an
// integer that fits a long, a double leaf any number.
__device__ static int json_leaf(unsigned char* data, int p, int end, const int* w, long long n, int row,
                                int* starts, int* lengths, long long* nums, int arena_base, int* arena_used,
                                int* verdict) {
    const unsigned char* d = data;
    int kind = w[4];
    long long col = w[5];
    unsigned char b = d[p];
    if (b == '"') {
        bool escapes;
        int q = json_scan_string(d, p, end, &escapes);
        if (q < 0 || kind != KIND_STRING) {
            *verdict = DECODE_REJECT;
            return -1;
        }
        if (escapes) {
            int length = json_unescape(d, p + 1, q, 0);
            int at = atomicAdd(arena_used, length);
            json_unescape(d, p + 1, q, data + arena_base + at);
            starts[col * n + row] = arena_base + at;
            lengths[col * n + row] = length;
        } else {
            starts[col * n + row] = p + 1;
            lengths[col * n + row] = q - p - 1;
        }
        return q + 1;
    }
    if (b == '-' || (b >= '0' && b <= '9')) {
        bool integer;
        int q = json_scan_number(d, p, end, &integer);
        if (q < 0 || !json_scalar_end(d, q, end)) {
            *verdict = DECODE_REJECT;
            return -1;
        }
        if (kind == KIND_STRING) {
            starts[col * n + row] = p;
            lengths[col * n + row] = q - p;
            return q;
        }
        long long v;
        bool fits = integer && parse_long(d, p, q, &v) == NUMBER_OK;
        if (kind == KIND_LONG) {
            if (!fits) {
                *verdict = DECODE_REJECT;
                return -1;
            }
            nums[col * n + row] = v;
            return q;
        }
        double x;
        if (fits) {
            // Jackson's getDoubleValue of an integer is the long's nearest double (so -0 is 0.0).
            x = (double) v;
        } else if (integer || parse_double(d, p, q, &x) != NUMBER_OK) {
            *verdict = DECODE_HOST;
            x = 0.0;
        }
        nums[col * n + row] = __double_as_longlong(x);
        return q;
    }
    int lit = 0;
    if (b == 't' && p + 4 <= end && d[p + 1] == 'r' && d[p + 2] == 'u' && d[p + 3] == 'e') {
        lit = 4;
    } else if (b == 'f' && p + 5 <= end && d[p + 1] == 'a' && d[p + 2] == 'l' && d[p + 3] == 's' && d[p + 4] == 'e') {
        lit = 5;
    }
    if (lit > 0 && kind == KIND_STRING && json_scalar_end(d, p + lit, end)) {
        starts[col * n + row] = p;
        lengths[col * n + row] = lit;
        return p + lit;
    }
    // null, a wrong type, an object or array, or no valid value at all.
    *verdict = DECODE_REJECT;
    return -1;
}

// Skips the scalar at d[p] (string, number, literal); returns the index after it, or -1.
__device__ static int json_skip_scalar(const unsigned char* d, int p, int end) {
    unsigned char b = d[p];
    if (b == '"') {
        bool escapes;
        int q = json_scan_string(d, p, end, &escapes);
        return q < 0 ? -1 : q + 1;
    }
    int q = -1;
    if (b == '-' || (b >= '0' && b <= '9')) {
        bool integer;
        q = json_scan_number(d, p, end, &integer);
    } else if (b == 't' && p + 4 <= end && d[p + 1] == 'r' && d[p + 2] == 'u' && d[p + 3] == 'e') {
        q = p + 4;
    } else if (b == 'f' && p + 5 <= end && d[p + 1] == 'a' && d[p + 2] == 'l' && d[p + 3] == 's' && d[p + 4] == 'e') {
        q = p + 5;
    } else if (b == 'n' && p + 4 <= end && d[p + 1] == 'u' && d[p + 2] == 'l' && d[p + 3] == 'l') {
        q = p + 4;
    }
    return q >= 0 && json_scalar_end(d, q, end) ? q : -1;
}

extern "C" __global__ void json_parse(unsigned char* data, const int* bounds, int n, const int* nodes, int node_count,
                                      const unsigned char* names, int field_count, int root_must_be_object,
                                      int* starts, int* lengths, long long* nums, unsigned char* reason,
                                      int arena_base, int* arena_used) {
    long long row_ll = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (row_ll >= n) {
        return;
    }
    int row = (int) row_ll;
    const unsigned char* d = data;
    int p = bounds[row];
    int end = bounds[row + 1];
    // Per open container: whether it is an array (a bit stack), and for objects within the path
    // depth the tree node it walks (-1: not wanted).
    unsigned long long arrays[JSON_MAX_DEPTH / 64];
    int walked[JSON_PATH_DEPTH];
    int depth = 0;
    int verdict = 0;
    unsigned long long seen = 0;
    const unsigned long long all = field_count >= 64 ? ~0ULL : ((1ULL << field_count) - 1ULL);
    // The node of the value about to be read (-1: not wanted).
    int node = 0;
    bool root = true;
    while (true) {
        // A value is next.
        while (p < end && json_ws(d[p])) {
            p++;
        }
        if (p >= end) {
            reason[row] = DECODE_REJECT;
            return;
        }
        const int* w = node >= 0 ? nodes + node * JSON_NODE_WORDS : 0;
        unsigned char b = d[p];
        bool opened = false;
        if (w && w[3] >= 0) {
            p = json_leaf(data, p, end, w, n, row, starts, lengths, nums, arena_base, arena_used, &verdict);
            if (p < 0) {
                reason[row] = verdict;
                return;
            }
            seen |= 1ULL << w[3];
        } else if (b == '{' || b == '[') {
            if (root && b == '[' && root_must_be_object) {
                // Not an object, and the format does not read the whole record.
                reason[row] = DECODE_REJECT;
                return;
            }
            if (depth >= JSON_MAX_DEPTH) {
                reason[row] = DECODE_REJECT;
                return;
            }
            bool is_array = b == '[';
            if (is_array) {
                arrays[depth / 64] |= 1ULL << (depth % 64);
            } else {
                arrays[depth / 64] &= ~(1ULL << (depth % 64));
            }
            if (depth < JSON_PATH_DEPTH) {
                // An object is walked where a path goes through it (always at the root); anything else is skipped.
                walked[depth] = (!is_array && w && (node == 0 || w[6])) ? node : -1;
            }
            depth++;
            p++;
            opened = true;
        } else if (root && root_must_be_object) {
            reason[row] = DECODE_REJECT;
            return;
        } else {
            p = json_skip_scalar(d, p, end);
            if (p < 0) {
                reason[row] = DECODE_REJECT;
                return;
            }
        }
        root = false;
        // After a value, or just inside a container: close containers, find the next value.
        bool first = opened;
        while (true) {
            if (depth == 0) {
                while (p < end && json_ws(d[p])) {
                    p++;
                }
                if (p != end) {
                    reason[row] = DECODE_REJECT;
                    return;
                }
                reason[row] = seen != all ? DECODE_REJECT : verdict;
                return;
            }
            while (p < end && json_ws(d[p])) {
                p++;
            }
            if (p >= end) {
                reason[row] = DECODE_REJECT;
                return;
            }
            int top = depth - 1;
            bool is_array = (arrays[top / 64] >> (top % 64)) & 1ULL;
            unsigned char c = d[p];
            if (c == (is_array ? ']' : '}')) {
                depth--;
                p++;
                first = false;
                continue;
            }
            if (!first) {
                if (c != ',') {
                    reason[row] = DECODE_REJECT;
                    return;
                }
                p++;
                while (p < end && json_ws(d[p])) {
                    p++;
                }
                if (p >= end) {
                    reason[row] = DECODE_REJECT;
                    return;
                }
            }
            if (is_array) {
                node = -1;
                break;
            }
            // A key, a colon, then its value.
            if (d[p] != '"') {
                reason[row] = DECODE_REJECT;
                return;
            }
            bool escapes;
            int q = json_scan_string(d, p, end, &escapes);
            if (q < 0 || q - p - 1 > JSON_MAX_NAME) {
                reason[row] = DECODE_REJECT;
                return;
            }
            int parent = top < JSON_PATH_DEPTH ? walked[top] : -1;
            node = -1;
            if (parent >= 0) {
                if (escapes) {
                    // The key might name a wanted field once unescaped: only the CPU decoder says.
                    verdict = DECODE_HOST;
                } else {
                    node = json_child(nodes, node_count, names, parent, d, p + 1, q);
                }
            }
            p = q + 1;
            while (p < end && json_ws(d[p])) {
                p++;
            }
            if (p >= end || d[p] != ':') {
                reason[row] = DECODE_REJECT;
                return;
            }
            p++;
            break;
        }
    }
}
