package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link WeightedSumKernels}, for rows of at least one vector: vectors at 0, L, 2L,
 * ... and a last one clamped to end at the row's end, overlapping the one before. Stores of the
 * overlap write the same values again; in the dot products of the backward, the overlapping lanes
 * of the last vector are zeroed by a register compare against the lane numbers.
 */
final class WeightedSumVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private WeightedSumVector() {}

    static void forward(float[][] x, int[] xo, float[] w, int wo, float[] out, int oo, int rows, int len) {
        int n = x.length;
        int last = len - L;
        int vectors = (len + L - 1) / L;
        float[] x0 = x[0];
        for (int r = 0; r < rows; r++) {
            int row = r * len;
            int wr = wo + r * n;
            for (int k = 0; k < vectors; k++) {
                int j = row + Math.min(k * L, last);
                FloatVector acc = FloatVector.fromArray(S, x0, xo[0] + j).mul(w[wr]);
                for (int v = 1; v < n; v++) {
                    acc = acc.add(FloatVector.fromArray(S, x[v], xo[v] + j).mul(w[wr + v]));
                }
                acc.intoArray(out, oo + j);
            }
        }
    }

    static void backward(float[][] x, int[] xo, float[] w, int wo, float[] g, int go,
                         float[][] gx, int[] gxo, float[] gw, int gwo, int rows, int len) {
        int n = x.length;
        int last = len - L;
        int vectors = (len + L - 1) / L;
        FloatVector lanes = FloatVector.fromArray(S, Species.LANE_FLOATS, 0);
        for (int r = 0; r < rows; r++) {
            int row = r * len;
            for (int v = 0; v < n; v++) {
                float wv = w[wo + r * n + v];
                float[] xv = x[v];
                float[] gxv = gx[v];
                FloatVector dot = FloatVector.zero(S);
                for (int k = 0; k < vectors; k++) {
                    int at = Math.min(k * L, last);
                    int j = row + at;
                    FloatVector gv = FloatVector.fromArray(S, g, go + j);
                    gv.mul(wv).intoArray(gxv, gxo[v] + j);
                    // Lanes below k·L − at were covered by the previous vector (only on the last trip).
                    FloatVector fresh = gv.blend(0f, lanes.compare(VectorOperators.LT, k * L - at));
                    dot = fresh.fma(FloatVector.fromArray(S, xv, xo[v] + j), dot);
                }
                gw[gwo + r * n + v] = VectorMath.sum(dot);
            }
        }
    }
}
