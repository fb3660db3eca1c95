// Element-wise kernels: unary functions and their gradients, broadcasting binary ops, dropout, the
// ResampleNorm gate, per-sample affine maps, embedding lookups, strided copies and concatenation.
// One thread per output element; grids are 1-d over the element count (the Java side picks the size).
#pragma once
#include "common.cuh"

// Unary ops; the codes are dev.tempora.gpu.autograd.DeviceUnary's. p, q: ELU's alpha; softplus's
// beta and threshold; clamp's min and max.
#define UNARY_ELU 0
#define UNARY_SIGMOID 1
#define UNARY_TANH 2
#define UNARY_EXP 3
#define UNARY_RELU 4
#define UNARY_SOFTPLUS 5
#define UNARY_SQUARE 6
#define UNARY_CLAMP 7

__device__ __forceinline__ float unary_apply(int op, float x, float p, float q) {
    switch (op) {
        case UNARY_ELU: return x > 0.0f ? x : p * expm1f(x);
        case UNARY_SIGMOID: return sigmoidf_(x);
        case UNARY_TANH: return tanhf(x);
        case UNARY_EXP: return expf(x);
        case UNARY_RELU: return x <= 0.0f ? 0.0f : x; // NaN passes through, as Math.max(x, 0)
        case UNARY_SOFTPLUS: return x * p > q ? x : log1pf(expf(p * x)) / p;
        case UNARY_SQUARE: return x * x;
        default: return x != x ? x : fminf(fmaxf(x, p), q); // NaN passes, as Math.min(Math.max(x, p), q)
    }
}

// The derivative given the input x and the output y (whichever is cheaper), as UnaryOp.derivative.
__device__ __forceinline__ float unary_derivative(int op, float x, float y, float p, float q) {
    switch (op) {
        case UNARY_ELU: return x > 0.0f ? 1.0f : y + p;
        case UNARY_SIGMOID: return y * (1.0f - y);
        case UNARY_TANH: return 1.0f - y * y;
        case UNARY_EXP: return y;
        case UNARY_RELU: return x <= 0.0f ? 0.0f : 1.0f;
        case UNARY_SOFTPLUS: return x * p > q ? 1.0f : sigmoidf_(p * x);
        case UNARY_SQUARE: return 2.0f * x;
        default: return x >= p && x <= q ? 1.0f : 0.0f;
    }
}

KERNEL void unary_forward(int op, float p, float q, const float* __restrict__ x, float* __restrict__ y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        y[i] = unary_apply(op, x[i], p, q);
    }
}

KERNEL void unary_backward(int op, float p, float q, const float* __restrict__ g, const float* __restrict__ x,
                           const float* __restrict__ y, float* __restrict__ gx, int n, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        store_gradient(gx, i, g[i] * unary_derivative(op, x[i], y[i], p, q), accumulate);
    }
}

// out = a op b over a 4-d index space; operands address it through their own strides (0 where broadcast).
#define BINARY_ADD 0
#define BINARY_SUB 1
#define BINARY_MUL 2
#define BINARY_DIV 3

KERNEL void binary_broadcast(int op, const float* __restrict__ a, const float* __restrict__ b,
                             float* __restrict__ out, Strides4 s, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    const Index4 at = index4(s, i);
    float x = a[at.offset(s.a)];
    float y = b[at.offset(s.b)];
    float v;
    switch (op) {
        case BINARY_ADD: v = x + y; break;
        case BINARY_SUB: v = x - y; break;
        case BINARY_MUL: v = x * y; break;
        default: v = x / y; break;
    }
    out[i] = v;
}

// y = x * alpha, or y += x * alpha when accumulating (a gradient passed on, scaled or not).
KERNEL void scale(const float* __restrict__ x, float alpha, float* __restrict__ y, int n, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        store_gradient(y, i, x[i] * alpha, accumulate);
    }
}

// Inverted dropout with DropoutKernels' counter hash; the seed is read from device memory (seeds[seedIndex])
// so that a captured CUDA graph replays with each step's own seeds. The backward is this kernel on the
// gradient (accumulate set when the input's gradient already holds another consumer's part).
KERNEL void dropout(const float* __restrict__ x, float* __restrict__ y, int n, float p,
                    const unsigned long long* __restrict__ seeds, int seedIndex, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    DropoutKeys keys = dropout_keys(seeds[seedIndex]);
    float keep = 1.0f / (1.0f - p);
    store_gradient(y, i, dropout_uniform((unsigned int) i, keys) >= p ? x[i] * keep : 0.0f, accumulate);
}

// Dropout over a group's stacked activations: member i / memberSize draws its mask with the seed
// seeds[slots[member]] and the counter i % memberSize, exactly as `dropout` on that member alone.
KERNEL void dropout_members(const float* __restrict__ x, float* __restrict__ y, int n, int memberSize, float p,
                            const unsigned long long* __restrict__ seeds, IntList slots, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    DropoutKeys keys = dropout_keys(seeds[slots.v[i / memberSize]]);
    float keep = 1.0f / (1.0f - p);
    store_gradient(y, i, dropout_uniform((unsigned int) (i % memberSize), keys) >= p ? x[i] * keep : 0.0f,
                   accumulate);
}

// ResampleNorm's trainable gate: y[r, j] = x[r, j] * 2σ(mask[m, j]) for row r of member m = r / rowsPerMember
// (a group's stacked activations with their stacked masks; rowsPerMember = rows for one layer).
__device__ __forceinline__ float mask_gate_of(const float* __restrict__ mask, int i, int len, int rowsPerMember) {
    return sigmoidf_(mask[i / (rowsPerMember * len) * len + i % len]) * 2.0f;
}

KERNEL void mask_gate_forward(const float* __restrict__ x, const float* __restrict__ mask, float* __restrict__ y,
                              int rows, int len, int rowsPerMember) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * len) {
        y[i] = x[i] * mask_gate_of(mask, i, len, rowsPerMember);
    }
}

KERNEL void mask_gate_backward_input(const float* __restrict__ g, const float* __restrict__ mask,
                                     float* __restrict__ gx, int rows, int len, int accumulate, int rowsPerMember) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * len) {
        float gate = mask_gate_of(mask, i, len, rowsPerMember);
        store_gradient(gx, i, g[i] * gate, accumulate);
    }
}

// gmask[j] = Σ_r g·x (already summed into sums) · 2σ'(mask[j]).
KERNEL void mask_gate_backward_mask(const float* __restrict__ sums, const float* __restrict__ mask,
                                    float* __restrict__ gmask, int len, int accumulate) {
    int j = blockIdx.x * blockDim.x + threadIdx.x;
    if (j < len) {
        float s = sigmoidf_(mask[j]);
        store_gradient(gmask, j, sums[j] * 2.0f * (s * (1.0f - s)), accumulate);
    }
}

// The TFT's de-normalisation: y = x·scale_b + center_b for sample b, with (center, scale) pairs in
// targetScale (B, 2) and `per` elements per sample. Two roundings, as the CPU's mul then add.
KERNEL void sample_affine_forward(const float* __restrict__ x, const float* __restrict__ targetScale,
                                  float* __restrict__ y, int samples, int per) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < samples * per) {
        int b = i / per;
        y[i] = __fadd_rn(__fmul_rn(x[i], targetScale[2 * b + 1]), targetScale[2 * b]);
    }
}

KERNEL void sample_affine_backward(const float* __restrict__ g, const float* __restrict__ targetScale,
                                   float* __restrict__ gx, int samples, int per, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < samples * per) {
        store_gradient(gx, i, g[i] * targetScale[2 * (i / per) + 1], accumulate);
    }
}

// Embedding lookup: row r = (b, t) of the output is table row ids[b·sampleStride + t·stepStride]
// (class ids are exact floats, read straight from the batch's categorical tensor).
KERNEL void embedding_forward(const float* __restrict__ table, const float* __restrict__ ids, int sampleStride,
                              int stepStride, int steps, int rows, int dim, float* __restrict__ out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * dim) {
        int r = i / dim;
        int id = (int) ids[(r / steps) * sampleStride + (r % steps) * stepStride];
        out[i] = table[id * dim + (i % dim)];
    }
}

// gtable (zeroed by the caller) += the rows' gradients, scattered by id.
KERNEL void embedding_backward(const float* __restrict__ g, const float* __restrict__ ids, int sampleStride,
                               int stepStride, int steps, int rows, int dim, float* __restrict__ gtable) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * dim) {
        int r = i / dim;
        int id = (int) ids[(r / steps) * sampleStride + (r % steps) * stepStride];
        atomicAdd(&gtable[id * dim + (i % dim)], g[i]);
    }
}

// dst (contiguous, s.size) = src read through strides s.a: narrow, select, column extraction, permutes.
KERNEL void strided_copy(const float* __restrict__ src, float* __restrict__ dst, Strides4 s, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    dst[i] = src[index4(s, i).offset(s.a)];
}

// dst, addressed through strides s.a (no two elements alias), += src (contiguous): the gradient of a
// narrow or select flowing back into its input's region.
KERNEL void strided_accumulate(const float* __restrict__ src, float* __restrict__ dst, Strides4 s, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= n) {
        return;
    }
    dst[index4(s, i).offset(s.a)] += src[i];
}

// Column c of a concatenation of inputs `widths` wide: input k's column c.
struct ConcatColumn {
    int k;
    int c;
};

__device__ __forceinline__ ConcatColumn concat_column(const IntList& widths, int c) {
    ConcatColumn at;
    at.k = 0;
    while (c >= widths.v[at.k]) {
        c -= widths.v[at.k];
        at.k++;
    }
    at.c = c;
    return at;
}

// Concatenation of inputs along an axis, seen as (outer, width_i) blocks: dst row o is the inputs'
// rows o side by side, `total` = Σ width_i wide.
KERNEL void concat_forward(PointerList src, IntList widths, int outer, int total,
                           float* __restrict__ dst) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= outer * total) {
        return;
    }
    const int o = i / total;
    const ConcatColumn at = concat_column(widths, i % total);
    dst[i] = src.p[at.k][o * widths.v[at.k] + at.c];
}

// The split back: each input's gradient (a null pointer where none is needed) from the concatenation's,
// added to what it holds where accumulate.v[k] is set.
KERNEL void concat_backward(const float* __restrict__ g, PointerList dst, IntList widths, IntList accumulate, int outer,
                            int total) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= outer * total) {
        return;
    }
    const int o = i / total;
    const ConcatColumn at = concat_column(widths, i % total);
    if (dst.p[at.k] != nullptr) {
        store_gradient(dst.p[at.k], (size_t) o * widths.v[at.k] + at.c, g[i], accumulate.v[at.k]);
    }
}
