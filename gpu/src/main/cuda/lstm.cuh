// One LSTM layer over a whole batch-first sequence, the recurrence fused: torch's equations and gate order
// [i, f, g, o], PyTorch Forecasting's packed-sequence semantics (sample b runs lengths[b] steps; its outputs
// after that are 0 and its final state is the one after its last step), as dev.tempora.autograd.LstmSequence.
//
// Samples are independent in the recurrence, so each block runs one sample through every step with W_hh
// in shared memory: one launch per layer and direction instead of one GEMM and one cell kernel per step.
// The input projection x·W_ihᵀ of all steps is one GEMM before (the caller's; the kernel adds both biases),
// and dX, dW_ih, dW_hh and the bias gradients are GEMMs and a reduction after the backward kernel.
//
// Layouts (H hidden, T steps): pre (B, T, 4H); out (B, T, H); the final states hn, cn (B, H); saved for the
// backward: act (B, T, 4H) the gate activations, cs (B, T + 1, H) the cell states (c0 first), hprev (B, T, H)
// the hidden state each step started from (dW_hh's right-hand side). Lengths are floats holding whole
// numbers. Threads per block: 4H rounded up to a warp; dynamic shared memory (4H·H + 6H) floats both ways.
#pragma once
#include "common.cuh"

KERNEL void lstm_forward(const float* __restrict__ pre, const float* __restrict__ biasIh,
                         const float* __restrict__ biasHh, const float* __restrict__ whh, const float* __restrict__ h0,
                         const float* __restrict__ c0, const float* __restrict__ lengths, int steps, int hidden,
                         float* __restrict__ out, float* __restrict__ hn, float* __restrict__ cn,
                         float* __restrict__ act, float* __restrict__ cs, float* __restrict__ hprev) {
    DYNAMIC_SHARED(float, shared);
    const int g4 = 4 * hidden;
    float* whhT = shared;              // (H, 4H): W_hh transposed, so that lanes read consecutive words
    float* h = whhT + g4 * hidden;     // (H)
    float* c = h + hidden;             // (H)
    float* gates = c + hidden;         // (4H)
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    for (int idx = tid; idx < g4 * hidden; idx += blockDim.x) {
        int j = idx / hidden;
        int k = idx % hidden;
        whhT[k * g4 + j] = whh[idx];
    }
    // b_ih + b_hh first, as the CPU sums the biases before adding them to the projection.
    const float bias = tid < g4 ? biasIh[tid] + biasHh[tid] : 0.0f;
    const size_t stateRow = (size_t) b * (steps + 1) * hidden;
    if (tid < hidden) {
        h[tid] = h0[(size_t) b * hidden + tid];
        c[tid] = c0[(size_t) b * hidden + tid];
        cs[stateRow + tid] = c[tid];
    }
    __syncthreads();
    const int len = lengths == nullptr ? steps : min((int) lengths[b], steps);
    for (int t = 0; t < steps; t++) {
        const size_t step = (size_t) b * steps + t;
        if (t < len) { // the same for the whole block: the barriers below are reached by all
            if (tid < g4) {
                float z = pre[step * g4 + tid] + bias;
                for (int k = 0; k < hidden; k++) {
                    z += whhT[k * g4 + tid] * h[k];
                }
                gates[tid] = z;
            }
            if (tid < hidden) {
                hprev[step * hidden + tid] = h[tid];
            }
            __syncthreads();
            if (tid < hidden) {
                float i = sigmoidf_(gates[tid]);
                float f = sigmoidf_(gates[hidden + tid]);
                float g = tanhf(gates[2 * hidden + tid]);
                float o = sigmoidf_(gates[3 * hidden + tid]);
                float cNew = f * c[tid] + i * g;
                float hNew = o * tanhf(cNew);
                float* a = act + step * g4;
                a[tid] = i;
                a[hidden + tid] = f;
                a[2 * hidden + tid] = g;
                a[3 * hidden + tid] = o;
                c[tid] = cNew;
                h[tid] = hNew;
                cs[stateRow + (size_t) (t + 1) * hidden + tid] = cNew;
                out[step * hidden + tid] = hNew;
            }
            __syncthreads();
        } else if (tid < hidden) { // finished: the state carries over, the output is 0
            hprev[step * hidden + tid] = h[tid];
            cs[stateRow + (size_t) (t + 1) * hidden + tid] = c[tid];
            out[step * hidden + tid] = 0.0f;
            float* a = act + step * g4;
            a[tid] = 0.0f;
            a[hidden + tid] = 0.0f;
            a[2 * hidden + tid] = 0.0f;
            a[3 * hidden + tid] = 0.0f;
        }
    }
    if (tid < hidden) {
        hn[(size_t) b * hidden + tid] = h[tid];
        cn[(size_t) b * hidden + tid] = c[tid];
    }
}

// From the gradients of the outputs gout (B, T, H) and of the final states ghn, gcn (B, H) (each null when
// it received none): the gate pre-activation gradients dz (B, T, 4H), zero at steps a sample does not run,
// and the initial states' gradients dh0, dc0 (B, H; null when not needed), written or added to (accumulate).
KERNEL void lstm_backward(const float* __restrict__ gout, const float* __restrict__ ghn,
                          const float* __restrict__ gcn, const float* __restrict__ whh,
                          const float* __restrict__ act, const float* __restrict__ cs,
                          const float* __restrict__ lengths, int steps, int hidden, float* __restrict__ dz,
                          float* __restrict__ dh0, int accumulateH0, float* __restrict__ dc0, int accumulateC0) {
    DYNAMIC_SHARED(float, shared);
    const int g4 = 4 * hidden;
    float* w = shared;                 // (4H, H) as stored: lane k reads w[j·H + k], consecutive words
    float* dh = w + g4 * hidden;       // (H)
    float* dc = dh + hidden;           // (H)
    float* dzStep = dc + hidden;       // (4H)
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    for (int idx = tid; idx < g4 * hidden; idx += blockDim.x) {
        w[idx] = whh[idx];
    }
    const size_t stateRow = (size_t) b * (steps + 1) * hidden;
    if (tid < hidden) {
        dh[tid] = ghn == nullptr ? 0.0f : ghn[(size_t) b * hidden + tid];
        dc[tid] = gcn == nullptr ? 0.0f : gcn[(size_t) b * hidden + tid];
    }
    __syncthreads();
    const int len = lengths == nullptr ? steps : min((int) lengths[b], steps);
    for (int t = steps - 1; t >= 0; t--) {
        const size_t step = (size_t) b * steps + t;
        if (t < len) {
            if (tid < hidden) {
                const float* a = act + step * g4;
                float i = a[tid];
                float f = a[hidden + tid];
                float g = a[2 * hidden + tid];
                float o = a[3 * hidden + tid];
                float tc = tanhf(cs[stateRow + (size_t) (t + 1) * hidden + tid]);
                float cPrev = cs[stateRow + (size_t) t * hidden + tid];
                float dhj = dh[tid] + (gout == nullptr ? 0.0f : gout[step * hidden + tid]);
                float dct = dc[tid] + dhj * o * (1.0f - tc * tc);
                float zi = dct * g * i * (1.0f - i);
                float zf = dct * cPrev * f * (1.0f - f);
                float zg = dct * i * (1.0f - g * g);
                float zo = dhj * tc * o * (1.0f - o);
                dzStep[tid] = zi;
                dzStep[hidden + tid] = zf;
                dzStep[2 * hidden + tid] = zg;
                dzStep[3 * hidden + tid] = zo;
                float* d = dz + step * g4;
                d[tid] = zi;
                d[hidden + tid] = zf;
                d[2 * hidden + tid] = zg;
                d[3 * hidden + tid] = zo;
                dc[tid] = dct * f;
            }
            __syncthreads();
            if (tid < hidden) { // dh of the previous state: dz·W_hh
                float acc = 0.0f;
                for (int j = 0; j < g4; j++) {
                    acc += dzStep[j] * w[j * hidden + tid];
                }
                dh[tid] = acc;
            }
            __syncthreads();
        } else if (tid < g4) { // not running at t: no gradient to its gates; dh and dc carry over
            dz[step * g4 + tid] = 0.0f;
        }
    }
    if (tid < hidden) {
        if (dh0 != nullptr) {
            store_gradient(dh0, (size_t) b * hidden + tid, dh[tid], accumulateH0);
        }
        if (dc0 != nullptr) {
            store_gradient(dc0, (size_t) b * hidden + tid, dc[tid], accumulateC0);
        }
    }
}
