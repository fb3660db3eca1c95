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
 * <p>Layouts are those the projections produce, so nothing is transposed or copied around the
 * call: q (B, Td, heads, d); k (B, T, heads, d); v (B, T, d), shared by the heads; out (B, Td, d);
 * attention weights, when requested, (B, Td, heads, T). The gradients dq, dk, dv have the layouts
 * of q, k, v. {@code stats} ({@link Geometry#statsSize()} floats) is where the forward leaves, per
 * query and head, what the backward needs besides the inputs; its content belongs to the kernel.
 * SIMD versions in {@link AttentionVector} and {@link AttentionBackwardVector}; the references below
 * define the results.
 */
public final class AttentionKernels {

    private AttentionKernels() {}

    /** The shape and masking of one attention call. */
    public record Geometry(int batch, int encoderSteps, int decoderSteps, int heads, int headSize,
                           int[] encoderLengths, int[] decoderLengths, boolean causal) {
        /** T, the number of keys: encoder steps followed by decoder steps. */
        public int keys() {
            return encoderSteps + decoderSteps;
        }

        /** Decoder steps rounded up to whole vectors: the vector kernels run queries a vector at a time. */
        int paddedDecoderSteps() {
            int lanes = VectorSupport.LANES;
            return (decoderSteps + lanes - 1) / lanes * lanes;
        }

        /** Floats of the buffer the forward fills for the backward. */
        public int statsSize() {
            return batch * heads * (2 + headSize) * paddedDecoderSteps();
        }

        /** Open encoder keys of sample b. */
        int encoderOpen(int b) {
            return Math.min(encoderLengths[b], encoderSteps);
        }

        /** End of the open decoder keys for query p of sample b (relative to the decoder start). */
        int decoderOpen(int b, int p) {
            return Math.min(causal ? p : decoderLengths[b], decoderSteps);
        }
    }

    /**
     * The forward for samples [bFrom, bTo): fills {@code out}, {@code stats} and, when not null, {@code weights}
     * (each head's probabilities, (B, Td, heads, T)). Dropout with probability {@code dropout} on each
     * head's output, drawn from {@code seed}.
     */
    public static void forward(Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                               float[] out, float[] weights, float[] stats, int bFrom, int bTo) {
        if (VectorSupport.ENABLED) {
            AttentionVector.forward(geo, q, k, v, dropout, seed, out, weights, stats, bFrom, bTo);
        } else {
            forwardScalar(geo, q, k, v, dropout, seed, out, weights, bFrom, bTo);
        }
    }

    /**
     * The forward without SIMD (C1 only, no Vector API module, or scalar kernels forced): the reference's
     * arithmetic in double, except that each probability's exponential is the SIMD kernels' base-2 one,
     * {@link FloatMath#softmaxExp2} (under 1 ulp of a float), instead of {@link StrictMath#exp}, whose
     * pure-Java code took some 60% of a small {@code predict}'s inference, and that masked keys are skipped
     * instead of visited.
     */
    static void forwardScalar(Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                              float[] out, float[] weights, int bFrom, int bTo) {
        int te = geo.encoderSteps();
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        // Scores in base 2, as the SIMD kernels take them, so the softmax uses their exponential
        // (FloatMath.softmaxExp2: no range reduction by ln 2, a third fewer operations than FloatMath.exp).
        double scale = FloatMath.LOG2E / Math.sqrt(d);
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        double[] p = new double[keys];
        double[] head = new double[d];
        float[] acc = new float[d];
        for (int b = bFrom; b < bTo; b++) {
            int encOpen = geo.encoderOpen(b);
            for (int qi = 0; qi < td; qi++) {
                int decOpen = geo.decoderOpen(b, qi);
                java.util.Arrays.fill(acc, 0f);
                for (int h = 0; h < heads; h++) {
                    int qOff = ((b * td + qi) * heads + h) * d;
                    java.util.Arrays.fill(head, 0);
                    if (encOpen + decOpen == 0) { // no open key: uniform, as PTF's softmax of all −1e9
                        java.util.Arrays.fill(p, 1.0 / keys);
                        for (int j = 0; j < keys; j++) {
                            addValue(head, p[j], v, (b * keys + j) * d, d);
                        }
                    } else {
                        // The open keys: encoder steps [0, encOpen), then decoder steps [te, end).
                        int first = encOpen > 0 ? 0 : te;
                        int end = te + decOpen;
                        java.util.Arrays.fill(p, 0);
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = first; j < end; j = j + 1 == encOpen ? te : j + 1) {
                            p[j] = score(q, qOff, k, ((b * keys + j) * heads + h) * d, d) * scale;
                            if (p[j] > max || p[j] != p[j]) { // Math.max's result (NaN sticks), which C1 calls out of line
                                max = p[j];
                            }
                        }
                        double sum = 0;
                        for (int j = first; j < end; j = j + 1 == encOpen ? te : j + 1) {
                            p[j] = FloatMath.softmaxExp2((float) (p[j] - max));
                            sum += p[j];
                        }
                        for (int j = first; j < end; j = j + 1 == encOpen ? te : j + 1) {
                            p[j] /= sum;
                            addValue(head, p[j], v, (b * keys + j) * d, d);
                        }
                    }
                    if (weights != null) {
                        int w = ((b * td + qi) * heads + h) * keys;
                        for (int j = 0; j < keys; j++) {
                            weights[w + j] = (float) p[j];
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        float value = (float) head[c];
                        if (dropout > 0f) {
                            int index = ((b * td + qi) * heads + h) * d + c;
                            value = DropoutKernels.uniform(index, k1, k2) >= dropout ? value * keep : 0f;
                        }
                        acc[c] += value;
                    }
                }
                for (int c = 0; c < d; c++) {
                    out[(b * td + qi) * d + c] = acc[c] / heads;
                }
            }
        }
    }

    /** q[qOff, qOff + d) · k[kOff, kOff + d), in double. */
    private static double score(float[] q, int qOff, float[] k, int kOff, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += (double) q[qOff + c] * k[kOff + c];
        }
        return s;
    }

    /** head += weight · v[from, from + d). */
    private static void addValue(double[] head, double weight, float[] v, int from, int d) {
        for (int c = 0; c < d; c++) {
            head[c] += weight * v[from + c];
        }
    }

    /** The reference forward, in double; it needs no stats (its backward recomputes everything). */
    static void forwardReference(Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                                        float[] out, float[] weights, int bFrom, int bTo) {
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        double[] p = new double[keys];
        float[] acc = new float[d];
        for (int b = bFrom; b < bTo; b++) {
            for (int qi = 0; qi < td; qi++) {
                java.util.Arrays.fill(acc, 0f);
                for (int h = 0; h < heads; h++) {
                    probabilities(geo, q, k, b, qi, h, p);
                    if (weights != null) {
                        int w = ((b * td + qi) * heads + h) * keys;
                        for (int j = 0; j < keys; j++) {
                            weights[w + j] = (float) p[j];
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        double o = 0;
                        for (int j = 0; j < keys; j++) {
                            o += p[j] * v[(b * keys + j) * d + c];
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

    /** Masked softmax of one query against all keys, in double; 0 at masked keys. */
    static void probabilities(Geometry geo, float[] q, float[] k, int b, int qi, int h, double[] p) {
        int te = geo.encoderSteps();
        int keys = geo.keys();
        int heads = geo.heads();
        int d = geo.headSize();
        int encOpen = geo.encoderOpen(b);
        int decOpen = geo.decoderOpen(b, qi);
        if (encOpen + decOpen == 0) {
            java.util.Arrays.fill(p, 0, keys, 1.0 / keys);
            return;
        }
        double scale = 1.0 / Math.sqrt(d);
        int qOff = ((b * geo.decoderSteps() + qi) * heads + h) * d;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < keys; j++) {
            if (!(j < te ? j < encOpen : j - te < decOpen)) {
                p[j] = Double.NaN;
                continue;
            }
            double s = 0;
            for (int c = 0; c < d; c++) {
                s += (double) q[qOff + c] * k[((b * keys + j) * heads + h) * d + c];
            }
            p[j] = s * scale;
            max = Math.max(max, p[j]);
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
     * Gradients of q, k and v from the output gradient gOut (B, Td, d), given the stats the forward
     * left. dq, dk, dv are overwritten for samples [bFrom, bTo).
     */
    public static void backward(Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                                float[] stats, float[] gOut, float[] dq, float[] dk, float[] dv, int bFrom, int bTo) {
        if (VectorSupport.ENABLED) {
            AttentionBackwardVector.backward(geo, q, k, v, dropout, seed, stats, gOut, dq, dk, dv, bFrom, bTo);
        } else {
            backwardReference(geo, q, k, v, dropout, seed, gOut, dq, dk, dv, bFrom, bTo);
        }
    }

    /** The reference backward, in double, recomputing the probabilities. */
    static void backwardReference(Geometry geo, float[] q, float[] k, float[] v, float dropout, long seed,
                                         float[] gOut, float[] dq, float[] dk, float[] dv, int bFrom, int bTo) {
        int td = geo.decoderSteps();
        int heads = geo.heads();
        int d = geo.headSize();
        int keys = geo.keys();
        double scale = 1.0 / Math.sqrt(d);
        float keep = 1f / (1f - dropout);
        int k1 = DropoutKernels.key1(seed);
        int k2 = DropoutKernels.key2(seed);
        double[] p = new double[keys];
        double[] dp = new double[keys];
        double[] gHead = new double[d];
        double[] dqAcc = new double[d];
        double[] dkAcc = new double[(bTo - bFrom) * keys * heads * d];
        double[] dvAcc = new double[(bTo - bFrom) * keys * d];
        for (int b = bFrom; b < bTo; b++) {
            int kBase = (b - bFrom) * keys;
            for (int qi = 0; qi < td; qi++) {
                boolean uniform = geo.encoderOpen(b) + geo.decoderOpen(b, qi) == 0;
                for (int h = 0; h < heads; h++) {
                    probabilities(geo, q, k, b, qi, h, p);
                    // Gradient of this head's output: mean over heads, then its dropout mask.
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
                            dvAcc[(kBase + j) * d + c] += p[j] * gHead[c];
                            s += gHead[c] * v[(b * keys + j) * d + c];
                        }
                        dp[j] = s;
                        dot += p[j] * s;
                    }
                    int qOff = ((b * td + qi) * heads + h) * d;
                    java.util.Arrays.fill(dqAcc, 0);
                    if (!uniform) { // constant probabilities pass no gradient to the scores
                        for (int j = 0; j < keys; j++) {
                            double ds = p[j] * (dp[j] - dot) * scale;
                            for (int c = 0; c < d; c++) {
                                dqAcc[c] += ds * k[((b * keys + j) * heads + h) * d + c];
                                dkAcc[((kBase + j) * heads + h) * d + c] += ds * q[qOff + c];
                            }
                        }
                    }
                    for (int c = 0; c < d; c++) {
                        dq[qOff + c] = (float) dqAcc[c];
                    }
                }
            }
        }
        for (int i = 0; i < dkAcc.length; i++) {
            dk[bFrom * keys * heads * d + i] = (float) dkAcc[i];
        }
        for (int i = 0; i < dvAcc.length; i++) {
            dv[bFrom * keys * d + i] = (float) dvAcc[i];
        }
    }
}
