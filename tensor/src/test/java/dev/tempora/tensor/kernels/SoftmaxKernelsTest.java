package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.EPS;
import static dev.tempora.tensor.kernels.KernelTestData.SIZES;
import static dev.tempora.tensor.kernels.KernelTestData.SMALL_SIZES;
import static dev.tempora.tensor.kernels.KernelTestData.assertClose;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.chain;
import static dev.tempora.tensor.kernels.KernelTestData.gamma;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static dev.tempora.tensor.kernels.KernelTestData.strided;
import static dev.tempora.tensor.kernels.KernelTestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SoftmaxKernels} at this JVM's width, against softmax computed in double.
 *
 * <p>Every implementation rounds x − max to float first, so the double reference starts from the
 * same differences d. After that the SIMD row computes exp in float (within 1 ulp), sums the
 * terms in LANES chains (γ(chain) relative, all terms positive), and rounds 1/sum and the product:
 * relative error ≤ EPS·(chain + 4). Log-softmax subtracts max + log(sum) from x, so its error is
 * absolute: the sum's relative error plus a rounding of each of log(sum), the shift and the result.
 */
class SoftmaxKernelsTest {

    /** The row families: ordinary, shifted far from 0, attention-masked, and one dominant entry. */
    private static final String[] FAMILIES = {"normal", "shifted", "masked", "dominant"};

    private static float[] row(SplittableRandom rng, String family, int len) {
        float[] x = gaussian(rng, len, 0, 3);
        if (len == 0) {
            return x;
        }
        switch (family) {
            case "shifted" -> {
                for (int i = 0; i < len; i++) {
                    x[i] += 1000;
                }
            }
            case "masked" -> {
                for (int i = 1; i < len; i++) {
                    if (rng.nextInt(3) == 0) {
                        x[i] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            case "dominant" -> {
                java.util.Arrays.fill(x, 0f);
                x[rng.nextInt(len)] = 100f;
            }
            default -> { }
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forwardMatchesDoublePrecisionSoftmax(boolean log) {
        SplittableRandom rng = KernelTestData.rng(log ? 1 : 2);
        for (String family : FAMILIES) {
            for (int len : SIZES) {
                for (int rows : new int[] {1, 3}) {
                    float[] values = new float[rows * len];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(row(rng, family, len), 0, values, r * len, len);
                    }
                    int xo = rng.nextInt(4);
                    int yo = rng.nextInt(4);
                    float[] x = strided(values, xo, 1);
                    float[] y = sentinels(yo + rows * len + 2);
                    float[] reference = new float[rows * len];
                    SoftmaxKernels.forward(x, xo, y, yo, rows, len, log);
                    SoftmaxKernels.forwardReference(x, xo, reference, 0, rows, len, log);
                    assertUntouchedOutside(y, yo, rows * len, "softmax");
                    for (int r = 0; r < rows; r++) {
                        String at = (log ? "logSoftmax " : "softmax ") + family + " len=" + len + " row " + r
                                + " at " + VectorSupport.BITS + " bits";
                        checkRow(values, r * len, len, log, y, yo + r * len, chain(len), at);
                        checkRow(values, r * len, len, log, reference, r * len, 0, "reference " + at);
                    }
                }
            }
        }
    }

    /** Compares one output row with the double computation, allowing {@code chain} float additions in the sum. */
    private static void checkRow(float[] x, int xs, int len, boolean log, float[] y, int ys, int chain, String at) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, x[xs + i]);
        }
        double sum = 0;
        for (int i = 0; i < len; i++) {
            sum += Math.exp(x[xs + i] - max);
        }
        double logSum = Math.log(sum);
        for (int i = 0; i < len; i++) {
            float d = x[xs + i] - max; // rounded to float, as every implementation does
            float actual = y[ys + i];
            if (log) {
                double exact = d - logSum;
                double bound = EPS * (chain + 4 + 2 * (Math.abs(logSum) + Math.abs(max) + Math.abs(x[xs + i])
                        + Math.abs(exact)));
                assertClose(exact, actual, bound, at + " [" + i + "]");
            } else {
                double exact = Math.exp(d) / sum;
                assertClose(exact, actual, EPS * (chain + 4) * exact + Float.MIN_NORMAL, at + " [" + i + "]");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void rowsOfMinusInfinityOrNaNGiveNaNAsTorch(boolean log) {
        int len = 2 * VectorSupport.LANES + 3;
        float[][] rows = new float[3][len];
        java.util.Arrays.fill(rows[0], Float.NEGATIVE_INFINITY);
        java.util.Arrays.fill(rows[1], 1f);
        rows[1][len - 2] = Float.NaN;
        java.util.Arrays.fill(rows[2], 1f);
        rows[2][3] = Float.POSITIVE_INFINITY;
        for (float[] row : rows) {
            float[] y = new float[len];
            SoftmaxKernels.forward(row, 0, y, 0, 1, len, log);
            for (float v : y) {
                assertTrue(Float.isNaN(v), "expected NaN for row " + java.util.Arrays.toString(row) + ", got "
                        + java.util.Arrays.toString(y));
            }
        }
    }

    @Test
    void maskedEntriesGetExactlyZeroProbability() {
        int len = 3 * VectorSupport.LANES + 1;
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = i % 2 == 0 ? Float.NEGATIVE_INFINITY : i * 0.1f;
        }
        float[] y = new float[len];
        float[] logY = new float[len];
        SoftmaxKernels.forward(x, 0, y, 0, 1, len, false);
        SoftmaxKernels.forward(x, 0, logY, 0, 1, len, true);
        double total = 0;
        for (int i = 0; i < len; i++) {
            if (i % 2 == 0) {
                assertEquals(0f, y[i]);
                assertEquals(Float.NEGATIVE_INFINITY, logY[i]);
            }
            total += y[i];
        }
        assertEquals(1.0, total, EPS * (chain(len) + 4) * len);
    }

    // ------------------------------------------------------------------ backward

    /**
     * Backward from the same (reference) forward output y and a random gradient g. SIMD vs the
     * double formula: the dot product Σg·y (or Σg) in LANES fused chains is within γ(chain)·Σ|terms|,
     * plus one rounding per remaining operation.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backwardMatchesDoublePrecisionFormula(boolean log) {
        SplittableRandom rng = KernelTestData.rng(log ? 3 : 4);
        for (int len : SIZES) {
            for (int rows : new int[] {1, 3}) {
                float[] x = gaussian(rng, rows * len, 0, 2);
                float[] yValues = new float[rows * len];
                SoftmaxKernels.forwardReference(x, 0, yValues, 0, rows, len, log);
                int yo = rng.nextInt(4);
                int go = rng.nextInt(4);
                int oo = rng.nextInt(4);
                float[] y = strided(yValues, yo, 1);
                float[] gValues = uniform(rng, rows * len, -1, 1);
                float[] g = strided(gValues, go, 1);
                float[] gx = sentinels(oo + rows * len + 2);
                float[] reference = new float[rows * len];
                SoftmaxKernels.backward(y, yo, g, go, gx, oo, rows, len, log);
                SoftmaxKernels.backwardReference(y, yo, g, go, reference, 0, rows, len, log);
                assertUntouchedOutside(gx, oo, rows * len, "softmax backward");
                for (int r = 0; r < rows; r++) {
                    String at = (log ? "logSoftmax" : "softmax") + " backward len=" + len + " row " + r + " at "
                            + VectorSupport.BITS + " bits";
                    checkBackwardRow(yValues, gValues, r * len, len, log, gx, oo + r * len, chain(len), at);
                    checkBackwardRow(yValues, gValues, r * len, len, log, reference, r * len, 0, "reference " + at);
                }
            }
        }
    }

    private static void checkBackwardRow(float[] y, float[] g, int s, int len, boolean log, float[] gx, int os,
                                         int chain, String at) {
        double dot = 0;
        double magnitude = 0;
        for (int i = 0; i < len; i++) {
            double term = log ? g[s + i] : (double) g[s + i] * y[s + i];
            dot += term;
            magnitude += Math.abs(term);
        }
        double dotError = gamma(chain) * magnitude;
        for (int i = 0; i < len; i++) {
            double exact;
            double bound;
            if (log) {
                double p = Math.exp(y[s + i]);
                exact = g[s + i] - p * dot;
                bound = p * (dotError + 3 * EPS * Math.abs(dot)) + 2 * EPS * (Math.abs(exact) + Math.abs(g[s + i]));
            } else {
                exact = y[s + i] * (g[s + i] - dot);
                bound = Math.abs(y[s + i]) * (dotError + 2 * EPS * Math.abs(g[s + i] - dot)) + 2 * EPS * Math.abs(exact);
            }
            assertClose(exact, gx[os + i], bound + Float.MIN_NORMAL, at + " [" + i + "]");
        }
    }

    /**
     * The backward formulas are the gradient of L(x) = Σ g·softmax(x): checked against central
     * differences of L computed in double (h = 1e-6, error ~1e-11). The reference starts from the
     * float output y (½ ulp each), so it is off by a few EPS·Σ|g|.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backwardIsTheGradientOfTheForward(boolean log) {
        SplittableRandom rng = KernelTestData.rng(log ? 5 : 6);
        for (int len : SMALL_SIZES) {
            float[] x = gaussian(rng, len, 0, 2);
            float[] g = uniform(rng, len, -1, 1);
            float[] y = new float[len];
            float[] gx = new float[len];
            SoftmaxKernels.forwardReference(x, 0, y, 0, 1, len, log);
            SoftmaxKernels.backward(y, 0, g, 0, gx, 0, 1, len, log);
            double magnitude = 0;
            for (float v : g) {
                magnitude += Math.abs(v);
            }
            BiFunction<double[], Integer, Double> loss = (point, unused) -> {
                double max = Double.NEGATIVE_INFINITY;
                for (double v : point) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : point) {
                    sum += Math.exp(v - max);
                }
                double l = 0;
                for (int i = 0; i < point.length; i++) {
                    double z = point[i] - max - Math.log(sum);
                    l += g[i] * (log ? z : Math.exp(z));
                }
                return l;
            };
            for (int i = 0; i < len; i++) {
                double[] plus = toDouble(x);
                double[] minus = toDouble(x);
                plus[i] += 1e-6;
                minus[i] -= 1e-6;
                double numeric = (loss.apply(plus, i) - loss.apply(minus, i)) / 2e-6;
                double bound = (8 * EPS + gamma(chain(len))) * magnitude + 1e-8;
                assertClose(numeric, gx[i], bound, (log ? "logSoftmax" : "softmax") + " gradient len=" + len + " [" + i + "]");
            }
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
