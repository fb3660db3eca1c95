package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * GEMM when C is a single column (n = 1) or a single row (m = 1): a matrix times a vector. The
 * register tiles of {@link GemmVector} would compute 8 or 32 times the useful work there, and the
 * product is bound by reading the matrix once, so these loops stream the matrix in storage order:
 * <ul>
 *   <li>{@link #dots}: rows of the matrix run along k, each output is a dot product;</li>
 *   <li>{@link #axpys}: rows of the matrix run along the output, which accumulates row after row
 *       (the sums stay in L1 while the matrix streams past).</li>
 * </ul>
 * Loaded only when {@link VectorSupport#ENABLED}.
 */
final class GemmMatrixVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private GemmMatrixVector() {}

    /** C = alpha·op(A)·op(B) (+ C) for m = 1 or n = 1, arguments as {@link Gemm} checked them. */
    static void multiply(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float[] c, int cOff, int ldc, boolean accumulate) {
        if (n == 1) {
            // C's column = op(A) · (op(B)'s column, element p at b[bOff + p*xs]).
            int xs = transB ? 1 : ldb;
            if (transA) {
                axpys(m, k, alpha, a, aOff, lda, b, bOff, xs, c, cOff, ldc, accumulate);
            } else {
                dots(m, k, alpha, a, aOff, lda, b, bOff, xs, c, cOff, ldc, accumulate);
            }
        } else {
            // C's row = op(B)ᵀ · (op(A)'s row, element p at a[aOff + p*xs]).
            int xs = transA ? lda : 1;
            if (transB) {
                dots(n, k, alpha, b, bOff, ldb, a, aOff, xs, c, cOff, 1, accumulate);
            } else {
                axpys(n, k, alpha, b, bOff, ldb, a, aOff, xs, c, cOff, 1, accumulate);
            }
        }
    }

    /**
     * y[yo + i*ys] = alpha · Σ_p mat[mo + i*ldm + p] · x[xo + p*xs] (+ y) for i below rows: one dot
     * product per row, four rows at a time so each vector of x is loaded once for four rows.
     */
    static void dots(int rows, int k, float alpha, float[] mat, int mo, int ldm, float[] x, int xo, int xs,
                     float[] y, int yo, int ys, boolean add) {
        if (xs != 1) {
            float[] packed = scratch(k);
            for (int p = 0; p < k; p++) {
                packed[p] = x[xo + p * xs];
            }
            x = packed;
            xo = 0;
        }
        int i = 0;
        for (; i + 4 <= rows; i += 4) {
            dotFourRows(k, alpha, mat, mo + i * ldm, ldm, x, xo, y, yo + i * ys, ys, add);
        }
        for (; i < rows; i++) {
            put(y, yo + i * ys, alpha * dot(k, mat, mo + i * ldm, x, xo), add);
        }
    }

    // Each pass is its own small method: C1 gives up on one method holding every loop's vectors
    // ("out of virtual registers"), which left the whole product in slow code for seconds.

    private static void dotFourRows(int k, float alpha, float[] mat, int r0, int ldm, float[] x, int xo,
                                    float[] y, int yo, int ys, boolean add) {
        int r1 = r0 + ldm;
        int r2 = r1 + ldm;
        int r3 = r2 + ldm;
        int full = k - k % L;
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        FloatVector s2 = FloatVector.zero(S);
        FloatVector s3 = FloatVector.zero(S);
        for (int p = 0; p < full; p += L) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + p);
            s0 = FloatVector.fromArray(S, mat, r0 + p).fma(xv, s0);
            s1 = FloatVector.fromArray(S, mat, r1 + p).fma(xv, s1);
            s2 = FloatVector.fromArray(S, mat, r2 + p).fma(xv, s2);
            s3 = FloatVector.fromArray(S, mat, r3 + p).fma(xv, s3);
        }
        if (full < k) {
            VectorMask<Float> tail = S.indexInRange(full, k);
            FloatVector xv = FloatVector.fromArray(S, x, xo + full, tail);
            s0 = FloatVector.fromArray(S, mat, r0 + full, tail).fma(xv, s0);
            s1 = FloatVector.fromArray(S, mat, r1 + full, tail).fma(xv, s1);
            s2 = FloatVector.fromArray(S, mat, r2 + full, tail).fma(xv, s2);
            s3 = FloatVector.fromArray(S, mat, r3 + full, tail).fma(xv, s3);
        }
        put(y, yo, alpha * VectorMath.sum(s0), add);
        put(y, yo + ys, alpha * VectorMath.sum(s1), add);
        put(y, yo + 2 * ys, alpha * VectorMath.sum(s2), add);
        put(y, yo + 3 * ys, alpha * VectorMath.sum(s3), add);
    }

    private static float dot(int k, float[] mat, int r, float[] x, int xo) {
        int full = k - k % L;
        FloatVector s = FloatVector.zero(S);
        for (int p = 0; p < full; p += L) {
            s = FloatVector.fromArray(S, mat, r + p).fma(FloatVector.fromArray(S, x, xo + p), s);
        }
        if (full < k) {
            VectorMask<Float> tail = S.indexInRange(full, k);
            s = FloatVector.fromArray(S, mat, r + full, tail).fma(FloatVector.fromArray(S, x, xo + full, tail), s);
        }
        return VectorMath.sum(s);
    }

    /**
     * y[yo + j*ys] = alpha · Σ_p x[xo + p*xs] · mat[mo + p*ldm + j] (+ y) for j below cols: rows of
     * the matrix scaled and summed into a scratch row, four rows per pass so the sums are loaded and
     * stored once per four rows while the matrix streams through in storage order.
     */
    static void axpys(int cols, int k, float alpha, float[] mat, int mo, int ldm, float[] x, int xo, int xs,
                      float[] y, int yo, int ys, boolean add) {
        float[] sums = scratch(cols);
        java.util.Arrays.fill(sums, 0, cols, 0f);
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            addFourRows(cols, mat, mo + p * ldm, ldm, x[xo + p * xs], x[xo + (p + 1) * xs],
                    x[xo + (p + 2) * xs], x[xo + (p + 3) * xs], sums);
        }
        for (; p < k; p++) {
            addRow(cols, mat, mo + p * ldm, x[xo + p * xs], sums);
        }
        for (int j = 0; j < cols; j++) {
            put(y, yo + j * ys, alpha * sums[j], add);
        }
    }

    private static void addFourRows(int cols, float[] mat, int r0, int ldm, float w0, float w1, float w2, float w3,
                                    float[] sums) {
        int r1 = r0 + ldm;
        int r2 = r1 + ldm;
        int r3 = r2 + ldm;
        FloatVector x0 = FloatVector.broadcast(S, w0);
        FloatVector x1 = FloatVector.broadcast(S, w1);
        FloatVector x2 = FloatVector.broadcast(S, w2);
        FloatVector x3 = FloatVector.broadcast(S, w3);
        int full = cols - cols % L;
        for (int j = 0; j < full; j += L) {
            FloatVector sum = FloatVector.fromArray(S, sums, j);
            sum = FloatVector.fromArray(S, mat, r0 + j).fma(x0, sum);
            sum = FloatVector.fromArray(S, mat, r1 + j).fma(x1, sum);
            sum = FloatVector.fromArray(S, mat, r2 + j).fma(x2, sum);
            sum = FloatVector.fromArray(S, mat, r3 + j).fma(x3, sum);
            sum.intoArray(sums, j);
        }
        if (full < cols) {
            VectorMask<Float> tail = S.indexInRange(full, cols);
            FloatVector sum = FloatVector.fromArray(S, sums, full, tail);
            sum = FloatVector.fromArray(S, mat, r0 + full, tail).fma(x0, sum);
            sum = FloatVector.fromArray(S, mat, r1 + full, tail).fma(x1, sum);
            sum = FloatVector.fromArray(S, mat, r2 + full, tail).fma(x2, sum);
            sum = FloatVector.fromArray(S, mat, r3 + full, tail).fma(x3, sum);
            sum.intoArray(sums, full, tail);
        }
    }

    private static void addRow(int cols, float[] mat, int r, float w, float[] sums) {
        FloatVector xv = FloatVector.broadcast(S, w);
        int full = cols - cols % L;
        for (int j = 0; j < full; j += L) {
            FloatVector.fromArray(S, mat, r + j).fma(xv, FloatVector.fromArray(S, sums, j)).intoArray(sums, j);
        }
        if (full < cols) {
            VectorMask<Float> tail = S.indexInRange(full, cols);
            FloatVector.fromArray(S, mat, r + full, tail).fma(xv, FloatVector.fromArray(S, sums, full, tail))
                    .intoArray(sums, full, tail);
        }
    }

    /** Writes or adds one output. */
    private static void put(float[] y, int index, float value, boolean add) {
        y[index] = add ? y[index] + value : value;
    }

    private static float[] scratch(int size) {
        float[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }
}
