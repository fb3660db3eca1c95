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
        Tensor q = queries.value().contiguous();
        Tensor kt = keys.value().permute(0, 2, 3, 1).contiguous();   // (B, heads, d, T)
        Tensor vt = values.value().permute(0, 2, 1).contiguous();    // (B, d, T)
        Tensor out = Tensor.empty(batch, td, d);
        Tensor weights = keepWeights ? Tensor.empty(batch, td, heads, te + td) : null;
        float[] w = weights == null ? null : weights.storage();
        Parallel.forRange(batch, 1, (from, to) -> AttentionKernels.forward(geo, q.storage(), kt.storage(),
                vt.storage(), p, seed, out.storage(), w, from, to));
        Variable result = Variable.fromOp(out, (g, sink) -> {
            Tensor gc = g.contiguous();
            float[] go = gc.storageOffset() == 0 ? gc.storage() : gc.toFloatArray();
            Tensor dq = Tensor.empty(q.shape());
            Tensor dkt = Tensor.empty(kt.shape());
            Tensor dvt = Tensor.empty(vt.shape());
            Parallel.forRange(batch, 1, (from, to) -> AttentionKernels.backward(geo, q.storage(), kt.storage(),
                    vt.storage(), p, seed, go, dq.storage(), dkt.storage(), dvt.storage(), from, to));
            sink.accumulate(0, dq);
            sink.accumulate(1, dkt.permute(0, 3, 1, 2));
            sink.accumulate(2, dvt.permute(0, 2, 1));
        }, queries, keys, values);
        return new Result(result, weights);
    }
}
