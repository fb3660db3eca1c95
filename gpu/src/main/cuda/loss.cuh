// PyTorch Forecasting's quantile loss (reference: dev.tempora.models.QuantileLoss; Java entry:
// dev.tempora.gpu.DeviceQuantileLoss): for quantile q and error e = y − ŷ_q the loss is 2·max((q − 1)·e, q·e),
// averaged over the quantiles and over the valid decoder steps (t < decoderLength[b]) of the batch.
//
// Layouts: prediction (B, Td, Q), target (B, Td), lengths (B) floats holding small integers. The forward is two
// launches with a fixed summation order: per-block partial sums in double, then one block adds them in order.
#pragma once
#include "common.cuh"

#define MAX_QUANTILES 16
#define QUANTILE_ROWS_PER_BLOCK 256 // (b, t) rows per block of quantile_loss_partial

struct Quantiles {
    float q[MAX_QUANTILES];
};

__device__ __forceinline__ int quantile_valid_steps(const float* __restrict__ lengths, int b, int steps) {
    return min((int) lengths[b], steps);
}

// The denominator's step count: the batch's valid steps, or validSteps when positive (a shard of a batch
// averages over the whole batch's count). Every thread of the block gets it.
__device__ __forceinline__ double quantile_denominator(const float* __restrict__ lengths, int batch, int steps,
                                                       long long validSteps, double* scratch) {
    double count = 0.0; // exact: sums of integers far below 2^53
    for (int b = threadIdx.x; b < batch; b += blockDim.x) {
        count += quantile_valid_steps(lengths, b, steps);
    }
    count = block_sum(count, scratch);
    return validSteps > 0 ? (double) validSteps : count;
}

// qs.q[k], read with constant indices: a dynamically indexed parameter struct would be copied to local memory.
__device__ __forceinline__ float quantile_at(const Quantiles& qs, int k) {
    float q = 0.0f;
#pragma unroll
    for (int j = 0; j < MAX_QUANTILES; j++) {
        q = j == k ? qs.q[j] : q;
    }
    return q;
}

// 1 / (Q·steps) in float, as the CPU computes it.
__device__ __forceinline__ float quantile_norm(int nq, double denominator) {
    return 1.0f / ((float) nq * (float) denominator);
}

// partial[block] = Σ 2·max((q − 1)e, qe) over the block's QUANTILE_ROWS_PER_BLOCK rows, valid steps only, in
// double. grid ceil(B·Td / QUANTILE_ROWS_PER_BLOCK), 256 threads.
KERNEL void quantile_loss_partial(const float* __restrict__ prediction, const float* __restrict__ target,
                                  const float* __restrict__ lengths, int batch, int steps, int nq, Quantiles qs,
                                  double* __restrict__ partial) {
    __shared__ double scratch[32];
    const int rows = batch * steps;
    const int rowBegin = blockIdx.x * QUANTILE_ROWS_PER_BLOCK;
    const int end = min(rows, rowBegin + QUANTILE_ROWS_PER_BLOCK) * nq;
    double acc = 0.0;
    for (int i = rowBegin * nq + threadIdx.x; i < end; i += blockDim.x) {
        const int row = i / nq;
        const int k = i % nq;
        const int b = row / steps;
        const int t = row % steps;
        if (t < quantile_valid_steps(lengths, b, steps)) {
            const float e = target[row] - prediction[i];
            const float q = quantile_at(qs, k);
            acc += 2.0f * fmaxf((q - 1.0f) * e, q * e);
        }
    }
    const double total = block_sum(acc, scratch);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

// loss[0] = Σ partial · 1/(Q·steps), the partials added in a fixed order. One block of 256 threads. With no
// valid step the loss is NaN (0·∞), where the CPU throws.
KERNEL void quantile_loss_total(const double* __restrict__ partial, int partials, const float* __restrict__ lengths,
                                int batch, int steps, int nq, long long validSteps, float* __restrict__ loss) {
    __shared__ double scratch[32];
    double acc = 0.0;
    for (int i = threadIdx.x; i < partials; i += blockDim.x) {
        acc += partial[i];
    }
    const double total = block_sum(acc, scratch);
    const double denominator = quantile_denominator(lengths, batch, steps, validSteps, scratch);
    if (threadIdx.x == 0) {
        loss[0] = (float) (total * (double) quantile_norm(nq, denominator));
    }
}

// gradPrediction = −d/dŷ of 2·max((q − 1)e, qe) times gradLoss[0]/(Q·steps); 0 at padded steps. At a tie
// (e = 0) the gradient is split as torch splits it. One thread per element, 256 a block; each block counts the
// valid steps itself (B reads), so there is no second launch.
KERNEL void quantile_loss_backward(const float* __restrict__ prediction, const float* __restrict__ target,
                                   const float* __restrict__ lengths, int batch, int steps, int nq, Quantiles qs,
                                   long long validSteps, const float* __restrict__ gradLoss,
                                   float* __restrict__ gradPrediction) {
    __shared__ double scratch[32];
    const double denominator = quantile_denominator(lengths, batch, steps, validSteps, scratch);
    const float scale = gradLoss[0] * quantile_norm(nq, denominator);
    const int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < batch * steps * nq) {
        const int row = i / nq;
        const int k = i % nq;
        float grad = 0.0f;
        if (row % steps < quantile_valid_steps(lengths, row / steps, steps)) {
            const float e = target[row] - prediction[i];
            const float q = quantile_at(qs, k);
            const float de = e > 0.0f ? 2.0f * q : e < 0.0f ? 2.0f * (q - 1.0f) : 2.0f * q - 1.0f;
            grad = -de * scale;
        }
        gradPrediction[i] = grad;
    }
}
