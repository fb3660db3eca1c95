package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link SoftmaxKernels}, for rows of at least one vector. A row is covered by
 * vectors at 0, L, 2L, ... and a last one clamped to end exactly at the row's end, overlapping the
 * one before: no lane-masked memory access (near an array's end the Vector API takes a boxed
 * fallback for it and de-optimises the loop) and no scalar tail. Maxima ignore the overlap; sums
 * zero the overlapping lanes in a register (trip k's lanes below k·L − j were covered before);
 * out-of-place stores write the overlap twice with the same value, and the one in-place pass (the
 * softmax's normalisation) runs the last vector first, leaving its overlapping lanes as they were.
 */
final class SoftmaxVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private SoftmaxVector() {}

    static void softmaxRows(float[] x, int xo, float[] y, int yo, int rows, int len) {
        int last = len - L;
        int vectors = (len + L - 1) / L;
        FloatVector lanes = FloatVector.fromArray(S, Species.LANE_FLOATS, 0);
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            int ys = yo + r * len;
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < vectors; k++) {
                vmax = vmax.max(FloatVector.fromArray(S, x, xs + Math.min(k * L, last)));
            }
            float max = vmax.reduceLanes(VectorOperators.MAX); // exact in any order
            FloatVector vsum = FloatVector.zero(S);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, x, xs + j).sub(max));
                e.intoArray(y, ys + j);
                vsum = vsum.add(e.blend(0f, lanes.compare(VectorOperators.LT, k * L - j)));
            }
            float inv = 1f / VectorMath.sum(vsum);
            // In place: the last vector first, its overlapping lanes kept for the vector that owns them.
            FloatVector tail = FloatVector.fromArray(S, y, ys + last);
            tail.mul(inv).blend(tail, lanes.compare(VectorOperators.LT, (vectors - 1) * L - last))
                    .intoArray(y, ys + last);
            for (int k = 0; k < vectors - 1; k++) {
                FloatVector.fromArray(S, y, ys + k * L).mul(inv).intoArray(y, ys + k * L);
            }
        }
    }

    static void logSoftmaxRows(float[] x, int xo, float[] y, int yo, int rows, int len) {
        int last = len - L;
        int vectors = (len + L - 1) / L;
        FloatVector lanes = FloatVector.fromArray(S, Species.LANE_FLOATS, 0);
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            int ys = yo + r * len;
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int k = 0; k < vectors; k++) {
                vmax = vmax.max(FloatVector.fromArray(S, x, xs + Math.min(k * L, last)));
            }
            float max = vmax.reduceLanes(VectorOperators.MAX);
            FloatVector vsum = FloatVector.zero(S);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector e = VectorMath.expNonPositive(FloatVector.fromArray(S, x, xs + j).sub(max));
                vsum = vsum.add(e.blend(0f, lanes.compare(VectorOperators.LT, k * L - j)));
            }
            float shift = max + FloatMath.log(VectorMath.sum(vsum));
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector.fromArray(S, x, xs + j).sub(shift).intoArray(y, ys + j);
            }
        }
    }

    static void softmaxBackwardRows(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len) {
        int last = len - L;
        int vectors = (len + L - 1) / L;
        FloatVector lanes = FloatVector.fromArray(S, Species.LANE_FLOATS, 0);
        for (int r = 0; r < rows; r++) {
            int ys = yo + r * len;
            int gs = go + r * len;
            int os = gxo + r * len;
            FloatVector vdot = FloatVector.zero(S);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector gv = FloatVector.fromArray(S, g, gs + j).blend(0f, lanes.compare(VectorOperators.LT, k * L - j));
                vdot = gv.fma(FloatVector.fromArray(S, y, ys + j), vdot);
            }
            float dot = VectorMath.sum(vdot);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector yv = FloatVector.fromArray(S, y, ys + j);
                yv.mul(FloatVector.fromArray(S, g, gs + j).sub(dot)).intoArray(gx, os + j);
            }
        }
    }

    static void logSoftmaxBackwardRows(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len) {
        int last = len - L;
        int vectors = (len + L - 1) / L;
        FloatVector lanes = FloatVector.fromArray(S, Species.LANE_FLOATS, 0);
        for (int r = 0; r < rows; r++) {
            int ys = yo + r * len;
            int gs = go + r * len;
            int os = gxo + r * len;
            FloatVector vsum = FloatVector.zero(S);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                vsum = vsum.add(FloatVector.fromArray(S, g, gs + j).blend(0f, lanes.compare(VectorOperators.LT, k * L - j)));
            }
            float dot = VectorMath.sum(vsum);
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                VectorMath.expNonPositive(FloatVector.fromArray(S, y, ys + j)).mul(-dot)
                        .add(FloatVector.fromArray(S, g, gs + j)).intoArray(gx, os + j);
            }
        }
    }
}
