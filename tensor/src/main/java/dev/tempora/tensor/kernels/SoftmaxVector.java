package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link SoftmaxKernels}: full vectors, then one lane-masked vector for the row's end
 * (the mask is the same for every row, so it is built once). Softmax and log-softmax have separate
 * loops: a vector that is stored only on one branch would have to be boxed.
 */
final class SoftmaxVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private SoftmaxVector() {}

    static VectorMask<Float> tailMask(int len) {
        return S.indexInRange(len - len % L, len);
    }

    static void softmaxRow(float[] x, int xs, float[] y, int ys, int len, VectorMask<Float> tail) {
        int bound = len - len % L;
        float max = rowMax(x, xs, len, tail);
        FloatVector vsum = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xs + i).sub(max));
            vsum = vsum.add(e);
            e.intoArray(y, ys + i);
        }
        if (bound < len) {
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xs + bound, tail).sub(max));
            vsum = vsum.add(e, tail);
            e.intoArray(y, ys + bound, tail);
        }
        float inv = 1f / VectorMath.sum(vsum);
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, y, ys + i).mul(inv).intoArray(y, ys + i);
        }
        if (bound < len) {
            FloatVector.fromArray(S, y, ys + bound, tail).mul(inv).intoArray(y, ys + bound, tail);
        }
    }

    static void logSoftmaxRow(float[] x, int xs, float[] y, int ys, int len, VectorMask<Float> tail) {
        int bound = len - len % L;
        float max = rowMax(x, xs, len, tail);
        FloatVector vsum = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            vsum = vsum.add(VectorMath.exp(FloatVector.fromArray(S, x, xs + i).sub(max)));
        }
        if (bound < len) {
            vsum = vsum.add(VectorMath.exp(FloatVector.fromArray(S, x, xs + bound, tail).sub(max)), tail);
        }
        float shift = max + FloatMath.log(VectorMath.sum(vsum));
        for (int i = 0; i < bound; i += L) {
            FloatVector.fromArray(S, x, xs + i).sub(shift).intoArray(y, ys + i);
        }
        if (bound < len) {
            FloatVector.fromArray(S, x, xs + bound, tail).sub(shift).intoArray(y, ys + bound, tail);
        }
    }

    private static float rowMax(float[] x, int xs, int len, VectorMask<Float> tail) {
        int bound = len - len % L;
        FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < bound; i += L) {
            vmax = vmax.max(FloatVector.fromArray(S, x, xs + i));
        }
        if (bound < len) {
            vmax = vmax.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xs + bound, tail), tail);
        }
        return vmax.reduceLanes(VectorOperators.MAX); // exact in any order
    }

    static void softmaxBackwardRow(float[] y, int ys, float[] g, int gs, float[] gx, int os, int len,
                                   VectorMask<Float> tail) {
        int bound = len - len % L;
        FloatVector vdot = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            vdot = FloatVector.fromArray(S, g, gs + i).fma(FloatVector.fromArray(S, y, ys + i), vdot);
        }
        if (bound < len) {
            vdot = FloatVector.fromArray(S, g, gs + bound, tail).fma(FloatVector.fromArray(S, y, ys + bound, tail), vdot);
        }
        float dot = VectorMath.sum(vdot);
        for (int i = 0; i < bound; i += L) {
            FloatVector yv = FloatVector.fromArray(S, y, ys + i);
            yv.mul(FloatVector.fromArray(S, g, gs + i).sub(dot)).intoArray(gx, os + i);
        }
        if (bound < len) {
            FloatVector yv = FloatVector.fromArray(S, y, ys + bound, tail);
            yv.mul(FloatVector.fromArray(S, g, gs + bound, tail).sub(dot)).intoArray(gx, os + bound, tail);
        }
    }

    static void logSoftmaxBackwardRow(float[] y, int ys, float[] g, int gs, float[] gx, int os, int len,
                                      VectorMask<Float> tail) {
        int bound = len - len % L;
        FloatVector vsum = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            vsum = vsum.add(FloatVector.fromArray(S, g, gs + i));
        }
        if (bound < len) {
            vsum = vsum.add(FloatVector.fromArray(S, g, gs + bound, tail));
        }
        float dot = VectorMath.sum(vsum);
        for (int i = 0; i < bound; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, y, ys + i)).mul(-dot).add(FloatVector.fromArray(S, g, gs + i))
                    .intoArray(gx, os + i);
        }
        if (bound < len) {
            VectorMath.exp(FloatVector.fromArray(S, y, ys + bound, tail)).mul(-dot)
                    .add(FloatVector.fromArray(S, g, gs + bound, tail)).intoArray(gx, os + bound, tail);
        }
    }
}
