// Shared definitions of Tempora's CUDA kernels.
//
// Every kernel is `KERNEL void name(...)`: extern "C" so that its PTX entry keeps its plain name (the
// Java side looks kernels up by name and checks its argument list against the PTX's .entry).
// The same sources compile for the GPU with nvcc and, with TEMPORA_EMULATION, for the CPU with g++
// against src/emulator/emulator.h, which runs blocks as fibers so the parity tests run without a GPU.
#pragma once

#ifdef TEMPORA_EMULATION
#include "emulator.h"
#else
#define KERNEL extern "C" __global__
// Dynamic shared memory, sized at launch.
#define DYNAMIC_SHARED(type, name) extern __shared__ __align__(16) unsigned char tempora_dynamic_shared_[]; \
    type* name = reinterpret_cast<type*>(tempora_dynamic_shared_)
// A float4 view of 4 floats for one 16-byte access; the address must be a multiple of 16 bytes (the
// emulator checks that).
__device__ __forceinline__ const float4* as_float4(const float* p) {
    return reinterpret_cast<const float4*>(p);
}
__device__ __forceinline__ float4* as_float4(float* p) {
    return reinterpret_cast<float4*>(p);
}
#endif

#include <stdint.h>

// At most this many tensors in one list argument (weighted sums, concatenation).
#define MAX_LIST 16

// Up to MAX_LIST device pointers, passed by value (a kernel argument of 128 bytes).
struct PointerList {
    float* p[MAX_LIST];
};

// Up to MAX_LIST integers, passed by value (64 bytes).
struct IntList {
    int v[MAX_LIST];
};

// A dense 4-d index space and the strides of one or two operands over it (0 for a broadcast axis).
struct Strides4 {
    int size[4];
    int a[4];
    int b[4];
};

// Element i of a Strides4's dense index space as its 4-d index (axis 3 fastest), and its offset in an operand
// through that operand's strides.
struct Index4 {
    int i0, i1, i2, i3;

    __device__ __forceinline__ int offset(const int (&stride)[4]) const {
        return i0 * stride[0] + i1 * stride[1] + i2 * stride[2] + i3 * stride[3];
    }
};

__device__ __forceinline__ Index4 index4(const Strides4& s, int i) {
    Index4 x;
    x.i3 = i % s.size[3]; i /= s.size[3];
    x.i2 = i % s.size[2]; i /= s.size[2];
    x.i1 = i % s.size[1];
    x.i0 = i / s.size[1];
    return x;
}

// ---------------------------------------------------------------- dropout's counter hash
// Bit for bit dev.tempora.tensor.kernels.DropoutKernels: element i survives when
// uniform(i) >= p, the uniform number being a hash of (seed, i). Unsigned arithmetic wraps as Java's int
// and long do.

__device__ __forceinline__ unsigned int dropout_mix32(unsigned int x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

__device__ __forceinline__ unsigned long long dropout_mix64(unsigned long long z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

struct DropoutKeys {
    unsigned int k1;
    unsigned int k2;
};

__device__ __forceinline__ DropoutKeys dropout_keys(unsigned long long seed) {
    unsigned long long m = dropout_mix64(seed);
    DropoutKeys k;
    k.k1 = (unsigned int) m;
    k.k2 = (unsigned int) (m >> 32);
    return k;
}

__device__ __forceinline__ float dropout_uniform(unsigned int i, DropoutKeys k) {
    unsigned int h = dropout_mix32(dropout_mix32(i + k.k1) ^ k.k2);
    return (float) (h >> 8) * 5.9604644775390625e-8f; // 2^-24
}

// ---------------------------------------------------------------- small helpers

// σ(x) from e^(−|x|), as FloatMath.sigmoid: no overflow for large |x|, and small outputs keep their precision.
__device__ __forceinline__ float sigmoidf_(float x) {
    float z = expf(-fabsf(x));
    float r = 1.0f / (1.0f + z);
    return x >= 0.0f ? r : z * r;
}

// Backward kernels write an input's gradient, or add to it when `accumulate` is set (the input already
// received a gradient from another consumer in this backward pass).
__device__ __forceinline__ void store_gradient(float* g, size_t i, float v, int accumulate) {
    g[i] = accumulate ? g[i] + v : v;
}

// Sum over a warp, of floats or doubles; every lane gets the result.
template <typename T>
__device__ __forceinline__ T warp_sum(T v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(0xffffffffu, v, offset);
    }
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// Sum over a block of blockDim.x threads (a multiple of 32, at most 1024), of floats or doubles; every thread
// gets the result. `scratch` holds 32 values of shared memory.
template <typename T>
__device__ __forceinline__ T block_sum(T v, T* scratch) {
    int lane = threadIdx.x & 31;
    int warp = threadIdx.x >> 5;
    int warps = blockDim.x >> 5;
    v = warp_sum(v);
    __syncthreads(); // scratch may still be read by an earlier call
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    T total = 0;
    for (int w = 0; w < warps; w++) { // the same order in every thread: every thread gets the same bits
        total += scratch[w];
    }
    return total;
}

// ---------------------------------------------------------------- profiling

// Holds the stream for `cycles` clock cycles (CudaDriver's kernel profiler: see there).
KERNEL void spin_wait(long long cycles) {
    long long start = clock64();
    while (clock64() - start < cycles) {
    }
}
