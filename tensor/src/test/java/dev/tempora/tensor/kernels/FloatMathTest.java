package dev.tempora.tensor.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FloatMath against StrictMath (accuracy), and the SIMD twins against FloatMath (bit for bit, which
 * is what makes training reproducible).
 */
class FloatMathTest {

    private static float[] samples(float low, float high, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = low + (high - low) * (float) r.nextDouble();
        }
        return x;
    }

    /** Error in ulps of the float result, measured against the exact value in double. */
    private static double ulps(float actual, double exact) {
        if (Double.isInfinite(exact) || Float.isInfinite(actual)) {
            return actual == (float) exact ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(actual - exact) / Math.ulp((float) exact);
    }

    private static void assertAccurate(String name, float[] xs, java.util.function.Function<Float, Float> f,
                                       DoubleUnaryOperator exact, double maxUlps, double absoluteFloor) {
        double worst = 0;
        for (float x : xs) {
            double e = exact.applyAsDouble(x);
            float a = f.apply(x);
            double err = Math.abs(a - e) <= absoluteFloor ? 0 : ulps(a, e);
            worst = Math.max(worst, err);
            assertTrue(err <= maxUlps, name + "(" + x + ") = " + a + ", exact " + e + ": " + err + " ulp");
        }
        assertTrue(worst < maxUlps, name + " worst " + worst);
    }

    @Test
    void accuracyAgainstStrictMath() {
        assertAccurate("exp", samples(-87f, 88.7f, 20000, 1), FloatMath::exp, StrictMath::exp, 2, 0);
        assertAccurate("exp small", samples(-1f, 1f, 20000, 2), FloatMath::exp, StrictMath::exp, 2, 0);
        assertAccurate("softmaxExp2", samples(-126f, 0f, 20000, 16), FloatMath::softmaxExp2, y -> StrictMath.pow(2, y), 1, 0);
        assertAccurate("softmaxExp2 near 0", samples(-2f, 1e-3f, 20000, 17), FloatMath::softmaxExp2,
                y -> StrictMath.pow(2, y), 1, 0);
        assertAccurate("expm1", samples(-10f, 10f, 20000, 3), FloatMath::expm1, StrictMath::expm1, 3, 1e-7);
        assertAccurate("expm1 tiny", samples(-0.5f, 0.5f, 20000, 4), FloatMath::expm1, StrictMath::expm1, 3, 0);
        assertAccurate("log", samples(1e-30f, 1e30f, 20000, 5), FloatMath::log, StrictMath::log, 2, 0);
        assertAccurate("log near 1", samples(0.5f, 2f, 20000, 6), FloatMath::log, StrictMath::log, 2, 1e-7);
        assertAccurate("log1p", samples(-0.9f, 10f, 20000, 7), FloatMath::log1p, StrictMath::log1p, 3, 1e-7);
        assertAccurate("tanh", samples(-12f, 12f, 20000, 8), FloatMath::tanh, StrictMath::tanh, 3, 1e-7);
        assertAccurate("sigmoid", samples(-30f, 30f, 20000, 9), FloatMath::sigmoid,
                x -> 1 / (1 + StrictMath.exp(-x)), 3, 1e-8);
        assertAccurate("softplus", samples(-30f, 30f, 20000, 10), x -> FloatMath.softplus(x, 1f, 20f),
                x -> x > 20 ? x : StrictMath.log1p(StrictMath.exp(x)), 3, 1e-8);
        assertAccurate("pow", samples(0.01f, 50f, 20000, 11), x -> FloatMath.pow(x, 2.5f),
                x -> StrictMath.pow(x, 2.5), 1, 0);
    }

    @Test
    void specialValues() {
        assertEquals(1f, FloatMath.exp(0f));
        assertEquals(0f, FloatMath.exp(-1e9f));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.exp(100f));
        assertTrue(Float.isNaN(FloatMath.exp(Float.NaN)));
        assertEquals(1f, FloatMath.softmaxExp2(0f));
        assertEquals(1f, FloatMath.softmaxExp2(-0f));
        assertEquals(0.5f, FloatMath.softmaxExp2(-1f));
        assertEquals(0f, FloatMath.softmaxExp2(Float.NEGATIVE_INFINITY));
        assertEquals(0f, FloatMath.softmaxExp2(Math.nextDown(FloatMath.EXP2_MIN)));
        assertEquals(Float.MIN_NORMAL, FloatMath.softmaxExp2(FloatMath.EXP2_MIN));
        assertTrue(Float.isNaN(FloatMath.softmaxExp2(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, FloatMath.log(0f));
        assertTrue(Float.isNaN(FloatMath.log(-1f)));
        assertEquals(Float.POSITIVE_INFINITY, FloatMath.log(Float.POSITIVE_INFINITY));
        assertEquals(0f, FloatMath.log(1f));
        assertEquals(1e-10f, FloatMath.log1p(1e-10f));
        assertEquals(1f, FloatMath.tanh(50f));
        assertEquals(-1f, FloatMath.tanh(-50f));
        assertEquals(-0f, FloatMath.tanh(-0f));
        assertEquals(0f, FloatMath.sigmoid(-200f));
        assertEquals(1f, FloatMath.sigmoid(200f));
        assertEquals(-8f, FloatMath.pow(-2f, 3f), 1e-5f);
        assertTrue(Float.isNaN(FloatMath.pow(-2f, 0.5f)));
        assertEquals(1f, FloatMath.pow(0f, 0f));
        // Around the smallest normal the two-factor scaling keeps results normal, not zero.
        assertEquals((float) StrictMath.exp(-87.3f), FloatMath.exp(-87.3f), 3e-45f);
    }

    @Test
    void vectorLanesEqualTheScalarFunctionsBitForBit() {
        if (!VectorSupport.ENABLED) {
            return; // nothing to compare: the scalar functions are the only path
        }
        float[] x = samples(-100f, 100f, 4096, 12);
        float[] pos = samples(0f, 60f, 4096, 13);
        x[0] = Float.NaN;
        x[1] = 0f;
        x[2] = -0f;
        x[3] = Float.POSITIVE_INFINITY;
        x[4] = Float.NEGATIVE_INFINITY;
        x[5] = 1e-39f;
        // Run cold (first call) and warm (after C2 compiled the loops): identical every time.
        for (int round = 0; round < 3; round++) {
            compare(UnaryOp.EXP, 0, 0, x);
            compare(UnaryOp.TANH, 0, 0, x);
            compare(UnaryOp.SIGMOID, 0, 0, x);
            compare(UnaryOp.ELU, 1.3f, 0, x);
            compare(UnaryOp.SOFTPLUS, 1.5f, 20f, x);
            compare(UnaryOp.LOG, 0, 0, x);
            compare(UnaryOp.LOG, 0, 0, pos);
            compare(UnaryOp.POW, 2.5f, 0, pos);
            for (int i = 0; i < 2000; i++) {
                ElementwiseKernels.unary(UnaryOp.EXP, 0, 0, x, 0, 1, new float[x.length], 0, x.length);
                ElementwiseKernels.unary(UnaryOp.TANH, 0, 0, x, 0, 1, new float[x.length], 0, x.length);
            }
        }
    }

    @Test
    void nonPositiveExpLanesEqualTheScalarExpBitForBit() {
        if (!VectorSupport.ENABLED) {
            return;
        }
        float[] x = samples(-110f, 0f, 4096, 15);
        x[0] = Float.NaN;
        x[1] = 0f;
        x[2] = -0f;
        x[3] = Float.NEGATIVE_INFINITY;
        x[4] = FloatMath.EXP_MIN;
        x[5] = Math.nextDown(FloatMath.EXP_MIN);
        x[6] = Math.nextUp(FloatMath.EXP_MIN);
        x[7] = -1e-30f;
        x[8] = -87f; // results near the bottom of the normal range
        for (int round = 0; round < 3; round++) {
            float[] vector = NonPositiveExpProbe.apply(x);
            float[] vectorExpm1 = NonPositiveExpProbe.expm1(x);
            float[] vectorSoftmax = NonPositiveExpProbe.softmaxExp2(x);
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(FloatMath.exp(x[i])), Float.floatToIntBits(vector[i]),
                        "exp(" + x[i] + ")");
                assertEquals(Float.floatToIntBits(FloatMath.expm1(x[i])), Float.floatToIntBits(vectorExpm1[i]),
                        "expm1(" + x[i] + ")");
                assertEquals(Float.floatToIntBits(FloatMath.softmaxExp2(x[i])), Float.floatToIntBits(vectorSoftmax[i]),
                        "softmaxExp2(" + x[i] + ")");
            }
            for (int i = 0; i < 3000; i++) {
                NonPositiveExpProbe.apply(x);
                NonPositiveExpProbe.softmaxExp2(x);
            }
        }
    }

    /** Runs {@link VectorMath#expNonPositive} and its kin over an array (a multiple of every vector length). */
    private static final class NonPositiveExpProbe {
        static float[] apply(float[] x) {
            float[] out = new float[x.length];
            int lanes = VectorSupport.LANES;
            for (int i = 0; i < x.length; i += lanes) {
                VectorMath.expNonPositive(jdk.incubator.vector.FloatVector.fromArray(Species.FLOAT, x, i)).intoArray(out, i);
            }
            return out;
        }

        static float[] softmaxExp2(float[] x) {
            float[] out = new float[x.length];
            int lanes = VectorSupport.LANES;
            for (int i = 0; i < x.length; i += lanes) {
                VectorMath.softmaxExp2(jdk.incubator.vector.FloatVector.fromArray(Species.FLOAT, x, i)).intoArray(out, i);
            }
            return out;
        }

        static float[] expm1(float[] x) {
            float[] out = new float[x.length];
            int lanes = VectorSupport.LANES;
            for (int i = 0; i < x.length; i += lanes) {
                VectorMath.expm1NonPositive(jdk.incubator.vector.FloatVector.fromArray(Species.FLOAT, x, i)).intoArray(out, i);
            }
            return out;
        }
    }

    @Test
    void reductionsGiveTheSameBitsColdAndWarm() {
        float[] x = samples(-1f, 1f, 1000, 14);
        float first = ReductionVectorProbe.sum(x);
        float firstNorm = (float) ElementwiseKernels.sumOfSquares(x, 0, x.length);
        for (int i = 0; i < 20000; i++) {
            ReductionVectorProbe.sum(x);
            ElementwiseKernels.sumOfSquares(x, 0, x.length);
        }
        assertEquals(Float.floatToIntBits(first), Float.floatToIntBits(ReductionVectorProbe.sum(x)));
        assertEquals(Float.floatToIntBits(firstNorm), Float.floatToIntBits((float) ElementwiseKernels.sumOfSquares(x, 0, x.length)));
    }

    /** A row sum through the reduction kernel. */
    private static final class ReductionVectorProbe {
        static float sum(float[] x) {
            float[] out = new float[1];
            ReductionKernels.reduce(ReductionKernels.Kind.SUM, x, 0, 1, x.length, 1, out, 0);
            return out[0];
        }
    }

    private static void compare(UnaryOp op, float p, float q, float[] x) {
        float[] vector = new float[x.length];
        float[] scalar = new float[x.length];
        ElementwiseKernels.unary(op, p, q, x, 0, 1, vector, 0, x.length);
        ElementwiseKernels.unaryReference(op, p, q, x, 0, 1, scalar, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(scalar[i]), Float.floatToIntBits(vector[i]),
                    op + "(" + x[i] + "): scalar " + scalar[i] + ", vector " + vector[i]);
        }
    }
}
