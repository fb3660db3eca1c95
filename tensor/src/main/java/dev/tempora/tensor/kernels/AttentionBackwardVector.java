package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.AttentionVector.I;
import static dev.tempora.tensor.kernels.AttentionVector.L;
import static dev.tempora.tensor.kernels.AttentionVector.LN2;
import static dev.tempora.tensor.kernels.AttentionVector.S;
import static dev.tempora.tensor.kernels.AttentionVector.listKeys;
import static dev.tempora.tensor.kernels.AttentionVector.loadHead;
import static dev.tempora.tensor.kernels.AttentionVector.openToAll;
import static dev.tempora.tensor.kernels.AttentionVector.queryIndices;
import static dev.tempora.tensor.kernels.AttentionVector.visibleCount;

import dev.tempora.tensor.kernels.AttentionVector.Scratch;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The backward of {@link AttentionVector}: per head and block of L queries, the probabilities
 * recomputed from the forward's maximum and 1/sum in one pass over the keys the block may see,
 * with dq accumulated in registers and the key and value gradients in per-key vectors, summed
 * across lanes once per head. See {@link AttentionVector} for the layouts and the scratch.
 */
final class AttentionBackwardVector {

    private AttentionBackwardVector() {}

    static void backward(AttentionKernels.Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                         float[] stats, float[] gOut, float[] dq, float[] dk, float[] dv, int bFrom, int bTo) {
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        float scale = (float) (1.0 / Math.sqrt(d));
        Scratch sc = AttentionVector.SCRATCH.get();
        sc.ensure(keys, d, tdPad);
        java.util.Arrays.fill(dk, bFrom * keys * heads * d, bTo * keys * heads * d, 0f);
        java.util.Arrays.fill(dv, bFrom * keys * d, bTo * keys * d, 0f);
        for (int b = bFrom; b < bTo; b++) {
            int listed = listKeys(geo, v, b, sc);
            java.util.Arrays.fill(sc.valueGradients, 0, listed * d * L, 0f);
            for (int h = 0; h < heads; h++) {
                loadHead(geo, q, k, b, h, listed, sc);
                headGradients(geo, gOut, b, h, dropout, seed, sc);
                java.util.Arrays.fill(sc.keyGradients, 0, listed * d * L, 0f);
                int statsBase = (b * heads + h) * (2 + d) * tdPad;
                for (int q0 = 0; q0 < td; q0 += L) {
                    if (d == 2) {
                        backwardBlock2(geo, q0, openToAll(geo, b, q0, listed), visibleCount(geo, b, q0, listed),
                                stats, statsBase, sc);
                    } else {
                        backwardBlock(geo, q0, visibleCount(geo, b, q0, listed), stats, statsBase, sc);
                    }
                    for (int c = 0; c < d; c++) {
                        for (int lane = 0; lane < Math.min(L, td - q0); lane++) {
                            dq[((b * td + q0 + lane) * heads + h) * d + c] = sc.accumulators[c * L + lane] * scale;
                        }
                    }
                }
                for (int n = 0; n < listed; n++) {
                    for (int c = 0; c < d; c++) {
                        dk[((b * keys + sc.keyIndex[n]) * heads + h) * d + c] =
                                VectorMath.sum(FloatVector.fromArray(S, sc.keyGradients, (n * d + c) * L));
                    }
                }
                addUniformShares(geo, b, h, stats, statsBase, dv, sc);
            }
            for (int n = 0; n < listed; n++) {
                for (int c = 0; c < d; c++) {
                    dv[(b * keys + sc.keyIndex[n]) * d + c] +=
                            VectorMath.sum(FloatVector.fromArray(S, sc.valueGradients, (n * d + c) * L));
                }
            }
        }
    }

    /**
     * Each query's gradient of head h's output into the scratch's head rows, (d, tdPad): the mean
     * over heads, then the forward's dropout mask drawn a vector of queries at a time (as
     * AttentionVector.finishBlock draws it); zeros past the last query.
     */
    private static void headGradients(AttentionKernels.Geometry geo, float[] gOut, int b, int h, float dropout,
                                      long seed, Scratch sc) {
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        float[] gHead = sc.headSum;
        for (int c = 0; c < d; c++) {
            for (int qi = 0; qi < td; qi++) {
                gHead[c * tdPad + qi] = gOut[(b * td + qi) * d + c] / heads;
            }
            java.util.Arrays.fill(gHead, c * tdPad + td, (c + 1) * tdPad, 0f);
        }
        if (dropout == 0f) {
            return;
        }
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        float keep = 1f / (1f - dropout);
        IntVector lane = IntVector.fromArray(I, DropoutVector.LANE_INTS, 0);
        for (int q0 = 0; q0 < td; q0 += L) {
            for (int c = 0; c < d; c++) {
                int base = ((b * td + q0) * heads + h) * d + c;
                FloatVector u = DropoutVector.uniform(lane.mul(heads * d).add(base), k1, k2);
                FloatVector g = FloatVector.fromArray(S, gHead, c * tdPad + q0);
                g.mul(keep).blend(0f, u.compare(VectorOperators.LT, dropout)).intoArray(gHead, c * tdPad + q0);
            }
        }
    }

    /**
     * One head's gradients for queries [q0, q0 + L): dq (left, unscaled, in the accumulators), and
     * the lane-wise key and value gradients added to the per-key vectors. The probabilities are
     * recomputed unnormalised, e = exp(score − maximum), and 1/sum is applied once per block to the
     * factors instead of once per key: ds·sum = (dp − Σ p·dp)·e gives dq after the loop and dk with
     * q/sum, and p·g = e·(g/sum) gives dv.
     */
    private static void backwardBlock(AttentionKernels.Geometry geo, int q0, int count, float[] stats, int statsBase,
                                      Scratch sc) {
        int d = geo.headSize();
        int tdPad = geo.paddedDecoderSteps();
        float[] queries = sc.queries;
        float[] keys = sc.keys;
        float[] values = sc.values;
        float[] visibleFrom = sc.visibleFrom;
        float[] gHead = sc.headSum;
        float[] dqAcc = sc.accumulators;
        float[] keyGradients = sc.keyGradients;
        float[] valueGradients = sc.valueGradients;
        FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector limit = queryIndices(q0);
        FloatVector negativeMax = FloatVector.fromArray(S, stats, statsBase + q0).neg();
        FloatVector inv = FloatVector.fromArray(S, stats, statsBase + tdPad + q0);
        // Σ_j p_j·dp_j = g·o: the head output the forward kept.
        FloatVector dot = FloatVector.zero(S);
        for (int c = 0; c < d; c++) {
            dot = FloatVector.fromArray(S, gHead, c * tdPad + q0)
                    .fma(FloatVector.fromArray(S, stats, statsBase + (2 + c) * tdPad + q0), dot);
        }
        FloatVector negativeDot = dot.neg();
        FloatVector invLn2 = inv.mul(LN2); // the queries hold log₂(e)/√d, dk wants 1/√d
        java.util.Arrays.fill(dqAcc, 0, d * L, 0f);
        for (int n = 0; n < count; n++) {
            FloatVector x = negativeMax;
            FloatVector dpMinusDot = negativeDot;
            for (int c = 0; c < d; c++) {
                x = FloatVector.fromArray(S, queries, c * tdPad + q0).fma(FloatVector.broadcast(S, keys[n * d + c]), x);
                dpMinusDot = FloatVector.fromArray(S, gHead, c * tdPad + q0)
                        .fma(FloatVector.broadcast(S, values[n * d + c]), dpMinusDot);
            }
            FloatVector e = VectorMath.softmaxExp2(minusInf.blend(x, limit.compare(VectorOperators.GT, visibleFrom[n])));
            FloatVector ds = dpMinusDot.mul(e);
            for (int c = 0; c < d; c++) {
                int at = (n * d + c) * L;
                ds.fma(FloatVector.broadcast(S, keys[n * d + c]), FloatVector.fromArray(S, dqAcc, c * L)).intoArray(dqAcc, c * L);
                ds.fma(FloatVector.fromArray(S, queries, c * tdPad + q0).mul(invLn2), FloatVector.fromArray(S, keyGradients, at))
                        .intoArray(keyGradients, at);
                e.fma(FloatVector.fromArray(S, gHead, c * tdPad + q0).mul(inv), FloatVector.fromArray(S, valueGradients, at))
                        .intoArray(valueGradients, at);
            }
        }
        for (int c = 0; c < d; c++) {
            FloatVector.fromArray(S, dqAcc, c * L).mul(inv).intoArray(dqAcc, c * L);
        }
    }

    /**
     * {@link #backwardBlock} for head size 2, the components in registers: the {@code open} keys
     * every lane may see here, without the mask, the rest of the {@code count} keys in
     * {@link #backwardDiagonal2} (two methods for the reason AttentionVector.forwardBlock2 gives).
     */
    private static void backwardBlock2(AttentionKernels.Geometry geo, int q0, int open, int count, float[] stats,
                                       int statsBase, Scratch sc) {
        int tdPad = geo.paddedDecoderSteps();
        float[] keys = sc.keys;
        float[] values = sc.values;
        float[] keyGradients = sc.keyGradients;
        float[] valueGradients = sc.valueGradients;
        FloatVector q0v = FloatVector.fromArray(S, sc.queries, q0);
        FloatVector q1v = FloatVector.fromArray(S, sc.queries, tdPad + q0);
        FloatVector g0 = FloatVector.fromArray(S, sc.headSum, q0);
        FloatVector g1 = FloatVector.fromArray(S, sc.headSum, tdPad + q0);
        FloatVector negativeMax = FloatVector.fromArray(S, stats, statsBase + q0).neg();
        FloatVector inv = FloatVector.fromArray(S, stats, statsBase + tdPad + q0);
        FloatVector negativeDot = g1.fma(FloatVector.fromArray(S, stats, statsBase + 3 * tdPad + q0),
                g0.mul(FloatVector.fromArray(S, stats, statsBase + 2 * tdPad + q0))).neg();
        // The per-block factors of 1/sum (see backwardBlock); the queries hold log₂(e)/√d, dk wants 1/√d.
        FloatVector q0s = q0v.mul(inv.mul(LN2));
        FloatVector q1s = q1v.mul(inv.mul(LN2));
        FloatVector g0s = g0.mul(inv);
        FloatVector g1s = g1.mul(inv);
        FloatVector dq0 = FloatVector.zero(S);
        FloatVector dq1 = FloatVector.zero(S);
        for (int n = 0; n < open; n++) {
            FloatVector k0 = FloatVector.broadcast(S, keys[2 * n]);
            FloatVector k1 = FloatVector.broadcast(S, keys[2 * n + 1]);
            FloatVector e = VectorMath.softmaxExp2(q1v.fma(k1, q0v.fma(k0, negativeMax)));
            FloatVector dpMinusDot = g1.fma(FloatVector.broadcast(S, values[2 * n + 1]),
                    g0.fma(FloatVector.broadcast(S, values[2 * n]), negativeDot));
            FloatVector ds = dpMinusDot.mul(e);
            dq0 = ds.fma(k0, dq0);
            dq1 = ds.fma(k1, dq1);
            int at = 2 * n * L;
            ds.fma(q0s, FloatVector.fromArray(S, keyGradients, at)).intoArray(keyGradients, at);
            ds.fma(q1s, FloatVector.fromArray(S, keyGradients, at + L)).intoArray(keyGradients, at + L);
            e.fma(g0s, FloatVector.fromArray(S, valueGradients, at)).intoArray(valueGradients, at);
            e.fma(g1s, FloatVector.fromArray(S, valueGradients, at + L)).intoArray(valueGradients, at + L);
        }
        dq0.intoArray(sc.accumulators, 0);
        dq1.intoArray(sc.accumulators, L);
        if (open < count) {
            backwardDiagonal2(geo, q0, open, count, stats, statsBase, sc);
        }
        FloatVector.fromArray(S, sc.accumulators, 0).mul(inv).intoArray(sc.accumulators, 0);
        FloatVector.fromArray(S, sc.accumulators, L).mul(inv).intoArray(sc.accumulators, L);
    }

    /** The masked keys [open, count) of {@link #backwardBlock2}, dq added to its unscaled sums. */
    private static void backwardDiagonal2(AttentionKernels.Geometry geo, int q0, int open, int count, float[] stats,
                                          int statsBase, Scratch sc) {
        int tdPad = geo.paddedDecoderSteps();
        float[] keys = sc.keys;
        float[] values = sc.values;
        float[] visibleFrom = sc.visibleFrom;
        float[] keyGradients = sc.keyGradients;
        float[] valueGradients = sc.valueGradients;
        FloatVector q0v = FloatVector.fromArray(S, sc.queries, q0);
        FloatVector q1v = FloatVector.fromArray(S, sc.queries, tdPad + q0);
        FloatVector g0 = FloatVector.fromArray(S, sc.headSum, q0);
        FloatVector g1 = FloatVector.fromArray(S, sc.headSum, tdPad + q0);
        FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector limit = queryIndices(q0);
        FloatVector negativeMax = FloatVector.fromArray(S, stats, statsBase + q0).neg();
        FloatVector inv = FloatVector.fromArray(S, stats, statsBase + tdPad + q0);
        FloatVector negativeDot = g1.fma(FloatVector.fromArray(S, stats, statsBase + 3 * tdPad + q0),
                g0.mul(FloatVector.fromArray(S, stats, statsBase + 2 * tdPad + q0))).neg();
        FloatVector q0s = q0v.mul(inv.mul(LN2));
        FloatVector q1s = q1v.mul(inv.mul(LN2));
        FloatVector g0s = g0.mul(inv);
        FloatVector g1s = g1.mul(inv);
        FloatVector dq0 = FloatVector.fromArray(S, sc.accumulators, 0);
        FloatVector dq1 = FloatVector.fromArray(S, sc.accumulators, L);
        for (int n = open; n < count; n++) {
            FloatVector k0 = FloatVector.broadcast(S, keys[2 * n]);
            FloatVector k1 = FloatVector.broadcast(S, keys[2 * n + 1]);
            FloatVector x = q1v.fma(k1, q0v.fma(k0, negativeMax));
            FloatVector e = VectorMath.softmaxExp2(minusInf.blend(x, limit.compare(VectorOperators.GT, visibleFrom[n])));
            FloatVector dpMinusDot = g1.fma(FloatVector.broadcast(S, values[2 * n + 1]),
                    g0.fma(FloatVector.broadcast(S, values[2 * n]), negativeDot));
            FloatVector ds = dpMinusDot.mul(e);
            dq0 = ds.fma(k0, dq0);
            dq1 = ds.fma(k1, dq1);
            int at = 2 * n * L;
            ds.fma(q0s, FloatVector.fromArray(S, keyGradients, at)).intoArray(keyGradients, at);
            ds.fma(q1s, FloatVector.fromArray(S, keyGradients, at + L)).intoArray(keyGradients, at + L);
            e.fma(g0s, FloatVector.fromArray(S, valueGradients, at)).intoArray(valueGradients, at);
            e.fma(g1s, FloatVector.fromArray(S, valueGradients, at + L)).intoArray(valueGradients, at + L);
        }
        dq0.intoArray(sc.accumulators, 0);
        dq1.intoArray(sc.accumulators, L);
    }

    /** Queries with no open key (uniform weights 1/T) pass g/T to every value. */
    private static void addUniformShares(AttentionKernels.Geometry geo, int b, int h, float[] stats, int statsBase,
                                         float[] dv, Scratch sc) {
        if (geo.encoderOpen(b) > 0) {
            return;
        }
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int keys = geo.keys();
        int d = geo.headSize();
        for (int qi = 0; qi < td; qi++) {
            if (geo.decoderOpen(b, qi) > 0) {
                continue;
            }
            for (int c = 0; c < d; c++) {
                float share = sc.headSum[c * tdPad + qi] / keys;
                for (int j = 0; j < keys; j++) {
                    dv[(b * keys + j) * d + c] += share;
                }
            }
        }
    }
}
