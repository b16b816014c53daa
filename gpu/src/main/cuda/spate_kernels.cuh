// Constants shared by the Spate kernels and mirrored by io.spate.gpu.internal.DeviceLayout.
#pragma once

#define SPATE_LLONG_MAX 0x7FFFFFFFFFFFFFFFLL
#define SPATE_LLONG_MIN (-SPATE_LLONG_MAX - 1LL)
#define SPATE_INT_MAX 0x7FFFFFFF

// String fields of a decoded CLF record, in ClfFormat schema order.
#define CLF_HOST 0
#define CLF_IDENT 1
#define CLF_AUTHUSER 2
#define CLF_TIME 3
#define CLF_REQUEST 4
#define CLF_METHOD 5
#define CLF_PATH 6
#define CLF_STRINGS 7

// Long fields.
#define CLF_TIMESTAMP 0
#define CLF_STATUS 1
#define CLF_BYTES 2
#define CLF_LONGS 3

// Reject reasons, in the order of ClfDecoderReasons on the host.
#define CLF_OK 0
#define CLF_EMPTY 1
#define CLF_EMPTY_HOST 2
#define CLF_EMPTY_IDENT 3
#define CLF_EMPTY_AUTHUSER 4
#define CLF_TOO_FEW_FIELDS 5
#define CLF_NO_OPEN_BRACKET 6
#define CLF_NO_CLOSE_BRACKET 7
#define CLF_BAD_TIME 8
#define CLF_NO_OPEN_QUOTE 9
#define CLF_NO_CLOSE_QUOTE 10
#define CLF_NO_STATUS 11
#define CLF_BAD_STATUS 12
#define CLF_BIG_STATUS 13
#define CLF_BAD_BYTES 14
#define CLF_BIG_BYTES 15
#define CLF_MULTI_LINE 16

// Verdicts of the decode kernels of formats whose reasons the host words (delimited, JSON):
// DECODE_REJECT: malformed, the host asks the CPU decoder why; DECODE_SKIP: a header line, neither
// accepted nor rejected; DECODE_HOST: well-formed, but the device cannot give the CPU's exact value
// (a double that needs Double.parseDouble's slow path, an escaped key): the batch goes to the CPU.
#define DECODE_REJECT 200
#define DECODE_SKIP 254
#define DECODE_HOST 255

// Query descriptor words.
#define DESC_FILTER_WORDS 6
#define DESC_KEY_WORDS 2
#define DESC_AGG_WORDS 3
#define KIND_STRING 0
#define KIND_LONG 1
// A double column: its 8-byte words in the numeric columns are the IEEE bits.
#define KIND_DOUBLE 2
#define AGG_COUNT 0
#define AGG_SUM 1
#define AGG_MIN 2
#define AGG_MAX 3
#define AGG_MEAN 4

#define WORD_EMPTY 0xFFFFFFFFFFFFFFFFULL
