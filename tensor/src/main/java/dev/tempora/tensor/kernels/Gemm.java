package dev.tempora.tensor.kernels;

import dev.tempora.tensor.Parallel;

/**
 * Single-precision GEMM on row-major storage: {@code C = alpha · op(A) · op(B) + beta · C}, with
 * op(A) of m×k and op(B) of k×n. Element (i, p) of A is {@code a[aOff + i*lda + p]}, or
 * {@code a[aOff + p*lda + i]} when {@code transA}; likewise B. C's rows are {@code ldc} apart.
 * When beta is 0, C is overwritten (NaNs in it do not propagate), as BLAS.
 */
public final class Gemm {

    private Gemm() {}

    /** GEMM, using the shared pool for large products. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        long flops = 2L * m * n * k;
        if (flops < 1 << 21 || m < 2) {
            sgemmSerial(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split rows of C: each task owns disjoint rows, so the result does not depend on scheduling.
        Parallel.forRange(m, 16, (from, to) -> sgemmSerial(transA, transB, to - from, n, k, alpha,
                a, aOff + (transA ? from : from * lda), lda, b, bOff, ldb, beta, c, cOff + from * ldc, ldc));
    }

    /** GEMM on the calling thread only. */
    public static void sgemmSerial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0f) {
            scale(beta, m, n, c, cOff, ldc);
            return;
        }
        if (beta != 0f && beta != 1f) {
            scale(beta, m, n, c, cOff, ldc);
        }
        GemmVector.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, beta != 0f);
    }

    private static void scale(float beta, int m, int n, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int o = cOff + i * ldc;
            if (beta == 0f) {
                java.util.Arrays.fill(c, o, o + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) {
                    c[o + j] *= beta;
                }
            }
        }
    }

    /** The definition: a triple loop accumulating in double. */
    public static void sgemmReference(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    acc += (double) av * bv;
                }
                int ci = cOff + i * ldc + j;
                c[ci] = (float) (alpha * acc + (beta == 0f ? 0f : beta * c[ci]));
            }
        }
    }
}
