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
 * reference within γ(len) of Σ|g·x|; each output is written exactly once.
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
    void referenceWeighsEachInput() {
        float[] out = new float[2];
        WeightedSumKernels.forwardReference(new float[][] {{1f, 2f}, {10f, 20f}}, new int[2], new float[] {0.25f, 0.75f},
                0, out, 0, 1, 2);
        assertEquals(7.75f, out[0]);
        assertEquals(15.5f, out[1]);
    }
}
