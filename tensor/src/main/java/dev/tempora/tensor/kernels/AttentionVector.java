package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD version of {@link AttentionKernels}, vectorised across queries: a vector holds one head's
 * scores for {@code L} consecutive decoder queries against one key. The TFT's head size is tiny
 * (d = 2 in the demo), so vectorising across keys or components would leave lanes idle or need
 * lane-masked memory access at every range end; across queries every loop runs full vectors, each
 * lane's softmax statistics stay in its own lane (no horizontal sums in the inner loops), and the
 * causal mask is one register compare per key.
 *
 * <p>Per sample, the keys any query may see are listed once: the open encoder steps, then the
 * decoder steps, with the query index from which each is visible ({@code -1}: all). A block of
 * queries runs over the prefix of that list its last query may see (keys past the causal
 * diagonal are never touched), in two passes: the lane-wise maximum, then exp, sum and the value
 * products. Only the last L − 1 keys of that prefix, on the diagonal, need the mask; the keys
 * every lane may see run in loops without it. The forward leaves each lane's maximum, 1/sum and
 * head output in the stats buffer; the backward ({@link AttentionBackwardVector}) recomputes the
 * probabilities from them in one pass (FlashAttention-2's order: the softmax gradient's Σ p·dp is
 * g·o) and accumulates key and value gradients in per-key vectors that are summed across lanes once
 * per head.
 *
 * <p>The exp is one per score and pass, so its cost is the kernels' cost: scores are computed in
 * base 2 (queries scaled by log₂(e)/√d) for {@link VectorMath#softmaxExp2}, whose argument needs no
 * reduction by ln 2, and each score minus the maximum is one fused chain from −maximum.
 */
final class AttentionVector {

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    static final int L = Species.LANES;
    static final float LN2 = (float) Math.log(2);

    static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private AttentionVector() {}

    /** Per-thread work arrays, grown on demand, so steady-state calls allocate nothing. */
    static final class Scratch {
        float[] queries = new float[0];     // (d, tdPad): one head's queries times 1/√d
        float[] keys = new float[0];        // (listed keys, d): one head's keys
        float[] values = new float[0];      // (listed keys, d)
        float[] visibleFrom = new float[0]; // (listed keys): a key is open for query index > this
        float[] headSum = new float[0];     // (d, tdPad): heads' outputs summed, or the head gradients
        float[] accumulators = new float[0];   // (d, L)
        float[] keyGradients = new float[0];   // (listed keys, d, L)
        float[] valueGradients = new float[0]; // (listed keys, d, L)
        int[] keyIndex = new int[0];        // listed key -> key position in [0, T)

        void ensure(int keys, int d, int tdPad) {
            queries = grow(queries, d * tdPad);
            headSum = grow(headSum, d * tdPad);
            this.keys = grow(this.keys, keys * d);
            values = grow(values, keys * d);
            visibleFrom = grow(visibleFrom, keys);
            accumulators = grow(accumulators, d * L);
            keyGradients = grow(keyGradients, keys * d * L);
            valueGradients = grow(valueGradients, keys * d * L);
            if (keyIndex.length < keys) {
                keyIndex = new int[keys];
            }
        }

        private static float[] grow(float[] a, int n) {
            return a.length >= n ? a : new float[n];
        }
    }

    /**
     * Lists the keys of sample b that some query may see (open encoder steps, then decoder steps)
     * with their values; returns how many.
     */
    static int listKeys(AttentionKernels.Geometry geo, float[] v, int b, Scratch sc) {
        int te = geo.encoderSteps();
        int keys = geo.keys();
        int d = geo.headSize();
        int encOpen = geo.encoderOpen(b);
        int decoder = geo.causal() ? geo.decoderSteps() : geo.decoderOpen(b, 0);
        int n = 0;
        for (int j = 0; j < encOpen + decoder; j++) {
            int key = j < encOpen ? j : te + j - encOpen;
            sc.keyIndex[n] = key;
            sc.visibleFrom[n] = j < encOpen || !geo.causal() ? -1f : key - te;
            for (int c = 0; c < d; c++) { // d is tiny: a loop beats a call to arraycopy
                sc.values[n * d + c] = v[(b * keys + key) * d + c];
            }
            n++;
        }
        return n;
    }

    /**
     * Gathers one head's queries, scaled by log₂(e)/√d so that scores come in base 2 for
     * {@link VectorMath#softmaxExp2} (padded with zeros), and its listed keys into the scratch.
     */
    static void loadHead(AttentionKernels.Geometry geo, float[] q, float[] k, int b, int h, int listed, Scratch sc) {
        float scale = scoreScale(geo.headSize());
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        for (int c = 0; c < d; c++) {
            int row = c * tdPad;
            for (int qi = 0; qi < td; qi++) {
                sc.queries[row + qi] = q[((b * td + qi) * heads + h) * d + c] * scale;
            }
            java.util.Arrays.fill(sc.queries, row + td, row + tdPad, 0f);
        }
        for (int n = 0; n < listed; n++) {
            int from = ((b * geo.keys() + sc.keyIndex[n]) * heads + h) * d;
            for (int c = 0; c < d; c++) { // d is tiny: a loop beats a call to arraycopy
                sc.keys[n * d + c] = k[from + c];
            }
        }
    }

    /** log₂(e)/√d: queries times it give scores in base 2 (2^(q·k·log₂e/√d) = e^(q·k/√d)). */
    private static float scoreScale(int d) {
        return (float) (1.4426950408889634 / Math.sqrt(d));
    }

    /**
     * Keys block q0's last query may see: a prefix of the list, beyond which no key needs
     * computing (the causal mask's upper triangle is skipped whole).
     */
    static int visibleCount(AttentionKernels.Geometry geo, int b, int q0, int listed) {
        if (!geo.causal()) {
            return listed;
        }
        return geo.encoderOpen(b) + Math.min(q0 + L - 1, geo.decoderSteps());
    }

    /** Keys every query of block q0 may see: a prefix of the list, where the mask need not be applied. */
    static int openToAll(AttentionKernels.Geometry geo, int b, int q0, int listed) {
        if (!geo.causal()) {
            return listed;
        }
        return geo.encoderOpen(b) + Math.min(q0, geo.decoderSteps());
    }

    static FloatVector queryIndices(int q0) {
        return FloatVector.fromArray(S, Species.LANE_FLOATS, 0).add(q0);
    }

    static void forward(AttentionKernels.Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                        float[] out, float[] weights, float[] stats, int bFrom, int bTo) {
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        Scratch sc = SCRATCH.get();
        sc.ensure(geo.keys(), d, tdPad);
        for (int b = bFrom; b < bTo; b++) {
            int listed = listKeys(geo, v, b, sc);
            java.util.Arrays.fill(sc.headSum, 0, d * tdPad, 0f);
            for (int h = 0; h < heads; h++) {
                loadHead(geo, q, k, b, h, listed, sc);
                int statsBase = (b * heads + h) * (2 + d) * tdPad;
                for (int q0 = 0; q0 < td; q0 += L) {
                    int open = openToAll(geo, b, q0, listed);
                    int count = visibleCount(geo, b, q0, listed);
                    if (d == 2) {
                        forwardBlock2(geo, q0, open, count, stats, statsBase, sc);
                    } else {
                        forwardBlock(geo, q0, count, stats, statsBase, sc);
                    }
                    finishBlock(geo, v, b, h, q0, dropout, seed, stats, statsBase, sc);
                    if (weights != null) {
                        writeWeights(geo, b, h, q0, listed, stats, statsBase, weights, sc);
                    }
                }
            }
            for (int c = 0; c < d; c++) {
                for (int qi = 0; qi < td; qi++) {
                    out[(b * td + qi) * d + c] = sc.headSum[c * tdPad + qi] / heads;
                }
            }
        }
    }

    /**
     * One head's softmax for queries [q0, q0 + L) over the first {@code count} listed keys: each
     * lane's maximum and sum into the stats, its unnormalised value products into the
     * accumulators. Two passes over the keys: the maximum of the scores, then exp of score −
     * maximum (one fused chain from −maximum, as the backward and {@link #writeWeights} compute
     * it), its sum and the value products.
     */
    private static void forwardBlock(AttentionKernels.Geometry geo, int q0, int count, float[] stats,
                                     int statsBase, Scratch sc) {
        int d = geo.headSize();
        int tdPad = geo.paddedDecoderSteps();
        float[] queries = sc.queries;
        float[] keys = sc.keys;
        float[] values = sc.values;
        float[] visibleFrom = sc.visibleFrom;
        float[] acc = sc.accumulators;
        FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector limit = queryIndices(q0);
        FloatVector max = minusInf;
        for (int n = 0; n < count; n++) {
            FloatVector s = FloatVector.zero(S);
            for (int c = 0; c < d; c++) {
                s = FloatVector.fromArray(S, queries, c * tdPad + q0).fma(FloatVector.broadcast(S, keys[n * d + c]), s);
            }
            s = minusInf.blend(s, limit.compare(VectorOperators.GT, visibleFrom[n]));
            max = max.blend(s, s.compare(VectorOperators.GT, max));
        }
        // A lane with no open key (all scores −∞) gets the uniform fallback; shift it by 0.
        max = max.blend(0f, max.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
        FloatVector negativeMax = max.neg();
        java.util.Arrays.fill(acc, 0, d * L, 0f);
        FloatVector sum = FloatVector.zero(S);
        for (int n = 0; n < count; n++) {
            FloatVector x = negativeMax;
            for (int c = 0; c < d; c++) {
                x = FloatVector.fromArray(S, queries, c * tdPad + q0).fma(FloatVector.broadcast(S, keys[n * d + c]), x);
            }
            FloatVector e = VectorMath.softmaxExp2(minusInf.blend(x, limit.compare(VectorOperators.GT, visibleFrom[n])));
            sum = sum.add(e);
            for (int c = 0; c < d; c++) {
                e.fma(FloatVector.broadcast(S, values[n * d + c]), FloatVector.fromArray(S, acc, c * L))
                        .intoArray(acc, c * L);
            }
        }
        max.intoArray(stats, statsBase + q0);
        sum.intoArray(stats, statsBase + tdPad + q0);
    }

    /**
     * {@link #forwardBlock} for head size 2 (the TFT demo's 20/8), the components in registers and
     * the {@code open} keys every lane may see in loops without the mask: the maximum in
     * {@link #blockMaximum2}, then here the exp pass, whose keys on the causal diagonal (the rest of
     * the {@code count}) run in {@link #forwardDiagonal2}. Three methods because one would grow past
     * C2's node budget, and C2 would box its vectors.
     */
    private static void forwardBlock2(AttentionKernels.Geometry geo, int q0, int open, int count, float[] stats,
                                      int statsBase, Scratch sc) {
        int tdPad = geo.paddedDecoderSteps();
        float[] keys = sc.keys;
        float[] values = sc.values;
        blockMaximum2(geo, q0, open, count, stats, statsBase, sc);
        FloatVector q0v = FloatVector.fromArray(S, sc.queries, q0);
        FloatVector q1v = FloatVector.fromArray(S, sc.queries, tdPad + q0);
        FloatVector max = FloatVector.fromArray(S, stats, statsBase + q0);
        FloatVector negativeMax = max.neg();
        FloatVector sum = FloatVector.zero(S);
        FloatVector a0 = FloatVector.zero(S);
        FloatVector a1 = FloatVector.zero(S);
        for (int n = 0; n < open; n++) {
            FloatVector x = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 1]),
                    q0v.fma(FloatVector.broadcast(S, keys[2 * n]), negativeMax));
            FloatVector e = VectorMath.softmaxExp2(x);
            sum = sum.add(e);
            a0 = e.fma(FloatVector.broadcast(S, values[2 * n]), a0);
            a1 = e.fma(FloatVector.broadcast(S, values[2 * n + 1]), a1);
        }
        a0.intoArray(sc.accumulators, 0);
        a1.intoArray(sc.accumulators, L);
        sum.intoArray(stats, statsBase + tdPad + q0);
        if (open < count) {
            forwardDiagonal2(geo, q0, open, count, stats, statsBase, sc);
        }
    }

    /**
     * Pass 1 of {@link #forwardBlock2}, its own compile unit: each lane's maximum score over the
     * keys it may see into the stats (0 for a lane with none, which gets the uniform fallback).
     */
    private static void blockMaximum2(AttentionKernels.Geometry geo, int q0, int open, int count, float[] stats,
                                      int statsBase, Scratch sc) {
        int tdPad = geo.paddedDecoderSteps();
        float[] keys = sc.keys;
        float[] visibleFrom = sc.visibleFrom;
        FloatVector q0v = FloatVector.fromArray(S, sc.queries, q0);
        FloatVector q1v = FloatVector.fromArray(S, sc.queries, tdPad + q0);
        FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector limit = queryIndices(q0);
        // Four running maxima: one compare-and-blend chain would wait on its own latency every key.
        FloatVector m0 = minusInf;
        FloatVector m1 = minusInf;
        FloatVector m2 = minusInf;
        FloatVector m3 = minusInf;
        int n4 = open & ~3;
        for (int n = 0; n < n4; n += 4) {
            FloatVector s0 = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 1]), q0v.mul(FloatVector.broadcast(S, keys[2 * n])));
            FloatVector s1 = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 3]), q0v.mul(FloatVector.broadcast(S, keys[2 * n + 2])));
            FloatVector s2 = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 5]), q0v.mul(FloatVector.broadcast(S, keys[2 * n + 4])));
            FloatVector s3 = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 7]), q0v.mul(FloatVector.broadcast(S, keys[2 * n + 6])));
            m0 = m0.blend(s0, s0.compare(VectorOperators.GT, m0));
            m1 = m1.blend(s1, s1.compare(VectorOperators.GT, m1));
            m2 = m2.blend(s2, s2.compare(VectorOperators.GT, m2));
            m3 = m3.blend(s3, s3.compare(VectorOperators.GT, m3));
        }
        m0 = m0.blend(m1, m1.compare(VectorOperators.GT, m0));
        m2 = m2.blend(m3, m3.compare(VectorOperators.GT, m2));
        FloatVector max = m0.blend(m2, m2.compare(VectorOperators.GT, m0));
        for (int n = n4; n < open; n++) {
            FloatVector s = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 1]), q0v.mul(FloatVector.broadcast(S, keys[2 * n])));
            max = max.blend(s, s.compare(VectorOperators.GT, max));
        }
        for (int n = open; n < count; n++) {
            FloatVector s = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 1]), q0v.mul(FloatVector.broadcast(S, keys[2 * n])));
            s = minusInf.blend(s, limit.compare(VectorOperators.GT, visibleFrom[n]));
            max = max.blend(s, s.compare(VectorOperators.GT, max));
        }
        max.blend(0f, max.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY)).intoArray(stats, statsBase + q0);
    }

    /** The masked keys [open, count) of {@link #forwardBlock2}, added to its sums. */
    private static void forwardDiagonal2(AttentionKernels.Geometry geo, int q0, int open, int count, float[] stats,
                                         int statsBase, Scratch sc) {
        int tdPad = geo.paddedDecoderSteps();
        float[] keys = sc.keys;
        float[] values = sc.values;
        float[] visibleFrom = sc.visibleFrom;
        FloatVector q0v = FloatVector.fromArray(S, sc.queries, q0);
        FloatVector q1v = FloatVector.fromArray(S, sc.queries, tdPad + q0);
        FloatVector minusInf = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector limit = queryIndices(q0);
        FloatVector negativeMax = FloatVector.fromArray(S, stats, statsBase + q0).neg();
        FloatVector sum = FloatVector.fromArray(S, stats, statsBase + tdPad + q0);
        FloatVector a0 = FloatVector.fromArray(S, sc.accumulators, 0);
        FloatVector a1 = FloatVector.fromArray(S, sc.accumulators, L);
        for (int n = open; n < count; n++) {
            FloatVector x = q1v.fma(FloatVector.broadcast(S, keys[2 * n + 1]),
                    q0v.fma(FloatVector.broadcast(S, keys[2 * n]), negativeMax));
            FloatVector e = VectorMath.softmaxExp2(minusInf.blend(x, limit.compare(VectorOperators.GT, visibleFrom[n])));
            sum = sum.add(e);
            a0 = e.fma(FloatVector.broadcast(S, values[2 * n]), a0);
            a1 = e.fma(FloatVector.broadcast(S, values[2 * n + 1]), a1);
        }
        a0.intoArray(sc.accumulators, 0);
        a1.intoArray(sc.accumulators, L);
        sum.intoArray(stats, statsBase + tdPad + q0);
    }

    /**
     * The end of a forward block, its own compile unit (inlined into the key loops it would push
     * C2 past its node budget, and the dropout hash would be boxed): 1/sum into the stats, the
     * head output into the stats and, after dropout, into the head sum.
     */
    private static void finishBlock(AttentionKernels.Geometry geo, float[] v, int b, int h, int q0, float dropout,
                                    long seed, float[] stats, int statsBase, Scratch sc) {
        int d = geo.headSize();
        int tdPad = geo.paddedDecoderSteps();
        FloatVector sum = FloatVector.fromArray(S, stats, statsBase + tdPad + q0);
        VectorMask<Float> none = sum.compare(VectorOperators.EQ, 0f);
        FloatVector inv = FloatVector.broadcast(S, 1f).div(sum).blend(0f, none);
        inv.intoArray(stats, statsBase + tdPad + q0);
        boolean anyUniform = none.anyTrue();
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        float keep = 1f / (1f - dropout);
        IntVector lane = IntVector.fromArray(I, DropoutVector.LANE_INTS, 0);
        for (int c = 0; c < d; c++) {
            // Unconditional blends: a vector chosen by a branch would be boxed.
            float mean = anyUniform ? meanValue(v, b, c, geo.keys(), d) : 0f;
            FloatVector o = FloatVector.fromArray(S, sc.accumulators, c * L).mul(inv).blend(mean, none);
            o.intoArray(stats, statsBase + (2 + c) * tdPad + q0);
            // Dropout on the head output (with p = 0 no lane is dropped and keep is 1).
            int base = ((b * geo.decoderSteps() + q0) * geo.heads() + h) * d + c;
            FloatVector u = DropoutVector.uniform(lane.mul(geo.heads() * d).add(base), k1, k2);
            o = o.mul(keep).blend(0f, u.compare(VectorOperators.LT, dropout));
            o.add(FloatVector.fromArray(S, sc.headSum, c * tdPad + q0)).intoArray(sc.headSum, c * tdPad + q0);
        }
    }

    /** The uniform fallback's output: the mean of all T values (as the reference's p = 1/T sum). */
    private static float meanValue(float[] v, int b, int c, int keys, int d) {
        double s = 0;
        for (int j = 0; j < keys; j++) {
            s += (1.0 / keys) * v[(b * keys + j) * d + c];
        }
        return (float) s;
    }

    /** Attention weights of queries [q0, q0 + L), recomputed per lane with the same operations. */
    private static void writeWeights(AttentionKernels.Geometry geo, int b, int h, int q0, int listed, float[] stats,
                                     int statsBase, float[] weights, Scratch sc) {
        int td = geo.decoderSteps();
        int tdPad = geo.paddedDecoderSteps();
        int keys = geo.keys();
        int heads = geo.heads();
        int d = geo.headSize();
        for (int qi = q0; qi < Math.min(q0 + L, td); qi++) {
            int w = ((b * td + qi) * heads + h) * keys;
            float max = stats[statsBase + qi];
            float inv = stats[statsBase + tdPad + qi];
            if (inv == 0f) { // no open key: uniform
                java.util.Arrays.fill(weights, w, w + keys, 1f / keys);
                continue;
            }
            java.util.Arrays.fill(weights, w, w + keys, 0f);
            for (int n = 0; n < listed; n++) {
                if (!(qi > sc.visibleFrom[n])) {
                    continue;
                }
                float x = -max; // the forward's chain: score − maximum in one rounding per component
                for (int c = 0; c < d; c++) {
                    x = Math.fma(sc.queries[c * tdPad + qi], sc.keys[n * d + c], x);
                }
                weights[w + sc.keyIndex[n]] = FloatMath.softmaxExp2(x) * inv;
            }
        }
    }

}
