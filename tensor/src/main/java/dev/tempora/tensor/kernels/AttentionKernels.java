package dev.tempora.tensor.kernels;

/**
 * The core of the TFT's interpretable multi-head attention, fused: for each sample b, decoder query
 * p and head h, softmax(q·Kᵀ/√d) over the keys the mask leaves open, times the shared values, with
 * dropout on each head's output and the mean over heads. The probabilities are never stored: the
 * backward recomputes them from q and K, which with the TFT's tiny head size (d = H / heads, often
 * 2) is far cheaper than keeping B·Td·heads·T floats.
 *
 * <p>Keys are the Te encoder steps followed by the Td decoder steps. Open keys for (b, p): encoder
 * steps below the sample's encoder length, and decoder steps before p (causal: a step never sees
 * itself) or, without causality, decoder steps below the sample's decoder length. If none is open,
 * PyTorch Forecasting's masked softmax of all −1e9 scores gives every key 1/T, and so do we.
 *
 * <p>Layouts: q (B, Td, heads, d); kt (B, heads, d, T) and vt (B, d, T), i.e. keys and values
 * transposed so one coordinate of all keys is contiguous; out (B, Td, d); attention weights, when
 * requested, (B, Td, heads, T). SIMD version in {@link AttentionVector}.
 */
public final class AttentionKernels {

    private AttentionKernels() {}

    /** The shape and masking of one attention call. */
    public record Geometry(int batch, int encoderSteps, int decoderSteps, int heads, int headSize,
                           int[] encoderLengths, int[] decoderLengths, boolean causal) {
        public int keys() {
            return encoderSteps + decoderSteps;
        }

        /** End of the open decoder keys for query p of sample b (relative to the decoder start). */
        int decoderOpen(int b, int p) {
            return causal ? p : decoderLengths[b];
        }
    }

    public static void forward(Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
                               float[] out, float[] weights, int bFrom, int bTo) {
        if (VectorSupport.ENABLED) {
            AttentionVector.forward(geo, q, kt, vt, dropout, seed, out, weights, bFrom, bTo);
        } else {
            forwardReference(geo, q, kt, vt, dropout, seed, out, weights, bFrom, bTo);
        }
    }

    public static void forwardReference(Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
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
        double[] p = new double[keys];
        for (int b = bFrom; b < bTo; b++) {
            int encOpen = geo.encoderLengths()[b];
            for (int qi = 0; qi < td; qi++) {
                int decOpen = geo.decoderOpen(b, qi);
                float[] acc = new float[d];
                for (int h = 0; h < heads; h++) {
                    probabilities(q, kt, b, qi, h, geo, encOpen, decOpen, scale, p);
                    if (weights != null) {
                        int w = ((b * td + qi) * heads + h) * keys;
                        for (int j = 0; j < keys; j++) {
                            weights[w + j] = (float) p[j];
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        double o = 0;
                        int vRow = (b * d + c) * keys;
                        for (int j = 0; j < keys; j++) {
                            o += p[j] * vt[vRow + j];
                        }
                        float head = (float) o;
                        if (dropout > 0f) {
                            int index = ((b * td + qi) * heads + h) * d + c;
                            head = DropoutKernels.uniform(index, k1, k2) >= dropout ? head * keep : 0f;
                        }
                        acc[c] += head;
                    }
                }
                for (int c = 0; c < d; c++) {
                    out[(b * td + qi) * d + c] = acc[c] / heads;
                }
            }
        }
    }

    /** Masked softmax of one query against all keys, in double (the reference). */
    static void probabilities(float[] q, float[] kt, int b, int qi, int h, Geometry geo, int encOpen, int decOpen,
                              float scale, double[] p) {
        int te = geo.encoderSteps();
        int keys = geo.keys();
        int d = geo.headSize();
        int qOff = ((b * geo.decoderSteps() + qi) * geo.heads() + h) * d;
        double max = Double.NEGATIVE_INFINITY;
        boolean anyOpen = false;
        for (int j = 0; j < keys; j++) {
            boolean open = j < te ? j < encOpen : j - te < decOpen;
            if (!open) {
                p[j] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += q[qOff + c] * kt[((b * geo.heads() + h) * d + c) * keys + j];
            }
            s *= scale;
            p[j] = s;
            max = Math.max(max, s);
            anyOpen = true;
        }
        if (!anyOpen) {
            java.util.Arrays.fill(p, 0, keys, 1.0 / keys);
            return;
        }
        double sum = 0;
        for (int j = 0; j < keys; j++) {
            p[j] = Double.isNaN(p[j]) ? 0 : StrictMath.exp(p[j] - max);
            sum += p[j];
        }
        for (int j = 0; j < keys; j++) {
            p[j] /= sum;
        }
    }

    /**
     * Gradients of q, kt and vt from the output gradient gOut (B, Td, d). dq, dkt, dvt are
     * overwritten for samples [bFrom, bTo).
     */
    public static void backward(Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
                                float[] gOut, float[] dq, float[] dkt, float[] dvt, int bFrom, int bTo) {
        if (VectorSupport.ENABLED) {
            AttentionVector.backward(geo, q, kt, vt, dropout, seed, gOut, dq, dkt, dvt, bFrom, bTo);
        } else {
            backwardReference(geo, q, kt, vt, dropout, seed, gOut, dq, dkt, dvt, bFrom, bTo);
        }
    }

    public static void backwardReference(Geometry geo, float[] q, float[] kt, float[] vt, float dropout, long seed,
                                         float[] gOut, float[] dq, float[] dkt, float[] dvt, int bFrom, int bTo) {
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        float scale = (float) (1.0 / Math.sqrt(d));
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        double[] p = new double[keys];
        double[] dp = new double[keys];
        clear(dq, (long) bFrom * td * heads * d, (long) bTo * td * heads * d);
        clear(dkt, (long) bFrom * heads * d * keys, (long) bTo * heads * d * keys);
        clear(dvt, (long) bFrom * d * keys, (long) bTo * d * keys);
        for (int b = bFrom; b < bTo; b++) {
            int encOpen = geo.encoderLengths()[b];
            for (int qi = 0; qi < td; qi++) {
                int decOpen = geo.decoderOpen(b, qi);
                for (int h = 0; h < heads; h++) {
                    probabilities(q, kt, b, qi, h, geo, encOpen, decOpen, scale, p);
                    boolean uniform = isUniformFallback(geo, encOpen, decOpen);
                    // Gradient of this head's output: mean over heads, then its dropout mask.
                    float[] gHead = new float[d];
                    for (int c = 0; c < d; c++) {
                        float gv = gOut[(b * td + qi) * d + c] / heads;
                        if (dropout > 0f) {
                            int index = ((b * td + qi) * heads + h) * d + c;
                            gv = DropoutKernels.uniform(index, k1, k2) >= dropout ? gv * keep : 0f;
                        }
                        gHead[c] = gv;
                    }
                    double dot = 0;
                    for (int j = 0; j < keys; j++) {
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            int vRow = (b * d + c) * keys;
                            dvt[vRow + j] += (float) (p[j] * gHead[c]);
                            s += (double) gHead[c] * vt[vRow + j];
                        }
                        dp[j] = s;
                        dot += p[j] * s;
                    }
                    if (uniform) {
                        continue; // constant probabilities: no gradient to the scores
                    }
                    int qOff = ((b * td + qi) * heads + h) * d;
                    for (int j = 0; j < keys; j++) {
                        double ds = p[j] * (dp[j] - dot) * scale;
                        if (ds == 0) {
                            continue;
                        }
                        for (int c = 0; c < d; c++) {
                            int kRow = ((b * heads + h) * d + c) * keys;
                            dq[qOff + c] += (float) (ds * kt[kRow + j]);
                            dkt[kRow + j] += (float) (ds * q[qOff + c]);
                        }
                    }
                }
            }
        }
    }

    static boolean isUniformFallback(Geometry geo, int encOpen, int decOpen) {
        return Math.min(encOpen, geo.encoderSteps()) + Math.min(decOpen, geo.decoderSteps()) == 0;
    }

    private static void clear(float[] a, long from, long to) {
        java.util.Arrays.fill(a, (int) from, (int) to, 0f);
    }
}
