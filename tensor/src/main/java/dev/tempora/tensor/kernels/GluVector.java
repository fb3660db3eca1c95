package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** SIMD rows for {@link GluKernels}; each half-row is covered by full and lane-masked vectors. */
final class GluVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private GluVector() {}

    static void forward(float[] x, int xo, float[] out, int oo, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int os = oo + r * h;
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = S.indexInRange(j, h);
                FloatVector a = FloatVector.fromArray(S, x, xs + j, m);
                FloatVector s = ElementwiseVector.sigmoid(FloatVector.fromArray(S, x, xs + h + j, m));
                a.mul(s).intoArray(out, os + j, m);
            }
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < h; j += L) {
                VectorMask<Float> m = S.indexInRange(j, h);
                FloatVector a = FloatVector.fromArray(S, x, xs + j, m);
                FloatVector s = ElementwiseVector.sigmoid(FloatVector.fromArray(S, x, xs + h + j, m));
                FloatVector gv = FloatVector.fromArray(S, g, gs + j, m);
                gv.mul(s).intoArray(gx, os + j, m);
                gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, os + h + j, m);
            }
        }
    }
}
