// The TFT's attention core without a weights tensor in training (FlashAttention-2's idea; Java entry:
// dev.tempora.gpu.DeviceAttention; semantics and layouts as in attention.cuh). The forward leaves, per
// (b, query, head) row, the head output before dropout (d floats) and the log-sum-exp of the row's scores
// (one float) in `stats`; the backward recomputes each probability from q, k and that statistic, so neither
// pass reads or writes (B, Td, H, T) floats. The weights are still written when asked for (interpretation).
//
// For small heads (d ≤ 8, padded to DP ∈ {2, 4, 8} floats: one entry per DP) and a sample's keys and values
// fitting in shared memory. Scores are kept in base 2: q2 = q·log2(e)/√d, s = q2·k, p = 2^(s − lse).
//
// One thread per row (forward, dq) or per (key, head) (dk, dv), not a warp: with d this small a row is a few
// FMAs a key, and a warp reducing every row would spend more on shuffles than on the row. The lanes of a warp
// take consecutive rows (the heads of a few queries), so they read the same key at the same time: the shared
// reads are broadcasts of H·DP contiguous floats, free of bank conflicts for any H. Loops run over the open
// keys only (encoder keys below the encoder length, then decoder keys up to the warp's longest row; a lane
// past its own row's end is predicated off), in key order; sums over queries run in query order, sums over
// heads in head order: deterministic, no atomics.
//
// stats layout, floats: [0, R·d) the head outputs o (row-major (R, d), R = B·Td·H rows), then [R·d, R·d + R)
// the rows' lse. A row without open keys (every key weighs 1/T) gets lse 0 and passes no gradient to q, k.
#pragma once
#include "attention.cuh"

#define FLASH_THREADS 256
#define FLASH_LOG2E 1.4426950408889634f
#define FLASH_LN2 0.69314718055994531f

__device__ __forceinline__ int flash_warp_max_int(int v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = max(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

__device__ __forceinline__ int flash_warp_min_int(int v) {
    for (int offset = 16; offset > 0; offset >>= 1) {
        v = min(v, __shfl_xor_sync(0xffffffffu, v, offset));
    }
    return v;
}

// DP floats from shared memory, 4·DP-byte aligned (16 for DP ≥ 4).
template <int DP>
__device__ __forceinline__ void flash_load(const float* p, float (&out)[DP]) {
    if constexpr (DP == 2) {
        const float2 t = *reinterpret_cast<const float2*>(p);
        out[0] = t.x;
        out[1] = t.y;
    } else {
#pragma unroll
        for (int i = 0; i < DP; i += 4) {
            const float4 t = *as_float4(p + i);
            out[i] = t.x;
            out[i + 1] = t.y;
            out[i + 2] = t.z;
            out[i + 3] = t.w;
        }
    }
}

// a·b, always in the same order and with the same FMAs (the forward and both backward parts recompute the
// same scores).
template <int DP>
__device__ __forceinline__ float flash_dot(const float (&a)[DP], const float (&b)[DP]) {
    float s = a[0] * b[0];
#pragma unroll
    for (int c = 1; c < DP; c++) {
        s = fmaf(a[c], b[c], s);
    }
    return s;
}

// Sample b's keys [T][H][DP] and values [T][DP] into shared memory, zero-padded from d to DP; with `byHead`,
// also the keys head-major [H][T][DP] (the weights pass reads one head's keys across the lanes).
template <int DP>
__device__ __forceinline__ void flash_stage_keys(const float* __restrict__ k, const float* __restrict__ v, int b,
                                                 int keysN, int heads, int d, float* ks, float* vs, float* ksByHead) {
    const float* kb = k + (size_t) b * keysN * heads * d;
    for (int i = threadIdx.x; i < keysN * heads * DP; i += blockDim.x) {
        const int jh = i / DP;
        const int c = i % DP;
        const float x = c < d ? kb[(size_t) jh * d + c] : 0.0f;
        ks[i] = x;
        if (ksByHead != nullptr) {
            ksByHead[((jh % heads) * keysN + jh / heads) * DP + c] = x;
        }
    }
    const float* vb = v + (size_t) b * keysN * d;
    for (int i = threadIdx.x; i < keysN * DP; i += blockDim.x) {
        const int c = i % DP;
        vs[i] = c < d ? vb[(size_t) (i / DP) * d + c] : 0.0f;
    }
}

// q2 = q·log2(e)/√d of one row, zero-padded.
template <int DP>
__device__ __forceinline__ void flash_query(const float* __restrict__ q, size_t row, int d, bool valid,
                                            float (&q2)[DP]) {
    const float qscale = FLASH_LOG2E / sqrtf((float) d);
#pragma unroll
    for (int c = 0; c < DP; c++) {
        q2[c] = valid && c < d ? q[row * d + c] * qscale : 0.0f;
    }
}

// A row's head-output gradient g (zero-padded) and Σ_j p_j·(g·v_j) = g·o.
template <int DP>
__device__ __forceinline__ float flash_row_gradient(const float* __restrict__ gOut, const float* __restrict__ stats,
                                                    size_t bp, int h, int heads, int d, AttentionDropout dropout,
                                                    bool valid, float (&g)[DP]) {
    const size_t row = bp * heads + h;
    float dot = 0.0f;
#pragma unroll
    for (int c = 0; c < DP; c++) {
        g[c] = valid && c < d ? attention_head_gradient(gOut, bp, h, c, heads, d, dropout) : 0.0f;
        if (valid && c < d) {
            dot = fmaf(g[c], stats[row * d + c], dot);
        }
    }
    return dot;
}

// grid (ceil(Td / qpb), B), 256 threads, qpb·H ≤ 256: thread r takes row (p0 + r / H, r % H). Dynamic shared
// memory, floats: T·H·DP (keys) + T·DP (values) + 256·DP (head outputs), and T·H·DP more (keys by head) when
// weights is not null. stats and weights may be null.
template <int DP>
__device__ __forceinline__ void attention_flash_forward_body(
        const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,
        const float* __restrict__ encLen, const float* __restrict__ decLen, float* __restrict__ out,
        float* __restrict__ stats, float* __restrict__ weights, int te, int td, int heads, int d, int qpb, int causal,
        float dropout, unsigned long long seed, const unsigned long long* __restrict__ seeds, int seedIndex,
        float* shared) {
    const int keysN = te + td;
    float* ks = shared;
    float* vs = ks + keysN * heads * DP;
    float* headOut = vs + keysN * DP;
    float* ksByHead = weights != nullptr ? headOut + FLASH_THREADS * DP : nullptr;
    const int b = blockIdx.y;
    const int p0 = blockIdx.x * qpb;
    const int rows = min(qpb, td - p0) * heads;
    const int r = threadIdx.x;
    const bool valid = r < rows;
    const int p = p0 + (valid ? r / heads : 0);
    const int h = r % heads;
    const size_t row = ((size_t) b * td + p) * heads + h;
    const AttentionMask mask = attention_mask(encLen, decLen, b, p, te, td, causal);
    const int encOpen = mask.encOpen; // the same for every row of the sample
    const int decOpen = valid ? mask.decOpen : 0;
    const int decMax = flash_warp_max_int(decOpen);
    float q2[DP];
    flash_query<DP>(q, row, d, valid, q2);
    flash_stage_keys<DP>(k, v, b, keysN, heads, d, ks, vs, ksByHead);
    __syncthreads();

    float mx = -INFINITY;
#pragma unroll 4
    for (int j = 0; j < encOpen; j++) {
        float kk[DP];
        flash_load<DP>(ks + (j * heads + h) * DP, kk);
        mx = fmaxf(mx, flash_dot<DP>(q2, kk));
    }
#pragma unroll 4
    for (int jd = 0; jd < decMax; jd++) {
        float kk[DP];
        flash_load<DP>(ks + ((te + jd) * heads + h) * DP, kk);
        const float s = flash_dot<DP>(q2, kk);
        mx = jd < decOpen ? fmaxf(mx, s) : mx;
    }
    float l = 0.0f;
    float o[DP];
#pragma unroll
    for (int c = 0; c < DP; c++) {
        o[c] = 0.0f;
    }
#pragma unroll 4
    for (int j = 0; j < encOpen; j++) {
        float kk[DP];
        float vv[DP];
        flash_load<DP>(ks + (j * heads + h) * DP, kk);
        flash_load<DP>(vs + j * DP, vv);
        const float e = exp2f(flash_dot<DP>(q2, kk) - mx);
        l += e;
#pragma unroll
        for (int c = 0; c < DP; c++) {
            o[c] = fmaf(e, vv[c], o[c]);
        }
    }
#pragma unroll 4
    for (int jd = 0; jd < decMax; jd++) {
        float kk[DP];
        float vv[DP];
        flash_load<DP>(ks + ((te + jd) * heads + h) * DP, kk);
        flash_load<DP>(vs + (te + jd) * DP, vv);
        const float e = jd < decOpen ? exp2f(flash_dot<DP>(q2, kk) - mx) : 0.0f;
        l += e;
#pragma unroll
        for (int c = 0; c < DP; c++) {
            o[c] = fmaf(e, vv[c], o[c]);
        }
    }
    const float u = (float) (1.0 / (double) keysN);
    float lse = 0.0f;
    float inverse = 0.0f;
    if (mask.uniform) { // no open key: every key weighs 1/T (rare: lanes diverge here only then)
        for (int j = 0; j < keysN; j++) {
            float vv[DP];
            flash_load<DP>(vs + j * DP, vv);
#pragma unroll
            for (int c = 0; c < DP; c++) {
                o[c] = fmaf(u, vv[c], o[c]);
            }
        }
    } else {
        inverse = 1.0f / l;
#pragma unroll
        for (int c = 0; c < DP; c++) {
            o[c] = o[c] / l;
        }
        lse = mx + log2f(l);
    }
    const AttentionDropout headDropout = attention_dropout(dropout, seed, seeds, seedIndex);
    if (valid) {
        if (stats != nullptr) {
            const size_t allRows = (size_t) gridDim.y * td * heads;
#pragma unroll
            for (int c = 0; c < DP; c++) { // constant indices: o stays in registers
                if (c < d) {
                    stats[row * d + c] = o[c];
                }
            }
            stats[allRows * d + row] = lse;
        }
#pragma unroll
        for (int c = 0; c < DP; c++) {
            float x = o[c];
            if (dropout > 0.0f && c < d) {
                x = headDropout.apply((unsigned int) (row * d + c), x);
            }
            headOut[r * DP + c] = x;
        }
    }
    if (weights != nullptr) {
        // Lanes over keys, one row of the warp at a time: coalesced stores, keys read head-major.
        const int lane = threadIdx.x & 31;
        const int rowBase = threadIdx.x & ~31;
        const int uniformFlag = mask.uniform ? 1 : 0;
        for (int i = 0; i < 32; i++) {
            float qi[DP];
#pragma unroll
            for (int c = 0; c < DP; c++) {
                qi[c] = __shfl_sync(0xffffffffu, q2[c], i);
            }
            const float mi = __shfl_sync(0xffffffffu, mx, i);
            const float invI = __shfl_sync(0xffffffffu, inverse, i);
            const int decOpenI = __shfl_sync(0xffffffffu, decOpen, i);
            const int uniformI = __shfl_sync(0xffffffffu, uniformFlag, i);
            const int ri = rowBase + i;
            if (ri >= rows) {
                break; // the same in every lane
            }
            const int hi = ri % heads;
            const float* kh = ksByHead + (size_t) hi * keysN * DP;
            float* wr = weights + (((size_t) b * td + p0 + ri / heads) * heads + hi) * keysN;
            for (int j = lane; j < keysN; j += 32) {
                float w;
                if (uniformI) {
                    w = u;
                } else if (j < te ? j < encOpen : j - te < decOpenI) {
                    float kk[DP];
                    flash_load<DP>(kh + j * DP, kk);
                    w = exp2f(flash_dot<DP>(qi, kk) - mi) * invI;
                } else {
                    w = 0.0f;
                }
                wr[j] = w;
            }
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < rows / heads * d; i += blockDim.x) {
        const int pl = i / d;
        const int c = i % d;
        float acc = 0.0f;
        for (int hh = 0; hh < heads; hh++) {
            acc += headOut[(pl * heads + hh) * DP + c];
        }
        out[((size_t) b * td + p0 + pl) * d + c] = acc / (float) heads;
    }
}

// The first query that gives key j a probability (td: none). Rows without open keys give every key 1/T; they
// exist only when the encoder is empty (causal: query 0; otherwise all queries when the decoder is too).
__device__ __forceinline__ int flash_first_query(int j, int te, int td, int encOpen, int decOpenAll, int causal) {
    if (encOpen == 0 && (causal || decOpenAll == 0)) {
        return 0;
    }
    if (j < te) {
        return j < encOpen ? 0 : td;
    }
    if (causal) {
        return min(j - te + 1, td);
    }
    return j - te < decOpenAll ? 0 : td;
}

// dq, dk and dv in one launch: grid (queryBlocks + keyBlocks, B), 256 threads.
// Blocks x < queryBlocks: dq, thread r taking row (p0 + r / H, r % H) as the forward; shared memory T·H·DP +
// T·DP floats (the sample's keys and values). dq = (1/√d)·Σ_j p_j·(g·v_j − g·o)·k_j over the open keys.
// Blocks x ≥ queryBlocks: dk and dv for kpb keys, thread t taking (key j0 + t / H, head t % H), its k and v in
// registers; the queries go through shared memory `chunk` at a time ([chunk·H][DP] q2, [chunk·H][DP] g,
// [chunk·H][2] lse and g·o), starting at the first query that sees any of the block's keys. dk (per head) and
// dv's per-head parts sum over queries in query order; dv then sums its parts in head order. Shared memory
// max(chunk·H·(2·DP + 2), 256·DP) floats.
template <int DP>
__device__ __forceinline__ void attention_flash_backward_body(
        const float* __restrict__ gOut, const float* __restrict__ q, const float* __restrict__ k,
        const float* __restrict__ v, const float* __restrict__ stats, const float* __restrict__ encLen,
        const float* __restrict__ decLen, float* __restrict__ dq, float* __restrict__ dk, float* __restrict__ dv,
        int te, int td, int heads, int d, int qpb, int queryBlocks, int kpb, int chunk, int causal, float dropout,
        unsigned long long seed, const unsigned long long* __restrict__ seeds, int seedIndex, float* shared) {
    const int keysN = te + td;
    const int b = blockIdx.y;
    const size_t allRows = (size_t) gridDim.y * td * heads;
    const float* lses = stats + allRows * d;
    const AttentionDropout headDropout = attention_dropout(dropout, seed, seeds, seedIndex);
    const int encOpen = min((int) encLen[b], te);
    const int decOpenAll = min((int) decLen[b], td); // the decoder keys open to every query when not causal

    if ((int) blockIdx.x < queryBlocks) {
        float* ks = shared;
        float* vs = ks + keysN * heads * DP;
        const int p0 = blockIdx.x * qpb;
        const int rows = min(qpb, td - p0) * heads;
        const int r = threadIdx.x;
        const bool valid = r < rows;
        const int p = p0 + (valid ? r / heads : 0);
        const int h = r % heads;
        const size_t bp = (size_t) b * td + p;
        const size_t row = bp * heads + h;
        const int decOpen = valid ? (causal ? p : decOpenAll) : 0;
        const int decMax = flash_warp_max_int(decOpen);
        float q2[DP];
        float g[DP];
        flash_query<DP>(q, row, d, valid, q2);
        const float dot = flash_row_gradient<DP>(gOut, stats, bp, h, heads, d, headDropout, valid, g);
        const float lse = valid ? lses[row] : 0.0f;
        flash_stage_keys<DP>(k, v, b, keysN, heads, d, ks, vs, nullptr);
        __syncthreads();
        float acc[DP];
#pragma unroll
        for (int c = 0; c < DP; c++) {
            acc[c] = 0.0f;
        }
#pragma unroll 4
        for (int j = 0; j < encOpen; j++) {
            float kk[DP];
            float vv[DP];
            flash_load<DP>(ks + (j * heads + h) * DP, kk);
            flash_load<DP>(vs + j * DP, vv);
            const float e = exp2f(flash_dot<DP>(q2, kk) - lse);
            const float ds = e * (flash_dot<DP>(g, vv) - dot);
#pragma unroll
            for (int c = 0; c < DP; c++) {
                acc[c] = fmaf(ds, kk[c], acc[c]);
            }
        }
#pragma unroll 4
        for (int jd = 0; jd < decMax; jd++) {
            float kk[DP];
            float vv[DP];
            flash_load<DP>(ks + ((te + jd) * heads + h) * DP, kk);
            flash_load<DP>(vs + (te + jd) * DP, vv);
            const float e = jd < decOpen ? exp2f(flash_dot<DP>(q2, kk) - lse) : 0.0f;
            const float ds = e * (flash_dot<DP>(g, vv) - dot);
#pragma unroll
            for (int c = 0; c < DP; c++) {
                acc[c] = fmaf(ds, kk[c], acc[c]);
            }
        }
        if (valid) {
            const float scale = 1.0f / sqrtf((float) d);
            const bool uniform = encOpen + decOpen == 0; // constant probabilities pass no gradient to the scores
#pragma unroll
            for (int c = 0; c < DP; c++) {
                if (c < d) {
                    dq[row * d + c] = uniform ? 0.0f : acc[c] * scale;
                }
            }
        }
        return;
    }

    float* sq = shared;                  // [chunk·H][DP]
    float* sg = sq + chunk * heads * DP; // [chunk·H][DP]
    float* sld = sg + chunk * heads * DP; // [chunk·H][2]: lse, g·o
    const int j0 = (blockIdx.x - queryBlocks) * kpb;
    const int nk = min(kpb, keysN - j0);
    const int t = threadIdx.x;
    const int jl = t / heads;
    const int h = t % heads;
    const bool valid = jl < nk;
    const int j = j0 + (valid ? jl : 0);
    float kk[DP];
    float vv[DP];
#pragma unroll
    for (int c = 0; c < DP; c++) {
        kk[c] = valid && c < d ? k[(((size_t) b * keysN + j) * heads + h) * d + c] : 0.0f;
        vv[c] = valid && c < d ? v[((size_t) b * keysN + j) * d + c] : 0.0f;
    }
    // Queries before the first that sees one of the block's (the warp's) keys are skipped: each segment of
    // flash_first_query (encoder keys, decoder keys) grows with j, so its minimum is at a segment's first key.
    int blockFirst = flash_first_query(j0, te, td, encOpen, decOpenAll, causal);
    if (j0 < te && j0 + nk > te) {
        blockFirst = min(blockFirst, flash_first_query(te, te, td, encOpen, decOpenAll, causal));
    }
    const int warpFirst = flash_warp_min_int(valid ? flash_first_query(j, te, td, encOpen, decOpenAll, causal) : td);
    const float u = (float) (1.0 / (double) keysN);
    float dkAcc[DP];
    float dvAcc[DP];
#pragma unroll
    for (int c = 0; c < DP; c++) {
        dkAcc[c] = 0.0f;
        dvAcc[c] = 0.0f;
    }
    for (int c0 = blockFirst; c0 < td; c0 += chunk) {
        const int nq = min(chunk, td - c0);
        __syncthreads(); // the previous chunk is read
        for (int i = threadIdx.x; i < nq * heads; i += blockDim.x) {
            const size_t bp = (size_t) b * td + c0 + i / heads;
            const int hh = i % heads;
            float q2[DP];
            float g[DP];
            flash_query<DP>(q, bp * heads + hh, d, true, q2);
            const float dot = flash_row_gradient<DP>(gOut, stats, bp, hh, heads, d, headDropout, true, g);
#pragma unroll
            for (int c = 0; c < DP; c++) {
                sq[i * DP + c] = q2[c];
                sg[i * DP + c] = g[c];
            }
            sld[2 * i] = lses[bp * heads + hh];
            sld[2 * i + 1] = dot;
        }
        __syncthreads();
        for (int pl = max(warpFirst - c0, 0); pl < nq; pl++) {
            const int p = c0 + pl;
            const int decOpen = causal ? p : decOpenAll;
            const bool open = valid && (j < te ? j < encOpen : j - te < decOpen);
            const bool uniform = encOpen + decOpen == 0;
            const int ph = pl * heads + h;
            float q2[DP];
            float g[DP];
            flash_load<DP>(sq + ph * DP, q2);
            flash_load<DP>(sg + ph * DP, g);
            const float2 ld = *reinterpret_cast<const float2*>(sld + 2 * ph);
            const float e = open ? exp2f(flash_dot<DP>(q2, kk) - ld.x) : (uniform ? u : 0.0f);
            const float ds = open ? e * (flash_dot<DP>(g, vv) - ld.y) : 0.0f;
#pragma unroll
            for (int c = 0; c < DP; c++) {
                dkAcc[c] = fmaf(ds, q2[c], dkAcc[c]);
                dvAcc[c] = fmaf(e, g[c], dvAcc[c]);
            }
        }
    }
    __syncthreads(); // the staged queries are read; their space takes dv's per-head parts
    float* parts = shared; // [kpb·H][DP]
    if (valid) {
#pragma unroll
        for (int c = 0; c < DP; c++) {
            if (c < d) {
                dk[(((size_t) b * keysN + j) * heads + h) * d + c] = dkAcc[c] * FLASH_LN2; // q2 = q·log2(e)/√d
            }
        }
#pragma unroll
        for (int c = 0; c < DP; c++) {
            parts[t * DP + c] = dvAcc[c];
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < nk * d; i += blockDim.x) {
        const int jj = i / d;
        const int c = i % d;
        float acc = 0.0f;
        for (int hh = 0; hh < heads; hh++) {
            acc += parts[(jj * heads + hh) * DP + c];
        }
        dv[((size_t) b * keysN + j0 + jj) * d + c] = acc;
    }
}

#define FLASH_FORWARD_PARAMS                                                                                          \
    const float* __restrict__ q, const float* __restrict__ k, const float* __restrict__ v,                            \
            const float* __restrict__ encLen, const float* __restrict__ decLen, float* __restrict__ out,              \
            float* __restrict__ stats, float* __restrict__ weights, int te, int td, int heads, int d, int qpb,        \
            int causal, float dropout, unsigned long long seed, const unsigned long long* __restrict__ seeds,         \
            int seedIndex
#define FLASH_FORWARD_ARGS                                                                                            \
    q, k, v, encLen, decLen, out, stats, weights, te, td, heads, d, qpb, causal, dropout, seed, seeds, seedIndex
#define FLASH_BACKWARD_PARAMS                                                                                         \
    const float* __restrict__ gOut, const float* __restrict__ q, const float* __restrict__ k,                         \
            const float* __restrict__ v, const float* __restrict__ stats, const float* __restrict__ encLen,           \
            const float* __restrict__ decLen, float* __restrict__ dq, float* __restrict__ dk, float* __restrict__ dv, \
            int te, int td, int heads, int d, int qpb, int queryBlocks, int kpb, int chunk, int causal,               \
            float dropout, unsigned long long seed, const unsigned long long* __restrict__ seeds, int seedIndex
#define FLASH_BACKWARD_ARGS                                                                                           \
    gOut, q, k, v, stats, encLen, decLen, dq, dk, dv, te, td, heads, d, qpb, queryBlocks, kpb, chunk, causal,         \
            dropout, seed, seeds, seedIndex

KERNEL void __launch_bounds__(256) attention_flash_forward_d2(FLASH_FORWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_forward_body<2>(FLASH_FORWARD_ARGS, shared);
}

KERNEL void __launch_bounds__(256) attention_flash_forward_d4(FLASH_FORWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_forward_body<4>(FLASH_FORWARD_ARGS, shared);
}

KERNEL void __launch_bounds__(256) attention_flash_forward_d8(FLASH_FORWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_forward_body<8>(FLASH_FORWARD_ARGS, shared);
}

KERNEL void __launch_bounds__(256) attention_flash_backward_d2(FLASH_BACKWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_backward_body<2>(FLASH_BACKWARD_ARGS, shared);
}

KERNEL void __launch_bounds__(256) attention_flash_backward_d4(FLASH_BACKWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_backward_body<4>(FLASH_BACKWARD_ARGS, shared);
}

KERNEL void __launch_bounds__(256) attention_flash_backward_d8(FLASH_BACKWARD_PARAMS) {
    DYNAMIC_SHARED(float, shared); // declared in the entry: a template may not declare it
    attention_flash_backward_body<8>(FLASH_BACKWARD_ARGS, shared);
}
