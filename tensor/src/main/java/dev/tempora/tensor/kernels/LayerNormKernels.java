package dev.tempora.tensor.kernels;

/**
 * Layer normalisation over contiguous rows of length {@code len}:
 * {@code y = (x − mean) · rstd · w + b}, rstd = 1/√(var + eps) with the biased variance (as torch).
 * The forward saves each row's mean and rstd for the backward. Weight and bias may be null.
 * SIMD rows in {@link LayerNormVector}; the references define results.
 */
public final class LayerNormKernels {

    private LayerNormKernels() {}

    /**
     * Normalises {@code rows} rows of {@code len} from {@code x[xo]} into {@code y[yo]}, saving row r's mean and
     * rstd in {@code mean[r]} and {@code rstd[r]}.
     */
    public static void forward(float[] x, int xo, float[] w, float[] b, float[] y, int yo,
                               float[] mean, float[] rstd, int rows, int len, float eps) {
        forward(x, xo, w, b, y, yo, mean, rstd, 0, rows, len, eps);
    }

    /** As above, row r's statistics going to mean[so + r] and rstd[so + r]. */
    public static void forward(float[] x, int xo, float[] w, float[] b, float[] y, int yo,
                               float[] mean, float[] rstd, int so, int rows, int len, float eps) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            // The SIMD rows always apply an affine map: identity weights stand in for absent ones.
            LayerNormVector.forward(x, xo, w == null ? ones(len) : w, b == null ? new float[len] : b, y, yo, mean, rstd,
                    so, rows, len, eps);
        } else if (VectorSupport.ENABLED) {
            narrowForward(x, xo, w, b, y, yo, mean, rstd, so, rows, len, eps);
        } else {
            forwardReference(x, xo, w, b, y, yo, mean, rstd, so, rows, len, eps);
        }
    }

    /**
     * Rows narrower than a vector (a variable selection's few weights): in float, as each lane of
     * the SIMD rows computes, rather than the reference's double precision, which costs several times
     * more for a float result within the same error budget.
     */
    static void narrowForward(float[] x, int xo, float[] w, float[] b, float[] y, int yo,
                              float[] mean, float[] rstd, int so, int rows, int len, float eps) {
        float inverseLength = 1f / len;
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            float s = 0f;
            for (int i = 0; i < len; i++) {
                s += x[xs + i];
            }
            float mu = s * inverseLength;
            float v = 0f;
            for (int i = 0; i < len; i++) {
                float d = x[xs + i] - mu;
                v = Math.fma(d, d, v);
            }
            float rs = (float) (1.0 / Math.sqrt(v * inverseLength + eps));
            if (mean != null) {
                mean[so + r] = mu;
                rstd[so + r] = rs;
            }
            int ys = yo + r * len;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - mu) * rs;
                y[ys + i] = Math.fma(n, w == null ? 1f : w[i], b == null ? 0f : b[i]);
            }
        }
    }

    /** The backward of {@link #narrowForward}, in float. */
    static void narrowBackward(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, int so, float[] w,
                               float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        float inverseLength = 1f / len;
        for (int r = 0; r < rows; r++) {
            int gs = go + r * len;
            int xs = xo + r * len;
            float m = mean[so + r];
            float rs = rstd[so + r];
            float sumH = 0f;
            float sumHN = 0f;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - m) * rs;
                float h = g[gs + i] * (w == null ? 1f : w[i]);
                sumH += h;
                sumHN = Math.fma(h, n, sumHN);
                if (gw != null) {
                    gw[i] = Math.fma(g[gs + i], n, gw[i]);
                }
                if (gb != null) {
                    gb[i] += g[gs + i];
                }
            }
            float meanH = sumH * inverseLength;
            float meanHN = sumHN * inverseLength;
            int os = gxo + r * len;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - m) * rs;
                float h = g[gs + i] * (w == null ? 1f : w[i]);
                gx[os + i] = (h - meanH - n * meanHN) * rs;
            }
        }
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }

    static void forwardReference(float[] x, int xo, float[] w, float[] b, float[] y, int yo,
                                        float[] mean, float[] rstd, int rows, int len, float eps) {
        forwardReference(x, xo, w, b, y, yo, mean, rstd, 0, rows, len, eps);
    }

    static void forwardReference(float[] x, int xo, float[] w, float[] b, float[] y, int yo,
                                        float[] mean, float[] rstd, int so, int rows, int len, float eps) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            double s = 0;
            for (int i = 0; i < len; i++) {
                s += x[xs + i];
            }
            double mu = s / len;
            double v = 0;
            for (int i = 0; i < len; i++) {
                double d = x[xs + i] - mu;
                v += d * d;
            }
            float rs = (float) (1.0 / Math.sqrt(v / len + eps));
            float m = (float) mu;
            if (mean != null) {
                mean[so + r] = m;
                rstd[so + r] = rs;
            }
            int ys = yo + r * len;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - m) * rs;
                y[ys + i] = n * (w == null ? 1f : w[i]) + (b == null ? 0f : b[i]);
            }
        }
    }

    /**
     * From the output gradient g: gx (overwritten), and gw, gb accumulated (+=) when not null.
     * With n = (x − mean)·rstd and h = g·w: gx = rstd · (h − mean(h) − n · mean(h·n)).
     */
    public static void backward(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, float[] w,
                                float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        backward(g, go, x, xo, mean, rstd, 0, w, gx, gxo, gw, gb, rows, len);
    }

    /** As above, row r's statistics read from mean[so + r] and rstd[so + r]. */
    public static void backward(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, int so, float[] w,
                                float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            // Gradients of absent weight/bias go to scratch arrays that are then dropped.
            LayerNormVector.backward(g, go, x, xo, mean, rstd, so, w == null ? ones(len) : w, gx, gxo,
                    gw == null ? new float[len] : gw, gb == null ? new float[len] : gb, rows, len);
        } else if (VectorSupport.ENABLED) {
            narrowBackward(g, go, x, xo, mean, rstd, so, w, gx, gxo, gw, gb, rows, len);
        } else {
            backwardReference(g, go, x, xo, mean, rstd, so, w, gx, gxo, gw, gb, rows, len);
        }
    }

    static void backwardReference(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, float[] w,
                                         float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        backwardReference(g, go, x, xo, mean, rstd, 0, w, gx, gxo, gw, gb, rows, len);
    }

    static void backwardReference(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, int so,
                                         float[] w, float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            int gs = go + r * len;
            int xs = xo + r * len;
            float m = mean[so + r];
            float rs = rstd[so + r];
            double sumH = 0;
            double sumHN = 0;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - m) * rs;
                float h = g[gs + i] * (w == null ? 1f : w[i]);
                sumH += h;
                sumHN += h * n;
                if (gw != null) {
                    gw[i] += g[gs + i] * n;
                }
                if (gb != null) {
                    gb[i] += g[gs + i];
                }
            }
            float meanH = (float) (sumH / len);
            float meanHN = (float) (sumHN / len);
            int os = gxo + r * len;
            for (int i = 0; i < len; i++) {
                float n = (x[xs + i] - m) * rs;
                float h = g[gs + i] * (w == null ? 1f : w[i]);
                gx[os + i] = rs * (h - meanH - n * meanHN);
            }
        }
    }
}
