// SGEMM: C = alpha * op(A) * op(B) + beta * C, row-major, op(X) = X or X^T.
// The first version: 16x16 shared-memory tiles, one output per thread (correct for every shape; the
// performance kernel replaces it behind the same entry point).
#pragma once
#include "common.cuh"

#define GEMM_TILE 16

// A is (m, k) when !transA, else stored (k, m); B is (k, n) when !transB, else stored (n, k).
KERNEL void sgemm(int transA, int transB, int m, int n, int k, float alpha, const float* __restrict__ A, int lda,
                  const float* __restrict__ B, int ldb, float beta, float* __restrict__ C, int ldc) {
    __shared__ float tileA[GEMM_TILE][GEMM_TILE + 1];
    __shared__ float tileB[GEMM_TILE][GEMM_TILE + 1];
    int row = blockIdx.y * GEMM_TILE + threadIdx.y;
    int col = blockIdx.x * GEMM_TILE + threadIdx.x;
    float acc = 0.0f;
    for (int k0 = 0; k0 < k; k0 += GEMM_TILE) {
        int ka = k0 + threadIdx.x; // A(row, ka)
        tileA[threadIdx.y][threadIdx.x] =
            row < m && ka < k ? (transA ? A[(size_t) ka * lda + row] : A[(size_t) row * lda + ka]) : 0.0f;
        int kb = k0 + threadIdx.y; // B(kb, col)
        tileB[threadIdx.y][threadIdx.x] =
            kb < k && col < n ? (transB ? B[(size_t) col * ldb + kb] : B[(size_t) kb * ldb + col]) : 0.0f;
        __syncthreads();
        for (int i = 0; i < GEMM_TILE; i++) {
            acc += tileA[threadIdx.y][i] * tileB[i][threadIdx.x];
        }
        __syncthreads();
    }
    if (row < m && col < n) {
        float* c = C + (size_t) row * ldc + col;
        *c = beta == 0.0f ? alpha * acc : alpha * acc + beta * *c;
    }
}
