package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** A straightforward SIMD GEMM: rows of C accumulated from broadcast A elements times rows of B. */
final class GemmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private GemmVector() {}

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        float[] bRows = b;
        int bo = bOff;
        int ld = ldb;
        if (transB) { // pack op(B) row-major once
            bRows = new float[k * n];
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bRows[p * n + j] = b[bOff + j * ldb + p];
                }
            }
            bo = 0;
            ld = n;
        }
        int bound = n - n % L;
        float[] row = new float[n];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(row, 0f);
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                FloatVector va = FloatVector.broadcast(S, av);
                int brow = bo + p * ld;
                int j = 0;
                for (; j < bound; j += L) {
                    FloatVector.fromArray(S, bRows, brow + j).fma(va, FloatVector.fromArray(S, row, j)).intoArray(row, j);
                }
                for (; j < n; j++) {
                    row[j] += av * bRows[brow + j];
                }
            }
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = alpha * row[j] + (beta == 0f ? 0f : beta * c[ci + j]);
            }
        }
    }
}
