package dev.tempora.tensor.kernels;

import jdk.incubator.vector.VectorMask;

/** Row loops over {@link LayerNormVector}, with the overlap mask built once per call. */
final class LayerNormRows {

    private LayerNormRows() {}

    static void forward(float[] x, int xo, float[] w, float[] b, float[] y, int yo, float[] mean, float[] rstd,
                        int rows, int len, float eps) {
        VectorMask<Float> overlap = LayerNormVector.overlap(len);
        for (int r = 0; r < rows; r++) {
            LayerNormVector.forwardRow(x, xo + r * len, w, b, y, yo + r * len, mean, rstd, r, len, eps, overlap);
        }
    }

    static void backward(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, float[] w,
                         float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        VectorMask<Float> overlap = LayerNormVector.overlap(len);
        for (int r = 0; r < rows; r++) {
            LayerNormVector.backwardRow(g, go + r * len, x, xo + r * len, mean[r], rstd[r], w, gx, gxo + r * len,
                    gw, gb, len, overlap);
        }
    }
}
