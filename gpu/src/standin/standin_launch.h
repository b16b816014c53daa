// How the stand-in calls a kernel: the launch's arguments are read out of CUDA's `void**
// kernelParams` by a wrapper the compiler derives from the kernel's own signature (spate_bind),
// so there is no second, hand-written copy of any signature that could drift from kernels.cu.
// The values are copied at launch, as the driver does, because the work may run later.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// One launch's arguments, bound to its kernel; run_thread runs one CUDA thread of it (the caller
// has set threadIdx/blockIdx first).
struct SpateBoundLaunch {
    virtual ~SpateBoundLaunch() {}
    virtual void run_thread() = 0;
    // The launch's pointer arguments, checked against live allocations before it runs.
    std::vector<const void*> pointers;
};

template <typename... A>
struct SpateBound : SpateBoundLaunch {
    void (*kernel)(A...);
    std::tuple<typename std::decay<A>::type...> args;

    SpateBound(void (*k)(A...), std::tuple<typename std::decay<A>::type...> a) : kernel(k), args(a) {}

    void run_thread() override { std::apply(kernel, args); }
};

template <typename T>
static void spate_note_pointer(std::vector<const void*>& out, const T& value) {
    if constexpr (std::is_pointer<T>::value) {
        out.push_back((const void*) value);
    }
}

template <typename... A, std::size_t... I>
static SpateBoundLaunch* spate_bind_at(void (*kernel)(A...), void** params, std::index_sequence<I...>) {
    auto* b = new SpateBound<A...>(kernel, std::tuple<typename std::decay<A>::type...>(
            *static_cast<typename std::decay<A>::type*>(params[I])...));
    (spate_note_pointer(b->pointers, std::get<I>(b->args)), ...);
    return b;
}

// The launch of `kernel` with the arguments CUDA's kernelParams point to.
template <typename... A>
static SpateBoundLaunch* spate_bind(void (*kernel)(A...), void** params) {
    return spate_bind_at(kernel, params, std::index_sequence_for<A...>{});
}

// A kernel of the module: its name, whether it (or a device function) uses __syncthreads, and
// its binder. The table is generated from kernels.cu at build time (GenerateKernelTable.java).
struct SpateKernel {
    const char* name;
    bool barriers;
    int params;
    SpateBoundLaunch* (*bind)(void** params);
};

template <typename... A>
static constexpr int spate_arity(void (*)(A...)) {
    return (int) sizeof...(A);
}

extern const SpateKernel spate_kernel_table[];
extern const int spate_kernel_count;
