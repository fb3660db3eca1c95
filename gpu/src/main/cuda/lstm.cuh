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
// numbers. Threads per block: 4H rounded up to a warp; dynamic shared memory (4H·H + 6H) floats both ways
// with sharedWeights, 6H floats without (W_hh read from global memory: a hidden size whose W_hh does not fit).
// These are the general kernels; LstmOps runs the ones below (W_hh in registers) up to hidden 96.
#pragma once
#include "common.cuh"

KERNEL void lstm_forward(const float* __restrict__ pre, const float* __restrict__ biasIh,
                         const float* __restrict__ biasHh, const float* __restrict__ whh, const float* __restrict__ h0,
                         const float* __restrict__ c0, const float* __restrict__ lengths, int steps, int hidden,
                         float* __restrict__ out, float* __restrict__ hn, float* __restrict__ cn,
                         float* __restrict__ act, float* __restrict__ cs, float* __restrict__ hprev,
                         int sharedWeights) {
    DYNAMIC_SHARED(float, shared);
    const int g4 = 4 * hidden;
    // W_hh transposed (H, 4H) in shared memory, so that lanes read consecutive words; or, where it does not
    // fit (sharedWeights 0), read where it is, (4H, H), through the cache.
    float* whhT = shared;
    float* h = whhT + (sharedWeights ? g4 * hidden : 0); // (H)
    float* c = h + hidden;             // (H)
    float* gates = c + hidden;         // (4H)
    const float* wt = sharedWeights ? whhT : whh;
    const int strideK = sharedWeights ? g4 : 1;
    const int strideJ = sharedWeights ? 1 : hidden;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    for (int idx = tid; sharedWeights && idx < g4 * hidden; idx += blockDim.x) {
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
                    z += wt[k * strideK + tid * strideJ] * h[k];
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
                          float* __restrict__ dh0, int accumulateH0, float* __restrict__ dc0, int accumulateC0,
                          int sharedWeights) {
    DYNAMIC_SHARED(float, shared);
    const int g4 = 4 * hidden;
    // (4H, H) as stored: lane k reads w[j·H + k], consecutive words; in shared memory, or where it is
    // (sharedWeights 0) where it does not fit.
    float* ws = shared;
    float* dh = ws + (sharedWeights ? g4 * hidden : 0); // (H)
    float* dc = dh + hidden;           // (H)
    float* dzStep = dc + hidden;       // (4H)
    const float* w = sharedWeights ? ws : whh;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    for (int idx = tid; sharedWeights && idx < g4 * hidden; idx += blockDim.x) {
        ws[idx] = whh[idx];
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

// ---------------------------------------------------------------- W_hh in registers (hidden <= HMAX)
// The same recurrences with the recurrent weights held in registers for the whole sequence and one
// __syncthreads per step. Thread 4k + q (q = 0..3: gates i, f, g, o) owns gate row r = q·H + k: in the
// forward its H weights W_hh[r, :] (its dot product with h), in the backward the column slice W_hh[q·H.., k]
// (the gate block q's share of dh[k]). The four gates of unit k sit in four consecutive lanes of one warp, so
// they meet through shuffles, not shared memory; the only exchange across warps is the state vector (h
// forward, dz backward), double-buffered in shared memory so that one barrier per step suffices (a step
// writes buffer (s + 1) & 1 and reads buffer s & 1; a thread cannot write a buffer before every thread has
// passed the barrier after which it was last read). Each step's global inputs are loaded LSTM_PREFETCH
// steps ahead into a register ring (the step loop is unrolled by the ring's depth, so its slots are named
// registers); the global writes are the outputs only.
//
// Forward: bit for bit lstm_forward (the same sums in the same order; the activations move from the cell
// thread to the gate's own thread). Backward: dh = dz·W_hh summed per gate block in order, then the four
// block sums as (p_i + p_f) + (p_g + p_o) (lstm_backward sums all 4H terms in one chain: equal up to
// rounding; deterministic). Threads per block: 4H rounded up to a warp; no dynamic shared memory.
#define LSTM_PREFETCH 4

template <int HMAX>
__device__ __forceinline__ void lstm_forward_regs(const float* __restrict__ pre, const float* __restrict__ biasIh,
        const float* __restrict__ biasHh, const float* __restrict__ whh, const float* __restrict__ h0,
        const float* __restrict__ c0, const float* __restrict__ lengths, int steps, int hidden,
        float* __restrict__ out, float* __restrict__ hn, float* __restrict__ cn, float* __restrict__ act,
        float* __restrict__ cs, float* __restrict__ hprev) {
    __align__(16) __shared__ float hbuf[2][HMAX]; // h of the step, double-buffered; zero past hidden
    const int g4 = 4 * hidden;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    const int k = tid >> 2;
    const int q = tid & 3;
    const bool active = tid < g4;
    const bool cell = active && q == 0;
    const int row = q * hidden + k;
    float w[HMAX];
#pragma unroll
    for (int m = 0; m < HMAX; m++) {
        w[m] = active && m < hidden ? whh[(size_t) row * hidden + m] : 0.0f;
    }
    const float bias = active ? biasIh[row] + biasHh[row] : 0.0f;
    for (int i = tid; i < 2 * HMAX; i += blockDim.x) {
        (&hbuf[0][0])[i] = 0.0f;
    }
    __syncthreads();
    const size_t stateRow = (size_t) b * (steps + 1) * hidden;
    float c = 0.0f;
    float h = 0.0f;
    if (cell) {
        h = h0[(size_t) b * hidden + k];
        c = c0[(size_t) b * hidden + k];
        hbuf[0][k] = h;
        cs[stateRow + k] = c;
    }
    const int len = lengths == nullptr ? steps : min((int) lengths[b], steps);
    const float* preRow = pre + (size_t) b * steps * g4 + row;
    float ring[LSTM_PREFETCH];
#pragma unroll
    for (int u = 0; u < LSTM_PREFETCH; u++) {
        ring[u] = active && u < len ? preRow[(size_t) u * g4] : 0.0f;
    }
    __syncthreads();
    const int used = (hidden + 3) & ~3; // the weights and h past hidden are zero: whole float4s
    for (int t0 = 0; t0 < len; t0 += LSTM_PREFETCH) {
#pragma unroll
        for (int u = 0; u < LSTM_PREFETCH; u++) {
            const int t = t0 + u;
            if (t < len) { // the same for the whole block: the barrier below is reached by all
                float z = ring[u] + bias;
                if (active && t + LSTM_PREFETCH < len) {
                    ring[u] = preRow[(size_t) (t + LSTM_PREFETCH) * g4];
                }
                const float4* h4 = as_float4(hbuf[t & 1]);
#pragma unroll
                for (int m4 = 0; m4 < HMAX / 4; m4++) {
                    if (4 * m4 >= used) {
                        break;
                    }
                    float4 hv = h4[m4];
                    z += w[4 * m4] * hv.x;
                    z += w[4 * m4 + 1] * hv.y;
                    z += w[4 * m4 + 2] * hv.z;
                    z += w[4 * m4 + 3] * hv.w;
                }
                const float a = q == 2 ? tanhf(z) : sigmoidf_(z);
                const size_t step = (size_t) b * steps + t;
                if (active) {
                    act[step * g4 + row] = a;
                }
                const float f = __shfl_down_sync(0xffffffffu, a, 1);
                const float g = __shfl_down_sync(0xffffffffu, a, 2);
                const float o = __shfl_down_sync(0xffffffffu, a, 3);
                if (cell) {
                    float cNew = f * c + a * g;
                    float hNew = o * tanhf(cNew);
                    hbuf[(t + 1) & 1][k] = hNew;
                    hprev[step * hidden + k] = h;
                    cs[stateRow + (size_t) (t + 1) * hidden + k] = cNew;
                    out[step * hidden + k] = hNew;
                    c = cNew;
                    h = hNew;
                }
                __syncthreads();
            }
        }
    }
    for (int t = max(len, 0); t < steps; t++) { // finished: the state carries over, the output is 0
        const size_t step = (size_t) b * steps + t;
        if (active) {
            act[step * g4 + row] = 0.0f;
        }
        if (cell) {
            hprev[step * hidden + k] = h;
            cs[stateRow + (size_t) (t + 1) * hidden + k] = c;
            out[step * hidden + k] = 0.0f;
        }
    }
    if (cell) {
        hn[(size_t) b * hidden + k] = h;
        cn[(size_t) b * hidden + k] = c;
    }
}

template <int HMAX>
__device__ __forceinline__ void lstm_backward_regs(const float* __restrict__ gout, const float* __restrict__ ghn,
        const float* __restrict__ gcn, const float* __restrict__ whh, const float* __restrict__ act,
        const float* __restrict__ cs, const float* __restrict__ lengths, int steps, int hidden,
        float* __restrict__ dz, float* __restrict__ dh0, int accumulateH0, float* __restrict__ dc0,
        int accumulateC0) {
    // dz of the step by gate block, blocks `stride` floats apart, stride ≡ 8 (mod 32) words (at least
    // hidden): the four lanes of a unit read four blocks at once from distinct banks. Zero past hidden.
    constexpr int MAXSTRIDE = (HMAX + 23) / 32 * 32 + 8;
    __align__(16) __shared__ float dzbuf[2][4 * MAXSTRIDE];
    const int stride = hidden <= 8 ? 8 : (hidden + 23) / 32 * 32 + 8;
    const int g4 = 4 * hidden;
    const int b = blockIdx.x;
    const int tid = threadIdx.x;
    const int k = tid >> 2;
    const int q = tid & 3;
    const bool active = tid < g4;
    float w[HMAX]; // W_hh[q·H + m, k]
#pragma unroll
    for (int m = 0; m < HMAX; m++) {
        w[m] = active && m < hidden ? whh[(size_t) (q * hidden + m) * hidden + k] : 0.0f;
    }
    for (int i = tid; i < 2 * 4 * MAXSTRIDE; i += blockDim.x) {
        (&dzbuf[0][0])[i] = 0.0f;
    }
    const size_t stateRow = (size_t) b * (steps + 1) * hidden;
    // Every lane of unit k keeps dh[k] and dc[k] (the same operations on the same values: equal bits).
    float dh = 0.0f;
    float dc = 0.0f;
    if (active) {
        dh = ghn == nullptr ? 0.0f : ghn[(size_t) b * hidden + k];
        dc = gcn == nullptr ? 0.0f : gcn[(size_t) b * hidden + k];
    }
    const int len = lengths == nullptr ? steps : min((int) lengths[b], steps);
    for (int t = steps - 1; t >= max(len, 0); t--) { // not running at t: no gradient to its gates
        if (active) {
            dz[((size_t) b * steps + t) * g4 + tid] = 0.0f;
        }
    }
    // The step's inputs, LSTM_PREFETCH steps ahead: the four gates' activations, c_{t-1} and the output's
    // gradient. c_t is the previous (later) step's c_{t-1}.
    float ri[LSTM_PREFETCH], rf[LSTM_PREFETCH], rg[LSTM_PREFETCH], ro[LSTM_PREFETCH], rc[LSTM_PREFETCH],
            rd[LSTM_PREFETCH];
    const float* actRow = act + (size_t) b * steps * g4 + k;
    const float* csRow = cs + stateRow + k;
    const float* goutRow = gout == nullptr ? nullptr : gout + (size_t) b * steps * hidden + k;
#pragma unroll
    for (int u = 0; u < LSTM_PREFETCH; u++) {
        const int t = len - 1 - u;
        const bool load = active && t >= 0;
        ri[u] = load ? actRow[(size_t) t * g4] : 0.0f;
        rf[u] = load ? actRow[(size_t) t * g4 + hidden] : 0.0f;
        rg[u] = load ? actRow[(size_t) t * g4 + 2 * hidden] : 0.0f;
        ro[u] = load ? actRow[(size_t) t * g4 + 3 * hidden] : 0.0f;
        rc[u] = load ? csRow[(size_t) t * hidden] : 0.0f;
        rd[u] = load && goutRow != nullptr ? goutRow[(size_t) t * hidden] : 0.0f;
    }
    float cNext = active && len > 0 ? csRow[(size_t) len * hidden] : 0.0f;
    __syncthreads();
    const int used = (hidden + 3) & ~3;
    for (int s0 = 0; s0 < len; s0 += LSTM_PREFETCH) {
#pragma unroll
        for (int u = 0; u < LSTM_PREFETCH; u++) {
            const int s = s0 + u;
            if (s < len) { // the same for the whole block
                const int t = len - 1 - s;
                const float i = ri[u], f = rf[u], g = rg[u], o = ro[u], cPrev = rc[u];
                const float dhj = dh + rd[u];
                if (active && t - LSTM_PREFETCH >= 0) {
                    const int tn = t - LSTM_PREFETCH;
                    ri[u] = actRow[(size_t) tn * g4];
                    rf[u] = actRow[(size_t) tn * g4 + hidden];
                    rg[u] = actRow[(size_t) tn * g4 + 2 * hidden];
                    ro[u] = actRow[(size_t) tn * g4 + 3 * hidden];
                    rc[u] = csRow[(size_t) tn * hidden];
                    rd[u] = goutRow != nullptr ? goutRow[(size_t) tn * hidden] : 0.0f;
                }
                const float tc = tanhf(cNext);
                const float dct = dc + dhj * o * (1.0f - tc * tc);
                float zq;
                if (q == 0) {
                    zq = dct * g * i * (1.0f - i);
                } else if (q == 1) {
                    zq = dct * cPrev * f * (1.0f - f);
                } else if (q == 2) {
                    zq = dct * i * (1.0f - g * g);
                } else {
                    zq = dhj * tc * o * (1.0f - o);
                }
                dc = dct * f;
                cNext = cPrev;
                float* buf = dzbuf[s & 1];
                if (active) {
                    dz[((size_t) b * steps + t) * g4 + q * hidden + k] = zq;
                    buf[q * stride + k] = zq;
                }
                __syncthreads();
                // dh of the previous state: this gate block's share of dz·W_hh, then the four shares.
                const float4* z4 = as_float4(buf + q * stride);
                float p = 0.0f;
#pragma unroll
                for (int m4 = 0; m4 < HMAX / 4; m4++) {
                    if (4 * m4 >= used) {
                        break;
                    }
                    float4 zv = z4[m4];
                    p += zv.x * w[4 * m4];
                    p += zv.y * w[4 * m4 + 1];
                    p += zv.z * w[4 * m4 + 2];
                    p += zv.w * w[4 * m4 + 3];
                }
                p += __shfl_xor_sync(0xffffffffu, p, 1); // p_i + p_f, p_g + p_o (commutative: equal bits)
                p += __shfl_xor_sync(0xffffffffu, p, 2);
                dh = p;
            }
        }
    }
    if (active && q == 0) {
        if (dh0 != nullptr) {
            store_gradient(dh0, (size_t) b * hidden + k, dh, accumulateH0);
        }
        if (dc0 != nullptr) {
            store_gradient(dc0, (size_t) b * hidden + k, dc, accumulateC0);
        }
    }
}

// The entries, one pair per register width (written out: build-emulator.sh finds kernels by their lines).
#define LSTM_FORWARD_REGS_ARGS const float* __restrict__ pre, const float* __restrict__ biasIh,                 \
        const float* __restrict__ biasHh, const float* __restrict__ whh, const float* __restrict__ h0,         \
        const float* __restrict__ c0, const float* __restrict__ lengths, int steps, int hidden,                \
        float* __restrict__ out, float* __restrict__ hn, float* __restrict__ cn, float* __restrict__ act,      \
        float* __restrict__ cs, float* __restrict__ hprev
#define LSTM_FORWARD_REGS(HMAX) lstm_forward_regs<HMAX>(pre, biasIh, biasHh, whh, h0, c0, lengths, steps, hidden, \
        out, hn, cn, act, cs, hprev)
#define LSTM_BACKWARD_REGS_ARGS const float* __restrict__ gout, const float* __restrict__ ghn,                  \
        const float* __restrict__ gcn, const float* __restrict__ whh, const float* __restrict__ act,           \
        const float* __restrict__ cs, const float* __restrict__ lengths, int steps, int hidden,                \
        float* __restrict__ dz, float* __restrict__ dh0, int accumulateH0, float* __restrict__ dc0,            \
        int accumulateC0
#define LSTM_BACKWARD_REGS(HMAX) lstm_backward_regs<HMAX>(gout, ghn, gcn, whh, act, cs, lengths, steps, hidden, \
        dz, dh0, accumulateH0, dc0, accumulateC0)

KERNEL void __launch_bounds__(128, 1) lstm_forward_r32(LSTM_FORWARD_REGS_ARGS) { LSTM_FORWARD_REGS(32); }
KERNEL void __launch_bounds__(128, 1) lstm_backward_r32(LSTM_BACKWARD_REGS_ARGS) { LSTM_BACKWARD_REGS(32); }
KERNEL void __launch_bounds__(256, 1) lstm_forward_r64(LSTM_FORWARD_REGS_ARGS) { LSTM_FORWARD_REGS(64); }
KERNEL void __launch_bounds__(256, 1) lstm_backward_r64(LSTM_BACKWARD_REGS_ARGS) { LSTM_BACKWARD_REGS(64); }
KERNEL void __launch_bounds__(384, 1) lstm_forward_r96(LSTM_FORWARD_REGS_ARGS) { LSTM_FORWARD_REGS(96); }
KERNEL void __launch_bounds__(384, 1) lstm_backward_r96(LSTM_BACKWARD_REGS_ARGS) { LSTM_BACKWARD_REGS(96); }
