// The optimiser step over every parameter in one launch: Adam (reference: dev.tempora.models.Adam; Java entry:
// dev.tempora.gpu.DeviceAdam) and gradient clipping by global norm (reference:
// dev.tempora.models.GradientClipping; Java entry: dev.tempora.gpu.DeviceGradientClipping).
//
// The parameters are a list of tensors cut into chunks of at most `chunkSize` elements, one block per chunk,
// described by a device table (dev.tempora.gpu.ChunkTable): per tensor its addresses and size, per chunk its
// tensor and first element. A block never needs to search for its tensor.
#pragma once
#include "common.cuh"

struct ChunkTable {
    const long long* first;  // per tensor: the parameter (Adam) or gradient (clipping) address
    const long long* second; // per tensor: the gradient address (Adam); unused by clipping
    const int* sizes;        // per tensor: element count
    const int* offsets;      // per tensor: first element in the concatenation of all tensors (Adam's moments)
    const int* chunkTensor;  // per chunk: its tensor
    const int* chunkStart;   // per chunk: its first element within the tensor
};

// Adam, as the CPU computes it element by element in float (no fused multiply-adds, so the bits agree):
// weight decay (L2 into the gradient, or decoupled: w·(1 − lr·decay)), the moments, and
// w −= stepSize·m / (√v / √(1 − β2^t) + eps) with stepSize = lr / (1 − β1^t) (both corrections from the host).
// m and v are the concatenated moments. grid = chunks, 256 threads.
KERNEL void adam_step(ChunkTable table, int chunkSize, float* __restrict__ m, float* __restrict__ v, float beta1,
                      float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float stepSize,
                      float sqrtCorrection2, float weightDecay, int decoupled, float decayFactor) {
    const int tensor = table.chunkTensor[blockIdx.x];
    const int start = table.chunkStart[blockIdx.x];
    const int end = min(table.sizes[tensor], start + chunkSize);
    float* w = (float*) table.first[tensor];
    const float* g = (const float*) table.second[tensor];
    const int offset = table.offsets[tensor];
    for (int i = start + (int) threadIdx.x; i < end; i += blockDim.x) {
        float grad = g[i];
        float wi = w[i];
        if (weightDecay != 0.0f) {
            if (decoupled) {
                wi = __fmul_rn(wi, decayFactor);
            } else {
                grad = __fadd_rn(grad, __fmul_rn(weightDecay, wi));
            }
        }
        const float mi = __fadd_rn(__fmul_rn(beta1, m[offset + i]), __fmul_rn(oneMinusBeta1, grad));
        const float vi = __fadd_rn(__fmul_rn(beta2, v[offset + i]), __fmul_rn(__fmul_rn(oneMinusBeta2, grad), grad));
        m[offset + i] = mi;
        v[offset + i] = vi;
        const float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(vi), sqrtCorrection2), eps);
        w[i] = __fsub_rn(wi, __fdiv_rn(__fmul_rn(stepSize, mi), denom));
    }
}

// partial[chunk] = Σ g² over the chunk, in double. grid = chunks, 256 threads.
KERNEL void clip_sum_squares(ChunkTable table, int chunkSize, double* __restrict__ partial) {
    __shared__ double scratch[32];
    const int tensor = table.chunkTensor[blockIdx.x];
    const int start = table.chunkStart[blockIdx.x];
    const int end = min(table.sizes[tensor], start + chunkSize);
    const float* g = (const float*) table.first[tensor];
    double acc = 0.0;
    for (int i = start + (int) threadIdx.x; i < end; i += blockDim.x) {
        const double x = g[i];
        acc += x * x;
    }
    const double total = block_sum_double(acc, scratch);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// torch's clip_grad_norm_: every block adds all the partials in the same order, so all agree on
// norm = √Σ, and scales its chunk by maxNorm / (norm + 1e-6) when that is below 1 and the norm is finite.
// Block 0 writes the norm before clipping to normOut, when not null. grid = chunks, 256 threads.
KERNEL void clip_scale(ChunkTable table, int chunkSize, const double* __restrict__ partial, int chunks,
                       float maxNorm, float* __restrict__ normOut) {
    __shared__ double scratch[32];
    double acc = 0.0;
    for (int c = threadIdx.x; c < chunks; c += blockDim.x) {
        acc += partial[c];
    }
    const double norm = sqrt(block_sum_double(acc, scratch));
    if (normOut != nullptr && blockIdx.x == 0 && threadIdx.x == 0) {
        *normOut = (float) norm;
    }
    const double coefficient = (double) maxNorm / (norm + 1e-6);
    if (coefficient < 1.0 && isfinite(norm)) {
        const float scale = (float) coefficient;
        const int tensor = table.chunkTensor[blockIdx.x];
        const int start = table.chunkStart[blockIdx.x];
        const int end = min(table.sizes[tensor], start + chunkSize);
        float* g = (float*) table.first[tensor];
        for (int i = start + (int) threadIdx.x; i < end; i += blockDim.x) {
            g[i] = __fmul_rn(g[i], scale);
        }
    }
}
