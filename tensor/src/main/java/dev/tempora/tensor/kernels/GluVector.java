package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link GluKernels}, for half-rows of at least one vector: vectors at 0, L, 2L, ...
 * and a last one ending exactly at the half-row's end, overlapping the one before (outputs go to
 * another array, so the overlap just writes the same values again). No scalar tail, no mask, and
 * every element equals the scalar reference bit for bit.
 *
 * <p>One vector per call of a method that {@link CompilerHints} keeps out of line: a sigmoid
 * inlined into a loop (or twice into one method) leaves C2 either past its node budget or with
 * vector constants live across a safepoint, and the vectors are then boxed.
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
                forwardVector(x, xs + j, out, os + j, h);
            }
            forwardVector(x, xs + last, out, os + last, h);
        }
    }

    static void forwardVector(float[] x, int xo, float[] out, int oo, int h) {
        FloatVector a = FloatVector.fromArray(S, x, xo);
        a.mul(VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + h))).intoArray(out, oo);
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        int last = h - L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < last; j += L) {
                backwardVector(x, xs + j, g, gs + j, gx, os + j, h);
            }
            backwardVector(x, xs + last, g, gs + last, gx, os + last, h);
        }
    }

    static void backwardVector(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int h) {
        FloatVector a = FloatVector.fromArray(S, x, xo);
        FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + h));
        FloatVector gv = FloatVector.fromArray(S, g, go);
        gv.mul(s).intoArray(gx, gxo);
        gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, gxo + h);
    }
}
