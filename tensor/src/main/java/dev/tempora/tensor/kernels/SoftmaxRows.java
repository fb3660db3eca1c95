package dev.tempora.tensor.kernels;

import jdk.incubator.vector.VectorMask;

/** Row loops over {@link SoftmaxVector}, building the tail mask once per call. */
final class SoftmaxRows {

    private SoftmaxRows() {}

    static void forward(float[] x, int xo, float[] y, int yo, int rows, int len, boolean log) {
        VectorMask<Float> tail = SoftmaxVector.tailMask(len);
        if (log) {
            for (int r = 0; r < rows; r++) {
                SoftmaxVector.logSoftmaxRow(x, xo + r * len, y, yo + r * len, len, tail);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                SoftmaxVector.softmaxRow(x, xo + r * len, y, yo + r * len, len, tail);
            }
        }
    }

    static void backward(float[] y, int yo, float[] g, int go, float[] gx, int gxo, int rows, int len, boolean log) {
        VectorMask<Float> tail = SoftmaxVector.tailMask(len);
        if (log) {
            for (int r = 0; r < rows; r++) {
                SoftmaxVector.logSoftmaxBackwardRow(y, yo + r * len, g, go + r * len, gx, gxo + r * len, len, tail);
            }
        } else {
            for (int r = 0; r < rows; r++) {
                SoftmaxVector.softmaxBackwardRow(y, yo + r * len, g, go + r * len, gx, gxo + r * len, len, tail);
            }
        }
    }
}
