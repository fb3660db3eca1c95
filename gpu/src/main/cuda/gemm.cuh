// SGEMM: C = alpha * op(A) * op(B) + beta * C (+ bias), row-major, op(X) = X or X^T. The design is in
// gpu/README.md ("SGEMM"); DeviceBlas picks the kernel and the K split from the shape.
//
// A is (m, k), stored (k, m) when transposed; B is (k, n), stored (n, k) when transposed. A block computes a
// BM x BN tile of C over the K range [blockIdx.z * kPerSplit, +kPerSplit): with one split that is all of K
// and the tile goes to C; with several, each split writes alpha-free partial sums to its own slice of a
// workspace (C + z * splitStride, ldc = n, beta = 0, no bias) and sgemm_splitk_reduce adds them in a fixed
// order, so the result does not depend on block scheduling.
//
// Two fusions for the linear layers: `bias` (n floats, or null) is added to every row of C in the epilogue
// (the forward Y = X W^T + b in one launch), and the _rowsums kernels also sum op(A) over k:
// rowSums[i] = alpha * sum_k op(A)(i, k) (added to rowSums[i] when rowSumsAccumulate), which for the weight
// gradient dW = dY^T X is the bias gradient db = column sums of dY, read from the dY tiles the product loads
// anyway. The blocks of the first column of tiles (blockIdx.y == 0) write them; with split K, to the
// workspace right after the split's partial tile (C + m * n, beta = 0), for the reduction to add.
#pragma once
#include "common.cuh"

// Shared-memory tiles are k-major: As[kk][i] = op(A)(m0 + i, k0 + kk), Bs[kk][j] = op(B)(k0 + kk, n0 + j),
// so the inner loop reads a thread's rows (columns) of one k step as float4s. The padding keeps rows 16-byte
// aligned and makes the transposing stores (operands stored with k contiguous) free of bank conflicts.
#define SGEMM_PAD 4

__device__ __forceinline__ bool sgemm_aligned(const float* p, int ld) {
    return (reinterpret_cast<uintptr_t>(p) & 15) == 0 && (ld & 3) == 0;
}

// Elements (r, c .. c+3) of a row-major matrix (rows x cols, row stride ld), zero outside it. One 16-byte
// load when all four are inside and `vec` (base and ld are multiples of 4 floats; callers keep c one too).
__device__ __forceinline__ float4 sgemm_load4(const float* __restrict__ p, int ld, int r, int c, int rows, int cols,
                                              bool vec) {
    float4 v = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    if (r < rows) {
        const float* q = p + (size_t) r * ld + c;
        if (vec && c + 4 <= cols) {
            v = *as_float4(q);
        } else {
            if (c < cols) v.x = q[0];
            if (c + 1 < cols) v.y = q[1];
            if (c + 2 < cols) v.z = q[2];
            if (c + 3 < cols) v.w = q[3];
        }
    }
    return v;
}

// One operand's share of a BK-deep slice: EXTENT rows of the tile (BM of A, BN of B) times BK. K_ROWS: the
// operand is stored with k as its row index (A transposed, B plain), so global memory and shared memory
// agree and float4s go straight across; otherwise k is contiguous in memory and each float4 is scattered
// into four shared rows.
template <int EXTENT, int BK, int THREADS, bool K_ROWS>
struct SgemmOperand {
    static constexpr int VECTORS = EXTENT * BK / 4;
    static constexpr int PER_THREAD = (VECTORS + THREADS - 1) / THREADS;
    static constexpr int STRIDE = EXTENT + SGEMM_PAD;

    // Loads the slice at k0 (tile origin x0 along m or n) into registers; k beyond kEnd and rows beyond
    // `extent` read as zero.
    __device__ __forceinline__ static void fetch(float4 (&r)[PER_THREAD], const float* __restrict__ p, int ld, int x0,
                                                 int extent, int k0, int kEnd, bool vec) {
#pragma unroll
        for (int i = 0; i < PER_THREAD; i++) {
            int l = threadIdx.x + i * THREADS;
            if (VECTORS % THREADS == 0 || l < VECTORS) {
                if (K_ROWS) {
                    r[i] = sgemm_load4(p, ld, k0 + l / (EXTENT / 4), x0 + l % (EXTENT / 4) * 4, kEnd, extent, vec);
                } else {
                    r[i] = sgemm_load4(p, ld, x0 + l / (BK / 4), k0 + l % (BK / 4) * 4, extent, kEnd, vec);
                }
            }
        }
    }

    __device__ __forceinline__ static void store(const float4 (&r)[PER_THREAD], float* s) {
#pragma unroll
        for (int i = 0; i < PER_THREAD; i++) {
            int l = threadIdx.x + i * THREADS;
            if (VECTORS % THREADS == 0 || l < VECTORS) {
                if (K_ROWS) {
                    *as_float4(&s[l / (EXTENT / 4) * STRIDE + l % (EXTENT / 4) * 4]) = r[i];
                } else {
                    int x = l / (BK / 4);
                    int kk = l % (BK / 4) * 4;
                    s[(kk + 0) * STRIDE + x] = r[i].x;
                    s[(kk + 1) * STRIDE + x] = r[i].y;
                    s[(kk + 2) * STRIDE + x] = r[i].z;
                    s[(kk + 3) * STRIDE + x] = r[i].w;
                }
            }
        }
    }
};

// BM x BN tile per block, BK deep per step, TM x TN outputs per thread (multiples of 4). A thread's outputs
// are TM/4 x TN/4 groups of 4 x 4, the groups BM/(TM/4) rows (BN/(TN/4) columns) apart, so that the float4
// reads of a warp from one shared row are contiguous (conflict-free) rather than TN floats apart.
template <int BM, int BN, int BK, int TM, int TN, bool TRANS_A, bool TRANS_B, bool ROW_SUMS>
__device__ __forceinline__ void sgemm_tile(int m, int n, int k, int kPerSplit, float alpha,
                                           const float* __restrict__ A, int lda, const float* __restrict__ B, int ldb,
                                           float beta, float* __restrict__ C, int ldc, long long splitStride,
                                           const float* __restrict__ bias, float* __restrict__ rowSums,
                                           int rowSumsAccumulate, int split) {
    constexpr int THREADS_N = BN / TN;
    constexpr int THREADS = (BM / TM) * THREADS_N;
    constexpr int GM = TM / 4; // float4 groups per thread along m
    constexpr int GN = TN / 4;
    typedef SgemmOperand<BM, BK, THREADS, TRANS_A> OperandA;
    typedef SgemmOperand<BN, BK, THREADS, !TRANS_B> OperandB;
    __align__(16) __shared__ float As[2][BK * OperandA::STRIDE];
    __align__(16) __shared__ float Bs[2][BK * OperandB::STRIDE];

    const int tx = threadIdx.x % THREADS_N;
    const int ty = threadIdx.x / THREADS_N;
    const int m0 = blockIdx.x * BM;
    const int n0 = blockIdx.y * BN;
    const int kStart = split * kPerSplit;
    const int kEnd = min(k, kStart + kPerSplit);
    C += split * splitStride;
    if (ROW_SUMS) {
        rowSums += split * splitStride;
    }
    const bool vecA = sgemm_aligned(A, lda);
    const bool vecB = sgemm_aligned(B, ldb);

    float acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; i++) {
#pragma unroll
        for (int j = 0; j < TN; j++) {
            acc[i][j] = 0.0f;
        }
    }
    // ROW_SUMS: sum_k op(A)(row, k) for the thread's TM rows (every thread of a row keeps the same sums).
    float rowAcc[ROW_SUMS ? TM : 1];
#pragma unroll
    for (int i = 0; i < (ROW_SUMS ? TM : 1); i++) {
        rowAcc[i] = 0.0f;
    }

    float4 nextA[OperandA::PER_THREAD];
    float4 nextB[OperandB::PER_THREAD];
    OperandA::fetch(nextA, A, lda, m0, m, kStart, kEnd, vecA);
    OperandB::fetch(nextB, B, ldb, n0, n, kStart, kEnd, vecB);
    OperandA::store(nextA, As[0]);
    OperandB::store(nextB, Bs[0]);
    __syncthreads();

    // Double buffering: the next slice travels from global memory into registers while this one is
    // multiplied, then goes to the other buffer; one barrier per slice (the buffer written in step t was last
    // read in step t - 1, before the previous barrier).
    int buffer = 0;
    for (int k0 = kStart; k0 < kEnd; k0 += BK) {
        const bool more = k0 + BK < kEnd;
        if (more) {
            OperandA::fetch(nextA, A, lda, m0, m, k0 + BK, kEnd, vecA);
            OperandB::fetch(nextB, B, ldb, n0, n, k0 + BK, kEnd, vecB);
        }
        const float* as = As[buffer];
        const float* bs = Bs[buffer];
#pragma unroll
        for (int kk = 0; kk < BK; kk++) {
            float a[TM];
            float b[TN];
#pragma unroll
            for (int g = 0; g < GM; g++) {
                float4 v = *as_float4(&as[kk * OperandA::STRIDE + g * (BM / GM) + ty * 4]);
                a[g * 4 + 0] = v.x;
                a[g * 4 + 1] = v.y;
                a[g * 4 + 2] = v.z;
                a[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int g = 0; g < GN; g++) {
                float4 v = *as_float4(&bs[kk * OperandB::STRIDE + g * (BN / GN) + tx * 4]);
                b[g * 4 + 0] = v.x;
                b[g * 4 + 1] = v.y;
                b[g * 4 + 2] = v.z;
                b[g * 4 + 3] = v.w;
            }
#pragma unroll
            for (int i = 0; i < TM; i++) {
#pragma unroll
                for (int j = 0; j < TN; j++) {
                    acc[i][j] += a[i] * b[j];
                }
            }
            if (ROW_SUMS) {
#pragma unroll
                for (int i = 0; i < TM; i++) {
                    rowAcc[i] += a[i];
                }
            }
        }
        if (more) {
            OperandA::store(nextA, As[buffer ^ 1]);
            OperandB::store(nextB, Bs[buffer ^ 1]);
        }
        __syncthreads();
        buffer ^= 1;
    }

    if (ROW_SUMS && rowSums != nullptr && blockIdx.y == 0 && tx == 0) {
#pragma unroll
        for (int i = 0; i < TM; i++) {
            const int row = m0 + i / 4 * (BM / GM) + ty * 4 + i % 4;
            if (row < m) {
                store_gradient(rowSums, row, alpha * rowAcc[i], rowSumsAccumulate);
            }
        }
    }

    // The bias per column, for the thread's GN groups of 4 columns (zero outside C or without a bias).
    float biasValues[TN];
#pragma unroll
    for (int j = 0; j < TN; j++) {
        const int col = n0 + j / 4 * (BN / GN) + tx * 4 + j % 4;
        biasValues[j] = bias != nullptr && col < n ? bias[col] : 0.0f;
    }
    const bool vecC = sgemm_aligned(C, ldc);
#pragma unroll
    for (int i = 0; i < TM; i++) {
        const int row = m0 + i / 4 * (BM / GM) + ty * 4 + i % 4;
        if (row >= m) {
            continue;
        }
        float* c = C + (size_t) row * ldc;
#pragma unroll
        for (int g = 0; g < GN; g++) {
            const int col = n0 + g * (BN / GN) + tx * 4;
            float4 v = make_float4(alpha * acc[i][g * 4], alpha * acc[i][g * 4 + 1], alpha * acc[i][g * 4 + 2],
                                   alpha * acc[i][g * 4 + 3]);
            if (vecC && col + 4 <= n) {
                float4* out = as_float4(c + col);
                if (beta != 0.0f) { // beta == 0 must not read C: it may hold NaN
                    float4 old = *out;
                    v.x += beta * old.x;
                    v.y += beta * old.y;
                    v.z += beta * old.z;
                    v.w += beta * old.w;
                }
                v.x += biasValues[g * 4];
                v.y += biasValues[g * 4 + 1];
                v.z += biasValues[g * 4 + 2];
                v.w += biasValues[g * 4 + 3];
                *out = v;
            } else {
                const float values[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
                for (int j = 0; j < 4; j++) {
                    if (col + j < n) {
                        c[col + j] = (beta == 0.0f ? values[j] : values[j] + beta * c[col + j]) + biasValues[g * 4 + j];
                    }
                }
            }
        }
    }
}

#define SGEMM_ARGS int m, int n, int k, int kPerSplit, float alpha, const float* __restrict__ A, int lda, \
    const float* __restrict__ B, int ldb, float beta, float* __restrict__ C, int ldc, long long splitStride, \
    const float* __restrict__ bias, float* __restrict__ rowSums, int rowSumsAccumulate
#define SGEMM_PASS m, n, k, kPerSplit, alpha, A, lda, B, ldb, beta, C, ldc, splitStride, bias, rowSums, rowSumsAccumulate, \
    blockIdx.z

// The large tile, for big products: 256 threads of 8 x 8 outputs; 2 blocks per SM keeps it at <= 128 registers.
// Suffix: transposition of A and B (n: as stored, t: transposed).
KERNEL void __launch_bounds__(256, 2) sgemm_128x128_nn(SGEMM_ARGS) {
    sgemm_tile<128, 128, 8, 8, 8, false, false, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(256, 2) sgemm_128x128_nt(SGEMM_ARGS) {
    sgemm_tile<128, 128, 8, 8, 8, false, true, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(256, 2) sgemm_128x128_tn(SGEMM_ARGS) {
    sgemm_tile<128, 128, 8, 8, 8, true, false, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(256, 2) sgemm_128x128_tt(SGEMM_ARGS) {
    sgemm_tile<128, 128, 8, 8, 8, true, true, false>(SGEMM_PASS);
}

// The small tile, for the skinny products of the model (n or m of a few dozen): 128 threads of 4 x 4 outputs.
KERNEL void __launch_bounds__(128) sgemm_64x32_nn(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, false, false, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_nt(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, false, true, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tn(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, true, false, false>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tt(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, true, true, false>(SGEMM_PASS);
}

// The small tile that also sums op(A)'s rows (rowSums above): the weight gradient with its bias gradient.
KERNEL void __launch_bounds__(128) sgemm_64x32_nn_rowsums(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, false, false, true>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_nt_rowsums(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, false, true, true>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tn_rowsums(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, true, false, true>(SGEMM_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tt_rowsums(SGEMM_ARGS) {
    sgemm_tile<64, 32, 8, 4, 4, true, true, true>(SGEMM_PASS);
}

// Batched (grouped) products: `count` independent products of one shape, member g's operands at
// A + g * strideA, B + g * strideB, C + g * strideC, bias + g * strideBias and rowSums + g * strideRowSums (a
// group of equal-shape linear layers, their weights stacked: the variable selections' per-variable GRNs).
// blockIdx.z = g * splits + split; with split K, member g's partial tiles start at slice g * splits of the
// workspace (C, splitStride as above, member strides ignored) and sgemm_splitk_reduce_batched adds them.
#define SGEMM_BATCHED_ARGS SGEMM_ARGS, int splits, long long strideA, long long strideB, long long strideC, \
    long long strideBias, long long strideRowSums
template <bool TRANS_A, bool TRANS_B, bool ROW_SUMS>
__device__ __forceinline__ void sgemm_small_batched(SGEMM_BATCHED_ARGS) {
    const int g = blockIdx.z / splits;
    const int split = blockIdx.z % splits;
    A += g * strideA;
    B += g * strideB;
    if (splits == 1) {
        C += g * strideC;
        if (bias != nullptr) {
            bias += g * strideBias;
        }
        if (rowSums != nullptr) {
            rowSums += g * strideRowSums;
        }
    } else {
        C += (long long) g * splits * splitStride;
        if (rowSums != nullptr) {
            rowSums += (long long) g * splits * splitStride;
        }
    }
    sgemm_tile<64, 32, 8, 4, 4, TRANS_A, TRANS_B, ROW_SUMS>(m, n, k, kPerSplit, alpha, A, lda, B, ldb, beta, C, ldc,
                                                          splitStride, bias, rowSums, rowSumsAccumulate, split);
}
#define SGEMM_BATCHED_PASS m, n, k, kPerSplit, alpha, A, lda, B, ldb, beta, C, ldc, splitStride, bias, rowSums, \
    rowSumsAccumulate, splits, strideA, strideB, strideC, strideBias, strideRowSums
KERNEL void __launch_bounds__(128) sgemm_64x32_nn_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<false, false, false>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_nt_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<false, true, false>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tn_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<true, false, false>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tt_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<true, true, false>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_nn_rowsums_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<false, false, true>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_nt_rowsums_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<false, true, true>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tn_rowsums_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<true, false, true>(SGEMM_BATCHED_PASS);
}
KERNEL void __launch_bounds__(128) sgemm_64x32_tt_rowsums_batched(SGEMM_BATCHED_ARGS) {
    sgemm_small_batched<true, true, true>(SGEMM_BATCHED_PASS);
}

// Sums the split-K partials: slice z of the workspace (z * slice floats in) holds split z's m x n partial
// tile, then, when rowSums is not null, its m partial row sums. Element e of C (e < m * n) or of rowSums
// (e - m * n) is alpha * sum_z partials[z * slice + e], plus beta * C and bias[column] for C, plus the old
// rowSums[i] when rowSumsAccumulate. blockDim = (256 / Y, Y): x over elements, y over the splits (thread y
// takes z = y, y + Y, ...; Y is a power of two DeviceBlas picks from the split count: many threads for
// many partials), then thread y == 0 adds the Y sums in order. A fixed order: the same bits every run.
__device__ __forceinline__ void sgemm_splitk_reduce_body(int m, int n, int splits, const float* __restrict__ partials,
                                                         long long slice, float alpha, float beta,
                                                         float* __restrict__ C, int ldc,
                                                         const float* __restrict__ bias, float* __restrict__ rowSums,
                                                         int rowSumsAccumulate) {
    __shared__ float sums[256];
    const long long cells = (long long) m * n;
    const long long total = cells + (rowSums != nullptr ? m : 0);
    const long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    float sum = 0.0f;
    if (e < total) {
#pragma unroll 4
        for (int z = threadIdx.y; z < splits; z += blockDim.y) {
            sum += partials[z * slice + e];
        }
    }
    sums[threadIdx.y * blockDim.x + threadIdx.x] = sum;
    __syncthreads();
    if (threadIdx.y != 0 || e >= total) {
        return;
    }
    float total_ = 0.0f;
    for (int y = 0; y < (int) blockDim.y; y++) {
        total_ += sums[y * blockDim.x + threadIdx.x];
    }
    if (e < cells) {
        const int row = (int) (e / n);
        const int col = (int) (e % n);
        float* c = C + (size_t) row * ldc + col;
        float v = beta == 0.0f ? alpha * total_ : alpha * total_ + beta * *c;
        *c = bias != nullptr ? v + bias[col] : v;
    } else {
        store_gradient(rowSums, (size_t) (e - cells), alpha * total_, rowSumsAccumulate);
    }
}

KERNEL void sgemm_splitk_reduce(int m, int n, int splits, const float* __restrict__ partials, long long slice,
                                float alpha, float beta, float* __restrict__ C, int ldc, const float* __restrict__ bias,
                                float* __restrict__ rowSums, int rowSumsAccumulate) {
    sgemm_splitk_reduce_body(m, n, splits, partials, slice, alpha, beta, C, ldc, bias, rowSums, rowSumsAccumulate);
}

// The batched products' reduction: blockIdx.y = member g, whose splits' slices start at g * splits * slice, and
// whose C, bias and rowSums are offset by its strides; otherwise sgemm_splitk_reduce.
KERNEL void sgemm_splitk_reduce_batched(int m, int n, int splits, const float* __restrict__ partials,
                                        long long slice, float alpha, float beta, float* __restrict__ C, int ldc,
                                        const float* __restrict__ bias, float* __restrict__ rowSums,
                                        int rowSumsAccumulate, long long strideC, long long strideBias,
                                        long long strideRowSums) {
    const int g = blockIdx.y;
    sgemm_splitk_reduce_body(m, n, splits, partials + (long long) g * splits * slice, slice, alpha, beta,
                             C + g * strideC, ldc, bias == nullptr ? nullptr : bias + g * strideBias,
                             rowSums == nullptr ? nullptr : rowSums + g * strideRowSums, rowSumsAccumulate);
}
