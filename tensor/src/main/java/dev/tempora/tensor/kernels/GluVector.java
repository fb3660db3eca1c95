package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link GluKernels}, for half-rows of at least one vector: the full vectors, then
 * one more ending exactly at the half-row's end, overlapping the previous one (outputs go to
 * another array, so the overlap just writes the same values again). No scalar tail, no mask, and
 * every element equals the scalar reference bit for bit.
 */
final class GluVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private GluVector() {}

    static void forward(float[] x, int xo, float[] out, int oo, int rows, int h) {
        int last = h - L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int os = oo + r * h;
            for (int j = 0; j < last; j += L) {
                forwardVector(x, xs, out, os, h, j);
            }
            forwardVector(x, xs, out, os, h, last);
        }
    }

    // One vector per call: the sigmoid is large, and inlined twice into one loop it pushed C2 past
    // its node budget (the vectors were then boxed); a call that passes only arrays costs little.
    private static void forwardVector(float[] x, int xs, float[] out, int os, int h, int j) {
        FloatVector a = FloatVector.fromArray(S, x, xs + j);
        a.mul(VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j))).intoArray(out, os + j);
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        int last = h - L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < last; j += L) {
                backwardVector(x, xs, g, gs, gx, os, h, j);
            }
            backwardVector(x, xs, g, gs, gx, os, h, last);
        }
    }

    private static void backwardVector(float[] x, int xs, float[] g, int gs, float[] gx, int os, int h, int j) {
        FloatVector a = FloatVector.fromArray(S, x, xs + j);
        FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j));
        FloatVector gv = FloatVector.fromArray(S, g, gs + j);
        gv.mul(s).intoArray(gx, os + j);
        gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, os + h + j);
    }
}
