package dev.tempora.tensor.kernels;

/**
 * The gated linear unit over rows of length 2h: {@code out[r, j] = a · σ(b)} with a = x[r, j] and
 * b = x[r, h + j], and its backward. SIMD rows in {@link GluVector}; the references define results.
 */
public final class GluKernels {

    private GluKernels() {}

    /** out[r, j] = a·σ(b) for {@code rows} rows of 2h inputs, starting at {@code x[xo]} and {@code out[oo]}. */
    public static void forward(float[] x, int xo, float[] out, int oo, int rows, int h) {
        if (VectorSupport.ENABLED && h >= VectorSupport.LANES) {
            GluVector.forward(x, xo, out, oo, rows, h);
        } else {
            forwardReference(x, xo, out, oo, rows, h);
        }
    }

    static void forwardReference(float[] x, int xo, float[] out, int oo, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int os = oo + r * h;
            for (int j = 0; j < h; j++) {
                float s = FloatMath.sigmoid(x[xs + h + j]);
                out[os + j] = x[xs + j] * s;
            }
        }
    }

    /**
     * out[r, j] = (x[r, j] + c[j])·σ(x[r, h + j] + c[h + j]) + skip[r, j]: the gate of a gated residual,
     * with the gate layer's bias c (2h, from {@code c[0]}) and the skip added in the same pass, so that
     * neither the biased gate input nor the gate's output is ever written. Each element is the
     * gate layer's bias addition, then {@link #forward}'s gate, then the skip addition, rounded as
     * those three separately would be.
     */
    public static void forwardAdd(float[] x, int xo, float[] c, float[] skip, int so, float[] out, int oo,
                                  int rows, int h) {
        if (VectorSupport.ENABLED && h >= VectorSupport.LANES) {
            GluVector.forwardAdd(x, xo, c, skip, so, out, oo, rows, h);
        } else if (VectorSupport.ENABLED) {
            narrowForwardAdd(x, xo, c, skip, so, out, oo, rows, h);
        } else {
            forwardAddReference(x, xo, c, skip, so, out, oo, rows, h);
        }
    }

    /**
     * Half-rows narrower than a vector: the biased second halves gathered into out, their sigmoids
     * taken there with full vectors across all the rows (the costly part), then the products and
     * the skip in place; the same values as the reference.
     */
    private static void narrowForwardAdd(float[] x, int xo, float[] c, float[] skip, int so, float[] out, int oo,
                                         int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            for (int j = 0; j < h; j++) {
                out[oo + r * h + j] = x[xs + h + j] + c[h + j];
            }
        }
        ElementwiseKernels.unary(UnaryOp.SIGMOID, 0f, 0f, out, oo, 1, out, oo, rows * h);
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            for (int j = 0; j < h; j++) {
                int i = oo + r * h + j;
                out[i] = (x[xs + j] + c[j]) * out[i] + skip[so + r * h + j];
            }
        }
    }

    static void forwardAddReference(float[] x, int xo, float[] c, float[] skip, int so, float[] out, int oo,
                                    int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            for (int j = 0; j < h; j++) {
                float a = x[xs + j] + c[j];
                float b = x[xs + h + j] + c[h + j];
                out[oo + r * h + j] = a * FloatMath.sigmoid(b) + skip[so + r * h + j];
            }
        }
    }

    /** gx[r, j] = g·σ(b); gx[r, h+j] = g·a·σ(b)(1 − σ(b)). */
    public static void backward(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        if (VectorSupport.ENABLED && h >= VectorSupport.LANES) {
            GluVector.backward(x, xo, g, go, gx, gxo, rows, h);
        } else {
            backwardReference(x, xo, g, go, gx, gxo, rows, h);
        }
    }

    static void backwardReference(float[] x, int xo, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < h; j++) {
                float a = x[xs + j];
                float s = FloatMath.sigmoid(x[xs + h + j]);
                gx[os + j] = g[gs + j] * s;
                gx[os + h + j] = g[gs + j] * a * s * (1f - s);
            }
        }
    }

    /**
     * The backward of {@link #forwardAdd}'s gate: {@link #backward} at the biased inputs x + c, that is
     * gx[r, j] = g·σ(b) and gx[r, h+j] = g·a·σ(b)(1 − σ(b)) with a = x[r, j] + c[j], b = x[r, h+j] + c[h+j].
     * The gradient of c is the column sum of gx, which the caller takes.
     */
    public static void backward(float[] x, int xo, float[] c, float[] g, int go, float[] gx, int gxo, int rows, int h) {
        if (VectorSupport.ENABLED && h >= VectorSupport.LANES) {
            GluVector.backward(x, xo, c, g, go, gx, gxo, rows, h);
        } else {
            backwardReference(x, xo, c, g, go, gx, gxo, rows, h);
        }
    }

    static void backwardReference(float[] x, int xo, float[] c, float[] g, int go, float[] gx, int gxo,
                                  int rows, int h) {
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * 2 * h;
            int gs = go + r * h;
            int os = gxo + r * 2 * h;
            for (int j = 0; j < h; j++) {
                float a = x[xs + j] + c[j];
                float s = FloatMath.sigmoid(x[xs + h + j] + c[h + j]);
                gx[os + j] = g[gs + j] * s;
                gx[os + h + j] = g[gs + j] * a * s * (1f - s);
            }
        }
    }
}
