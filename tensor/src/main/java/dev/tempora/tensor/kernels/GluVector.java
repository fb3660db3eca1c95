package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link GluKernels}, for half-rows of at least one vector: vectors at 0, L, 2L, ...
 * and a last one ending exactly at the half-row's end, overlapping the one before (outputs go to
 * another array, so the overlap just writes the same values again). No scalar tail, no mask, and
 * every element equals the scalar reference bit for bit.
 *
 * <p>The vector body appears once, in a counted loop whose last trip is clamped to the row's end:
 * a second inlined copy of the sigmoid, or a loop C2 cannot count (it keeps a safepoint there,
 * with vector constants live across it), gets the vectors boxed.
 */
final class GluVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private GluVector() {}

    static void forward(float[] x, int xo, float[] out, int oo, int rows, int h) {
        int last = h - L;
        int vectors = (h + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int os = oo + r * h;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector a = FloatVector.fromArray(S, x, xs + j);
                a.mul(VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j))).intoArray(out, os + j);
            }
        }
    }

    static void forwardAdd(float[] x, int xo, float[] c, float[] skip, int so, float[] out, int oo, int rows, int h) {
        int last = h - L;
        int vectors = (h + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int row = r * h;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector a = FloatVector.fromArray(S, x, xs + j).add(FloatVector.fromArray(S, c, j));
                FloatVector b = FloatVector.fromArray(S, x, xs + h + j).add(FloatVector.fromArray(S, c, h + j));
                a.mul(VectorMath.sigmoid(b)).add(FloatVector.fromArray(S, skip, so + row + j))
                        .intoArray(out, oo + row + j);
            }
        }
    }

    static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        int last = h - L;
        int vectors = (h + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector a = FloatVector.fromArray(S, x, xs + j);
                FloatVector s = VectorMath.sigmoid(FloatVector.fromArray(S, x, xs + h + j));
                FloatVector gv = FloatVector.fromArray(S, g, gs + j);
                gv.mul(s).intoArray(gx, os + j);
                gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, os + h + j);
            }
        }
    }

    /** {@link #backward} at the biased inputs x + c. */
    static void backward(float[] x, int xo, float[] c, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        int last = h - L;
        int vectors = (h + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector a = FloatVector.fromArray(S, x, xs + j).add(FloatVector.fromArray(S, c, j));
                FloatVector b = FloatVector.fromArray(S, x, xs + h + j).add(FloatVector.fromArray(S, c, h + j));
                FloatVector s = VectorMath.sigmoid(b);
                FloatVector gv = FloatVector.fromArray(S, g, gs + j);
                gv.mul(s).intoArray(gx, os + j);
                gv.mul(a).mul(s).mul(s.neg().add(1f)).intoArray(gx, os + h + j);
            }
        }
    }
}
