// The CUDA driver stand-in: a libcuda.so.1 that JCuda's driver library loads like the real one,
// and that runs Spate's real kernels (kernels.cu compiled for the host, see cuda_host.h) on the
// CPU. It is a test device, never a GPU: its device name says so, and nothing measured on it is a
// GPU figure.
//
// What it keeps of CUDA:
// - Handles: contexts (created, primary with a reference count, a per-thread stack of current
//   ones), modules, functions, streams and events. A destroyed or unknown handle is rejected
//   with CUDA's code; no handle is ever freed, so a stale one cannot alias a new one.
// - Memory: device and pinned allocations are host memory (mmap'ed, with a guard page after
//   each device allocation, new device memory filled with garbage as a device's is). Copies and
//   memsets are checked against live allocations; cuMemFree takes only an allocation's base.
// - Ordering: work queued on a stream runs in order, lazily, when the host waits for it (a
//   stream, event or context synchronize, a query, a blocking copy, a free). A wait on an event
//   runs the recording stream up to the record first. So a host that reads a result it did not
//   wait for reads stale memory here, deterministically, where a device would race.
//   Copies from or to pageable (not pinned) host memory are synchronous, as CUDA makes them.
// - Kernels: the launch's arguments are copied at launch by launchers generated from the
//   kernels' signatures; grid and block limits are CUDA's. Blocks run on several host threads,
//   so atomics and hash-table inserts race as they do on a device; within a block the threads
//   run one after another, or as fibers with a barrier when a kernel uses __syncthreads.
//   Before a launch runs, each pointer argument must point into a live allocation, else the
//   context takes the sticky CUDA_ERROR_ILLEGAL_ADDRESS, as a device fault would; a kernel that
//   touches unmapped memory (a guard page, say) faults the same way, not the process.
// - Faults: SPATE_CUDA_STANDIN_FAULT=launch:K or copy:K makes the K-th launch (or async copy)
//   fail with the sticky CUDA_ERROR_ILLEGAL_ADDRESS; launch:K:every (copy:K:every) does so for
//   every K-th; both may be given, comma-separated. Counts are per process. A faulted context
//   fails every call with that error until it is destroyed; a new context works.
//
// Entry points JCuda binds that Spate does not use are stubs (generated at build time, see
// build-standin.sh) that return CUDA_ERROR_NOT_SUPPORTED and say so on stderr once.

#include "standin_launch.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cuda_host.h"

#define API extern "C" __attribute__((visibility("default")))

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;

enum {
    CUDA_SUCCESS = 0,
    CUDA_ERROR_INVALID_VALUE = 1,
    CUDA_ERROR_OUT_OF_MEMORY = 2,
    CUDA_ERROR_NOT_INITIALIZED = 3,
    CUDA_ERROR_INVALID_DEVICE = 101,
    CUDA_ERROR_INVALID_IMAGE = 200,
    CUDA_ERROR_INVALID_CONTEXT = 201,
    CUDA_ERROR_INVALID_HANDLE = 400,
    CUDA_ERROR_NOT_FOUND = 500,
    CUDA_ERROR_NOT_READY = 600,
    CUDA_ERROR_ILLEGAL_ADDRESS = 700,
    CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
    CUDA_ERROR_LAUNCH_FAILED = 719,
    CUDA_ERROR_NOT_SUPPORTED = 801,
};

static const char* const DEVICE_NAME = "Spate CUDA driver stand-in on the host CPU (not a GPU)";
static const int DRIVER_VERSION = 12000;
static const unsigned int FATBIN_MAGIC = 0xBA55ED50u;

thread_local spate_dim3 spate_thread_idx;
thread_local spate_dim3 spate_block_idx;
thread_local spate_dim3 spate_block_dim;
thread_local spate_dim3 spate_grid_dim;

// ---------------------------------------------------------------------------------------------
// Handles

struct Stream;

struct Context {
    bool live = true;
    bool primary = false;
    int primary_refs = 0;
    int device = 0;
    CUresult sticky = CUDA_SUCCESS;
    Stream* null_stream = nullptr;
    std::vector<Stream*> streams;
};

struct Module {
    bool live = true;
    Context* ctx;
    std::set<std::string> names;
};

struct Function {
    Module* module;
    const SpateKernel* kernel;
};

struct Op {
    std::function<void()> run;
};

struct Stream {
    bool live = true;
    Context* ctx;
    bool blocking;
    std::deque<Op> queue;
    unsigned long long submitted = 0;
    unsigned long long done = 0;
};

struct Event {
    bool live = true;
    Context* ctx;
    Stream* stream = nullptr;
    unsigned long long at = 0;
};

struct Allocation {
    char* base;
    size_t size;
    char* map;
    size_t map_size;
    bool pinned;
    Context* ctx;
};

// One lock for the whole driver: API calls are short, and work runs when a host thread waits
// for it, under the lock (a device serialises the same things).
static std::recursive_mutex g_lock;
static bool g_initialized = false;
static std::set<const void*> g_handles;
static Context* g_primary = nullptr;
static std::map<uintptr_t, Allocation> g_allocations;
static size_t g_device_bytes = 0;
static thread_local std::vector<Context*> t_stack;
static unsigned long long g_launches = 0;
static unsigned long long g_copies = 0;

typedef std::lock_guard<std::recursive_mutex> Guard;

static void say(const char* fmt, const char* what) {
    fprintf(stderr, "spate CUDA stand-in: ");
    fprintf(stderr, fmt, what);
    fprintf(stderr, "\n");
}

template <typename T>
static T* live(T* handle) {
    return handle != nullptr && g_handles.count((const void*) handle) && handle->live ? handle : nullptr;
}

template <typename T>
static T* made(T* handle) {
    g_handles.insert((const void*) handle);
    return handle;
}

static size_t env_size(const char* name, size_t fallback) {
    const char* v = getenv(name);
    if (v == nullptr || *v == 0) {
        return fallback;
    }
    char* end;
    unsigned long long n = strtoull(v, &end, 10);
    return *end == 0 && n > 0 ? (size_t) n : fallback;
}

static size_t memory_limit() {
    return env_size("SPATE_CUDA_STANDIN_MEMORY", (size_t) 8 << 30);
}

// The current context: the top of this thread's stack, if it is alive.
static Context* current() {
    return t_stack.empty() ? nullptr : live(t_stack.back());
}

// The context a call runs in, or the error to return: not initialised, none current, or sticky.
// NEED_CONTEXT(c) declares c as that context or returns the error; NEED_INIT() returns
// CUDA_ERROR_NOT_INITIALIZED before cuInit.
#define NEED_CONTEXT(c) \
    Context* c; \
    if (CUresult need_ = need_context(&c)) { \
        return need_; \
    }
#define NEED_INIT() \
    if (!g_initialized) { \
        return CUDA_ERROR_NOT_INITIALIZED; \
    }
static CUresult need_context(Context** out) {
    if (!g_initialized) {
        return CUDA_ERROR_NOT_INITIALIZED;
    }
    Context* c = current();
    if (c == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (c->sticky != CUDA_SUCCESS) {
        return c->sticky;
    }
    *out = c;
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Fault injection

struct FaultPlan {
    unsigned long long k = 0;
    bool every = false;
};

// SPATE_CUDA_STANDIN_FAULT: comma-separated launch:K[:every] and copy:K[:every]; [0] launches, [1] copies.
static const FaultPlan* fault_plans() {
    static FaultPlan plans[2];
    static bool read = false;
    if (read) {
        return plans;
    }
    read = true;
    const char* v = getenv("SPATE_CUDA_STANDIN_FAULT");
    std::string all(v == nullptr ? "" : v);
    size_t from = 0;
    while (from < all.size()) {
        size_t comma = all.find(',', from);
        std::string item = all.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
        from = comma == std::string::npos ? all.size() : comma + 1;
        size_t colon = item.find(':');
        std::string what = item.substr(0, colon);
        FaultPlan p;
        if (colon != std::string::npos) {
            std::string rest = item.substr(colon + 1);
            size_t colon2 = rest.find(':');
            p.k = strtoull(rest.substr(0, colon2).c_str(), nullptr, 10);
            p.every = colon2 != std::string::npos && rest.substr(colon2 + 1) == "every";
        }
        if ((what != "launch" && what != "copy") || p.k == 0) {
            say("SPATE_CUDA_STANDIN_FAULT: '%s' is not launch:K[:every] or copy:K[:every] with K >= 1; ignored", item.c_str());
            continue;
        }
        plans[what == "launch" ? 0 : 1] = p;
        fprintf(stderr, "spate CUDA stand-in: injecting CUDA_ERROR_ILLEGAL_ADDRESS at the %s %llu%s\n",
                what == "launch" ? "kernel launch" : "async copy", p.k, p.every ? " and every multiple" : "");
    }
    return plans;
}

// Whether the n-th launch (or copy) is to fault.
static bool faults(bool launch, unsigned long long n) {
    const FaultPlan& p = fault_plans()[launch ? 0 : 1];
    return p.k != 0 && (p.every ? n % p.k == 0 : n == p.k);
}

// ---------------------------------------------------------------------------------------------
// Streams: lazy, in-order queues

static void fail_context(Context* c, CUresult error) {
    if (c->sticky == CUDA_SUCCESS) {
        c->sticky = error;
    }
    // The rest of the context's queued work will never run, as after a device fault.
    for (Stream* s : c->streams) {
        s->done += s->queue.size();
        s->queue.clear();
    }
}

// Runs stream s's queued work up to and including its op number `upto`.
static void drain(Stream* s, unsigned long long upto) {
    while (s->done < upto && !s->queue.empty()) {
        Op op = std::move(s->queue.front());
        s->queue.pop_front();
        s->done++;
        if (s->ctx->sticky == CUDA_SUCCESS) {
            op.run();
        }
    }
}

static void drain_all(Stream* s) {
    drain(s, s->submitted);
}

static void drain_context(Context* c) {
    for (Stream* s : c->streams) {
        drain_all(s);
    }
}

static void enqueue(Stream* s, std::function<void()> run) {
    if (s == s->ctx->null_stream) {
        // The legacy default stream waits for the blocking streams' earlier work.
        std::vector<std::pair<Stream*, unsigned long long>> before;
        for (Stream* o : s->ctx->streams) {
            if (o != s && o->live && o->blocking) {
                before.emplace_back(o, o->submitted);
            }
        }
        if (!before.empty()) {
            s->queue.push_back(Op{[before] {
                for (auto& b : before) {
                    drain(b.first, b.second);
                }
            }});
            s->submitted++;
        }
    } else if (s->blocking) {
        Stream* n = s->ctx->null_stream;
        unsigned long long upto = n->submitted;
        if (upto > n->done) {
            s->queue.push_back(Op{[n, upto] { drain(n, upto); }});
            s->submitted++;
        }
    }
    s->queue.push_back(Op{std::move(run)});
    s->submitted++;
}

static Stream* new_stream(Context* c, bool blocking) {
    Stream* s = made(new Stream());
    s->ctx = c;
    s->blocking = blocking;
    c->streams.push_back(s);
    return s;
}

// The stream a call names (0 is the context's default stream), or null.
static Stream* stream_of(void* handle, Context* c) {
    if (handle == nullptr) {
        return c->null_stream;
    }
    Stream* s = live((Stream*) handle);
    return s != nullptr && s->ctx == c ? s : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Memory

static const size_t PAGE = (size_t) sysconf(_SC_PAGESIZE);

static size_t round_up(size_t n, size_t to) {
    return (n + to - 1) / to * to;
}

// The allocation holding [p, p + bytes), or null.
static Allocation* holding(const void* p, size_t bytes) {
    uintptr_t a = (uintptr_t) p;
    auto it = g_allocations.upper_bound(a);
    if (it == g_allocations.begin()) {
        return nullptr;
    }
    --it;
    Allocation& al = it->second;
    uintptr_t base = (uintptr_t) al.base;
    if (a < base || bytes > al.size || a - base > al.size - bytes) {
        return nullptr;
    }
    return &al;
}

static Allocation* device_range(CUdeviceptr p, size_t bytes) {
    Allocation* a = holding((const void*) (uintptr_t) p, bytes);
    return a != nullptr && !a->pinned ? a : nullptr;
}

static bool pinned_range(const void* p, size_t bytes) {
    Allocation* a = holding(p, bytes);
    return a != nullptr && a->pinned;
}

// Host memory standing for `bytes` of device (guard page after, garbage inside) or pinned memory.
static char* allocate(size_t bytes, bool pinned, Context* c) {
    size_t body = round_up(bytes, PAGE);
    size_t total = body + (pinned ? 0 : PAGE);
    void* map = mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) {
        return nullptr;
    }
    char* base = (char*) map;
    if (!pinned) {
        mprotect(base + body, PAGE, PROT_NONE);
        // The end of the allocation within 256 bytes of the guard page, its start 256-aligned.
        base += body - round_up(bytes, 256);
        memset(base, 0xA5, bytes);
    }
    g_allocations[(uintptr_t) base] = Allocation{base, bytes, (char*) map, total, pinned, c};
    return base;
}

static void release(Allocation* a) {
    if (!a->pinned) {
        g_device_bytes -= a->size;
    }
    void* map = a->map;
    size_t size = a->map_size;
    g_allocations.erase((uintptr_t) a->base);
    munmap(map, size);
}

static void release_all(Context* c) {
    std::vector<Allocation*> owned;
    for (auto& e : g_allocations) {
        if (e.second.ctx == c) {
            owned.push_back(&e.second);
        }
    }
    for (Allocation* a : owned) {
        release(a);
    }
}

// ---------------------------------------------------------------------------------------------
// Kernel execution

static unsigned worker_count() {
    unsigned hw = std::thread::hardware_concurrency();
    return (unsigned) env_size("SPATE_CUDA_STANDIN_THREADS", std::max(4u, hw));
}

struct FiberPool;
static thread_local FiberPool* t_fibers = nullptr;
static thread_local bool t_barrier_misuse = false;

// One CUDA thread of a block as a fiber: started once (makecontext/swapcontext), then switched
// with _setjmp/_longjmp, which, unlike swapcontext, make no system call; after its thread returns
// it parks and runs the same thread index of the next block.
struct Fiber {
    ucontext_t context;
    jmp_buf jump;
    std::unique_ptr<char[]> stack;
    spate_dim3 index;
    bool started = false;
    bool done = false;
};

// The fibers of the host thread that runs blocks, kept for every block and launch it runs: each
// CUDA thread runs until it reaches __syncthreads or returns; the barrier opens when every live
// thread has reached it.
struct FiberPool {
    std::vector<std::unique_ptr<Fiber>> fibers;
    jmp_buf scheduler;
    ucontext_t first_start;
    size_t running = 0;
    SpateBoundLaunch* launch = nullptr;
};

static thread_local std::unique_ptr<FiberPool> t_pool;

static void fiber_main() {
    while (true) {
        FiberPool* p = t_fibers;
        Fiber& f = *p->fibers[p->running];
        p->launch->run_thread();
        f.done = true;
        if (!_setjmp(f.jump)) {
            _longjmp(p->scheduler, 1);
        }
    }
}

void spate_standin_syncthreads() {
    FiberPool* p = t_fibers;
    if (p == nullptr) {
        // A kernel the generator did not see use the barrier: its launch fails (below).
        t_barrier_misuse = true;
        return;
    }
    Fiber& f = *p->fibers[p->running];
    if (!_setjmp(f.jump)) {
        _longjmp(p->scheduler, 1);
    }
}

// Runs fiber t until it reaches a barrier or returns.
static void resume(FiberPool& p, unsigned t) {
    Fiber& f = *p.fibers[t];
    p.running = t;
    spate_thread_idx = f.index;
    if (!_setjmp(p.scheduler)) {
        if (f.started) {
            _longjmp(f.jump, 1);
        }
        f.started = true;
        swapcontext(&p.first_start, &f.context);
    }
}

static void run_block_as_fibers(SpateBoundLaunch* launch, unsigned threads, const spate_dim3& block) {
    static const size_t STACK = env_size("SPATE_CUDA_STANDIN_FIBER_STACK", 128 * 1024);
    if (!t_pool) {
        t_pool.reset(new FiberPool());
    }
    FiberPool& p = *t_pool;
    while (p.fibers.size() < threads) {
        std::unique_ptr<Fiber> f(new Fiber());
        f->stack.reset(new char[STACK]);
        getcontext(&f->context);
        f->context.uc_stack.ss_sp = f->stack.get();
        f->context.uc_stack.ss_size = STACK;
        f->context.uc_link = nullptr;
        makecontext(&f->context, fiber_main, 0);
        p.fibers.push_back(std::move(f));
    }
    p.launch = launch;
    for (unsigned t = 0; t < threads; t++) {
        p.fibers[t]->index = spate_dim3{t % block.x, t / block.x % block.y, t / (block.x * block.y)};
        p.fibers[t]->done = false;
    }
    t_fibers = &p;
    bool left = true;
    while (left) {
        left = false;
        for (unsigned t = 0; t < threads; t++) {
            if (!p.fibers[t]->done) {
                resume(p, t);
                left = left || !p.fibers[t]->done;
            }
        }
    }
    t_fibers = nullptr;
}

// A kernel that reads or writes memory nobody mapped (SIGSEGV, SIGBUS) faults the launch with
// CUDA_ERROR_ILLEGAL_ADDRESS, as a device would, instead of killing the process: the handler
// jumps out of the kernel on threads that are running one, and hands every other fault to the
// handler installed before (the JVM's, which uses SIGSEGV itself).
static struct sigaction g_previous[2];
static thread_local sigjmp_buf* t_kernel_jump = nullptr;
static thread_local void* t_fault_address = nullptr;

static void on_memory_fault(int sig, siginfo_t* info, void* context) {
    if (t_kernel_jump != nullptr) {
        sigjmp_buf* jump = t_kernel_jump;
        t_kernel_jump = nullptr;
        t_fault_address = info->si_addr;
        siglongjmp(*jump, 1);
    }
    struct sigaction& before = g_previous[sig == SIGSEGV ? 0 : 1];
    if (before.sa_flags & SA_SIGINFO) {
        before.sa_sigaction(sig, info, context);
    } else if (before.sa_handler == SIG_DFL) {
        signal(sig, SIG_DFL);
        raise(sig);
    } else if (before.sa_handler != SIG_IGN) {
        before.sa_handler(sig);
    }
}

static void catch_memory_faults() {
    static std::once_flag once;
    std::call_once(once, [] {
        int signals[2] = {SIGSEGV, SIGBUS};
        for (int i = 0; i < 2; i++) {
            sigaction(signals[i], nullptr, &g_previous[i]);
            struct sigaction mine = g_previous[i];
            mine.sa_sigaction = on_memory_fault;
            mine.sa_flags = (g_previous[i].sa_flags | SA_SIGINFO) & ~SA_RESETHAND;
            sigaction(signals[i], &mine, nullptr);
        }
    });
}

enum GridOutcome { GRID_DONE, GRID_BARRIER_MISUSE, GRID_MEMORY_FAULT };

// Runs a whole grid on the worker threads.
static GridOutcome run_grid(SpateBoundLaunch* launch, const SpateKernel* kernel, spate_dim3 grid, spate_dim3 block,
                            void** fault_address) {
    catch_memory_faults();
    unsigned long long blocks = (unsigned long long) grid.x * grid.y * grid.z;
    unsigned threads = block.x * block.y * block.z;
    std::atomic<unsigned long long> next(0);
    std::atomic<bool> misuse(false);
    std::atomic<void*> faulted(nullptr);
    auto work = [&] {
        spate_grid_dim = grid;
        spate_block_dim = block;
        t_barrier_misuse = false;
        sigjmp_buf jump;
        if (sigsetjmp(jump, 1) != 0) {
            // A memory fault in this worker's block: the launch has failed; its other blocks stop too.
            // The fibers were cut off mid-thread: this host thread makes new ones next time.
            t_fibers = nullptr;
            t_pool.reset();
            faulted = t_fault_address != nullptr ? t_fault_address : (void*) 1;
            next = blocks;
            return;
        }
        t_kernel_jump = &jump;
        for (unsigned long long i = next++; i < blocks; i = next++) {
            spate_block_idx = spate_dim3{(unsigned) (i % grid.x), (unsigned) (i / grid.x % grid.y), (unsigned) (i / ((unsigned long long) grid.x * grid.y))};
            if (kernel->barriers) {
                run_block_as_fibers(launch, threads, block);
                continue;
            }
            for (unsigned t = 0; t < threads; t++) {
                spate_thread_idx = spate_dim3{t % block.x, t / block.x % block.y, t / (block.x * block.y)};
                launch->run_thread();
            }
        }
        t_kernel_jump = nullptr;
        if (t_barrier_misuse) {
            misuse = true;
        }
    };
    unsigned workers = (unsigned) std::min<unsigned long long>(worker_count(), blocks);
    if (workers <= 1) {
        work();
    } else {
        std::vector<std::thread> pool;
        for (unsigned w = 0; w < workers; w++) {
            pool.emplace_back(work);
        }
        for (std::thread& t : pool) {
            t.join();
        }
    }
    if (faulted.load() != nullptr) {
        *fault_address = faulted.load();
        return GRID_MEMORY_FAULT;
    }
    return misuse ? GRID_BARRIER_MISUSE : GRID_DONE;
}

// ---------------------------------------------------------------------------------------------
// Initialisation, devices, driver

API CUresult cuInit(unsigned int flags) {
    Guard g(g_lock);
    if (flags != 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    g_initialized = true;
    return CUDA_SUCCESS;
}

API CUresult cuDriverGetVersion(int* version) {
    if (version == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *version = DRIVER_VERSION;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetCount(int* count) {
    Guard g(g_lock);
    NEED_INIT();
    if (count == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *count = 1;
    return CUDA_SUCCESS;
}

static CUresult check_device(CUdevice d) {
    NEED_INIT();
    return d == 0 ? CUDA_SUCCESS : CUDA_ERROR_INVALID_DEVICE;
}

API CUresult cuDeviceGet(CUdevice* device, int ordinal) {
    Guard g(g_lock);
    NEED_INIT();
    if (device == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (ordinal != 0) {
        return CUDA_ERROR_INVALID_DEVICE;
    }
    *device = 0;
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetName(char* name, int length, CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (name == nullptr || length <= 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    snprintf(name, (size_t) length, "%s", DEVICE_NAME);
    return CUDA_SUCCESS;
}

API CUresult cuDeviceTotalMem_v2(size_t* bytes, CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (bytes == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *bytes = memory_limit();
    return CUDA_SUCCESS;
}

API CUresult cuDeviceGetAttribute(int* value, int attribute, CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (value == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    switch (attribute) {
        case 1: *value = 1024; break;          // MAX_THREADS_PER_BLOCK
        case 2: case 3: *value = 1024; break;  // MAX_BLOCK_DIM_X, Y
        case 4: *value = 64; break;            // MAX_BLOCK_DIM_Z
        case 5: *value = 0x7FFFFFFF; break;    // MAX_GRID_DIM_X
        case 6: case 7: *value = 65535; break; // MAX_GRID_DIM_Y, Z
        case 8: *value = 48 * 1024; break;     // MAX_SHARED_MEMORY_PER_BLOCK
        case 10: *value = 32; break;           // WARP_SIZE
        case 16: *value = (int) worker_count(); break; // MULTIPROCESSOR_COUNT: the host threads blocks run on
        case 41: *value = 1; break;            // UNIFIED_ADDRESSING
        case 75: *value = 9; break;            // COMPUTE_CAPABILITY_MAJOR: the fatbin's sm_90
        case 76: *value = 0; break;            // COMPUTE_CAPABILITY_MINOR
        default: return CUDA_ERROR_INVALID_VALUE;
    }
    return CUDA_SUCCESS;
}

API const char* spate_standin_device_name() {
    return DEVICE_NAME;
}

static const char* error_name(CUresult e) {
    switch (e) {
        case CUDA_SUCCESS: return "CUDA_SUCCESS";
        case CUDA_ERROR_INVALID_VALUE: return "CUDA_ERROR_INVALID_VALUE";
        case CUDA_ERROR_OUT_OF_MEMORY: return "CUDA_ERROR_OUT_OF_MEMORY";
        case CUDA_ERROR_NOT_INITIALIZED: return "CUDA_ERROR_NOT_INITIALIZED";
        case CUDA_ERROR_INVALID_DEVICE: return "CUDA_ERROR_INVALID_DEVICE";
        case CUDA_ERROR_INVALID_IMAGE: return "CUDA_ERROR_INVALID_IMAGE";
        case CUDA_ERROR_INVALID_CONTEXT: return "CUDA_ERROR_INVALID_CONTEXT";
        case CUDA_ERROR_INVALID_HANDLE: return "CUDA_ERROR_INVALID_HANDLE";
        case CUDA_ERROR_NOT_FOUND: return "CUDA_ERROR_NOT_FOUND";
        case CUDA_ERROR_NOT_READY: return "CUDA_ERROR_NOT_READY";
        case CUDA_ERROR_ILLEGAL_ADDRESS: return "CUDA_ERROR_ILLEGAL_ADDRESS";
        case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES: return "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES";
        case CUDA_ERROR_LAUNCH_FAILED: return "CUDA_ERROR_LAUNCH_FAILED";
        case CUDA_ERROR_NOT_SUPPORTED: return "CUDA_ERROR_NOT_SUPPORTED";
        default: return nullptr;
    }
}

API CUresult cuGetErrorName(CUresult error, const char** name) {
    if (name == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *name = error_name(error);
    return *name == nullptr ? CUDA_ERROR_INVALID_VALUE : CUDA_SUCCESS;
}

API CUresult cuGetErrorString(CUresult error, const char** text) {
    return cuGetErrorName(error, text);
}

// ---------------------------------------------------------------------------------------------
// Contexts

static Context* new_context(CUdevice d, bool primary) {
    Context* c = made(new Context());
    c->device = d;
    c->primary = primary;
    c->null_stream = new_stream(c, true);
    return c;
}

static void destroy_context(Context* c) {
    if (c->sticky == CUDA_SUCCESS) {
        drain_context(c);
    }
    for (Stream* s : c->streams) {
        s->live = false;
    }
    release_all(c);
    c->live = false;
    for (auto it = t_stack.begin(); it != t_stack.end();) {
        it = *it == c ? t_stack.erase(it) : it + 1;
    }
}

API CUresult cuCtxCreate_v2(Context** out, unsigned int flags, CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (out == nullptr || flags > 0x1F) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Context* c = new_context(d, false);
    t_stack.push_back(c);
    *out = c;
    return CUDA_SUCCESS;
}

API CUresult cuCtxDestroy_v2(Context* handle) {
    Guard g(g_lock);
    NEED_INIT();
    Context* c = live(handle);
    if (c == nullptr || c->primary) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    destroy_context(c);
    return CUDA_SUCCESS;
}

API CUresult cuCtxSetCurrent(Context* handle) {
    Guard g(g_lock);
    NEED_INIT();
    if (handle == nullptr) {
        if (!t_stack.empty()) {
            t_stack.pop_back();
        }
        return CUDA_SUCCESS;
    }
    Context* c = live(handle);
    if (c == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (t_stack.empty()) {
        t_stack.push_back(c);
    } else {
        t_stack.back() = c;
    }
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetCurrent(Context** out) {
    Guard g(g_lock);
    NEED_INIT();
    if (out == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *out = current();
    return CUDA_SUCCESS;
}

API CUresult cuCtxPushCurrent_v2(Context* handle) {
    Guard g(g_lock);
    NEED_INIT();
    Context* c = live(handle);
    if (c == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    t_stack.push_back(c);
    return CUDA_SUCCESS;
}

API CUresult cuCtxPopCurrent_v2(Context** out) {
    Guard g(g_lock);
    NEED_INIT();
    if (t_stack.empty()) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    Context* c = t_stack.back();
    t_stack.pop_back();
    if (out != nullptr) {
        *out = c;
    }
    return CUDA_SUCCESS;
}

API CUresult cuCtxGetDevice(CUdevice* device) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (device == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *device = c->device;
    return CUDA_SUCCESS;
}

API CUresult cuCtxSynchronize() {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    drain_context(c);
    return c->sticky;
}

API CUresult cuDevicePrimaryCtxRetain(Context** out, CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    if (out == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (live(g_primary) == nullptr) {
        g_primary = new_context(d, true);
    }
    g_primary->primary_refs++;
    *out = g_primary;
    return CUDA_SUCCESS;
}

API CUresult cuDevicePrimaryCtxRelease_v2(CUdevice d) {
    Guard g(g_lock);
    CUresult r = check_device(d);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    Context* c = live(g_primary);
    if (c == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (--c->primary_refs == 0) {
        destroy_context(c);
        g_primary = nullptr;
    }
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Memory

API CUresult cuMemAlloc_v2(CUdeviceptr* out, size_t bytes) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (out == nullptr || bytes == 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (bytes > memory_limit() - g_device_bytes) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    char* p = allocate(bytes, false, c);
    if (p == nullptr) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    g_device_bytes += bytes;
    *out = (CUdeviceptr) (uintptr_t) p;
    return CUDA_SUCCESS;
}

API CUresult cuMemFree_v2(CUdeviceptr p) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    auto it = g_allocations.find((uintptr_t) p);
    if (it == g_allocations.end() || it->second.pinned) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    // cuMemFree waits for the work that may still use the memory.
    Context* owner = it->second.ctx;
    drain_context(owner);
    if (owner->sticky != CUDA_SUCCESS) {
        return owner->sticky;
    }
    release(&it->second);
    return CUDA_SUCCESS;
}

static CUresult host_alloc(void** out, size_t bytes) {
    NEED_CONTEXT(c);
    if (out == nullptr || bytes == 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    char* p = allocate(bytes, true, c);
    if (p == nullptr) {
        return CUDA_ERROR_OUT_OF_MEMORY;
    }
    *out = p;
    return CUDA_SUCCESS;
}

API CUresult cuMemAllocHost_v2(void** out, size_t bytes) {
    Guard g(g_lock);
    return host_alloc(out, bytes);
}

API CUresult cuMemHostAlloc(void** out, size_t bytes, unsigned int flags) {
    Guard g(g_lock);
    if (flags > 0x7) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    return host_alloc(out, bytes);
}

API CUresult cuMemFreeHost(void* p) {
    Guard g(g_lock);
    NEED_INIT();
    auto it = g_allocations.find((uintptr_t) p);
    if (it == g_allocations.end() || !it->second.pinned) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    drain_context(it->second.ctx);
    release(&it->second);
    return CUDA_SUCCESS;
}

API CUresult cuMemGetInfo_v2(size_t* free_bytes, size_t* total) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (free_bytes == nullptr || total == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *total = memory_limit();
    *free_bytes = memory_limit() - g_device_bytes;
    return CUDA_SUCCESS;
}

// An async copy of `bytes` between host memory `host` and device memory `device` on stream h.
static CUresult copy_async(CUdeviceptr device, void* host, size_t bytes, void* h, bool to_device) {
    NEED_CONTEXT(c);
    Stream* s = stream_of(h, c);
    if (s == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (bytes == 0) {
        return CUDA_SUCCESS;
    }
    if (host == nullptr || device_range(device, bytes) == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    bool fault = faults(false, ++g_copies);
    char* d = (char*) (uintptr_t) device;
    std::function<void()> copy = [c, d, host, bytes, to_device, fault] {
        if (fault) {
            fail_context(c, CUDA_ERROR_ILLEGAL_ADDRESS);
        } else if (to_device) {
            memcpy(d, host, bytes);
        } else {
            memcpy(host, d, bytes);
        }
    };
    if (pinned_range(host, bytes)) {
        enqueue(s, std::move(copy));
        return CUDA_SUCCESS;
    }
    // Pageable host memory: CUDA copies it synchronously, after the stream's earlier work.
    drain_all(s);
    if (c->sticky == CUDA_SUCCESS) {
        copy();
    }
    return c->sticky;
}

API CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void* src, size_t bytes, void* stream) {
    Guard g(g_lock);
    return copy_async(dst, (void*) src, bytes, stream, true);
}

API CUresult cuMemcpyDtoHAsync_v2(void* dst, CUdeviceptr src, size_t bytes, void* stream) {
    Guard g(g_lock);
    return copy_async(src, dst, bytes, stream, false);
}

// A blocking copy: after all of the context's earlier work, as on the legacy default stream.
static CUresult copy_sync(CUdeviceptr device, void* host, size_t bytes, bool to_device) {
    NEED_CONTEXT(c);
    CUresult r = copy_async(device, host, bytes, nullptr, to_device);
    if (r != CUDA_SUCCESS) {
        return r;
    }
    drain_context(c);
    return c->sticky;
}

API CUresult cuMemcpyHtoD_v2(CUdeviceptr dst, const void* src, size_t bytes) {
    Guard g(g_lock);
    return copy_sync(dst, (void*) src, bytes, true);
}

API CUresult cuMemcpyDtoH_v2(void* dst, CUdeviceptr src, size_t bytes) {
    Guard g(g_lock);
    return copy_sync(src, dst, bytes, false);
}

API CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, void* h) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Stream* s = stream_of(h, c);
    if (s == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (count == 0) {
        return CUDA_SUCCESS;
    }
    if (dst % 4 != 0 || count > SIZE_MAX / 4 || device_range(dst, count * 4) == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    unsigned int* d = (unsigned int*) (uintptr_t) dst;
    enqueue(s, [d, value, count] { std::fill(d, d + count, value); });
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Modules and kernels

// The names of the kernels an image holds: cubin sections ".text.NAME" and PTX ".entry NAME".
static std::set<std::string> kernel_names(const char* image, size_t size) {
    std::set<std::string> names;
    for (int k = 0; k < spate_kernel_count; k++) {
        const char* n = spate_kernel_table[k].name;
        std::string text = std::string(".text.") + n;
        std::string entry = std::string(".entry ") + n;
        const char* end = image + size;
        if (std::search(image, end, text.c_str(), text.c_str() + text.size() + 1) != end
                || std::search(image, end, entry.c_str(), entry.c_str() + entry.size()) != end) {
            names.insert(n);
        }
    }
    return names;
}

API CUresult cuModuleLoadData(Module** out, const void* image) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (out == nullptr || image == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    // A fatbin: magic, version (2 bytes), header size (2), then the size of what follows (8).
    const unsigned char* b = (const unsigned char*) image;
    unsigned int magic;
    memcpy(&magic, b, 4);
    if (magic != FATBIN_MAGIC) {
        return CUDA_ERROR_INVALID_IMAGE;
    }
    unsigned short header;
    unsigned long long body;
    memcpy(&header, b + 6, 2);
    memcpy(&body, b + 8, 8);
    if (header < 16 || body == 0 || body > ((unsigned long long) 1 << 32)) {
        return CUDA_ERROR_INVALID_IMAGE;
    }
    Module* m = made(new Module());
    m->ctx = c;
    m->names = kernel_names((const char*) image, header + body);
    *out = m;
    return CUDA_SUCCESS;
}

API CUresult cuModuleUnload(Module* handle) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Module* m = live(handle);
    if (m == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    m->live = false;
    return CUDA_SUCCESS;
}

API CUresult cuModuleGetFunction(Function** out, Module* handle, const char* name) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (out == nullptr || name == nullptr) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Module* m = live(handle);
    if (m == nullptr || m->ctx != c) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (!m->names.count(name)) {
        return CUDA_ERROR_NOT_FOUND;
    }
    for (int k = 0; k < spate_kernel_count; k++) {
        if (strcmp(spate_kernel_table[k].name, name) == 0) {
            Function* f = made(new Function());
            f->module = m;
            f->kernel = &spate_kernel_table[k];
            *out = f;
            return CUDA_SUCCESS;
        }
    }
    // In the image but not in the stand-in's table: the fatbin is newer than this build.
    return CUDA_ERROR_NOT_FOUND;
}

API CUresult cuLaunchKernel(Function* handle, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx,
                            unsigned int by, unsigned int bz, unsigned int shared, void* h, void** params, void** extra) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (handle == nullptr || !g_handles.count(handle) || live(handle->module) == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (handle->module->ctx != c) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    Stream* s = stream_of(h, c);
    if (s == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (gx == 0 || gy == 0 || gz == 0 || gx > 0x7FFFFFFFu || gy > 65535 || gz > 65535 || bx == 0 || by == 0 || bz == 0
            || bx > 1024 || by > 1024 || bz > 64 || (unsigned long long) bx * by * bz > 1024 || shared > 48 * 1024) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    if (extra != nullptr) {
        return CUDA_ERROR_NOT_SUPPORTED;
    }
    const SpateKernel* kernel = handle->kernel;
    if (params == nullptr && kernel->params > 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    std::shared_ptr<SpateBoundLaunch> launch(kernel->bind(params));
    bool fault = faults(true, ++g_launches);
    spate_dim3 grid{gx, gy, gz};
    spate_dim3 block{bx, by, bz};
    enqueue(s, [c, launch, kernel, grid, block, fault] {
        if (fault) {
            fail_context(c, CUDA_ERROR_ILLEGAL_ADDRESS);
            return;
        }
        for (const void* p : launch->pointers) {
            if (p != nullptr && holding(p, 0) == nullptr) {
                fprintf(stderr, "spate CUDA stand-in: %s was given %p, which is not in a live allocation: CUDA_ERROR_ILLEGAL_ADDRESS\n",
                        kernel->name, p);
                fail_context(c, CUDA_ERROR_ILLEGAL_ADDRESS);
                return;
            }
        }
        void* address = nullptr;
        GridOutcome outcome = run_grid(launch.get(), kernel, grid, block, &address);
        if (outcome == GRID_MEMORY_FAULT) {
            fprintf(stderr, "spate CUDA stand-in: %s touched unmapped memory at %p: CUDA_ERROR_ILLEGAL_ADDRESS\n", kernel->name, address);
            fail_context(c, CUDA_ERROR_ILLEGAL_ADDRESS);
        } else if (outcome == GRID_BARRIER_MISUSE) {
            say("%s reached __syncthreads, which the kernel table did not expect: CUDA_ERROR_LAUNCH_FAILED", kernel->name);
            fail_context(c, CUDA_ERROR_LAUNCH_FAILED);
        }
    });
    return CUDA_SUCCESS;
}

// ---------------------------------------------------------------------------------------------
// Streams and events

API CUresult cuStreamCreate(Stream** out, unsigned int flags) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (out == nullptr || flags > 1) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    *out = new_stream(c, flags == 0);
    return CUDA_SUCCESS;
}

API CUresult cuStreamDestroy_v2(Stream* handle) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Stream* s = live(handle);
    if (s == nullptr || s == s->ctx->null_stream) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    // Work queued before the destroy still completes.
    drain_all(s);
    s->live = false;
    return CUDA_SUCCESS;
}

API CUresult cuStreamSynchronize(Stream* handle) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Stream* s = stream_of(handle, c);
    if (s == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    drain_all(s);
    return c->sticky;
}

API CUresult cuStreamQuery(Stream* handle) {
    // Lazy work "completes" when asked about, so that a polling host makes progress.
    return cuStreamSynchronize(handle);
}

API CUresult cuEventCreate(Event** out, unsigned int flags) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    if (out == nullptr || flags > 0x7) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Event* e = made(new Event());
    e->ctx = c;
    *out = e;
    return CUDA_SUCCESS;
}

API CUresult cuEventDestroy_v2(Event* handle) {
    Guard g(g_lock);
    NEED_INIT();
    Event* e = live(handle);
    if (e == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    e->live = false;
    return CUDA_SUCCESS;
}

API CUresult cuEventRecord(Event* handle, Stream* stream) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Event* e = live(handle);
    Stream* s = stream_of(stream, c);
    if (e == nullptr || s == nullptr || e->ctx != s->ctx) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    e->stream = s;
    e->at = s->submitted;
    return CUDA_SUCCESS;
}

API CUresult cuEventSynchronize(Event* handle) {
    Guard g(g_lock);
    NEED_INIT();
    Event* e = live(handle);
    if (e == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (live(e->ctx) == nullptr) {
        return CUDA_ERROR_INVALID_CONTEXT;
    }
    if (e->stream != nullptr) {
        drain(e->stream, e->at);
    }
    return e->ctx->sticky;
}

API CUresult cuEventQuery(Event* handle) {
    return cuEventSynchronize(handle);
}

API CUresult cuStreamWaitEvent(Stream* stream, Event* handle, unsigned int flags) {
    Guard g(g_lock);
    NEED_CONTEXT(c);
    Stream* s = stream_of(stream, c);
    Event* e = live(handle);
    if (s == nullptr || e == nullptr) {
        return CUDA_ERROR_INVALID_HANDLE;
    }
    if (flags != 0) {
        return CUDA_ERROR_INVALID_VALUE;
    }
    Stream* recorded = e->stream;
    unsigned long long at = e->at;
    if (recorded != nullptr) {
        enqueue(s, [recorded, at] { drain(recorded, at); });
    }
    return CUDA_SUCCESS;
}
