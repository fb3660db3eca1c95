package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD rows for {@link SoftmaxKernels}; the last partial vector is handled with a lane mask. */
final class SoftmaxVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private SoftmaxVector() {}

    static void forwardRow(float[] x, int xs, float[] y, int ys, int len, boolean log) {
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            vmax = vmax.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xs + i, m), m);
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        FloatVector vsum = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xs + i, m).sub(max));
            vsum = vsum.add(e, m);
            if (!log) {
                e.intoArray(y, ys + i, m);
            }
        }
        float sum = VectorMath.sum(vsum);
        if (log) {
            float shift = max + FloatMath.log(sum);
            for (int i = 0; i < len; i += L) {
                VectorMask<Float> m = S.indexInRange(i, len);
                FloatVector.fromArray(S, x, xs + i, m).sub(shift).intoArray(y, ys + i, m);
            }
        } else {
            float inv = 1f / sum;
            for (int i = 0; i < len; i += L) {
                VectorMask<Float> m = S.indexInRange(i, len);
                FloatVector.fromArray(S, y, ys + i, m).mul(inv).intoArray(y, ys + i, m);
            }
        }
    }

    static void backwardRow(float[] y, int ys, float[] g, int gs, float[] gx, int os, int len, boolean log) {
        FloatVector vdot = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector gv = FloatVector.fromArray(S, g, gs + i, m);
            vdot = log ? vdot.add(gv) : gv.fma(FloatVector.fromArray(S, y, ys + i, m), vdot);
        }
        float dot = VectorMath.sum(vdot);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector gv = FloatVector.fromArray(S, g, gs + i, m);
            FloatVector yv = FloatVector.fromArray(S, y, ys + i, m);
            FloatVector out = log
                    ? VectorMath.exp(yv).mul(-dot).add(gv)
                    : yv.mul(gv.sub(dot));
            out.intoArray(gx, os + i, m);
        }
    }
}
