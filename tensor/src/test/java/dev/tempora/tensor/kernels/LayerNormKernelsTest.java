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

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link LayerNormKernels} at this JVM's width, with and without weight and bias, against layer
 * norm computed in double.
 *
 * <p>Error budget of the SIMD row, first order: the mean from LANES float chains is off by
 * δμ ≤ γ(chain)·mean|x| + EPS·|μ|; the variance's relative error is γ(chain + 3) (squares of
 * rounded deviations; δμ itself cancels to first order because the deviations sum to zero), so
 * rstd is off by half that plus two roundings. Then y = (x − μ)·rstd·w + b adds one rounding per
 * operation. The reference accumulates in double, which is the same budget with chain = 0.
 */
class LayerNormKernelsTest {

    private static final float LAYER_EPS = 1e-5f;

    /** Row statistics in double. */
    private record Stats(double mean, double variance, double rstd, double meanAbs) {
        static Stats of(float[] x, int xs, int len) {
            double sum = 0;
            double abs = 0;
            for (int i = 0; i < len; i++) {
                sum += x[xs + i];
                abs += Math.abs(x[xs + i]);
            }
            double mean = sum / len;
            double ss = 0;
            for (int i = 0; i < len; i++) {
                ss += (x[xs + i] - mean) * (x[xs + i] - mean);
            }
            double variance = ss / len;
            return new Stats(mean, variance, 1 / Math.sqrt(variance + LAYER_EPS), abs / len);
        }
    }

    private static float[] rows(SplittableRandom rng, int rows, int len, boolean constantRow) {
        float[] x = gaussian(rng, rows * len, 3, 2);
        if (constantRow) {
            java.util.Arrays.fill(x, 0, len, 0.1f); // zero variance: rstd = 1/√eps, y = b
        }
        return x;
    }

    @ParameterizedTest(name = "weight={0} bias={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void forwardMatchesDoublePrecision(boolean withWeight, boolean withBias) {
        SplittableRandom rng = KernelTestData.rng((withWeight ? 2 : 0) + (withBias ? 1 : 0));
        for (int len : SIZES) {
            if (len == 0) {
                continue;
            }
            for (int rows : new int[] {1, 3}) {
                for (boolean saveStats : new boolean[] {true, false}) {
                    float[] values = rows(rng, rows, len, rows == 3);
                    float[] w = withWeight ? uniform(rng, len, -2, 2) : null;
                    float[] b = withBias ? uniform(rng, len, -1, 1) : null;
                    int xo = rng.nextInt(4);
                    int yo = rng.nextInt(4);
                    float[] x = strided(values, xo, 1);
                    float[] y = sentinels(yo + rows * len + 2);
                    float[] mean = saveStats ? sentinels(rows) : null;
                    float[] rstd = saveStats ? sentinels(rows) : null;
                    float[] reference = new float[rows * len];
                    float[] referenceMean = new float[rows];
                    float[] referenceRstd = new float[rows];
                    LayerNormKernels.forward(x, xo, w, b, y, yo, mean, rstd, rows, len, LAYER_EPS);
                    LayerNormKernels.forwardReference(x, xo, w, b, reference, 0, referenceMean, referenceRstd,
                            rows, len, LAYER_EPS);
                    assertUntouchedOutside(y, yo, rows * len, "layerNorm");
                    for (int r = 0; r < rows; r++) {
                        String at = "layerNorm len=" + len + " row " + r + " w=" + withWeight + " b=" + withBias
                                + " at " + VectorSupport.BITS + " bits";
                        Stats s = Stats.of(values, r * len, len);
                        checkRow(values, r * len, len, w, b, s, y, yo + r * len, chain(len), at);
                        checkRow(values, r * len, len, w, b, s, reference, r * len, 0, "reference " + at);
                        double meanError = gamma(chain(len)) * s.meanAbs() + EPS * Math.abs(s.mean());
                        if (saveStats) {
                            assertClose(s.mean(), mean[r], meanError, "saved mean " + at);
                            assertClose(s.rstd(), rstd[r], rstdError(len, s, chain(len), meanError) * s.rstd(),
                                    "saved rstd " + at);
                        }
                        assertClose(s.mean(), referenceMean[r], EPS * Math.abs(s.mean()), "reference mean " + at);
                        assertClose(s.rstd(), referenceRstd[r], 2 * EPS * s.rstd(), "reference rstd " + at);
                    }
                }
            }
        }
    }

    /** Relative error bound of rstd: half the variance's (damped by eps), plus the roundings of /len, +eps and 1/√. */
    private static double rstdError(int len, Stats s, int chain, double meanError) {
        double varianceRelative = gamma(chain + 3) + meanError * meanError / Math.max(s.variance(), 1e-30);
        return 0.5 * varianceRelative * s.variance() / (s.variance() + LAYER_EPS) + 3 * EPS;
    }

    private static void checkRow(float[] x, int xs, int len, float[] w, float[] b, Stats s, float[] y, int ys,
                                 int chain, String at) {
        double meanError = gamma(chain) * s.meanAbs() + EPS * Math.abs(s.mean());
        double rstdRelative = rstdError(len, s, chain, meanError);
        for (int i = 0; i < len; i++) {
            double centered = x[xs + i] - s.mean();
            double n = centered * s.rstd();
            double weight = w == null ? 1 : w[i];
            double exact = n * weight + (b == null ? 0 : b[i]);
            double normalizedError = s.rstd() * (meanError + EPS * Math.abs(centered))
                    + Math.abs(n) * (rstdRelative + 2 * EPS);
            double bound = Math.abs(weight) * normalizedError + 2 * EPS * (Math.abs(n * weight) + Math.abs(exact));
            assertClose(exact, y[ys + i], bound, at + " [" + i + "]");
        }
    }

    // ------------------------------------------------------------------ backward

    @ParameterizedTest(name = "weight={0}")
    @CsvSource({"false", "true"})
    void backwardMatchesDoublePrecisionAndAccumulatesParameterGradients(boolean withWeight) {
        SplittableRandom rng = KernelTestData.rng(withWeight ? 10 : 11);
        for (int len : SIZES) {
            if (len == 0) {
                continue;
            }
            int rows = 3;
            float[] x = rows(rng, rows, len, true);
            float[] w = withWeight ? uniform(rng, len, -2, 2) : null;
            float[] mean = new float[rows];
            float[] rstd = new float[rows];
            LayerNormKernels.forwardReference(x, 0, w, null, new float[rows * len], 0, mean, rstd, rows, len, LAYER_EPS);
            float[] gValues = uniform(rng, rows * len, -1, 1);
            float[] gw0 = uniform(rng, len, -1, 1);
            float[] gb0 = uniform(rng, len, -1, 1);
            int go = rng.nextInt(4);
            int xo = rng.nextInt(4);
            int oo = rng.nextInt(4);
            float[] g = strided(gValues, go, 1);
            float[] xs = strided(x, xo, 1);
            for (boolean simd : new boolean[] {true, false}) {
                float[] gx = sentinels(oo + rows * len + 2);
                float[] gw = gw0.clone();
                float[] gb = gb0.clone();
                if (simd) {
                    LayerNormKernels.backward(g, go, xs, xo, mean, rstd, w, gx, oo, gw, gb, rows, len);
                } else {
                    LayerNormKernels.backwardReference(g, go, xs, xo, mean, rstd, w, gx, oo, gw, gb, rows, len);
                }
                assertUntouchedOutside(gx, oo, rows * len, "layerNorm backward");
                String at = (simd ? "" : "reference ") + "layerNorm backward len=" + len + " w=" + withWeight + " at "
                        + VectorSupport.BITS + " bits";
                checkBackward(gValues, x, mean, rstd, w, gx, oo, gw0, gw, gb0, gb, rows, len, simd ? chain(len) : 0, at);
            }
        }
    }

    /** Compares with the formula in double, from the same saved float statistics (so n is the same float). */
    private static void checkBackward(float[] g, float[] x, float[] mean, float[] rstd, float[] w, float[] gx, int oo,
                                      float[] gw0, float[] gw, float[] gb0, float[] gb, int rows, int len,
                                      int chain, String at) {
        double[] gwExact = new double[len];
        double[] gwMagnitude = new double[len];
        double[] gbExact = new double[len];
        double[] gbMagnitude = new double[len];
        for (int i = 0; i < len; i++) {
            gwExact[i] = gw0[i];
            gwMagnitude[i] = Math.abs(gw0[i]);
            gbExact[i] = gb0[i];
            gbMagnitude[i] = Math.abs(gb0[i]);
        }
        for (int r = 0; r < rows; r++) {
            double sumH = 0;
            double sumHN = 0;
            double absH = 0;
            double absHN = 0;
            float[] n = new float[len];
            double[] h = new double[len];
            for (int i = 0; i < len; i++) {
                n[i] = (x[r * len + i] - mean[r]) * rstd[r]; // as both kernels compute it
                h[i] = (double) g[r * len + i] * (w == null ? 1 : w[i]);
                sumH += h[i];
                sumHN += h[i] * n[i];
                absH += Math.abs(h[i]);
                absHN += Math.abs(h[i] * n[i]);
                gwExact[i] += (double) g[r * len + i] * n[i];
                gwMagnitude[i] += Math.abs((double) g[r * len + i] * n[i]) + Math.abs(gwExact[i]);
                gbExact[i] += g[r * len + i];
                gbMagnitude[i] += Math.abs(gbExact[i]);
            }
            double meanH = sumH / len;
            double meanHN = sumHN / len;
            double meanHError = gamma(chain) * absH / len + EPS * Math.abs(meanH);
            double meanHNError = gamma(chain) * absHN / len + EPS * Math.abs(meanHN);
            for (int i = 0; i < len; i++) {
                double exact = rstd[r] * (h[i] - meanH - n[i] * meanHN);
                double bound = rstd[r] * (meanHError + Math.abs(n[i]) * meanHNError
                        + 2 * EPS * (Math.abs(h[i]) + Math.abs(meanH) + Math.abs(n[i] * meanHN))) + 2 * EPS * Math.abs(exact);
                assertClose(exact, gx[oo + r * len + i], bound, at + " gx row " + r + " [" + i + "]");
            }
        }
        for (int i = 0; i < len; i++) {
            // Each row adds g·n with one or two roundings.
            assertClose(gwExact[i], gw[i], 2 * EPS * gwMagnitude[i], at + " gw [" + i + "]");
            assertClose(gbExact[i], gb[i], EPS * gbMagnitude[i], at + " gb [" + i + "]");
        }
    }

    /**
     * The backward is the gradient of L = Σ g·layerNorm(x; w, b): central differences of L computed
     * in double, for x, w and b. The kernel works in float from saved float statistics, so expect a
     * few EPS relative to the terms rstd·(|h| + mean|h| + |n|·mean|h·n|).
     */
    @ParameterizedTest(name = "weight={0}")
    @CsvSource({"false", "true"})
    void backwardIsTheGradientOfTheForward(boolean withWeight) {
        SplittableRandom rng = KernelTestData.rng(withWeight ? 20 : 21);
        for (int len : SMALL_SIZES) {
            float[] x = gaussian(rng, len, 3, 2);
            float[] w = withWeight ? uniform(rng, len, -2, 2) : null;
            float[] b = uniform(rng, len, -1, 1);
            float[] g = uniform(rng, len, -1, 1);
            float[] mean = new float[1];
            float[] rstd = new float[1];
            LayerNormKernels.forward(x, 0, w, b, new float[len], 0, mean, rstd, 1, len, LAYER_EPS);
            float[] gx = new float[len];
            float[] gw = new float[len];
            float[] gb = new float[len];
            LayerNormKernels.backward(g, 0, x, 0, mean, rstd, w, gx, 0, gw, gb, 1, len);

            double[] xd = toDouble(x);
            double[] wd = w == null ? null : toDouble(w);
            double[] bd = toDouble(b);
            double scale = 0;
            for (int i = 0; i < len; i++) {
                scale += Math.abs(g[i] * (w == null ? 1 : w[i]));
            }
            double rs = Stats.of(x, 0, len).rstd();
            double gxBound = 16 * EPS * rs * scale + gamma(chain(len)) * 4 * rs * scale + 1e-7;
            for (int i = 0; i < len; i++) {
                assertClose(difference(xd, i, () -> loss(xd, wd, bd, g)), gx[i], gxBound,
                        "d/dx len=" + len + " [" + i + "]");
                assertClose(difference(bd, i, () -> loss(xd, wd, bd, g)), gb[i], 1e-7, "d/db len=" + len + " [" + i + "]");
                if (wd != null) {
                    assertClose(difference(wd, i, () -> loss(xd, wd, bd, g)), gw[i], 1e-6 + 16 * EPS * rs * scale,
                            "d/dw len=" + len + " [" + i + "]");
                }
            }
        }
    }

    private static double loss(double[] x, double[] w, double[] b, float[] g) {
        int len = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v / len;
        }
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean) / len;
        }
        double rstd = 1 / Math.sqrt(variance + LAYER_EPS);
        double l = 0;
        for (int i = 0; i < len; i++) {
            l += g[i] * ((x[i] - mean) * rstd * (w == null ? 1 : w[i]) + b[i]);
        }
        return l;
    }

    /** Central difference of f with respect to v[i] (h = 1e-6), restoring v[i]. */
    private static double difference(double[] v, int i, java.util.function.DoubleSupplier f) {
        double saved = v[i];
        v[i] = saved + 1e-6;
        double plus = f.getAsDouble();
        v[i] = saved - 1e-6;
        double minus = f.getAsDouble();
        v[i] = saved;
        return (plus - minus) / 2e-6;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
