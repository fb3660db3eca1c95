package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertClose;
import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static dev.tempora.tensor.kernels.KernelTestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightedSumKernels} at this JVM's width: the forward and the input gradients equal the
 * reference bit for bit; the weight gradients (dot products) agree with the double-precision
 * reference within γ(len) of Σ|g·x|; each output is written exactly once; fast path and reference agree
 * with the plain double-precision sums ({@link PlainReferences}), which give the hand-worked values.
 */
class WeightedSumKernelsTest {

    private static final int[] LENGTHS = {1, 3, 4, 5, 8, 9, 15, 16, 17, 20, 33, 40};

    @Test
    void forwardAndBackwardMatchTheReference() {
        SplittableRandom rng = KernelTestData.rng(4);
        for (int len : LENGTHS) {
            for (int n : new int[] {1, 3, 4}) {
                int rows = 5;
                float[][] x = new float[n][];
                int[] xo = new int[n];
                for (int v = 0; v < n; v++) {
                    xo[v] = v;
                    x[v] = gaussian(rng, v + rows * len, 0, 2);
                }
                float[] w = uniform(rng, 1 + rows * n, 0, 1);
                String at = "len " + len + " n " + n + " at " + VectorSupport.BITS + " bits";

                float[] expected = new float[rows * len];
                WeightedSumKernels.forwardReference(x, xo, w, 1, expected, 0, rows, len);
                float[] out = sentinels(2 + rows * len);
                WeightedSumKernels.forward(x, xo, w, 1, out, 2, rows, len);
                assertUntouchedOutside(out, 2, rows * len, "forward " + at);
                for (int i = 0; i < rows * len; i++) {
                    assertSame(expected[i], out[2 + i], "out[" + i + "] " + at);
                }

                float[] g = gaussian(rng, rows * len, 0, 1);
                float[][] gxRef = new float[n][rows * len];
                float[] gwRef = new float[rows * n];
                WeightedSumKernels.backwardReference(x, xo, w, 1, g, 0, gxRef, new int[n], gwRef, 0, rows, len);
                float[][] gx = new float[n][];
                for (int v = 0; v < n; v++) {
                    gx[v] = sentinels(1 + rows * len);
                }
                float[] gw = sentinels(rows * n + 3);
                int[] ones = new int[n];
                java.util.Arrays.fill(ones, 1);
                WeightedSumKernels.backward(x, xo, w, 1, g, 0, gx, ones, gw, 3, rows, len);
                assertUntouchedOutside(gw, 3, rows * n, "gw " + at);
                for (int v = 0; v < n; v++) {
                    assertUntouchedOutside(gx[v], 1, rows * len, "gx " + at);
                    for (int i = 0; i < rows * len; i++) {
                        assertSame(gxRef[v][i], gx[v][1 + i], "gx[" + v + "][" + i + "] " + at);
                    }
                }
                for (int r = 0; r < rows; r++) {
                    for (int v = 0; v < n; v++) {
                        double magnitude = 0;
                        for (int i = 0; i < len; i++) {
                            magnitude += Math.abs((double) g[r * len + i] * x[v][xo[v] + r * len + i]);
                        }
                        assertClose(gwRef[r * n + v], gw[3 + r * n + v], KernelTestData.gamma(len + 1) * magnitude,
                                "gw[" + r + "][" + v + "] " + at);
                    }
                }
            }
        }
    }

    @Test
    void fastPathAndReferenceAgreeWithThePlainDoubleEquations() {
        SplittableRandom rng = KernelTestData.rng(14);
        for (int len : LENGTHS) {
            for (int n : new int[] {1, 3, 4}) {
                int rows = 3;
                float[][] x = new float[n][];
                for (int v = 0; v < n; v++) {
                    x[v] = gaussian(rng, rows * len, 0, 2);
                }
                int[] offsets = new int[n];
                float[] w = uniform(rng, rows * n, -1, 1);
                float[] g = gaussian(rng, rows * len, 0, 1);
                float[] fast = new float[rows * len];
                float[] reference = new float[rows * len];
                WeightedSumKernels.forward(x, offsets, w, 0, fast, 0, rows, len);
                WeightedSumKernels.forwardReference(x, offsets, w, 0, reference, 0, rows, len);
                float[][] gx = new float[n][rows * len];
                float[] gw = new float[rows * n];
                float[][] gxReference = new float[n][rows * len];
                float[] gwReference = new float[rows * n];
                WeightedSumKernels.backward(x, offsets, w, 0, g, 0, gx, offsets, gw, 0, rows, len);
                WeightedSumKernels.backwardReference(x, offsets, w, 0, g, 0, gxReference, offsets, gwReference, 0, rows, len);
                String at = "len " + len + " n " + n + " at " + VectorSupport.BITS + " bits";
                for (int r = 0; r < rows; r++) {
                    double[] wr = new double[n];
                    for (int v = 0; v < n; v++) {
                        wr[v] = w[r * n + v];
                    }
                    for (int i = 0; i < len; i++) {
                        double[] xi = new double[n];
                        double scale = 0;
                        for (int v = 0; v < n; v++) {
                            xi[v] = x[v][r * len + i];
                            scale += Math.abs(wr[v] * xi[v]);
                        }
                        double exact = PlainReferences.weightedSum(wr, xi);
                        PlainReferences.assertNear(exact, fast[r * len + i], n * scale, "out[" + r + ", " + i + "] " + at);
                        PlainReferences.assertNear(exact, reference[r * len + i], n * scale, "reference out[" + r + ", " + i + "] " + at);
                        for (int v = 0; v < n; v++) {
                            double exactGx = (double) g[r * len + i] * wr[v];
                            PlainReferences.assertNear(exactGx, gx[v][r * len + i], Math.abs(exactGx), "gx " + at);
                            PlainReferences.assertNear(exactGx, gxReference[v][r * len + i], Math.abs(exactGx), "reference gx " + at);
                        }
                    }
                    for (int v = 0; v < n; v++) {
                        double[] gRow = new double[len];
                        double[] xRow = new double[len];
                        double scale = 0;
                        for (int i = 0; i < len; i++) {
                            gRow[i] = g[r * len + i];
                            xRow[i] = x[v][r * len + i];
                            scale += Math.abs(gRow[i] * xRow[i]);
                        }
                        double exactGw = PlainReferences.weightedSum(gRow, xRow);
                        PlainReferences.assertNear(exactGw, gw[r * n + v], len * scale, "gw[" + r + ", " + v + "] " + at);
                        PlainReferences.assertNear(exactGw, gwReference[r * n + v], len * scale, "reference gw " + at);
                    }
                }
            }
        }
    }

    /**
     * Hand-worked: weights and one value per input, spread along rows of 37 copies so that the vector path runs
     * at every width; the backward with g = 2 gives gx_v = 2·w_v and gw_v = 37·2·x_v.
     */
    @Test
    void handWorkedCases() {
        // weights, then values, then Σ w·x
        double[][][] cases = {
            {{0.25, 0.75}, {1, 10}, {7.75}},
            {{0.25, 0.75}, {2, 20}, {15.5}},
            {{0.5, -1, 2}, {4, 3, 0.25}, {-0.5}},
            {{1, 0, 0}, {-6, 100, 1e6}, {-6}},
            {{0.125}, {-8}, {-1}},
        };
        int len = 37;
        for (double[][] c : cases) {
            double[] w = c[0];
            double[] values = c[1];
            int n = w.length;
            String what = java.util.Arrays.toString(w) + " · " + java.util.Arrays.toString(values);
            assertEquals(c[2][0], PlainReferences.weightedSum(w, values), 1e-12, what);
            float[][] x = new float[n][len];
            float[] wf = new float[n];
            for (int v = 0; v < n; v++) {
                java.util.Arrays.fill(x[v], (float) values[v]);
                wf[v] = (float) w[v];
            }
            float[] out = new float[len];
            WeightedSumKernels.forward(x, new int[n], wf, 0, out, 0, 1, len);
            float[] g = new float[len];
            java.util.Arrays.fill(g, 2f);
            float[][] gx = new float[n][len];
            float[] gw = new float[n];
            WeightedSumKernels.backward(x, new int[n], wf, 0, g, 0, gx, new int[n], gw, 0, 1, len);
            for (int i = 0; i < len; i++) {
                assertEquals(c[2][0], out[i], 0, what + " at " + VectorSupport.BITS + " bits");
            }
            for (int v = 0; v < n; v++) {
                assertEquals(2 * w[v], gx[v][len / 2], 0, what + " gx at " + VectorSupport.BITS + " bits");
                assertEquals(len * 2 * values[v], gw[v], 0, what + " gw at " + VectorSupport.BITS + " bits");
            }
        }
    }
}
