package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

/**
 * Matrix products on the device with our own SGEMM kernel ({@code src/main/cuda/gemm.cuh}).
 * Row-major, BLAS-style: {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is X or its
 * transpose, A is (m, k) (stored (k, m) when transposed), B is (k, n) (stored (n, k) when transposed), and
 * {@code lda}, {@code ldb}, {@code ldc} are the row strides (in elements) of the stored matrices.
 */
public final class DeviceBlas {
    private DeviceBlas() {
    }

    /** The general product on raw device addresses. {@code beta == 0} ignores C's old values (NaN too). */
    public static void gemm(GpuDevice device, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            long a, int lda, long b, int ldb, float beta, long c, int ldc) {
        if (m < 0 || n < 0 || k < 0 || lda < (transA ? m : k) || ldb < (transB ? k : n) || ldc < n) {
            throw new IllegalArgumentException("gemm: m " + m + ", n " + n + ", k " + k + ", lda " + lda + ", ldb " + ldb
                    + ", ldc " + ldc + (transA ? " (A transposed)" : "") + (transB ? " (B transposed)" : ""));
        }
        if (m == 0 || n == 0) {
            return;
        }
        int tile = 16;
        device.launch("sgemm", new int[] {(n + tile - 1) / tile, (m + tile - 1) / tile, 1}, new int[] {tile, tile, 1}, 0,
                new KernelArguments().i32(transA ? 1 : 0).i32(transB ? 1 : 0).i32(m).i32(n).i32(k).f32(alpha)
                        .pointer(a).i32(lda).pointer(b).i32(ldb).f32(beta).pointer(c).i32(ldc));
    }

    /** {@code c = op(a) · op(b)} for dense 2-d tensors (c is overwritten). */
    public static void matmul(DeviceTensor a, boolean transA, DeviceTensor b, boolean transB, DeviceTensor c) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("matmul: 2-d tensors expected, got " + a + ", " + b + ", " + c);
        }
        int m = transA ? a.size(1) : a.size(0);
        int k = transA ? a.size(0) : a.size(1);
        int kb = transB ? b.size(1) : b.size(0);
        int n = transB ? b.size(0) : b.size(1);
        if (k != kb || c.size(0) != m || c.size(1) != n) {
            throw new IllegalArgumentException("matmul: " + a + (transA ? "^T" : "") + " · " + b + (transB ? "^T" : "")
                    + " into " + c);
        }
        gemm(a.device(), transA, transB, m, n, k, 1f, a.address(), a.size(1), b.address(), b.size(1), 0f, c.address(), n);
    }
}
