// The optimiser step over every parameter in one launch: Adam (reference: dev.tempora.models.Adam; Java entry:
// dev.tempora.gpu.DeviceAdam), Ranger (reference: dev.tempora.models.Ranger; Java entry:
// dev.tempora.gpu.DeviceRanger) and gradient clipping by global norm (reference:
// dev.tempora.models.GradientClipping; Java entry: dev.tempora.gpu.DeviceGradientClipping).
//
// The parameters are a list of tensors cut into chunks of at most `chunkSize` elements, one block per chunk,
// described by a device table (dev.tempora.gpu.ChunkTable): per tensor its addresses and size, per chunk its
// tensor and first element. A block never needs to search for its tensor.
#pragma once
#include "common.cuh"

struct ChunkTable {
    const long long* first;  // per tensor: the parameter (Adam, Ranger) or gradient (clipping) address
    const long long* second; // per tensor: the gradient address (Adam, Ranger); unused by clipping
    const int* sizes;        // per tensor: element count
    const int* offsets;      // per tensor: first element in the concatenation of all tensors (the optimisers' state)
    const int* chunkTensor;  // per chunk: its tensor
    const int* chunkStart;   // per chunk: its first element within the tensor
};

// This block's chunk: elements [start, end) of tensor `tensor`.
struct Chunk {
    int tensor;
    int start;
    int end;
};

__device__ __forceinline__ Chunk block_chunk(const ChunkTable& table, int chunkSize) {
    Chunk c;
    c.tensor = table.chunkTensor[blockIdx.x];
    c.start = table.chunkStart[blockIdx.x];
    c.end = min(table.sizes[c.tensor], c.start + chunkSize);
    return c;
}

// Adam, as the CPU computes it element by element in float (no fused multiply-adds, so the bits agree):
// weight decay (L2 into the gradient, or decoupled: w·(1 − lr·decay)), the moments, and
// w −= stepSize·m / (√v / √(1 − β2^t) + eps) with stepSize = lr / (1 − β1^t) (both corrections from the host).
// m and v are the concatenated moments. grid = chunks, 256 threads.
KERNEL void adam_step(ChunkTable table, int chunkSize, float* __restrict__ m, float* __restrict__ v, float beta1,
                      float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps, float stepSize,
                      float sqrtCorrection2, float weightDecay, int decoupled, float decayFactor) {
    const Chunk chunk = block_chunk(table, chunkSize);
    float* w = (float*) table.first[chunk.tensor];
    const float* g = (const float*) table.second[chunk.tensor];
    const int offset = table.offsets[chunk.tensor];
    for (int i = chunk.start + (int) threadIdx.x; i < chunk.end; i += blockDim.x) {
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

// Ranger (RAdam + Lookahead), as the CPU computes it element by element in float, no fused multiply-adds: the
// moments; decoupled weight decay w −= (decay·lr)·w; then w −= lrStep·m / (√v + eps) once rectified, or
// w −= lrStep·m (plain momentum) before; on a Lookahead step the slow weight moves alpha of the way to w and w
// restarts from it, in the same pass (the element is already in registers). The host decides the step's scalars
// in double (rectified, lrStep = the RAdam step size·lr, lookahead). m, v and slow are concatenated like Adam's
// moments. grid = chunks, 256 threads.
KERNEL void ranger_step(ChunkTable table, int chunkSize, float* __restrict__ m, float* __restrict__ v,
                        float* __restrict__ slow, float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2,
                        float eps, float lrStep, int rectified, int decay, float decayStep, int lookahead,
                        float alpha) {
    const Chunk chunk = block_chunk(table, chunkSize);
    float* w = (float*) table.first[chunk.tensor];
    const float* g = (const float*) table.second[chunk.tensor];
    const int offset = table.offsets[chunk.tensor];
    for (int i = chunk.start + (int) threadIdx.x; i < chunk.end; i += blockDim.x) {
        const float grad = g[i];
        const float vi = __fadd_rn(__fmul_rn(beta2, v[offset + i]), __fmul_rn(__fmul_rn(oneMinusBeta2, grad), grad));
        const float mi = __fadd_rn(__fmul_rn(beta1, m[offset + i]), __fmul_rn(oneMinusBeta1, grad));
        v[offset + i] = vi;
        m[offset + i] = mi;
        float p = w[i];
        if (decay) {
            p = __fsub_rn(p, __fmul_rn(decayStep, p));
        }
        const float update = rectified ? __fdiv_rn(__fmul_rn(lrStep, mi), __fadd_rn(__fsqrt_rn(vi), eps))
                                       : __fmul_rn(lrStep, mi);
        p = __fsub_rn(p, update);
        if (lookahead) {
            const float s = slow[offset + i];
            p = __fadd_rn(s, __fmul_rn(alpha, __fsub_rn(p, s)));
            slow[offset + i] = p;
        }
        w[i] = p;
    }
}

// partial[chunk] = Σ g² over the chunk, in double. grid = chunks, 256 threads.
KERNEL void clip_sum_squares(ChunkTable table, int chunkSize, double* __restrict__ partial) {
    __shared__ double scratch[32];
    const Chunk chunk = block_chunk(table, chunkSize);
    const float* g = (const float*) table.first[chunk.tensor];
    double acc = 0.0;
    for (int i = chunk.start + (int) threadIdx.x; i < chunk.end; i += blockDim.x) {
        const double x = g[i];
        acc += x * x;
    }
    const double total = block_sum(acc, scratch);
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
    const double norm = sqrt(block_sum(acc, scratch));
    if (normOut != nullptr && blockIdx.x == 0 && threadIdx.x == 0) {
        *normOut = (float) norm;
    }
    const double coefficient = (double) maxNorm / (norm + 1e-6);
    if (coefficient < 1.0 && isfinite(norm)) {
        const float scale = (float) coefficient;
        const Chunk chunk = block_chunk(table, chunkSize);
        float* g = (float*) table.first[chunk.tensor];
        for (int i = chunk.start + (int) threadIdx.x; i < chunk.end; i += blockDim.x) {
            g[i] = __fmul_rn(g[i], scale);
        }
    }
}
