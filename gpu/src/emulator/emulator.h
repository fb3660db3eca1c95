// A CPU emulation of the parts of CUDA C++ that Tempora's kernels use, so that the very kernel sources the
// GPU runs can be compiled with g++ and tested on a machine without a GPU (see emulator.cpp).
//
// Model: the blocks of a launch run one after another on one OS thread; the threads of a block are fibers.
// A fiber runs until it reaches a barrier (__syncthreads, __syncwarp, a warp shuffle) or returns; the
// scheduler then releases a barrier once every live thread of the block (or warp) has reached it. Between
// barriers the fibers run in an order that changes every phase (forward, reverse, shuffled), so a missing
// barrier shows up as a wrong result rather than being hidden by a fixed order. Barriers that not every
// live thread reaches are reported as an error. __shared__ variables become statics: one block runs at a
// time. Device memory is host memory.
//
// Not emulated: the memory model of concurrent blocks (blocks never run at the same time here), warp
// lockstep without __syncwarp (undefined on current GPUs anyway), performance.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <cstddef>
#include <algorithm>

using std::isfinite;

#define KERNEL extern "C"
#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __noinline__
#define __shared__ static
#define __restrict__ __restrict
#define __launch_bounds__(...)
#define __align__(n) alignas(n)

struct dim3 {
    unsigned int x, y, z;
};

struct alignas(16) float4 {
    float x, y, z, w;
};

struct alignas(8) float2 {
    float x, y;
};

inline float4 make_float4(float x, float y, float z, float w) {
    return float4{x, y, z, w};
}

namespace tempora_emulator {
extern dim3 thread_index;
extern dim3 block_index;
extern dim3 block_dim;
extern dim3 grid_dim;
void sync_threads();
void sync_warp();
// Publishes this thread's 64 bits to its warp and returns those of lane `source` (all lanes must call).
uint64_t warp_exchange(uint64_t bits, int source_of_lane_xor, int mode);
int lane();
unsigned char* dynamic_shared();
// Records a fault of the running kernel (its launch then fails, as it would on the GPU).
void fault(const char* what);
} // namespace tempora_emulator

#define threadIdx (::tempora_emulator::thread_index)
#define blockIdx (::tempora_emulator::block_index)
#define blockDim (::tempora_emulator::block_dim)
#define gridDim (::tempora_emulator::grid_dim)
#define warpSize 32

#define DYNAMIC_SHARED(type, name) type* name = reinterpret_cast<type*>(::tempora_emulator::dynamic_shared())

inline void __syncthreads() {
    tempora_emulator::sync_threads();
}

inline void __syncwarp(unsigned int = 0xffffffffu) {
    tempora_emulator::sync_warp();
}

namespace tempora_emulator {
enum ShuffleMode { SHUFFLE_XOR = 0, SHUFFLE_DOWN = 1, SHUFFLE_INDEX = 2 };

template <typename T>
inline T shuffle(T value, int argument, int mode) {
    static_assert(sizeof(T) <= 8, "shuffles move at most 64 bits");
    uint64_t bits = 0;
    std::memcpy(&bits, &value, sizeof(T));
    uint64_t out = warp_exchange(bits, argument, mode);
    T result;
    std::memcpy(&result, &out, sizeof(T));
    return result;
}
} // namespace tempora_emulator

template <typename T>
inline T __shfl_xor_sync(unsigned int, T value, int laneMask) {
    return tempora_emulator::shuffle(value, laneMask, tempora_emulator::SHUFFLE_XOR);
}

template <typename T>
inline T __shfl_down_sync(unsigned int, T value, unsigned int delta) {
    return tempora_emulator::shuffle(value, (int) delta, tempora_emulator::SHUFFLE_DOWN);
}

template <typename T>
inline T __shfl_sync(unsigned int, T value, int sourceLane) {
    return tempora_emulator::shuffle(value, sourceLane, tempora_emulator::SHUFFLE_INDEX);
}

// One OS thread runs every fiber, so read-modify-write is atomic by construction.
inline float atomicAdd(float* address, float value) {
    float old = *address;
    *address = old + value;
    return old;
}

inline double atomicAdd(double* address, double value) {
    double old = *address;
    *address = old + value;
    return old;
}

inline int atomicAdd(int* address, int value) {
    int old = *address;
    *address = old + value;
    return old;
}

// A float4 view of 4 floats for one 16-byte access. The GPU faults ("misaligned address") unless the address
// is a multiple of 16 bytes; x86 would not, so the check is made here.
inline const float4* as_float4(const float* p) {
    if (reinterpret_cast<uintptr_t>(p) % 16 != 0) {
        tempora_emulator::fault("misaligned 16-byte access");
    }
    return reinterpret_cast<const float4*>(p);
}

inline float4* as_float4(float* p) {
    if (reinterpret_cast<uintptr_t>(p) % 16 != 0) {
        tempora_emulator::fault("misaligned 16-byte access");
    }
    return reinterpret_cast<float4*>(p);
}

template <typename T>
inline T __ldg(const T* p) {
    return *p;
}

// A clock that advances on every read, so spin loops end.
inline long long clock64() {
    static long long ticks = 0;
    return ticks += 1024;
}

inline float rsqrtf(float x) {
    return 1.0f / std::sqrt(x);
}
inline float __expf(float x) {
    return std::exp(x);
}
inline float __logf(float x) {
    return std::log(x);
}
inline float __fdividef(float a, float b) {
    return a / b;
}
inline float __fmul_rn(float a, float b) {
    return a * b;
}
inline float __fadd_rn(float a, float b) {
    return a + b;
}
inline float __fsub_rn(float a, float b) {
    return a - b;
}
inline float __fdiv_rn(float a, float b) {
    return a / b;
}
inline float __fsqrt_rn(float a) {
    return std::sqrt(a);
}
inline unsigned int __float_as_uint(float f) {
    unsigned int u;
    std::memcpy(&u, &f, 4);
    return u;
}
inline float __uint_as_float(unsigned int u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}
inline int min(int a, int b) {
    return a < b ? a : b;
}
inline int max(int a, int b) {
    return a > b ? a : b;
}
inline long long min(long long a, long long b) {
    return a < b ? a : b;
}
inline long long max(long long a, long long b) {
    return a > b ? a : b;
}
