// Row-wise kernels, one warp per row (the TFT's rows are its hidden size, 20 to a few hundred wide):
// layer norm, the gated linear unit, GateAddNorm (GLU + skip + layer norm fused), softmax with an optional
// per-row length mask, and the variable selection's weighted sum. Blocks of 256 threads = 8 rows.
#pragma once
#include "common.cuh"

#define ROWS_PER_BLOCK 8

// y = (x − mean)·rstd·w + b with the biased variance, as torch; mean and rstd saved per row.
// w and b may be null (no affine map).
__device__ __forceinline__ void layer_norm_row(const float* __restrict__ x, const float* __restrict__ w,
                                               const float* __restrict__ b, float* __restrict__ y, float* mean,
                                               float* rstd, int len, float eps, int lane) {
    float s = 0.0f;
    for (int i = lane; i < len; i += 32) {
        s += x[i];
    }
    float mu = warp_sum(s) / (float) len;
    float v = 0.0f;
    for (int i = lane; i < len; i += 32) {
        float d = x[i] - mu;
        v += d * d;
    }
    float var = warp_sum(v) / (float) len;
    float rs = 1.0f / sqrtf(var + eps);
    if (lane == 0) {
        *mean = mu;
        *rstd = rs;
    }
    for (int i = lane; i < len; i += 32) {
        float n = (x[i] - mu) * rs;
        y[i] = n * (w == nullptr ? 1.0f : w[i]) + (b == nullptr ? 0.0f : b[i]);
    }
}

KERNEL void layer_norm_forward(const float* __restrict__ x, const float* __restrict__ w, const float* __restrict__ b,
                               float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows,
                               int len, float eps) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return; // the whole warp leaves together
    }
    size_t o = (size_t) row * len;
    layer_norm_row(x + o, w, b, y + o, mean + row, rstd + row, len, eps, threadIdx.x & 31);
}

// gx = rstd·(h − mean(h) − n·mean(h·n)) with n = (x − mean)·rstd, h = g·w. When gn is not null it receives
// g·n, whose column sums are the weight's gradient (the bias's are those of g).
__device__ __forceinline__ void layer_norm_backward_row(const float* __restrict__ g, const float* __restrict__ x,
                                                        float mu, float rs, const float* __restrict__ w,
                                                        float* __restrict__ gx, float* __restrict__ gn, int len,
                                                        int lane) {
    float sumH = 0.0f;
    float sumHN = 0.0f;
    for (int i = lane; i < len; i += 32) {
        float n = (x[i] - mu) * rs;
        float h = g[i] * (w == nullptr ? 1.0f : w[i]);
        sumH += h;
        sumHN += h * n;
    }
    float meanH = warp_sum(sumH) / (float) len;
    float meanHN = warp_sum(sumHN) / (float) len;
    for (int i = lane; i < len; i += 32) {
        float n = (x[i] - mu) * rs;
        float h = g[i] * (w == nullptr ? 1.0f : w[i]);
        gx[i] = rs * (h - meanH - n * meanHN);
        if (gn != nullptr) {
            gn[i] = g[i] * n;
        }
    }
}

KERNEL void layer_norm_backward(const float* __restrict__ g, const float* __restrict__ x,
                                const float* __restrict__ mean, const float* __restrict__ rstd,
                                const float* __restrict__ w, float* __restrict__ gx, float* __restrict__ gn, int rows,
                                int len) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    size_t o = (size_t) row * len;
    layer_norm_backward_row(g + o, x + o, mean[row], rstd[row], w, gx + o, gn == nullptr ? nullptr : gn + o, len,
                            threadIdx.x & 31);
}

// The gated linear unit over rows of 2h: out[r, j] = x[r, j]·σ(x[r, h + j]).
KERNEL void glu_forward(const float* __restrict__ x, float* __restrict__ y, int rows, int h) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * h) {
        int r = i / h;
        int j = i % h;
        const float* xr = x + (size_t) r * 2 * h;
        y[i] = xr[j] * sigmoidf_(xr[h + j]);
    }
}

KERNEL void glu_backward(const float* __restrict__ x, const float* __restrict__ g, float* __restrict__ gx, int rows,
                         int h) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * h) {
        int r = i / h;
        int j = i % h;
        const float* xr = x + (size_t) r * 2 * h;
        float a = xr[j];
        float s = sigmoidf_(xr[h + j]);
        gx[(size_t) r * 2 * h + j] = g[i] * s;
        gx[(size_t) r * 2 * h + h + j] = g[i] * a * s * (1.0f - s);
    }
}

// PyTorch Forecasting's GateAddNorm after its gate layer: y = layerNorm(glu(z) + skip), z (rows, 2h),
// skip (rows, h). The sum glu(z) + skip is kept (sum) for the backward, with the row statistics.
KERNEL void gate_add_norm_forward(const float* __restrict__ z, const float* __restrict__ skip,
                                  const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ sum,
                                  float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows,
                                  int h, float eps) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    const float* zr = z + (size_t) row * 2 * h;
    size_t o = (size_t) row * h;
    for (int i = lane; i < h; i += 32) {
        sum[o + i] = zr[i] * sigmoidf_(zr[h + i]) + skip[o + i];
    }
    __syncwarp(); // each lane reads the whole row back
    layer_norm_row(sum + o, w, b, y + o, mean + row, rstd + row, h, eps, lane);
}

// From the output gradient g: the skip's gradient gskip (layer norm's input gradient), z's gradient gz
// through the GLU, and g·n in gn for the weight's gradient (the bias's is Σ g).
KERNEL void gate_add_norm_backward(const float* __restrict__ g, const float* __restrict__ z,
                                   const float* __restrict__ sum, const float* __restrict__ mean,
                                   const float* __restrict__ rstd, const float* __restrict__ w,
                                   float* __restrict__ gskip, float* __restrict__ gz, float* __restrict__ gn,
                                   int rows, int h) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    size_t o = (size_t) row * h;
    layer_norm_backward_row(g + o, sum + o, mean[row], rstd[row], w, gskip + o, gn == nullptr ? nullptr : gn + o, h,
                            lane);
    __syncwarp();
    const float* zr = z + (size_t) row * 2 * h;
    float* gzr = gz + (size_t) row * 2 * h;
    for (int i = lane; i < h; i += 32) {
        float a = zr[i];
        float s = sigmoidf_(zr[h + i]);
        float gs = gskip[o + i];
        gzr[i] = gs * s;
        gzr[h + i] = gs * a * s * (1.0f - s);
    }
}

// Softmax over rows of `len`, max-subtracted. With lengths (not null), row r keeps only its first
// lengths[r / rowsPerLength] entries (the rest, and rows with none, are 0): a masked softmax.
KERNEL void softmax_forward(const float* __restrict__ x, float* __restrict__ y, int rows, int len,
                            const int* __restrict__ lengths, int rowsPerLength) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    int valid = lengths == nullptr ? len : min(len, lengths[row / rowsPerLength]);
    const float* xr = x + (size_t) row * len;
    float* yr = y + (size_t) row * len;
    float m = -INFINITY;
    for (int i = lane; i < valid; i += 32) {
        m = fmaxf(m, xr[i]);
    }
    m = warp_max(m);
    float s = 0.0f;
    for (int i = lane; i < valid; i += 32) {
        s += expf(xr[i] - m);
    }
    float inverse = 1.0f / warp_sum(s);
    for (int i = lane; i < len; i += 32) {
        yr[i] = i < valid ? expf(xr[i] - m) * inverse : 0.0f;
    }
}

// gx = y ⊙ (g − Σ g⊙y) (masked entries have y = 0 and get 0).
KERNEL void softmax_backward(const float* __restrict__ y, const float* __restrict__ g, float* __restrict__ gx,
                             int rows, int len) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    size_t o = (size_t) row * len;
    float dot = 0.0f;
    for (int i = lane; i < len; i += 32) {
        dot += g[o + i] * y[o + i];
    }
    dot = warp_sum(dot);
    for (int i = lane; i < len; i += 32) {
        gx[o + i] = y[o + i] * (g[o + i] - dot);
    }
}

// The variable selection's combination: out[r, i] = Σ_v w[r, v]·x_v[r, i] over n inputs (rows, len) and
// weights (rows, n), summed in input order. One thread per output element.
KERNEL void weighted_sum_forward(PointerList x, int n, const float* __restrict__ w, float* __restrict__ out, int rows,
                                 int len) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i >= rows * len) {
        return;
    }
    int r = i / len;
    const float* wr = w + (size_t) r * n;
    float acc = x.p[0][i] * wr[0];
    for (int v = 1; v < n; v++) {
        acc = acc + x.p[v][i] * wr[v];
    }
    out[i] = acc;
}

// gx_v = w[r, v]·g (gx.p[v] null: not needed) and gw[r, v] = Σ_i g[r, i]·x_v[r, i]; one warp per row.
KERNEL void weighted_sum_backward(PointerList x, int n, const float* __restrict__ w, const float* __restrict__ g,
                                  PointerList gx, float* __restrict__ gw, int rows, int len) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    size_t o = (size_t) row * len;
    for (int v = 0; v < n; v++) {
        float wv = w[(size_t) row * n + v];
        float dot = 0.0f;
        for (int i = lane; i < len; i += 32) {
            float gi = g[o + i];
            if (gx.p[v] != nullptr) {
                gx.p[v][o + i] = gi * wv;
            }
            dot += gi * x.p[v][o + i];
        }
        dot = warp_sum(dot);
        if (lane == 0 && gw != nullptr) {
            gw[(size_t) row * n + v] = dot;
        }
    }
}
