// Row-wise kernels, one warp per row (the TFT's rows are its hidden size, 20 to a few hundred wide):
// layer norm, the gated linear unit, GateAddNorm (GLU + skip + layer norm fused), softmax with an optional
// per-row length mask, and the variable selection's weighted sum. Blocks of 256 threads = 8 rows.
#pragma once
#include "common.cuh"

#define ROWS_PER_BLOCK 8

// Grouped norms: the rows are `members` blocks of rowsPerMember rows (a group of equal-shape layers run as
// one, their activations stacked), and member r / rowsPerMember has its own weight and bias rows in the
// stacked (members, len) parameters. rowsPerMember = rows: one member, the plain layer. Null stays null.
__device__ __forceinline__ const float* member_row(const float* p, int row, int rowsPerMember, int len) {
    return p == nullptr ? nullptr : p + (size_t) (row / rowsPerMember) * len;
}

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
                               int len, float eps, int rowsPerMember) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return; // the whole warp leaves together
    }
    size_t o = (size_t) row * len;
    layer_norm_row(x + o, member_row(w, row, rowsPerMember, len), member_row(b, row, rowsPerMember, len), y + o,
                   mean + row, rstd + row, len, eps, threadIdx.x & 31);
}

// Layer norm's backward for one row, in two parts: the row means of h = g·w and of h·n (n = (x − mean)·rstd),
// then each input's gradient gx = rstd·(h − mean(h) − n·mean(h·n)).
struct NormBackwardMeans {
    float h;
    float hn;
};

__device__ __forceinline__ NormBackwardMeans layer_norm_backward_means(const float* __restrict__ g,
                                                                       const float* __restrict__ x, float mu, float rs,
                                                                       const float* __restrict__ w, int len, int lane) {
    float sumH = 0.0f;
    float sumHN = 0.0f;
    for (int i = lane; i < len; i += 32) {
        float n = (x[i] - mu) * rs;
        float h = g[i] * (w == nullptr ? 1.0f : w[i]);
        sumH += h;
        sumHN += h * n;
    }
    NormBackwardMeans m;
    m.h = warp_sum(sumH) / (float) len;
    m.hn = warp_sum(sumHN) / (float) len;
    return m;
}

__device__ __forceinline__ float layer_norm_input_gradient(float g, float n, float w, float rs, NormBackwardMeans m) {
    return rs * (g * w - m.h - n * m.hn);
}

// gx (written, or added to when accumulate) from g; when gn is not null it receives g·n, whose column sums
// are the weight's gradient (the bias's are those of g).
KERNEL void layer_norm_backward(const float* __restrict__ g, const float* __restrict__ x,
                                const float* __restrict__ mean, const float* __restrict__ rstd,
                                const float* __restrict__ w, float* __restrict__ gx, float* __restrict__ gn, int rows,
                                int len, int accumulate, int rowsPerMember) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    w = member_row(w, row, rowsPerMember, len);
    int lane = threadIdx.x & 31;
    size_t o = (size_t) row * len;
    float mu = mean[row];
    float rs = rstd[row];
    NormBackwardMeans m = layer_norm_backward_means(g + o, x + o, mu, rs, w, len, lane);
    for (int i = lane; i < len; i += 32) {
        float n = (x[o + i] - mu) * rs;
        store_gradient(gx, o + i, layer_norm_input_gradient(g[o + i], n, w == nullptr ? 1.0f : w[i], rs, m), accumulate);
        if (gn != nullptr) {
            gn[o + i] = g[o + i] * n;
        }
    }
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
                         int h, int accumulate) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < rows * h) {
        int r = i / h;
        int j = i % h;
        const float* xr = x + (size_t) r * 2 * h;
        float a = xr[j];
        float s = sigmoidf_(xr[h + j]);
        store_gradient(gx, (size_t) r * 2 * h + j, g[i] * s, accumulate);
        store_gradient(gx, (size_t) r * 2 * h + h + j, g[i] * a * s * (1.0f - s), accumulate);
    }
}

// PyTorch Forecasting's GateAddNorm after its gate layer: y = layerNorm(glu(z) + skip), z (rows, 2h),
// skip (rows, h). The sum glu(z) + skip is kept (sum) for the backward, with the row statistics.
KERNEL void gate_add_norm_forward(const float* __restrict__ z, const float* __restrict__ skip,
                                  const float* __restrict__ w, const float* __restrict__ b, float* __restrict__ sum,
                                  float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows,
                                  int h, float eps, int rowsPerMember) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    w = member_row(w, row, rowsPerMember, h);
    b = member_row(b, row, rowsPerMember, h);
    int lane = threadIdx.x & 31;
    const float* zr = z + (size_t) row * 2 * h;
    size_t o = (size_t) row * h;
    for (int i = lane; i < h; i += 32) {
        sum[o + i] = zr[i] * sigmoidf_(zr[h + i]) + skip[o + i];
    }
    __syncwarp(); // each lane reads the whole row back
    layer_norm_row(sum + o, w, b, y + o, mean + row, rstd + row, h, eps, lane);
}

// From the output gradient g: the skip's gradient (layer norm's input gradient; written to gskip, or added
// when accumulateSkip), z's gradient gz through the GLU (written, or added when accumulateZ), and g·n in gn
// for the weight's gradient (the bias's is Σ g); any of the three may be null.
KERNEL void gate_add_norm_backward(const float* __restrict__ g, const float* __restrict__ z,
                                   const float* __restrict__ sum, const float* __restrict__ mean,
                                   const float* __restrict__ rstd, const float* __restrict__ w,
                                   float* __restrict__ gskip, float* __restrict__ gz, float* __restrict__ gn,
                                   int rows, int h, int accumulateSkip, int accumulateZ, int rowsPerMember) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    w = member_row(w, row, rowsPerMember, h);
    int lane = threadIdx.x & 31;
    size_t o = (size_t) row * h;
    float mu = mean[row];
    float rs = rstd[row];
    NormBackwardMeans m = layer_norm_backward_means(g + o, sum + o, mu, rs, w, h, lane);
    const float* zr = z + (size_t) row * 2 * h;
    float* gzr = gz == nullptr ? nullptr : gz + (size_t) row * 2 * h;
    for (int i = lane; i < h; i += 32) {
        float n = (sum[o + i] - mu) * rs;
        float gs = layer_norm_input_gradient(g[o + i], n, w == nullptr ? 1.0f : w[i], rs, m);
        if (gskip != nullptr) {
            store_gradient(gskip, o + i, gs, accumulateSkip);
        }
        if (gn != nullptr) {
            gn[o + i] = g[o + i] * n;
        }
        if (gz != nullptr) {
            float a = zr[i];
            float s = sigmoidf_(zr[h + i]);
            store_gradient(gzr, i, gs * s, accumulateZ);
            store_gradient(gzr, h + i, gs * a * s * (1.0f - s), accumulateZ);
        }
    }
}

// Softmax over rows of `len`, max-subtracted. With lengths (not null), row r keeps only its first
// lengths[r / rowsPerLength] entries (the rest, and rows with none, are 0): a masked softmax. Lengths are
// floats holding whole numbers, as every length tensor on the device.
KERNEL void softmax_forward(const float* __restrict__ x, float* __restrict__ y, int rows, int len,
                            const float* __restrict__ lengths, int rowsPerLength) {
    int row = blockIdx.x * ROWS_PER_BLOCK + (threadIdx.x >> 5);
    if (row >= rows) {
        return;
    }
    int lane = threadIdx.x & 31;
    int valid = lengths == nullptr ? len : min(len, (int) lengths[row / rowsPerLength]);
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
    s = warp_sum(s);
    float inverse = s > 0.0f ? 1.0f / s : 0.0f; // no valid entry: a row of zeros
    for (int i = lane; i < len; i += 32) {
        yr[i] = i < valid ? expf(xr[i] - m) * inverse : 0.0f;
    }
}

// gx = y ⊙ (g − Σ g⊙y) (masked entries have y = 0 and get 0).
KERNEL void softmax_backward(const float* __restrict__ y, const float* __restrict__ g, float* __restrict__ gx,
                             int rows, int len, int accumulate) {
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
        store_gradient(gx, o + i, y[o + i] * (g[o + i] - dot), accumulate);
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

// gx_v = w[r, v]·g (gx.p[v] null: not needed; added to it where accumulate.v[v]) and gw[r, v] =
// Σ_i g[r, i]·x_v[r, i] (added to it when accumulateWeights); one warp per row.
KERNEL void weighted_sum_backward(PointerList x, int n, const float* __restrict__ w, const float* __restrict__ g,
                                  PointerList gx, IntList accumulate, float* __restrict__ gw, int accumulateWeights,
                                  int rows, int len) {
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
                store_gradient(gx.p[v], o + i, gi * wv, accumulate.v[v]);
            }
            dot += gi * x.p[v][o + i];
        }
        dot = warp_sum(dot);
        if (lane == 0 && gw != nullptr) {
            store_gradient(gw, (size_t) row * n + v, dot, accumulateWeights);
        }
    }
}
