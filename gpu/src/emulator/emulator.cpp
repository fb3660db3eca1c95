// The fiber scheduler behind emulator.h, and the C entry points the Java EmulatedDriver calls through the
// foreign-function API: memory, launches by kernel name, and the list of kernels this library holds.
//
// This file is compiled together with the kernels (build-emulator.sh): it includes kernels.cu and the
// generated registry, which maps every KERNEL's name to an adapter that unpacks cuLaunchKernel-style
// arguments (an array of pointers to the argument values) into a call.
#include "emulator.h"

#include <ucontext.h>
#include <sys/mman.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace tempora_emulator {

dim3 thread_index;
dim3 block_index;
dim3 block_dim;
dim3 grid_dim;

namespace {

enum State { RUNNABLE, AT_BLOCK_BARRIER, AT_WARP_BARRIER, DONE };

struct Fiber {
    ucontext_t context;
    State state;
    dim3 index;
    int linear;
};

constexpr size_t STACK_BYTES = 256 * 1024;
constexpr int MAX_THREADS = 1024;

ucontext_t scheduler_context;
std::vector<Fiber> fibers(MAX_THREADS);
unsigned char* stacks = nullptr;
int current = 0;
void (*body)(void**) = nullptr;
void** parameters = nullptr;
std::vector<unsigned char> dynamic_shared_memory;
uint64_t warp_slots[MAX_THREADS];
std::string error;
std::string fault_message; // the first fault of the running launch

void fiber_entry() {
    body(parameters);
    fibers[current].state = DONE;
    // Returning resumes uc_link: the scheduler.
}

void yield(State state) {
    Fiber& self = fibers[current];
    self.state = state;
    swapcontext(&self.context, &scheduler_context);
}

unsigned int next_random(unsigned int& s) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    return s;
}

// Runs the current block to completion; false (and `error` set) on a barrier not every live thread reaches.
bool run_block(int threads) {
    for (int t = 0; t < threads; t++) {
        Fiber& f = fibers[t];
        getcontext(&f.context);
        f.context.uc_stack.ss_sp = stacks + (size_t) t * STACK_BYTES;
        f.context.uc_stack.ss_size = STACK_BYTES;
        f.context.uc_link = &scheduler_context;
        makecontext(&f.context, fiber_entry, 0);
        f.state = RUNNABLE;
        f.linear = t;
        f.index.x = t % block_dim.x;
        f.index.y = (t / block_dim.x) % block_dim.y;
        f.index.z = t / (block_dim.x * block_dim.y);
    }
    std::vector<int> order;
    order.reserve(threads);
    unsigned int random = 0x9E3779B9u ^ (block_index.x * 7919u + block_index.y * 104729u + block_index.z);
    for (int phase = 0;; phase++) {
        order.clear();
        for (int t = 0; t < threads; t++) {
            if (fibers[t].state == RUNNABLE) {
                order.push_back(t);
            }
        }
        if (phase % 3 == 1) {
            std::reverse(order.begin(), order.end());
        } else if (phase % 3 == 2) {
            for (int i = (int) order.size() - 1; i > 0; i--) {
                int j = (int) (next_random(random) % (unsigned int) (i + 1));
                std::swap(order[i], order[j]);
            }
        }
        for (int t : order) {
            current = t;
            thread_index = fibers[t].index;
            swapcontext(&scheduler_context, &fibers[t].context);
        }
        // Release warp barriers whose every live thread arrived, else the block barrier.
        bool released = false;
        bool anyLive = false;
        int warps = (threads + 31) / 32;
        for (int w = 0; w < warps; w++) {
            int waiting = 0;
            int live = 0;
            for (int t = w * 32; t < threads && t < (w + 1) * 32; t++) {
                if (fibers[t].state != DONE) {
                    live++;
                    if (fibers[t].state == AT_WARP_BARRIER) {
                        waiting++;
                    }
                }
            }
            anyLive |= live > 0;
            if (live > 0 && waiting == live) {
                for (int t = w * 32; t < threads && t < (w + 1) * 32; t++) {
                    if (fibers[t].state == AT_WARP_BARRIER) {
                        fibers[t].state = RUNNABLE;
                    }
                }
                released = true;
            }
        }
        if (!anyLive) {
            return true;
        }
        if (released) {
            continue;
        }
        bool all = true;
        for (int t = 0; t < threads; t++) {
            if (fibers[t].state != DONE && fibers[t].state != AT_BLOCK_BARRIER) {
                all = false;
            }
        }
        if (!all) {
            char message[200];
            std::snprintf(message, sizeof message,
                          "block (%u, %u, %u): a warp-level barrier or shuffle that not every live thread of its"
                          " warp reached, mixed with __syncthreads", block_index.x, block_index.y, block_index.z);
            error = message;
            return false;
        }
        for (int t = 0; t < threads; t++) {
            if (fibers[t].state == AT_BLOCK_BARRIER) {
                fibers[t].state = RUNNABLE;
            }
        }
    }
}

} // namespace

void sync_threads() {
    yield(AT_BLOCK_BARRIER);
}

void sync_warp() {
    yield(AT_WARP_BARRIER);
}

int lane() {
    return fibers[current].linear & 31;
}

uint64_t warp_exchange(uint64_t bits, int argument, int mode) {
    int self = fibers[current].linear;
    int base = self & ~31;
    int lane = self & 31;
    int source;
    switch (mode) {
        case SHUFFLE_XOR: source = lane ^ argument; break;
        case SHUFFLE_DOWN: source = lane + argument < 32 ? lane + argument : lane; break;
        default: source = argument & 31; break;
    }
    warp_slots[self] = bits;
    sync_warp();
    uint64_t out = warp_slots[base + source];
    sync_warp(); // nobody overwrites a slot before every lane has read it
    return out;
}

unsigned char* dynamic_shared() {
    return dynamic_shared_memory.data();
}

void fault(const char* what) {
    if (fault_message.empty()) {
        char message[200];
        std::snprintf(message, sizeof message, "%s in block (%u, %u, %u), thread (%u, %u, %u)", what, block_index.x,
                      block_index.y, block_index.z, thread_index.x, thread_index.y, thread_index.z);
        fault_message = message;
    }
}

} // namespace tempora_emulator

// ------------------------------------------------------------------ the kernels and their registry

#include "../main/cuda/kernels.cu"

namespace {

template <typename F>
struct Adapter;

template <typename... Args>
struct Adapter<void (*)(Args...)> {
    template <void (*K)(Args...), size_t... I>
    static void call(void** p, std::index_sequence<I...>) {
        K(*static_cast<std::remove_cv_t<std::remove_reference_t<Args>>*>(p[I])...);
    }

    template <void (*K)(Args...)>
    static void run(void** p) {
        call<K>(p, std::index_sequence_for<Args...>{});
    }

    static constexpr int arity = sizeof...(Args);
};

struct Entry {
    const char* name;
    void (*run)(void**);
    int arity;
};

#define TEMPORA_KERNEL(name) {#name, &Adapter<decltype(&name)>::run<&name>, Adapter<decltype(&name)>::arity},

const Entry registry[] = {
#include "registry.inc"
};

const int registry_size = sizeof(registry) / sizeof(registry[0]);

} // namespace

extern "C" {

const char* tempora_emu_last_error() {
    return tempora_emulator::error.c_str();
}

int tempora_emu_kernel_count() {
    return registry_size;
}

const char* tempora_emu_kernel_name(int i) {
    return i >= 0 && i < registry_size ? registry[i].name : nullptr;
}

int tempora_emu_kernel_arity(int i) {
    return i >= 0 && i < registry_size ? registry[i].arity : -1;
}

void* tempora_emu_alloc(size_t bytes) {
    size_t rounded = (bytes + 255) / 256 * 256;
    return std::aligned_alloc(256, rounded == 0 ? 256 : rounded);
}

void tempora_emu_free(void* p) {
    std::free(p);
}

// 0 on success; otherwise tempora_emu_last_error() says why.
int tempora_emu_launch(const char* name, int gx, int gy, int gz, int bx, int by, int bz, int sharedBytes,
                       void** params) {
    using namespace tempora_emulator;
    const Entry* entry = nullptr;
    for (int i = 0; i < registry_size; i++) {
        if (std::strcmp(registry[i].name, name) == 0) {
            entry = &registry[i];
        }
    }
    if (entry == nullptr) {
        error = std::string("no kernel named ") + name;
        return 1;
    }
    int threads = bx * by * bz;
    if (threads < 1 || threads > MAX_THREADS || gx < 1 || gy < 1 || gz < 1 || gy > 65535 || gz > 65535) {
        error = std::string(name) + ": bad launch dimensions";
        return 2;
    }
    if (stacks == nullptr) {
        void* m = mmap(nullptr, STACK_BYTES * MAX_THREADS, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (m == MAP_FAILED) {
            error = "cannot map fiber stacks";
            return 3;
        }
        stacks = static_cast<unsigned char*>(m);
    }
    dynamic_shared_memory.assign((size_t) sharedBytes + 16, 0xA5); // poisoned: shared memory starts undefined
    body = entry->run;
    parameters = params;
    block_dim = dim3{(unsigned) bx, (unsigned) by, (unsigned) bz};
    grid_dim = dim3{(unsigned) gx, (unsigned) gy, (unsigned) gz};
    for (int z = 0; z < gz; z++) {
        for (int y = 0; y < gy; y++) {
            for (int x = 0; x < gx; x++) {
                block_index = dim3{(unsigned) x, (unsigned) y, (unsigned) z};
                if (!run_block(threads)) {
                    error = std::string(name) + ": " + error;
                    fault_message.clear();
                    return 4;
                }
                if (!fault_message.empty()) {
                    error = std::string(name) + ": " + fault_message;
                    fault_message.clear();
                    return 5;
                }
            }
        }
    }
    return 0;
}

} // extern "C"
