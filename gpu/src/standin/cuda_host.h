// The CUDA kernel language on the host, for the CUDA driver stand-in: kernels.cu is compiled by
// g++ with this header forced in front of it (-include cuda_host.h), so the stand-in runs the
// very source nvcc builds into the fatbin.
//
// - __global__/__device__/__host__/__forceinline__ qualifiers vanish: kernels become plain functions.
// - threadIdx, blockIdx, blockDim, gridDim are per host thread (the launcher sets them before it
//   runs each CUDA thread of a block).
// - atomics are GCC __atomic builtins on the same memory, sequentially consistent, so blocks
//   that run on different host threads race on them as blocks of a device do.
// - __shared__ variables are thread_local: every CUDA thread of a block runs on the same host
//   thread (as fibers, see standin.cpp), so they share one copy per block being run.
// - __syncthreads() is a barrier among the fibers of the block.
#pragma once

#include <math.h>
#include <stdint.h>

struct spate_dim3 {
    unsigned int x, y, z;
};

extern thread_local spate_dim3 spate_thread_idx;
extern thread_local spate_dim3 spate_block_idx;
extern thread_local spate_dim3 spate_block_dim;
extern thread_local spate_dim3 spate_grid_dim;

#define threadIdx spate_thread_idx
#define blockIdx spate_block_idx
#define blockDim spate_block_dim
#define gridDim spate_grid_dim

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __launch_bounds__(...)
#define __shared__ static thread_local

// The block barrier of the fiber scheduler (standin.cpp).
void spate_standin_syncthreads();
#define __syncthreads() spate_standin_syncthreads()

static inline int min(int a, int b) { return a < b ? a : b; }
static inline int max(int a, int b) { return a > b ? a : b; }
static inline unsigned int min(unsigned int a, unsigned int b) { return a < b ? a : b; }
static inline unsigned int max(unsigned int a, unsigned int b) { return a > b ? a : b; }
static inline long long min(long long a, long long b) { return a < b ? a : b; }
static inline long long max(long long a, long long b) { return a > b ? a : b; }
static inline float rsqrtf(float a) { return 1.0f / sqrtf(a); }
// CUDA's round-to-nearest arithmetic that nvcc never fuses into a multiply-add. g++ for plain
// x86-64 (no -mfma, as build-standin.sh compiles) fuses nothing either, so a * b and a + b are them.
static inline float __fmul_rn(float a, float b) { return a * b; }
static inline float __fadd_rn(float a, float b) { return a + b; }

// Atomics: each returns the old value, as CUDA's do. The value's type follows the address's
// (spate_same), so that a literal converts as it does with CUDA's overloads.
template <typename T>
struct spate_same {
    typedef T type;
};

template <typename T>
static inline T atomicAdd(T* address, typename spate_same<T>::type value) {
    return __atomic_fetch_add(address, value, __ATOMIC_SEQ_CST);
}

static inline float atomicAdd(float* address, float value) {
    unsigned int* bits = (unsigned int*) address;
    unsigned int old = __atomic_load_n(bits, __ATOMIC_SEQ_CST);
    while (true) {
        float f;
        __builtin_memcpy(&f, &old, sizeof f);
        f += value;
        unsigned int sum;
        __builtin_memcpy(&sum, &f, sizeof f);
        if (__atomic_compare_exchange_n(bits, &old, sum, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            __builtin_memcpy(&f, &old, sizeof f);
            return f;
        }
    }
}

static inline double atomicAdd(double* address, double value) {
    unsigned long long* bits = (unsigned long long*) address;
    unsigned long long old = __atomic_load_n(bits, __ATOMIC_SEQ_CST);
    while (true) {
        double d;
        __builtin_memcpy(&d, &old, sizeof d);
        d += value;
        unsigned long long sum;
        __builtin_memcpy(&sum, &d, sizeof d);
        if (__atomic_compare_exchange_n(bits, &old, sum, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
            __builtin_memcpy(&d, &old, sizeof d);
            return d;
        }
    }
}

static inline double __longlong_as_double(long long bits) {
    double d;
    __builtin_memcpy(&d, &bits, sizeof d);
    return d;
}

static inline long long __double_as_longlong(double d) {
    long long bits;
    __builtin_memcpy(&bits, &d, sizeof bits);
    return bits;
}

template <typename T>
static inline T atomicCAS(T* address, typename spate_same<T>::type compare, typename spate_same<T>::type value) {
    __atomic_compare_exchange_n(address, &compare, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return compare;
}

template <typename T>
static inline T atomicExch(T* address, typename spate_same<T>::type value) {
    return __atomic_exchange_n(address, value, __ATOMIC_SEQ_CST);
}

template <typename T>
static inline T atomicMin(T* address, typename spate_same<T>::type value) {
    T old = __atomic_load_n(address, __ATOMIC_SEQ_CST);
    while (value < old && !__atomic_compare_exchange_n(address, &old, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}

template <typename T>
static inline T atomicMax(T* address, typename spate_same<T>::type value) {
    T old = __atomic_load_n(address, __ATOMIC_SEQ_CST);
    while (value > old && !__atomic_compare_exchange_n(address, &old, value, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    return old;
}

static inline void __threadfence() {
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
}
