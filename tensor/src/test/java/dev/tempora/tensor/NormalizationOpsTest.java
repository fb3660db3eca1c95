package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorClose;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.forEachIndex;
import static dev.tempora.tensor.TestTensors.layouts;
import static dev.tempora.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * softmax, logSoftmax and layerNorm through the tensor API: every axis and layout against naive
 * double loops. Bounds as derived in the kernel tests, with the summation chain taken at its
 * longest (len + 17 terms: one lane, or a 16-lane merge).
 */
class NormalizationOpsTest {

    private static final double EPS = 0x1p-24;

    private static double gamma(long n) {
        return n * EPS / (1 - n * EPS);
    }

    @Test
    void softmaxByHand() {
        Tensor p = Tensor.of(1, 2, 3).softmax(0);
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, p.toFloatArray(), 2e-7f);
        float ln2 = (float) Math.log(2);
        assertArrayEquals(new float[] {-ln2, -ln2}, Tensor.of(0, 0).logSoftmax(-1).toFloatArray(), 1e-7f);
        float ninf = Float.NEGATIVE_INFINITY;
        Tensor masked = Tensor.of(new float[] {0, ninf, 0, ninf}, 2, 2).softmax(1);
        assertArrayEquals(new float[] {1, 0, 1, 0}, masked.toFloatArray());
        assertEquals(1f, Tensor.scalar(3f).softmax(0).item());
        assertEquals(0f, Tensor.scalar(3f).logSoftmax(-1).item());
        assertArrayEquals(new int[] {2, 0}, Tensor.zeros(2, 0).softmax(1).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).softmax(1).shape());
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).softmax(2), "axis 2", "rank 2");
    }

    @Test
    void softmaxAndLogSoftmaxAlongEveryAxisOfEveryLayout() {
        Tensor x = random(1, 3, 4, 17).mul(4f);
        for (int axis = -3; axis < 3; axis++) {
            for (Tensor layout : layouts(x)) {
                checkSoftmax(layout, axis, false, layout.softmax(axis));
                checkSoftmax(layout, axis, true, layout.logSoftmax(axis));
            }
        }
    }

    private static void checkSoftmax(Tensor x, int axis, boolean log, Tensor actual) {
        int a = Math.floorMod(axis, x.dim());
        int len = x.size(a);
        assertArrayEquals(x.shape(), actual.shape());
        int[] rowsShape = x.shape();
        rowsShape[a] = 1;
        forEachIndex(rowsShape, start -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < len; k++) {
                max = Math.max(max, x.get(at(start, a, k)));
            }
            double sum = 0;
            for (int k = 0; k < len; k++) {
                sum += Math.exp(x.get(at(start, a, k)) - max);
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < len; k++) {
                int[] index = at(start, a, k);
                double xi = x.get(index);
                double d = xi - max;
                double exact = log ? d - logSum : Math.exp(d - logSum);
                double bound = log
                        ? EPS * (len + 22 + 2 * (Math.abs(logSum) + Math.abs(max) + Math.abs(xi) + Math.abs(exact)))
                        : EPS * (len + 22 + Math.abs(d)) * exact + Float.MIN_NORMAL;
                float got = actual.get(index);
                if (!(Math.abs(got - exact) <= bound)) {
                    fail((log ? "logSoftmax" : "softmax") + " axis " + axis + " at " + Arrays.toString(index)
                            + ": expected " + exact + ", got " + got);
                }
            }
        });
    }

    private static int[] at(int[] start, int axis, int k) {
        int[] index = start.clone();
        index[axis] = k;
        return index;
    }

    // ------------------------------------------------------------------ layerNorm

    @Test
    void layerNormByHand() {
        Tensor y = Tensor.of(1, 2, 3).layerNorm(1, null, null, 0f);
        float r = (float) Math.sqrt(1.5);
        assertArrayEquals(new float[] {-r, 0, r}, y.toFloatArray(), 1e-6f);
        Tensor affine = Tensor.of(1, 2, 3).layerNorm(1, Tensor.of(2, 2, 2), Tensor.of(0, 1, 0), 0f);
        assertArrayEquals(new float[] {-2 * r, 1, 2 * r}, affine.toFloatArray(), 2e-6f);
        // A constant row has zero variance: the output is the bias (eps keeps rstd finite).
        Tensor constant = Tensor.full(7f, 2, 4).layerNorm(1, null, Tensor.of(1, 2, 3, 4), 1e-5f);
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, constant.toFloatArray());
    }

    @Test
    void layerNormOverOneAndTwoTrailingAxesOfEveryLayout() {
        Tensor x = random(2, 2, 3, 19).mul(2f).add(3f);
        for (int dims : new int[] {1, 2}) {
            int len = dims == 1 ? 19 : 3 * 19;
            int[] paramShape = dims == 1 ? new int[] {19} : new int[] {3, 19};
            Tensor weight = random(3, paramShape);
            Tensor bias = random(4, paramShape);
            for (Tensor layout : layouts(x)) {
                for (boolean affine : new boolean[] {false, true}) {
                    Tensor w = affine ? weight : null;
                    Tensor b = affine ? bias : null;
                    Tensor actual = layout.layerNorm(dims, w, b, 1e-5f);
                    checkLayerNorm(layout, dims, len, w, b, actual);
                    // Strided weight and bias give the same result.
                    if (affine && dims == 2) {
                        assertTensorClose(actual, layout.layerNorm(dims, TestTensors.reversedStorage(weight),
                                TestTensors.padded(bias), 1e-5f), 0, 0);
                    }
                }
            }
        }
    }

    private static void checkLayerNorm(Tensor x, int dims, int len, Tensor w, Tensor b, Tensor actual) {
        assertArrayEquals(x.shape(), actual.shape());
        float[] values = x.toFloatArray();
        float[] got = actual.toFloatArray();
        float[] wv = w == null ? null : w.toFloatArray();
        float[] bv = b == null ? null : b.toFloatArray();
        for (int row = 0; row < values.length / len; row++) {
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < len; i++) {
                sum += values[row * len + i];
                abs += Math.abs(values[row * len + i]);
            }
            double mean = sum / len;
            double ss = 0;
            for (int i = 0; i < len; i++) {
                ss += (values[row * len + i] - mean) * (values[row * len + i] - mean);
            }
            double rstd = 1 / Math.sqrt(ss / len + 1e-5);
            double meanError = gamma(len + 17) * abs / len + EPS * Math.abs(mean);
            double rstdRelative = 0.5 * gamma(len + 20) + 3 * EPS;
            for (int i = 0; i < len; i++) {
                double centered = values[row * len + i] - mean;
                double n = centered * rstd;
                double weight = wv == null ? 1 : wv[i];
                double exact = n * weight + (bv == null ? 0 : bv[i]);
                double bound = Math.abs(weight) * (rstd * (meanError + EPS * Math.abs(centered))
                        + Math.abs(n) * (rstdRelative + 2 * EPS)) + 2 * EPS * (Math.abs(n * weight) + Math.abs(exact));
                if (!(Math.abs(got[row * len + i] - exact) <= bound)) {
                    fail("layerNorm over " + dims + " axes, row " + row + " [" + i + "]: expected " + exact + ", got "
                            + got[row * len + i]);
                }
            }
        }
    }

    @Test
    void layerNormRejectsBadAxesAndParameters() {
        Tensor x = Tensor.zeros(2, 3, 4);
        assertThrowsNaming(IllegalArgumentException.class, () -> x.layerNorm(0, null, null, 1e-5f), "0", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> x.layerNorm(4, null, null, 1e-5f), "4", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> x.layerNorm(1, Tensor.ones(3), null, 1e-5f),
                "weight", "[3]", "[2, 3, 4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> x.layerNorm(2, null, Tensor.ones(4), 1e-5f),
                "bias", "[4]", "[2, 3, 4]");
    }
}
