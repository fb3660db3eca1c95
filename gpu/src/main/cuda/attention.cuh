// The TFT's interpretable multi-head attention core, forward and backward (reference:
// dev.tempora.tensor.kernels.AttentionKernels; Java entry: dev.tempora.gpu.DeviceAttention). For sample b,
// decoder query p and head h: the softmax of q·kᵀ/√d over the keys the mask leaves open, times the values
// shared by the heads; dropout on each head's output; the mean over heads.
//
// Layouts (T = Te + Td keys: the encoder steps, then the decoder steps): q (B, Td, H, d); k (B, T, H, d);
// v (B, T, d); out (B, Td, d); weights (B, Td, H, T), the probabilities, which the backward reads instead of
// recomputing them. Lengths are floats holding small integers (so a captured step needs no host array). The
// dropout seed is the argument `seed`, or seeds[seedIndex] in device memory when `seeds` is not null (a captured
// step replays with each step's own seed).
//
// Open keys of (b, p): encoder steps below min(encLen[b], Te), decoder steps below
// min(causal ? p : decLen[b], Td) (causal: a step never sees itself). With no open key every key weighs 1/T,
// as PyTorch Forecasting's softmax of all −1e9 scores does, and the scores get no gradient.
//
// The forward and the queries' backward give each (query, head) row to one warp, with its T probabilities in
// shared memory; the keys' backward gives each block a tile of keys, so dk and dv sum over all queries without
// any inter-block reduction. All sums run in a fixed order.
//
// These kernels serve the weights path (interpretation, and sizes the weights-free kernels in
// attention_flash.cuh do not take: heads over 8 floats, or a sample's keys beyond a block's shared memory).
// Training with small heads keeps per-row statistics instead and never touches a weights tensor.
#pragma once
#include "common.cuh"

#define ATTENTION_WARPS 8        // blocks of 256 threads
#define ATTENTION_SMALL_HEAD 8   // head sizes up to this keep per-lane sums over keys in registers
#define ATTENTION_OWNED 16       // outputs per thread in attention_backward_keys (256·16 per block)

struct AttentionMask {
    int encOpen;
    int decOpen;
    bool uniform;
};

__device__ __forceinline__ AttentionMask attention_mask(const float* __restrict__ encLen,
                                                        const float* __restrict__ decLen, int b, int p, int te,
                                                        int td, int causal) {
    AttentionMask m;
    m.encOpen = min((int) encLen[b], te);
    m.decOpen = min(causal ? p : (int) decLen[b], td);
    m.uniform = m.encOpen + m.decOpen == 0;
    return m;
}

__device__ __forceinline__ bool attention_open(AttentionMask m, int j, int te) {
    return j < te ? j < m.encOpen : j - te < m.decOpen;
}

// Dropout on the heads' outputs at rate p: a survivor is scaled by keep = 1/(1 − p). The keys are those of the
// launch's seed (see the top of this file).
struct AttentionDropout {
    float p;
    float keep;
    DropoutKeys keys;

    // x after dropout, as element `index` of (B, Td, H, d) (wrapping as the CPU's int index).
    __device__ __forceinline__ float apply(unsigned int index, float x) const {
        return dropout_uniform(index, keys) >= p ? x * keep : 0.0f;
    }
};

__device__ __forceinline__ AttentionDropout attention_dropout(float p, unsigned long long seed,
                                                              const unsigned long long* __restrict__ seeds,
                                                              int seedIndex) {
    AttentionDropout dropout;
    dropout.p = p;
    dropout.keep = 1.0f / (1.0f - p);
    dropout.keys = dropout_keys(seeds != nullptr ? seeds[seedIndex] : seed);
    return dropout;
}

// The gradient of head h's output at (b, p, c): the mean's 1/H, then the head's dropout mask.
__device__ __forceinline__ float attention_head_gradient(const float* __restrict__ gOut, size_t bp, int h, int c,
                                                         int heads, int d, AttentionDropout dropout) {
    float g = gOut[bp * d + c] / (float) heads;
    if (dropout.p > 0.0f) {
        g = dropout.apply((unsigned int) ((bp * heads + h) * d + c), g);
    }
    return g;
}

// result[c] = Σ_j w[j]·m[j·stride + c] for c < d, by one warp; w (n floats) and result (d) are shared memory.
// Small heads: lanes over keys, one warp sum per c. Larger heads: lanes over c. Complete on return.
__device__ __forceinline__ void attention_weighted_rows(const float* w, const float* __restrict__ m, int stride,
                                                        int n, int d, float* result, int lane) {
    if (d <= ATTENTION_SMALL_HEAD) {
        float acc[ATTENTION_SMALL_HEAD];
#pragma unroll
        for (int c = 0; c < ATTENTION_SMALL_HEAD; c++) {
            acc[c] = 0.0f;
        }
        for (int j = lane; j < n; j += 32) {
            float wj = w[j];
            const float* row = m + (size_t) j * stride;
#pragma unroll
            for (int c = 0; c < ATTENTION_SMALL_HEAD; c++) {
                if (c < d) {
                    acc[c] += wj * __ldg(row + c);
                }
            }
        }
#pragma unroll
        for (int c = 0; c < ATTENTION_SMALL_HEAD; c++) {
            if (c < d) { // d is the same in every lane: the whole warp shuffles
                float s = warp_sum(acc[c]);
                if (lane == 0) {
                    result[c] = s;
                }
            }
        }
    } else {
        for (int c = lane; c < d; c += 32) {
            float acc = 0.0f;
            for (int j = 0; j < n; j++) {
                acc += w[j] * __ldg(m + (size_t) j * stride + c);
            }
            result[c] = acc;
        }
    }
    __syncwarp();
}

// grid (ceil(Td / tile), B), 256 threads; a warp takes the tile's (query, head) rows in turn. Dynamic shared
// memory, floats: 8·T probabilities (a row per warp), 8·d (each warp's head output), tile·H·d (the tile's head
// outputs after dropout, summed in head order once every warp is done, as the CPU sums them).
// weights may be null (inference that keeps no weights).
KERNEL void attention_forward(const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
                              const float* __restrict__ encLen, const float* __restrict__ decLen,
                              float* __restrict__ out, float* __restrict__ weights, int te, int td, int heads, int d,
                              int tile, int causal, float dropout, unsigned long long seed,
                              const unsigned long long* __restrict__ seeds, int seedIndex) {
    DYNAMIC_SHARED(float, shared);
    const int keysN = te + td;
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    float* prob = shared + warp * keysN;
    float* headOut = shared + ATTENTION_WARPS * keysN + warp * d;
    float* tileOut = shared + ATTENTION_WARPS * (keysN + d);
    const int b = blockIdx.y;
    const int p0 = blockIdx.x * tile;
    const int queries = min(tile, td - p0);
    const float scale = 1.0f / sqrtf((float) d);
    const AttentionDropout headDropout = attention_dropout(dropout, seed, seeds, seedIndex);
    const float* vb = v + (size_t) b * keysN * d;
    for (int r = warp; r < queries * heads; r += ATTENTION_WARPS) {
        const int p = p0 + r / heads;
        const int h = r % heads;
        const AttentionMask mask = attention_mask(encLen, decLen, b, p, te, td, causal);
        const size_t row = ((size_t) b * td + p) * heads + h;
        const float* qr = q + row * d;
        const float* kb = k + ((size_t) b * keysN * heads + h) * d; // key j at kb + j·H·d
        float* wr = weights == nullptr ? nullptr : weights + row * keysN;
        if (mask.uniform) {
            const float u = (float) (1.0 / (double) keysN);
            for (int j = lane; j < keysN; j += 32) {
                prob[j] = u;
                if (wr != nullptr) {
                    wr[j] = u;
                }
            }
        } else {
            float mx = -INFINITY;
            for (int j = lane; j < keysN; j += 32) {
                float s = -INFINITY;
                if (attention_open(mask, j, te)) {
                    const float* kr = kb + (size_t) j * heads * d;
                    float dot = 0.0f;
                    for (int c = 0; c < d; c++) {
                        dot += __ldg(qr + c) * __ldg(kr + c);
                    }
                    s = dot * scale;
                }
                prob[j] = s;
                mx = fmaxf(mx, s);
            }
            mx = warp_max(mx);
            float sum = 0.0f;
            for (int j = lane; j < keysN; j += 32) {
                float e = expf(prob[j] - mx); // masked: exp(−∞) = 0
                prob[j] = e;
                sum += e;
            }
            const float inverse = 1.0f / warp_sum(sum);
            for (int j = lane; j < keysN; j += 32) {
                const float w = prob[j] * inverse;
                prob[j] = w;
                if (wr != nullptr) {
                    wr[j] = w;
                }
            }
        }
        __syncwarp();
        attention_weighted_rows(prob, vb, d, keysN, d, headOut, lane);
        for (int c = lane; c < d; c += 32) {
            float o = headOut[c];
            if (dropout > 0.0f) {
                o = headDropout.apply((unsigned int) (row * d + c), o);
            }
            tileOut[r * d + c] = o;
        }
        __syncwarp(); // prob and headOut are rewritten for the warp's next row
    }
    __syncthreads();
    for (int i = threadIdx.x; i < queries * d; i += blockDim.x) {
        const int pl = i / d;
        const int c = i % d;
        float acc = 0.0f;
        for (int h = 0; h < heads; h++) {
            acc += tileOut[(pl * heads + h) * d + c];
        }
        out[((size_t) b * td + p0 + pl) * d + c] = acc / (float) heads;
    }
}

// dq, and per (query, head) row dot = Σ_j w_j·dp_j for attention_backward_keys, where g is the head output's
// gradient, dp_j = g·v_j and ds_j = w_j·(dp_j − dot)/√d (0 for a row without open keys): dq = Σ_j ds_j·k_j.
// grid (ceil(Td / tile), B), 256 threads, a warp per row as in the forward. Dynamic shared memory, floats:
// 8·T (a row of dp, then ds, per warp), 8·d (the warp's g) and 8·d (its dq).
KERNEL void attention_backward_queries(const float* __restrict__ gOut, const float* __restrict__ k,
                                       const float* __restrict__ v, const float* __restrict__ weights,
                                       const float* __restrict__ encLen, const float* __restrict__ decLen,
                                       float* __restrict__ dq, float* __restrict__ dots, int te, int td, int heads,
                                       int d, int tile, int causal, float dropout, unsigned long long seed,
                                       const unsigned long long* __restrict__ seeds, int seedIndex) {
    DYNAMIC_SHARED(float, shared);
    const int keysN = te + td;
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    float* ds = shared + warp * keysN;
    float* g = shared + ATTENTION_WARPS * keysN + warp * d;
    float* dqRow = shared + ATTENTION_WARPS * (keysN + d) + warp * d;
    const int b = blockIdx.y;
    const int p0 = blockIdx.x * tile;
    const int queries = min(tile, td - p0);
    const float scale = 1.0f / sqrtf((float) d);
    const AttentionDropout headDropout = attention_dropout(dropout, seed, seeds, seedIndex);
    const float* vb = v + (size_t) b * keysN * d;
    for (int r = warp; r < queries * heads; r += ATTENTION_WARPS) {
        const int p = p0 + r / heads;
        const int h = r % heads;
        const AttentionMask mask = attention_mask(encLen, decLen, b, p, te, td, causal);
        const size_t bp = (size_t) b * td + p;
        const size_t row = bp * heads + h;
        const float* wr = weights + row * keysN;
        for (int c = lane; c < d; c += 32) {
            g[c] = attention_head_gradient(gOut, bp, h, c, heads, d, headDropout);
        }
        __syncwarp();
        float partial = 0.0f;
        for (int j = lane; j < keysN; j += 32) {
            const float* vr = vb + (size_t) j * d;
            float dp = 0.0f;
            for (int c = 0; c < d; c++) {
                dp += g[c] * __ldg(vr + c);
            }
            ds[j] = dp;
            partial += wr[j] * dp;
        }
        const float dot = warp_sum(partial);
        if (lane == 0) {
            dots[row] = dot;
        }
        float* dqOut = dq + row * d;
        if (mask.uniform) { // constant probabilities pass no gradient to the scores
            for (int c = lane; c < d; c += 32) {
                dqOut[c] = 0.0f;
            }
        } else {
            for (int j = lane; j < keysN; j += 32) {
                ds[j] = wr[j] * (ds[j] - dot) * scale;
            }
            __syncwarp();
            attention_weighted_rows(ds, k + ((size_t) b * keysN * heads + h) * d, heads * d, keysN, d, dqRow, lane);
            for (int c = lane; c < d; c += 32) {
                dqOut[c] = dqRow[c];
            }
        }
        __syncwarp(); // g, ds and dqRow are rewritten for the warp's next row
    }
}

// dk_j = Σ_p ds_{p,j}·q_p (per head) and dv_j = Σ_{p,h} w_{p,h,j}·g_{p,h}, over all queries, for a tile of keys:
// grid (ceil(T / keyTile), B), 256 threads. Queries go in chunks: the chunk's g, q and dots are staged, then
// its w and ds at the tile's keys (keys fastest: each weights row is read in runs of keyTile floats), then each
// thread adds to the (at most ATTENTION_OWNED) outputs it owns, dk's keyTile·H·d then dv's keyTile·d, so that
// keyTile·(H + 1)·d ≤ 256·ATTENTION_OWNED. Dynamic shared memory, floats: keyTile·d (v) + 2·chunk·H·d (g, q) +
// chunk·H (dots) + 2·chunk·H·(keyTile + 1) (w, ds; rows padded against bank conflicts).
KERNEL void attention_backward_keys(const float* __restrict__ gOut, const float* __restrict__ q,
                                    const float* __restrict__ v, const float* __restrict__ weights,
                                    const float* __restrict__ dots, const float* __restrict__ encLen,
                                    const float* __restrict__ decLen, float* __restrict__ dk, float* __restrict__ dv,
                                    int te, int td, int heads, int d, int keyTile, int chunk, int causal,
                                    float dropout, unsigned long long seed,
                                    const unsigned long long* __restrict__ seeds, int seedIndex) {
    DYNAMIC_SHARED(float, shared);
    const int keysN = te + td;
    const int hd = heads * d;
    const int wStride = keyTile + 1;
    float* vs = shared;                    // [keyTile][d]
    float* gs = vs + keyTile * d;          // [chunk][H][d]
    float* qs = gs + chunk * hd;           // [chunk][H][d]
    float* dotS = qs + chunk * hd;         // [chunk][H]
    float* ws = dotS + chunk * heads;      // [chunk][H][wStride]
    float* dss = ws + chunk * heads * wStride;
    const int b = blockIdx.y;
    const int j0 = blockIdx.x * keyTile;
    const int nk = min(keyTile, keysN - j0);
    const int nK = nk * hd;
    const int nV = nk * d;
    const float scale = 1.0f / sqrtf((float) d);
    const AttentionDropout headDropout = attention_dropout(dropout, seed, seeds, seedIndex);
    float acc[ATTENTION_OWNED];
#pragma unroll
    for (int s = 0; s < ATTENTION_OWNED; s++) {
        acc[s] = 0.0f;
    }
    for (int i = threadIdx.x; i < nV; i += blockDim.x) {
        vs[i] = v[((size_t) b * keysN + j0) * d + i];
    }
    for (int p0 = 0; p0 < td; p0 += chunk) {
        const int np = min(chunk, td - p0);
        const size_t bp0 = (size_t) b * td + p0;
        __syncthreads(); // the previous chunk is read (and, the first time, vs is written)
        for (int i = threadIdx.x; i < np * hd; i += blockDim.x) {
            const int pl = i / hd;
            const int h = (i % hd) / d;
            const int c = i % d;
            gs[i] = attention_head_gradient(gOut, bp0 + pl, h, c, heads, d, headDropout);
            qs[i] = q[bp0 * hd + i];
        }
        for (int i = threadIdx.x; i < np * heads; i += blockDim.x) {
            dotS[i] = dots[bp0 * heads + i];
        }
        __syncthreads();
        for (int i = threadIdx.x; i < np * heads * nk; i += blockDim.x) {
            const int ph = i / nk; // pl·H + h
            const int jl = i % nk;
            const int j = j0 + jl;
            const float w = weights[(bp0 * heads + ph) * keysN + j];
            const AttentionMask mask = attention_mask(encLen, decLen, b, p0 + ph / heads, te, td, causal);
            float dp = 0.0f;
            for (int c = 0; c < d; c++) {
                dp += gs[ph * d + c] * vs[jl * d + c];
            }
            ws[ph * wStride + jl] = w;
            dss[ph * wStride + jl] = mask.uniform ? 0.0f : w * (dp - dotS[ph]) * scale;
        }
        __syncthreads();
#pragma unroll
        for (int s = 0; s < ATTENTION_OWNED; s++) {
            const int o = threadIdx.x + s * blockDim.x;
            if (o < nK) { // dk[j0 + jl][h][c]
                const int jl = o / hd;
                const int h = (o % hd) / d;
                const int c = o % d;
                float a = acc[s];
                for (int pl = 0; pl < np; pl++) {
                    const int ph = pl * heads + h;
                    a += dss[ph * wStride + jl] * qs[ph * d + c];
                }
                acc[s] = a;
            } else if (o < nK + nV) { // dv[j0 + jl][c]
                const int jl = (o - nK) / d;
                const int c = (o - nK) % d;
                float a = acc[s];
                for (int ph = 0; ph < np * heads; ph++) {
                    a += ws[ph * wStride + jl] * gs[ph * d + c];
                }
                acc[s] = a;
            }
        }
    }
#pragma unroll
    for (int s = 0; s < ATTENTION_OWNED; s++) {
        const int o = threadIdx.x + s * blockDim.x;
        if (o < nK) {
            dk[((size_t) b * keysN + j0) * hd + o] = acc[s];
        } else if (o < nK + nV) {
            dv[((size_t) b * keysN + j0) * d + (o - nK)] = acc[s];
        }
    }
}
