// Reductions. Sums run in a fixed order (no atomics), so every run gives the same bits.
#pragma once
#include "common.cuh"

// Sums over the middle axis of a contiguous (outer, r, inner) block, of a or of a·b (b not null):
// out[o, j] = Σ_k a[o, k, j]·b[o, k, j]. Blocks are 32 × 8 threads: x over 32 columns j, y over rows k.
// grid = (ceil(inner / 32), outer, chunks): the rows are cut into chunks of `rowsPerChunk`, and chunk z
// writes its sums to out + z·outer·inner (with one chunk, out is the result, added to when accumulate; with
// more, sum_chunks adds them).
KERNEL void reduce_middle(const float* __restrict__ a, const float* __restrict__ b, float* __restrict__ out,
                          int outer, int r, int inner, int rowsPerChunk, int accumulate) {
    __shared__ float partial[8][33];
    int j = blockIdx.x * 32 + threadIdx.x;
    int o = blockIdx.y;
    int k0 = blockIdx.z * rowsPerChunk;
    int k1 = min(r, k0 + rowsPerChunk);
    float acc = 0.0f;
    if (j < inner) {
        for (int k = k0 + (int) threadIdx.y; k < k1; k += 8) {
            size_t index = ((size_t) o * r + k) * inner + j;
            acc += b == nullptr ? a[index] : a[index] * b[index];
        }
    }
    partial[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && j < inner) {
        float total = 0.0f;
        for (int y = 0; y < 8; y++) {
            total += partial[y][threadIdx.x];
        }
        store_gradient(out, ((size_t) blockIdx.z * outer + o) * inner + j, total, accumulate);
    }
}

// out[i] = alpha · Σ_c partial[c·count + i], plus out[i] when accumulate: the chunks of reduce_middle, in order.
KERNEL void sum_chunks(const float* __restrict__ partial, float* __restrict__ out, int chunks, int count, float alpha,
                       int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < count) {
        float total = 0.0f;
        for (int c = 0; c < chunks; c++) {
            total += partial[(size_t) c * count + i];
        }
        total *= alpha;
        out[i] = accumulate ? out[i] + total : total;
    }
}

// Column sums of two (outer, rows, n) blocks over the same rows in one launch (a layer norm's weight and bias
// gradients; outer > 1: a group's, member o's into row o of out_s): blockIdx.y = 2·o + s picks the member o
// and the matrix s, otherwise reduce_middle, in the same order (the same bits). grid = (ceil(n / 32),
// 2·outer, chunks), blocks 32 x 8; chunk z of matrix s goes to out_s + (z·outer + o)·n (with one chunk, out_s
// is the result, added to when accumulate_s; with more, sum_chunks_pair adds them with n = outer·n).
KERNEL void column_sums_pair(const float* __restrict__ a0, const float* __restrict__ a1, float* __restrict__ out0,
                             float* __restrict__ out1, int rows, int n, int rowsPerChunk, int accumulate0,
                             int accumulate1, int outer) {
    __shared__ float partial[8][33];
    const int s = blockIdx.y & 1;
    const int o = blockIdx.y >> 1;
    const float* a = (s == 0 ? a0 : a1) + (size_t) o * rows * n;
    int j = blockIdx.x * 32 + threadIdx.x;
    int k0 = blockIdx.z * rowsPerChunk;
    int k1 = min(rows, k0 + rowsPerChunk);
    float acc = 0.0f;
    if (j < n) {
        for (int k = k0 + (int) threadIdx.y; k < k1; k += 8) {
            acc += a[(size_t) k * n + j];
        }
    }
    partial[threadIdx.y][threadIdx.x] = acc;
    __syncthreads();
    if (threadIdx.y == 0 && j < n) {
        float total = 0.0f;
        for (int y = 0; y < 8; y++) {
            total += partial[y][threadIdx.x];
        }
        store_gradient(s == 0 ? out0 : out1, ((size_t) blockIdx.z * outer + o) * n + j, total,
                       s == 0 ? accumulate0 : accumulate1);
    }
}

// The chunks of column_sums_pair added in order: out_s[j] (+)= Σ_c partial_s[c·n + j], i = s·n + j over 2n.
KERNEL void sum_chunks_pair(const float* __restrict__ partial0, const float* __restrict__ partial1,
                            float* __restrict__ out0, float* __restrict__ out1, int chunks, int n, int accumulate0,
                            int accumulate1) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < 2 * n) {
        const int s = i / n;
        const int j = i % n;
        const float* partial = s == 0 ? partial0 : partial1;
        float total = 0.0f;
        for (int c = 0; c < chunks; c++) {
            total += partial[(size_t) c * n + j];
        }
        store_gradient(s == 0 ? out0 : out1, j, total, s == 0 ? accumulate0 : accumulate1);
    }
}
