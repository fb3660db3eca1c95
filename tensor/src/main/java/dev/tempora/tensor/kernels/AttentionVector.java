package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD version of {@link AttentionKernels}. For one (sample, query, head), the open keys are two
 * contiguous ranges (encoder prefix, decoder prefix), so every loop runs over key ranges a vector
 * at a time, with a lane mask for the last partial vector.
 */
final class AttentionVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private AttentionVector() {}

    static void forward(AttentionKernels.Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
                        float[] out, float[] weights, int bFrom, int bTo) {
        int te = geo.encoderSteps();
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        float scale = (float) (1.0 / Math.sqrt(d));
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        float[] p = new float[keys];
        float[] acc = new float[d];
        for (int b = bFrom; b < bTo; b++) {
            int encOpen = Math.min(geo.encoderLengths()[b], te);
            int vBase = b * d * keys;
            for (int qi = 0; qi < td; qi++) {
                int decOpen = Math.min(geo.decoderOpen(b, qi), td);
                java.util.Arrays.fill(acc, 0f);
                for (int h = 0; h < heads; h++) {
                    int qOff = ((b * td + qi) * heads + h) * d;
                    int kBase = (b * heads + h) * d * keys;
                    boolean uniform = encOpen + decOpen == 0;
                    if (uniform) {
                        java.util.Arrays.fill(p, 1f / keys);
                    } else {
                        softmax(q, qOff, kt, kBase, keys, d, scale, encOpen, te, te + decOpen, p);
                    }
                    if (weights != null) {
                        int w = ((b * td + qi) * heads + h) * keys;
                        if (uniform) {
                            System.arraycopy(p, 0, weights, w, keys);
                        } else {
                            java.util.Arrays.fill(weights, w, w + keys, 0f);
                            System.arraycopy(p, 0, weights, w, encOpen);
                            System.arraycopy(p, te, weights, w + te, decOpen);
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        int vRow = vBase + c * keys;
                        float head = uniform
                                ? dot(p, 0, vt, vRow, keys)
                                : dot(p, 0, vt, vRow, encOpen) + dot(p, te, vt, vRow + te, decOpen);
                        if (dropout > 0f) {
                            int index = qOff + c;
                            head = DropoutKernels.uniform(index, k1, k2) >= dropout ? head * keep : 0f;
                        }
                        acc[c] += head;
                    }
                }
                int o = (b * td + qi) * d;
                for (int c = 0; c < d; c++) {
                    out[o + c] = acc[c] / heads;
                }
            }
        }
    }

    /**
     * p[j] for j in [0, encEnd) ∪ [decStart, decEnd): the masked softmax of q·k_j·scale. Other
     * entries of p are left as they are (callers only read the open ranges).
     */
    private static void softmax(float[] q, int qOff, float[] kt, int kBase, int keys, int d, float scale,
                                int encEnd, int decStart, int decEnd, float[] p) {
        scores(q, qOff, kt, kBase, keys, d, scale, 0, encEnd, p);
        scores(q, qOff, kt, kBase, keys, d, scale, decStart, decEnd, p);
        float max = Math.max(max(p, 0, encEnd), max(p, decStart, decEnd));
        float sum = expShift(p, 0, encEnd, max) + expShift(p, decStart, decEnd, max);
        float inv = 1f / sum;
        scaleRange(p, 0, encEnd, inv);
        scaleRange(p, decStart, decEnd, inv);
    }

    private static void scores(float[] q, int qOff, float[] kt, int kBase, int keys, int d, float scale,
                               int from, int to, float[] p) {
        for (int j = from; j < to; j += L) {
            VectorMask<Float> m = S.indexInRange(j, to);
            FloatVector s = FloatVector.zero(S);
            for (int c = 0; c < d; c++) {
                s = FloatVector.fromArray(S, kt, kBase + c * keys + j, m).fma(FloatVector.broadcast(S, q[qOff + c]), s);
            }
            s.mul(scale).intoArray(p, j, m);
        }
    }

    private static float max(float[] p, int from, int to) {
        FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        for (int j = from; j < to; j += L) {
            VectorMask<Float> m = S.indexInRange(j, to);
            mv = mv.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, p, j, m), m);
        }
        return mv.reduceLanes(VectorOperators.MAX);
    }

    private static float expShift(float[] p, int from, int to, float max) {
        FloatVector sum = FloatVector.zero(S);
        for (int j = from; j < to; j += L) {
            VectorMask<Float> m = S.indexInRange(j, to);
            FloatVector e = VectorMath.exp(FloatVector.fromArray(S, p, j, m).sub(max));
            e.intoArray(p, j, m);
            sum = sum.add(e, m);
        }
        return VectorMath.sum(sum);
    }

    private static void scaleRange(float[] p, int from, int to, float factor) {
        for (int j = from; j < to; j += L) {
            VectorMask<Float> m = S.indexInRange(j, to);
            FloatVector.fromArray(S, p, j, m).mul(factor).intoArray(p, j, m);
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(S);
        for (int j = 0; j < n; j += L) {
            VectorMask<Float> m = S.indexInRange(j, n);
            acc = FloatVector.fromArray(S, a, ao + j, m).fma(FloatVector.fromArray(S, b, bo + j, m), acc);
        }
        return VectorMath.sum(acc);
    }

    static void backward(AttentionKernels.Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
                         float[] gOut, float[] dq, float[] dkt, float[] dvt, int bFrom, int bTo) {
        int te = geo.encoderSteps();
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        float scale = (float) (1.0 / Math.sqrt(d));
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        float[] p = new float[keys];
        float[] dp = new float[keys];
        float[] gHead = new float[d];
        java.util.Arrays.fill(dq, bFrom * td * heads * d, bTo * td * heads * d, 0f);
        java.util.Arrays.fill(dkt, bFrom * heads * d * keys, bTo * heads * d * keys, 0f);
        java.util.Arrays.fill(dvt, bFrom * d * keys, bTo * d * keys, 0f);
        for (int b = bFrom; b < bTo; b++) {
            int encOpen = Math.min(geo.encoderLengths()[b], te);
            int vBase = b * d * keys;
            for (int qi = 0; qi < td; qi++) {
                int decOpen = Math.min(geo.decoderOpen(b, qi), td);
                for (int h = 0; h < heads; h++) {
                    int qOff = ((b * td + qi) * heads + h) * d;
                    int kBase = (b * heads + h) * d * keys;
                    for (int c = 0; c < d; c++) {
                        float gv = gOut[(b * td + qi) * d + c] / heads;
                        if (dropout > 0f) {
                            gv = DropoutKernels.uniform(qOff + c, k1, k2) >= dropout ? gv * keep : 0f;
                        }
                        gHead[c] = gv;
                    }
                    if (encOpen + decOpen == 0) {
                        // Uniform fallback: every value gets 1/T of the head gradient, scores get none.
                        for (int c = 0; c < d; c++) {
                            float share = gHead[c] / keys;
                            int vRow = vBase + c * keys;
                            for (int j = 0; j < keys; j++) {
                                dvt[vRow + j] += share;
                            }
                        }
                        continue;
                    }
                    softmax(q, qOff, kt, kBase, keys, d, scale, encOpen, te, te + decOpen, p);
                    float dot = valueGradients(p, dp, gHead, vt, dvt, vBase, keys, d, 0, encOpen)
                            + valueGradients(p, dp, gHead, vt, dvt, vBase, keys, d, te, te + decOpen);
                    scoreGradients(p, dp, dot, scale, q, qOff, kt, dkt, kBase, keys, d, dq, 0, encOpen);
                    scoreGradients(p, dp, dot, scale, q, qOff, kt, dkt, kBase, keys, d, dq, te, te + decOpen);
                }
            }
        }
    }

    /** dv[c][j] += p_j·g_c and dp_j = Σ_c g_c·v[c][j] over [from, to); returns Σ p_j·dp_j. */
    private static float valueGradients(float[] p, float[] dp, float[] gHead, float[] vt, float[] dvt, int vBase,
                                        int keys, int d, int from, int to) {
        FloatVector dotAcc = FloatVector.zero(S);
        for (int j = from; j < to; j += L) {
            VectorMask<Float> m = S.indexInRange(j, to);
            FloatVector pv = FloatVector.fromArray(S, p, j, m);
            FloatVector dpv = FloatVector.zero(S);
            for (int c = 0; c < d; c++) {
                int vRow = vBase + c * keys + j;
                FloatVector g = FloatVector.broadcast(S, gHead[c]);
                pv.fma(g, FloatVector.fromArray(S, dvt, vRow, m)).intoArray(dvt, vRow, m);
                dpv = FloatVector.fromArray(S, vt, vRow, m).fma(g, dpv);
            }
            dpv.intoArray(dp, j, m);
            dotAcc = pv.fma(dpv, dotAcc);
        }
        return VectorMath.sum(dotAcc);
    }

    /** ds_j = p_j·(dp_j − dot)·scale; dq_c += Σ ds_j·k[c][j]; dk[c][j] += ds_j·q_c, over [from, to). */
    private static void scoreGradients(float[] p, float[] dp, float dot, float scale, float[] q, int qOff,
                                       float[] kt, float[] dkt, int kBase, int keys, int d, float[] dq,
                                       int from, int to) {
        for (int c = 0; c < d; c++) {
            FloatVector qc = FloatVector.broadcast(S, q[qOff + c]);
            FloatVector dqAcc = FloatVector.zero(S);
            int kRow = kBase + c * keys;
            for (int j = from; j < to; j += L) {
                VectorMask<Float> m = S.indexInRange(j, to);
                FloatVector ds = FloatVector.fromArray(S, dp, j, m).sub(dot).mul(FloatVector.fromArray(S, p, j, m)).mul(scale);
                dqAcc = ds.fma(FloatVector.fromArray(S, kt, kRow + j, m), dqAcc);
                ds.fma(qc, FloatVector.fromArray(S, dkt, kRow + j, m)).intoArray(dkt, kRow + j, m);
            }
            dq[qOff + c] += VectorMath.sum(dqAcc);
        }
    }
}
