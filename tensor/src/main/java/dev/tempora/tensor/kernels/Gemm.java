package dev.tempora.tensor.kernels;

import dev.tempora.tensor.Parallel;

/**
 * Single-precision GEMM on row-major storage: {@code C = alpha · op(A) · op(B) + beta · C}, with
 * op(A) of m×k and op(B) of k×n. Element (i, p) of A is {@code a[aOff + i*lda + p]}, or
 * {@code a[aOff + p*lda + i]} when {@code transA}; likewise B. C's rows are {@code ldc} apart.
 * When beta is 0, C is overwritten (NaNs in it do not propagate), and when alpha is 0 or k is 0,
 * A and B are not read, as in BLAS.
 *
 * <p>The SIMD paths are {@link GemmVector} (register-tiled, packed panels) and, when C is a single
 * row or column, {@link GemmMatrixVector}; products of 1 to 8 columns or steps that
 * {@link GemmNarrow} covers go to its kernels; without the Vector API, {@link #sgemmScalar} runs. Every
 * path gives the same result for any number of threads: work is split by whole tiles of C, never
 * along k, so each element is summed in the same order.
 */
public final class Gemm {

    /**
     * Below this much work, m·n·(k + 8), a product runs on the calling thread. Handing work to the
     * pool and waiting for it costs 20-40 µs (two thread wake-ups), which ate the gain below about
     * 2^23 (170 µs on one core): 200³ broke even on two threads, 256³ ran 1.35× faster. The 8 per
     * element of C stands for writing C, which dominates when k is tiny.
     */
    static final long PARALLEL_MIN_WORK = 1L << 23;

    private Gemm() {}

    /** GEMM, using the shared pool for large products. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(Parallel.threads(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * GEMM on at most {@code maxThreads} threads of the shared pool (benchmarks use it to measure
     * scaling); 1 runs on the calling thread only.
     */
    public static void sgemm(int maxThreads, boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (maxThreads < 1) {
            throw new IllegalArgumentException("sgemm: maxThreads must be at least 1, got " + maxThreads);
        }
        if (!prepare(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        boolean accumulate = beta != 0f;
        boolean matrixVector = m == 1 || n == 1; // decided for the whole product, not per task
        int threads = Math.min(maxThreads, Parallel.threads());
        GemmNarrow.Shape narrow = GemmNarrow.shape(transA, transB, m, n, k, lda, ldc);
        if (narrow != GemmNarrow.Shape.NONE) {
            GemmNarrow.multiply(threads, narrow, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                    accumulate);
            return;
        }
        switch (split(m, n, k, threads)) {
            case ROWS -> {
                int step = tileRows();
                Parallel.forRange(ceilDiv(m, step), 1, threads, (from, to) -> {
                    int i0 = from * step;
                    int rows = Math.min(m, to * step) - i0;
                    multiply(matrixVector, transA, transB, rows, n, k, alpha, a, aOff + (transA ? i0 : i0 * lda),
                            lda, b, bOff, ldb, c, cOff + i0 * ldc, ldc, accumulate);
                });
            }
            case COLUMNS -> {
                int step = tileColumns();
                Parallel.forRange(ceilDiv(n, step), 1, threads, (from, to) -> {
                    int j0 = from * step;
                    int cols = Math.min(n, to * step) - j0;
                    multiply(matrixVector, transA, transB, m, cols, k, alpha, a, aOff, lda,
                            b, bOff + (transB ? j0 * ldb : j0), ldb, c, cOff + j0, ldc, accumulate);
                });
            }
            case NONE -> multiply(matrixVector, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    c, cOff, ldc, accumulate);
        }
    }

    /** How a product is shared among threads: not at all, or in whole tiles along one axis of C. */
    enum Split { NONE, ROWS, COLUMNS }

    /**
     * The split for an m×n×k product on {@code threads} threads. Splitting rows makes every task
     * pack all of B (k·n floats); splitting columns makes every task read all of A (m·k, read in
     * place): the cheaper duplicate wins, provided that axis has a tile for every thread.
     */
    static Split split(int m, int n, int k, int threads) {
        if (threads < 2 || (long) m * n * (k + 8) < PARALLEL_MIN_WORK) {
            return Split.NONE;
        }
        boolean rowsPossible = ceilDiv(m, tileRows()) >= threads;
        boolean columnsPossible = ceilDiv(n, tileColumns()) >= threads;
        if (2L * n < m) {
            return rowsPossible ? Split.ROWS : columnsPossible ? Split.COLUMNS : Split.NONE;
        }
        return columnsPossible ? Split.COLUMNS : rowsPossible ? Split.ROWS : Split.NONE;
    }

    /** GEMM on the calling thread only. */
    public static void sgemmSerial(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        checkArguments(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        if (!prepare(m, n, k, alpha, beta, c, cOff, ldc)) {
            return;
        }
        GemmNarrow.Shape narrow = GemmNarrow.shape(transA, transB, m, n, k, lda, ldc);
        if (narrow != GemmNarrow.Shape.NONE) {
            GemmNarrow.multiply(narrow, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, beta != 0f);
        } else {
            multiply(m == 1 || n == 1, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc,
                    beta != 0f);
        }
    }

    /** The definition: a triple loop accumulating in double. */
    static void sgemmReference(boolean transA, boolean transB, int m, int n, int k, float alpha,
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

    /**
     * The scalar fallback (no Vector API): C = alpha·op(A)·op(B), plus C when {@code accumulate}.
     * Rows of C are accumulated from rows of op(B) so the inner loop runs along contiguous memory
     * whenever B is not transposed; C2 vectorises that loop on its own.
     */
    static void sgemmScalar(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc, boolean accumulate) {
        if (transB) {
            sgemmScalarDots(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (!accumulate) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            }
            for (int p = 0; p < k; p++) {
                float av = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
                for (int j = 0, bi = bOff + p * ldb; j < n; j++, bi++) {
                    c[ci + j] += av * b[bi];
                }
            }
        }
    }

    /**
     * {@link #sgemmScalar} with B transposed: each element of C as one dot product along a row of B, in a
     * local, instead of rows of C accumulated along B's strided columns (a store per step, which is what
     * C1, running a small predict, made slow); four elements at a time, so that four independent sums
     * hide the latency of the additions. The same operations in the same order as the row form (C's element,
     * plus alpha·a times b for p = 0, 1, ...): the same bits.
     */
    private static void sgemmScalarDots(boolean transA, int m, int n, int k, float alpha,
                                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                        float[] c, int cOff, int ldc, boolean accumulate) {
        int aStep = transA ? lda : 1;
        for (int i = 0; i < m; i++) {
            int ai = transA ? aOff + i : aOff + i * lda;
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * ldb;
                float s0 = accumulate ? c[ci + j] : 0f;
                float s1 = accumulate ? c[ci + j + 1] : 0f;
                float s2 = accumulate ? c[ci + j + 2] : 0f;
                float s3 = accumulate ? c[ci + j + 3] : 0f;
                for (int p = 0, ap = ai; p < k; p++, ap += aStep) {
                    float av = alpha * a[ap];
                    s0 += av * b[b0 + p];
                    s1 += av * b[b0 + ldb + p];
                    s2 += av * b[b0 + 2 * ldb + p];
                    s3 += av * b[b0 + 3 * ldb + p];
                }
                c[ci + j] = s0;
                c[ci + j + 1] = s1;
                c[ci + j + 2] = s2;
                c[ci + j + 3] = s3;
            }
            for (; j < n; j++) {
                int bj = bOff + j * ldb;
                float sum = accumulate ? c[ci + j] : 0f;
                for (int p = 0, ap = ai; p < k; p++, ap += aStep) {
                    sum += alpha * a[ap] * b[bj + p];
                }
                c[ci + j] = sum;
            }
        }
    }

    /**
     * C = alpha·op(A)·op(B) (+ C) on this thread, for m, n, k ≥ 1; {@code matrixVector} when the
     * whole product (not just this task's part of it) has a single row or column.
     */
    private static void multiply(boolean matrixVector, boolean transA, boolean transB, int m, int n, int k,
                                 float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc, boolean accumulate) {
        if (VectorSupport.ENABLED && matrixVector) {
            GemmMatrixVector.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    c, cOff, ldc, accumulate);
        } else if (VectorSupport.ENABLED) {
            GemmVector.PREFERRED.multiply(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                    c, cOff, ldc, accumulate);
        } else {
            sgemmScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /**
     * Handles what needs no product: empty C, and k = 0 or alpha = 0 (C = beta·C). Otherwise scales
     * C by beta when beta is neither 0 nor 1, so the kernels only overwrite or add, and returns true.
     */
    private static boolean prepare(int m, int n, int k, float alpha, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return false;
        }
        boolean product = k > 0 && alpha != 0f;
        if (beta != 1f && (!product || beta != 0f)) {
            for (int i = 0; i < m; i++) {
                int o = cOff + i * ldc;
                if (beta == 0f) {
                    java.util.Arrays.fill(c, o, o + n, 0f);
                } else {
                    for (int j = 0; j < n; j++) {
                        c[o + j] *= beta;
                    }
                }
            }
        }
        return product;
    }

    private static int tileRows() {
        return VectorSupport.ENABLED ? GemmVector.PREFERRED.mr : 8;
    }

    private static int tileColumns() {
        return VectorSupport.ENABLED ? GemmVector.PREFERRED.nr : 32;
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Rejects negative sizes, short leading dimensions and matrices that overrun their arrays. */
    private static void checkArguments(boolean transA, boolean transB, int m, int n, int k,
                                       float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                       float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: sizes must be non-negative, got m=" + m + ", n=" + n
                    + ", k=" + k);
        }
        checkMatrix("A", transA ? k : m, transA ? m : k, transA, a, aOff, lda, "lda");
        checkMatrix("B", transB ? n : k, transB ? k : n, transB, b, bOff, ldb, "ldb");
        checkMatrix("C", m, n, false, c, cOff, ldc, "ldc");
    }

    private static String describe(String name, int rows, int cols, boolean transposed) {
        return name + (transposed ? " (stored transposed, " : " (stored ") + rows + "×" + cols + ")";
    }

    /** A stored rows×cols row-major matrix at off with leading dimension ld must fit its array. */
    private static void checkMatrix(String name, int rows, int cols, boolean transposed, float[] x,
                                    int off, int ld, String ldName) {
        if (rows == 0 || cols == 0) {
            return;
        }
        // The message is built only on failure: this check runs on every product of a training step.
        if (ld < cols) {
            throw new IllegalArgumentException("sgemm: " + ldName + " = " + ld + " is less than the "
                    + cols + " columns of " + describe(name, rows, cols, transposed));
        }
        long last = off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("sgemm: " + describe(name, rows, cols, transposed) + " at offset " + off
                    + " with " + ldName + " = " + ld + " needs elements up to index " + last + ", but the array has "
                    + x.length);
        }
    }
}
