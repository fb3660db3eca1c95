package dev.tempora.tensor.kernels;

/**
 * Softmax and log-softmax over contiguous rows of length {@code len}, and their backward passes.
 * Max-subtracted for stability. SIMD versions in {@link SoftmaxVector}; the references define results.
 */
public final class SoftmaxKernels {

    private SoftmaxKernels() {}

    /**
     * Softmax (log-softmax when {@code log}) of {@code rows} rows of {@code len} from {@code x[xo]} into {@code
     * y[yo]}.
     */
    public static void forward(float[] x, int xo, float[] y, int yo, int rows, int len, boolean log) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            if (log) {
                SoftmaxVector.logSoftmaxRows(x, xo, y, yo, rows, len);
            } else {
                SoftmaxVector.softmaxRows(x, xo, y, yo, rows, len);
            }
        } else if (VectorSupport.ENABLED && !log) {
            narrowRows(x, xo, y, yo, rows, len);
        } else {
            forwardReference(x, xo, y, yo, rows, len, log);
        }
    }

    /**
     * Softmax rows narrower than a vector (a variable selection's few weights): in float with
     * {@link FloatMath#exp}, as each lane of the SIMD rows computes it, rather than the reference's
     * double precision, which costs several times more for the same float result.
     */
    static void narrowRows(float[] x, int xo, float[] y, int yo, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            int ys = yo + r * len;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                max = Math.max(max, x[xs + i]);
            }
            float sum = 0f;
            for (int i = 0; i < len; i++) {
                float e = FloatMath.exp(x[xs + i] - max);
                y[ys + i] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int i = 0; i < len; i++) {
                y[ys + i] *= inv;
            }
        }
    }

    static void forwardReference(float[] x, int xo, float[] y, int yo, int rows, int len, boolean log) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            int ys = yo + r * len;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                max = Math.max(max, x[xs + i]);
            }
            double sum = 0;
            for (int i = 0; i < len; i++) {
                sum += StrictMath.exp(x[xs + i] - max);
            }
            if (log) {
                float logSum = (float) StrictMath.log(sum);
                for (int i = 0; i < len; i++) {
                    y[ys + i] = x[xs + i] - max - logSum;
                }
            } else {
                for (int i = 0; i < len; i++) {
                    y[ys + i] = (float) (StrictMath.exp(x[xs + i] - max) / sum);
                }
            }
        }
    }

    /**
     * Gradient with respect to the input, from the output y and its gradient g:
     * softmax: gx = y ⊙ (g − Σ g⊙y); log-softmax: gx = g − exp(y) ⊙ Σ g.
     */
    public static void backward(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len, boolean log) {
        if (VectorSupport.ENABLED && len >= VectorSupport.LANES) {
            if (log) {
                SoftmaxVector.logSoftmaxBackwardRows(y, yo, g, go, gx, gxo, rows, len);
            } else {
                SoftmaxVector.softmaxBackwardRows(y, yo, g, go, gx, gxo, rows, len);
            }
        } else if (VectorSupport.ENABLED && !log) {
            narrowBackwardRows(y, yo, g, go, gx, gxo, rows, len);
        } else {
            backwardReference(y, yo, g, go, gx, gxo, rows, len, log);
        }
    }

    /** The softmax backward of {@link #narrowRows}, in float. */
    static void narrowBackwardRows(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            int ys = yo + r * len;
            int gs = go + r * len;
            int os = gxo + r * len;
            float dot = 0f;
            for (int i = 0; i < len; i++) {
                dot = Math.fma(g[gs + i], y[ys + i], dot);
            }
            for (int i = 0; i < len; i++) {
                gx[os + i] = y[ys + i] * (g[gs + i] - dot);
            }
        }
    }

    static void backwardReference(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len, boolean log) {
        for (int r = 0; r < rows; r++) {
            int ys = yo + r * len;
            int gs = go + r * len;
            int os = gxo + r * len;
            double dot = 0;
            for (int i = 0; i < len; i++) {
                dot += log ? g[gs + i] : (double) g[gs + i] * y[ys + i];
            }
            for (int i = 0; i < len; i++) {
                gx[os + i] = log
                        ? (float) (g[gs + i] - StrictMath.exp(y[ys + i]) * dot)
                        : (float) (y[ys + i] * (g[gs + i] - dot));
            }
        }
    }
}
