package dev.tempora.autograd;

import dev.tempora.tensor.Parallel;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.AttentionKernels;
import dev.tempora.tensor.kernels.AttentionKernels.Geometry;

import java.util.Arrays;

/**
 * The fused core of the TFT's interpretable multi-head attention as one autograd op: per-head
 * scaled dot-product attention of the decoder queries over encoder and decoder keys, masked
 * (padded encoder steps; later decoder steps when causal), dropout on each head's output, and the
 * mean over heads — with one value projection shared by all heads. See {@link AttentionKernels}.
 */
public final class InterpretableAttention {

    private InterpretableAttention() {}

    /** The mean head output (B, Td, d) and, when asked for, the attention weights (B, Td, heads, T). */
    public record Result(Variable output, Tensor weights) {}

    /**
     * @param queries (B, Td, heads, d), the decoder steps' per-head queries
     * @param keys    (B, T, heads, d), T = Te + Td
     * @param values  (B, T, d), shared by the heads
     * @param encoderLengths per-sample encoder lengths (≤ Te)
     * @param decoderLengths per-sample decoder lengths (used when not causal)
     * @param dropout        dropout probability on head outputs (applied when training)
     * @param seed           dropout mask seed
     * @param keepWeights    whether to return the attention weights (interpretation, plots)
     */
    public static Result apply(Variable queries, Variable keys, Variable values, int[] encoderLengths,
                               int[] decoderLengths, boolean causal, float dropout, boolean training, long seed,
                               boolean keepWeights) {
        int[] qs = queries.shape();
        int[] ks = keys.shape();
        int[] vs = values.shape();
        if (qs.length != 4 || ks.length != 4 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0]
                || ks[2] != qs[2] || ks[3] != qs[3] || vs[1] != ks[1] || vs[2] != qs[3] || ks[1] < qs[1]) {
            throw new IllegalArgumentException("attention: queries " + Arrays.toString(qs) + ", keys "
                    + Arrays.toString(ks) + " and values " + Arrays.toString(vs)
                    + " must be (B, Td, heads, d), (B, Te+Td, heads, d) and (B, Te+Td, d)");
        }
        int batch = qs[0];
        int td = qs[1];
        int heads = qs[2];
        int d = qs[3];
        int te = ks[1] - td;
        if (encoderLengths.length != batch || decoderLengths.length != batch) {
            throw new IllegalArgumentException("attention: " + encoderLengths.length + " encoder and "
                    + decoderLengths.length + " decoder lengths for a batch of " + batch);
        }
        Geometry geo = new Geometry(batch, te, td, heads, d, encoderLengths.clone(), decoderLengths.clone(), causal);
        float p = training ? dropout : 0f;
        // The projections' own layouts: nothing is transposed or copied around the kernels.
        Tensor q = dense(queries.value());
        Tensor k = dense(keys.value());
        Tensor v = dense(values.value());
        Tensor out = Tensor.empty(batch, td, d);
        Tensor stats = Tensor.empty(geo.statsSize());
        Tensor weights = keepWeights ? Tensor.empty(batch, td, heads, te + td) : null;
        float[] w = weights == null ? null : weights.storage();
        Parallel.forRange(batch, 1, (from, to) -> AttentionKernels.forward(geo, q.storage(), k.storage(),
                v.storage(), p, seed, out.storage(), w, stats.storage(), from, to));
        Variable result = Variable.fromOp(out, (g, sink) -> {
            float[] go = dense(g).storage();
            Tensor dq = Tensor.empty(q.shape());
            Tensor dk = Tensor.empty(k.shape());
            Tensor dv = Tensor.empty(v.shape());
            Parallel.forRange(batch, 1, (from, to) -> AttentionKernels.backward(geo, q.storage(), k.storage(),
                    v.storage(), p, seed, stats.storage(), go, dq.storage(), dk.storage(), dv.storage(), from, to));
            sink.accumulate(0, dq);
            sink.accumulate(1, dk);
            sink.accumulate(2, dv);
        }, queries, keys, values);
        return new Result(result, weights);
    }

    /** The tensor as a contiguous array starting at index 0, as the kernels index it. */
    private static Tensor dense(Tensor t) {
        Tensor c = t.contiguous();
        return c.storageOffset() == 0 ? c : c.copy();
    }
}
