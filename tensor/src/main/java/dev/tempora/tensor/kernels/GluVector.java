package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link GluKernels}: each half-row in full vectors, the rest in scalar code with the
 * same {@link FloatMath} sigmoid, so every element equals the scalar reference bit for bit.
 */
final class GluVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private GluVector() {}

    static void forward(float[] x, int xo, float[] out, int oo, int rows, int h) {
        int bound = h - h % L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int os = oo + r * h;
            for (int j = 0; j < bound; j += L) {
                FloatVector a = FloatVector.fromArray(S, x, xs + j);
                FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j));
                a.mul(s).intoArray(out, os + j);
            }
            for (int j = bound; j < h; j++) {
                out[os + j] = x[xs + j] * FloatMath.sigmoid(x[xs + h + j]);
            }
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        int bound = h - h % L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < bound; j += L) {
                FloatVector a = FloatVector.fromArray(S, x, xs + j);
                FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j));
                FloatVector gv = FloatVector.fromArray(S, g, gs + j);
                gv.mul(s).intoArray(gx, os + j);
                gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, os + h + j);
            }
            for (int j = bound; j < h; j++) {
                float a = x[xs + j];
                float s = FloatMath.sigmoid(x[xs + h + j]);
                float gj = g[gs + j];
                gx[os + j] = gj * s;
                gx[os + h + j] = gj * a * s * (-s + 1f);
            }
        }
    }
}
