package dev.tempora.tensor.kernels;

/**
 * A per-row weighted sum of n inputs, each (rows, len), with weights (rows, n):
 * {@code out[r, i] = Σ_v w[r, v]·x_v[r, i]}, summed in input order; and its backward,
 * {@code gx_v[r, i] = w[r, v]·g[r, i]} and {@code gw[r, v] = Σ_i g[r, i]·x_v[r, i]}. This is how the
 * TFT's variable selection combines its transformed variables; as one op it needs neither the
 * stacked (rows, len, n) tensor nor a broadcast product. Input v starts at {@code x[v][xo[v]]}.
 * SIMD rows in {@link WeightedSumVector}; the references define results (the forward and gx bit for
 * bit, gw up to summation order).
 */
public final class WeightedSumKernels {

    private WeightedSumKernels() {}

    /** out[r, i] = Σ_v w[r, v]·x_v[r, i] for {@code rows} rows, the (rows, n) weights starting at {@code w[wo]}. */
    public static void forward(float[][] x, int[] xo, float[] w, int wo, float[] out, int oo, int rows, int len) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            WeightedSumVector.forward(x, xo, w, wo, out, oo, rows, len);
        } else {
            forwardReference(x, xo, w, wo, out, oo, rows, len);
        }
    }

    static void forwardReference(float[][] x, int[] xo, float[] w, int wo, float[] out, int oo, int rows, int len) {
        int n = x.length;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < len; i++) {
                float acc = x[0][xo[0] + r * len + i] * w[wo + r * n];
                for (int v = 1; v < n; v++) {
                    acc = acc + x[v][xo[v] + r * len + i] * w[wo + r * n + v];
                }
                out[oo + r * len + i] = acc;
            }
        }
    }

    /** gx[v] (overwritten, each at gxo[v]) and gw (rows, n), overwritten. */
    public static void backward(float[][] x, int[] xo, float[] w, int wo, float[] g, int go,
                                float[][] gx, int[] gxo, float[] gw, int gwo, int rows, int len) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            WeightedSumVector.backward(x, xo, w, wo, g, go, gx, gxo, gw, gwo, rows, len);
        } else {
            backwardReference(x, xo, w, wo, g, go, gx, gxo, gw, gwo, rows, len);
        }
    }

    static void backwardReference(float[][] x, int[] xo, float[] w, int wo, float[] g, int go,
                                         float[][] gx, int[] gxo, float[] gw, int gwo, int rows, int len) {
        int n = x.length;
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < n; v++) {
                float wv = w[wo + r * n + v];
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    float gi = g[go + r * len + i];
                    gx[v][gxo[v] + r * len + i] = gi * wv;
                    dot += (double) gi * x[v][xo[v] + r * len + i];
                }
                gw[gwo + r * n + v] = (float) dot;
            }
        }
    }
}
