package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.EPS;
import static dev.tempora.tensor.kernels.KernelTestData.SIZES;
import static dev.tempora.tensor.kernels.KernelTestData.assertClose;
import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.assertWithinUlps;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static dev.tempora.tensor.kernels.KernelTestData.strided;
import static dev.tempora.tensor.kernels.KernelTestData.uniform;
import static dev.tempora.tensor.kernels.KernelTestData.where;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ElementwiseKernels} at the width this JVM runs (see VectorWidthTest): every dispatcher
 * against its scalar reference, and the references against double-precision math.
 *
 * <p>Tolerances, vector result vs reference: IEEE operations (+ − × ÷ √, min, max, comparisons,
 * blends) are exact in both, so they must agree bit for bit. The Vector API computes EXP, LOG, POW,
 * TANH, EXPM1 and LOG1P to the accuracy of the corresponding {@code Math} method applied in double
 * and narrowed to float (VectorOperators' contract), i.e. within ½ ulp plus Math's error; the
 * reference rounds the double result once, also within ½ ulp: they may differ by 1 ulp. Composites
 * add ½ ulp per float operation (sigmoid: exp, add, divide; ELU: expm1, multiply; softplus: exp,
 * log1p, divide). Results below Float.MIN_NORMAL may differ by that much absolutely: float code
 * underflows before double code does.
 */
class ElementwiseKernelsTest {

    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f, 0.5f, -0.5f,
        0.75f, 2f, -3f, 20f, 20.5f, 88.7f, 89f, -87.5f, -104f, 1e-30f, -1e-30f};

    /** One unary op with its parameters, input domain and allowed ulps against the reference. */
    record UnaryCase(UnaryOp op, float p, float q, float lo, float hi, double ulps) {
        @Override
        public String toString() {
            return op + "(p=" + p + ", q=" + q + ") on [" + lo + ", " + hi + "]";
        }
    }

    /** Accuracy of the scalar reference against the exact function (FloatMath's bounds for transcendentals). */
    static double referenceUlps(UnaryOp op) {
        return switch (op) {
            case EXP, LOG -> 2;
            case TANH, SIGMOID, ELU, SOFTPLUS -> 3;
            default -> 1;
        };
    }

    /**
     * Cases; {@code ulps} is how far the SIMD kernel may be from the scalar reference: 0 (bit for bit)
     * for the exactly rounded operations and for FloatMath's functions, which the SIMD code mirrors.
     */
    static Stream<UnaryCase> unaryCases() {
        return Stream.of(
                new UnaryCase(UnaryOp.NEG, 0, 0, -100, 100, 0),
                new UnaryCase(UnaryOp.EXP, 0, 0, -87, 88, 0),
                new UnaryCase(UnaryOp.EXP, 0, 0, -2, 2, 0),
                new UnaryCase(UnaryOp.LOG, 0, 0, 1e-6f, 1e6f, 0),
                new UnaryCase(UnaryOp.LOG, 0, 0, 0.5f, 2f, 0),
                new UnaryCase(UnaryOp.SQRT, 0, 0, 0, 1e4f, 0),
                new UnaryCase(UnaryOp.ABS, 0, 0, -100, 100, 0),
                new UnaryCase(UnaryOp.TANH, 0, 0, -10, 10, 0),
                new UnaryCase(UnaryOp.TANH, 0, 0, -1e-3f, 1e-3f, 0),
                new UnaryCase(UnaryOp.SIGMOID, 0, 0, -20, 20, 0),
                new UnaryCase(UnaryOp.SIGMOID, 0, 0, -100, -80, 0),
                new UnaryCase(UnaryOp.RELU, 0, 0, -5, 5, 0),
                new UnaryCase(UnaryOp.ELU, 1, 0, -10, 5, 0),
                new UnaryCase(UnaryOp.ELU, 0.5f, 0, -3, 3, 0),
                new UnaryCase(UnaryOp.SOFTPLUS, 1, 20, -30, 30, 0),
                new UnaryCase(UnaryOp.SOFTPLUS, 2, 5, -10, 10, 0),
                new UnaryCase(UnaryOp.CLAMP, -0.5f, 0.75f, -2, 2, 0),
                new UnaryCase(UnaryOp.POW, 2, 0, -10, 10, 1),
                new UnaryCase(UnaryOp.POW, 3, 0, -10, 10, 1),
                new UnaryCase(UnaryOp.POW, 0.5f, 0, 0, 100, 1),
                new UnaryCase(UnaryOp.POW, -1.5f, 0, 0.01f, 100, 1),
                new UnaryCase(UnaryOp.POW, 0, 0, -5, 5, 0),
                new UnaryCase(UnaryOp.SQUARE, 0, 0, -1e3f, 1e3f, 0),
                new UnaryCase(UnaryOp.RECIPROCAL, 0, 0, -100, 100, 0));
    }

    @Test
    void everyUnaryOpHasACase() {
        EnumSet<UnaryOp> covered = EnumSet.noneOf(UnaryOp.class);
        unaryCases().forEach(c -> covered.add(c.op()));
        assertEquals(EnumSet.allOf(UnaryOp.class), covered);
    }

    // ------------------------------------------------------------------ unary

    @ParameterizedTest
    @MethodSource("unaryCases")
    void unaryMatchesReferenceAtEverySizeOffsetAndStride(UnaryCase c) {
        SplittableRandom rng = KernelTestData.rng(c.op().ordinal() * 31L + Float.floatToIntBits(c.lo()));
        for (int n : SIZES) {
            for (int xs : new int[] {1, 2, 3, 0}) {
                float[] values = uniform(rng, n, c.lo(), c.hi());
                int xo = rng.nextInt(5);
                int oo = rng.nextInt(5);
                float[] x = strided(values, xo, xs == 0 ? 1 : xs);
                int stride = xs == 0 ? 0 : xs;
                float[] out = sentinels(oo + n + 3);
                ElementwiseKernels.unary(c.op(), c.p(), c.q(), x, xo, stride, out, oo, n);
                assertUntouchedOutside(out, oo, n, "unary " + c);
                for (int i = 0; i < n; i++) {
                    float xi = x[xo + i * stride];
                    float reference = c.op().apply(xi, c.p(), c.q());
                    String at = where(c + " stride " + stride + " x=" + xi, n, i);
                    assertWithinUlps(reference, out[oo + i], c.ulps(), Float.MIN_NORMAL, at);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("unaryCases")
    void unaryReferenceIsTheDoublePrecisionFunctionRoundedToFloat(UnaryCase c) {
        SplittableRandom rng = KernelTestData.rng(7 + c.op().ordinal());
        float[] x = uniform(rng, 4000, c.lo(), c.hi());
        for (float xi : x) {
            double exact = exact(c.op(), xi, c.p(), c.q());
            // ½ ulp for the final rounding; composites in float (SQUARE, RECIPROCAL) are single IEEE ops;
            // the transcendentals are FloatMath's polynomials, within its documented 2-3 ulp.
            assertWithinUlps((float) exact, c.op().apply(xi, c.p(), c.q()), referenceUlps(c.op()), Float.MIN_NORMAL,
                    c + " reference at x=" + xi + " (double gives " + exact + ")");
        }
    }

    @ParameterizedTest
    @MethodSource("unaryCases")
    void unarySpecialValuesMatchReference(UnaryCase c) {
        // Repeat the specials so each lands both in a full vector and in the scalar tail.
        int n = 4 * VectorSupport.LANES + SPECIALS.length + 3;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = SPECIALS[i % SPECIALS.length];
        }
        float[] out = new float[n];
        ElementwiseKernels.unary(c.op(), c.p(), c.q(), x, 0, 1, out, 0, n);
        for (int i = 0; i < n; i++) {
            assertWithinUlps(c.op().apply(x[i], c.p(), c.q()), out[i], c.ulps(), Float.MIN_NORMAL,
                    where(c + " at special x=" + x[i], n, i));
        }
    }

    /** The function in double, with torch's conventions (softplus's linear tail, NaN through relu). */
    static double exact(UnaryOp op, double x, double p, double q) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case RELU -> Math.max(x, 0);
            case ELU -> x > 0 ? x : p * Math.expm1(x);
            case SOFTPLUS -> p * x > q ? x : Math.log1p(Math.exp(p * x)) / p;
            case CLAMP -> Math.min(Math.max(x, p), q);
            case POW -> Math.pow(x, p);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1 / x;
        };
    }

    // ------------------------------------------------------------------ unary backward

    @ParameterizedTest
    @MethodSource("unaryCases")
    void unaryBackwardMatchesReference(UnaryCase c) {
        // Every backward is a few exact IEEE operations, done in the same order on both sides.
        double ulps = 0;
        SplittableRandom rng = KernelTestData.rng(100 + c.op().ordinal());
        for (int n : SIZES) {
            int go = rng.nextInt(4);
            int xo = rng.nextInt(4);
            int yo = rng.nextInt(4);
            int oo = rng.nextInt(4);
            float[] g = strided(uniform(rng, n, -2, 2), go, 1);
            float[] xv = uniform(rng, n, c.lo(), c.hi());
            float[] yv = new float[n];
            for (int i = 0; i < n; i++) {
                yv[i] = c.op().apply(xv[i], c.p(), c.q());
            }
            float[] x = strided(xv, xo, 1);
            float[] y = strided(yv, yo, 1);
            float[] out = sentinels(oo + n + 2);
            float[] expected = new float[n];
            ElementwiseKernels.unaryBackward(c.op(), c.p(), c.q(), g, go, x, xo, y, yo, out, oo, n);
            ElementwiseKernels.unaryBackwardReference(c.op(), c.p(), c.q(), g, go, x, xo, y, yo, expected, 0, n);
            assertUntouchedOutside(out, oo, n, "unaryBackward " + c);
            for (int i = 0; i < n; i++) {
                assertWithinUlps(expected[i], out[oo + i], ulps, 0, where("backward " + c + " x=" + xv[i], n, i));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("unaryCases")
    void unaryBackwardSpecialValuesMatchReference(UnaryCase c) {
        double ulps = 0;
        int n = 4 * VectorSupport.LANES + SPECIALS.length + 3;
        float[] x = new float[n];
        float[] y = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = SPECIALS[i % SPECIALS.length];
            y[i] = c.op().apply(x[i], c.p(), c.q());
            g[i] = i % 3 == 0 ? 0f : 1.5f - i % 5;
        }
        float[] out = new float[n];
        float[] expected = new float[n];
        ElementwiseKernels.unaryBackward(c.op(), c.p(), c.q(), g, 0, x, 0, y, 0, out, 0, n);
        ElementwiseKernels.unaryBackwardReference(c.op(), c.p(), c.q(), g, 0, x, 0, y, 0, expected, 0, n);
        for (int i = 0; i < n; i++) {
            assertWithinUlps(expected[i], out[i], ulps, 0, where("backward " + c + " at special x=" + x[i], n, i));
        }
    }

    /**
     * The reference derivative against a central difference of the double-precision function. The
     * reference works in float from the float output y, so it carries a few EPS of error relative
     * to max(1, |f'|) (1 − y² and y(1 − y) lose their relative precision as y saturates); the
     * difference quotient with h = 1e-6·max(1, |x|) adds ~1e-10 relative.
     */
    @ParameterizedTest
    @MethodSource("unaryCases")
    void unaryDerivativeMatchesFiniteDifferences(UnaryCase c) {
        SplittableRandom rng = KernelTestData.rng(200 + c.op().ordinal());
        for (int trial = 0; trial < 2000; trial++) {
            float x = uniform(rng, c.lo(), c.hi());
            if (nearKink(c, x)) {
                continue;
            }
            double h = 1e-6 * Math.max(1, Math.abs(x));
            double numeric = (exact(c.op(), x + h, c.p(), c.q()) - exact(c.op(), x - h, c.p(), c.q())) / (2 * h);
            float y = c.op().apply(x, c.p(), c.q());
            float derivative = c.op().derivative(x, y, c.p(), c.q());
            double tolerance = 4 * EPS * Math.max(1, Math.abs(numeric)) + 1e-9 * Math.abs(numeric);
            assertClose(numeric, derivative, tolerance, c + " derivative at x=" + x);
            // backward(g, ...) is g·f'(x) with at most one extra rounding.
            float g = uniform(rng, -2, 2);
            double backwardTolerance = Math.abs(g) * tolerance + 2 * EPS * Math.abs(g * numeric);
            assertClose(g * numeric, c.op().backward(g, x, y, c.p(), c.q()), backwardTolerance,
                    c + " backward at x=" + x + " g=" + g);
        }
    }

    private static boolean nearKink(UnaryCase c, float x) {
        double margin = 1e-4 * Math.max(1, Math.abs(x));
        return switch (c.op()) {
            case ABS, RELU, ELU -> Math.abs(x) < margin;
            case CLAMP -> Math.abs(x - c.p()) < margin || Math.abs(x - c.q()) < margin;
            case SOFTPLUS -> Math.abs(c.p() * x - c.q()) < margin;
            case SQRT, LOG -> x < 1e-3f;
            default -> false;
        };
    }

    // ------------------------------------------------------------------ binary

    /** (a stride, b stride): unit, broadcast scalar on either or both sides, and general strides. */
    private static final int[][] STRIDE_PATTERNS = {{1, 1}, {1, 0}, {0, 1}, {0, 0}, {2, 1}, {1, 3}, {2, 0}, {0, 2}, {3, 2}};

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryMatchesReferenceForEveryStridePattern(BinaryOp op) {
        // POW goes through Math.pow's contract (1 ulp); every other op is one exact IEEE operation.
        double ulps = op == BinaryOp.POW ? 1 : 0;
        SplittableRandom rng = KernelTestData.rng(300 + op.ordinal());
        for (int n : SIZES) {
            for (int[] pattern : STRIDE_PATTERNS) {
                int as = pattern[0];
                int bs = pattern[1];
                float[] av = operands(rng, op, n, true);
                float[] bv = operands(rng, op, n, false);
                int ao = rng.nextInt(4);
                int bo = rng.nextInt(4);
                int oo = rng.nextInt(4);
                float[] a = strided(av, ao, Math.max(as, 1));
                float[] b = strided(bv, bo, Math.max(bs, 1));
                float[] out = sentinels(oo + n + 2);
                ElementwiseKernels.binary(op, a, ao, as, b, bo, bs, out, oo, n);
                assertUntouchedOutside(out, oo, n, "binary " + op);
                for (int i = 0; i < n; i++) {
                    float ai = a[ao + i * as];
                    float bi = b[bo + i * bs];
                    assertWithinUlps(op.apply(ai, bi), out[oo + i], ulps, Float.MIN_NORMAL * ulps,
                            where(op + " strides (" + as + "," + bs + ") a=" + ai + " b=" + bi, n, i));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binaryRowsRepeatEitherOperandsRow(BinaryOp op) {
        double ulps = op == BinaryOp.POW ? 1 : 0;
        SplittableRandom rng = KernelTestData.rng(350 + op.ordinal());
        int rows = 3;
        for (int n : new int[] {1, 3, 4, 5, 8, 9, 15, 16, 17, 20, 33, 40}) {
            for (boolean repeatA : new boolean[] {false, true}) {
                int aRows = repeatA ? 0 : n;
                int bRows = repeatA ? n : 0;
                float[] a = strided(operands(rng, op, repeatA ? n : rows * n, true), 1, 1);
                float[] b = strided(operands(rng, op, repeatA ? rows * n : n, false), 2, 1);
                float[] out = sentinels(3 + rows * n + 2);
                ElementwiseKernels.binaryRows(op, a, 1, aRows, b, 2, bRows, out, 3, rows, n);
                assertUntouchedOutside(out, 3, rows * n, "binaryRows " + op);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < n; i++) {
                        float ai = a[1 + r * aRows + i];
                        float bi = b[2 + r * bRows + i];
                        assertWithinUlps(op.apply(ai, bi), out[3 + r * n + i], ulps, Float.MIN_NORMAL * ulps,
                                where(op + " rows, repeating " + (repeatA ? "a" : "b") + ", row " + r, n, i));
                    }
                }
            }
        }
    }

    @Test
    void addRowInPlaceAddsTheRowOnceToEveryRow() {
        SplittableRandom rng = KernelTestData.rng(370);
        int rows = 4;
        for (int n : new int[] {1, 3, 4, 5, 8, 9, 15, 16, 17, 20, 32, 33, 40, 80}) {
            float[] y = strided(KernelTestData.gaussian(rng, rows * n, 0, 3), 2, 1);
            float[] row = strided(KernelTestData.gaussian(rng, n, 0, 1), 1, 1);
            float[] expected = y.clone();
            ElementwiseKernels.addRowInPlaceReference(expected, 2, row, 1, rows, n);
            ElementwiseKernels.addRowInPlace(y, 2, row, 1, rows, n);
            for (int i = 0; i < y.length; i++) {
                KernelTestData.assertSame(expected[i], y[i], where("addRowInPlace", n, i));
            }
        }
    }

    /** Values with many ties (for the comparisons) and, for POW, bases and exponents in range. */
    private static float[] operands(SplittableRandom rng, BinaryOp op, int n, boolean base) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            if (op == BinaryOp.POW) {
                boolean integerExponent = rng.nextBoolean();
                v[i] = base ? uniform(rng, integerExponent ? -4 : 0.05f, 4)
                        : integerExponent ? rng.nextInt(-3, 4) : uniform(rng, -3, 3);
            } else {
                v[i] = rng.nextInt(3) == 0 ? rng.nextInt(-2, 3) : uniform(rng, -4, 4);
            }
        }
        return v;
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void binarySpecialValuesMatchReference(BinaryOp op) {
        double ulps = op == BinaryOp.POW ? 1 : 0;
        // Every ordered pair of specials, laid out so that most pairs fall inside full vectors.
        int n = SPECIALS.length * SPECIALS.length;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = SPECIALS[i / SPECIALS.length];
            b[i] = SPECIALS[i % SPECIALS.length];
        }
        float[] out = new float[n];
        ElementwiseKernels.binary(op, a, 0, 1, b, 0, 1, out, 0, n);
        for (int i = 0; i < n; i++) {
            assertWithinUlps(op.apply(a[i], b[i]), out[i], ulps, 0, where(op + "(" + a[i] + ", " + b[i] + ")", n, i));
            if (ulps == 0) {
                assertSame(op.apply(a[i], b[i]), out[i], op + "(" + a[i] + ", " + b[i] + ") sign of zero");
            }
        }
        // And each special broadcast against a vector of all of them.
        for (float s : SPECIALS) {
            float[] all = new float[4 * VectorSupport.LANES + SPECIALS.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = SPECIALS[i % SPECIALS.length];
            }
            float[] left = new float[all.length];
            float[] right = new float[all.length];
            ElementwiseKernels.binary(op, new float[] {s}, 0, 0, all, 0, 1, left, 0, all.length);
            ElementwiseKernels.binary(op, all, 0, 1, new float[] {s}, 0, 0, right, 0, all.length);
            for (int i = 0; i < all.length; i++) {
                assertWithinUlps(op.apply(s, all[i]), left[i], ulps, 0, op + "(" + s + ", " + all[i] + ")");
                assertWithinUlps(op.apply(all[i], s), right[i], ulps, 0, op + "(" + all[i] + ", " + s + ")");
            }
        }
    }

    @Test
    void binaryReferencesAreTheJavaOperators() {
        SplittableRandom rng = KernelTestData.rng(5);
        for (int i = 0; i < 1000; i++) {
            float a = rng.nextInt(4) == 0 ? rng.nextInt(-2, 3) : uniform(rng, -5, 5);
            float b = rng.nextInt(4) == 0 ? rng.nextInt(-2, 3) : uniform(rng, -5, 5);
            assertSame(a + b, BinaryOp.ADD.apply(a, b), "add");
            assertSame(a - b, BinaryOp.SUB.apply(a, b), "sub");
            assertSame(a * b, BinaryOp.MUL.apply(a, b), "mul");
            assertSame(a / b, BinaryOp.DIV.apply(a, b), "div");
            assertSame(Math.max(a, b), BinaryOp.MAXIMUM.apply(a, b), "maximum");
            assertSame(Math.min(a, b), BinaryOp.MINIMUM.apply(a, b), "minimum");
            assertSame(a == b ? 1 : 0, BinaryOp.EQ.apply(a, b), "eq");
            assertSame(a != b ? 1 : 0, BinaryOp.NE.apply(a, b), "ne");
            assertSame(a < b ? 1 : 0, BinaryOp.LT.apply(a, b), "lt");
            assertSame(a <= b ? 1 : 0, BinaryOp.LE.apply(a, b), "le");
            assertSame(a > b ? 1 : 0, BinaryOp.GT.apply(a, b), "gt");
            assertSame(a >= b ? 1 : 0, BinaryOp.GE.apply(a, b), "ge");
            float base = Math.abs(a) + 0.1f;
            assertWithinUlps((float) Math.pow(base, b), BinaryOp.POW.apply(base, b), 0.5, 0, "pow");
        }
    }

    // ------------------------------------------------------------------ where, copy

    @Test
    void whereMatchesReferenceForEveryStridePattern() {
        SplittableRandom rng = KernelTestData.rng(400);
        float[] conditions = {0f, -0f, 1f, -2f, Float.NaN, 0.5f};
        for (int n : SIZES) {
            for (int cs : new int[] {1, 0, 2}) {
                for (int[] pattern : STRIDE_PATTERNS) {
                    float[] cv = new float[n];
                    for (int i = 0; i < n; i++) {
                        cv[i] = conditions[rng.nextInt(conditions.length)];
                    }
                    int co = rng.nextInt(3);
                    int ao = rng.nextInt(3);
                    int bo = rng.nextInt(3);
                    int oo = rng.nextInt(3);
                    float[] c = strided(cv, co, Math.max(cs, 1));
                    float[] a = strided(uniform(rng, n, -1, 1), ao, Math.max(pattern[0], 1));
                    float[] b = strided(uniform(rng, n, 2, 3), bo, Math.max(pattern[1], 1));
                    float[] out = sentinels(oo + n + 2);
                    ElementwiseKernels.where(c, co, cs, a, ao, pattern[0], b, bo, pattern[1], out, oo, n);
                    assertUntouchedOutside(out, oo, n, "where");
                    for (int i = 0; i < n; i++) {
                        float ci = c[co + i * cs];
                        float expected = ci != 0f ? a[ao + i * pattern[0]] : b[bo + i * pattern[1]];
                        assertSame(expected, out[oo + i], where("where c=" + ci + " strides " + cs + ","
                                + pattern[0] + "," + pattern[1], n, i));
                    }
                }
            }
        }
    }

    @Test
    void copyHandlesUnitZeroAndGeneralStrides() {
        SplittableRandom rng = KernelTestData.rng(500);
        for (int n : SIZES) {
            for (int xs : new int[] {1, 0, 2, 5}) {
                int xo = rng.nextInt(3);
                int oo = rng.nextInt(3);
                float[] x = strided(uniform(rng, n, -1, 1), xo, Math.max(xs, 1));
                float[] out = sentinels(oo + n + 2);
                ElementwiseKernels.copy(x, xo, xs, out, oo, n);
                assertUntouchedOutside(out, oo, n, "copy");
                for (int i = 0; i < n; i++) {
                    assertSame(x[xo + i * xs], out[oo + i], where("copy stride " + xs, n, i));
                }
            }
        }
    }

    // ------------------------------------------------------------------ axpy, scale, sumOfSquares

    /**
     * axpy: the reference rounds α·x then the sum; the SIMD path may use one fused multiply-add.
     * Each rounding is off by at most EPS times its operand, so they differ by at most
     * 3·EPS·(|α·x| + |y|).
     */
    @Test
    void axpyMatchesReferenceWithinRoundingOfItsTerms() {
        SplittableRandom rng = KernelTestData.rng(600);
        for (int n : SIZES) {
            for (float alpha : new float[] {0f, 1f, -0.5f, 3.7f}) {
                int xo = rng.nextInt(4);
                int yo = rng.nextInt(4);
                float[] x = strided(uniform(rng, n, -10, 10), xo, 1);
                float[] yValues = uniform(rng, n, -10, 10);
                float[] y = strided(yValues, yo, 1);
                ElementwiseKernels.axpy(alpha, x, xo, y, yo, n);
                assertUntouchedOutside(y, yo, n, "axpy");
                for (int i = 0; i < n; i++) {
                    double ax = (double) alpha * x[xo + i];
                    double exact = ax + yValues[i];
                    double bound = 3 * EPS * (Math.abs(ax) + Math.abs(yValues[i]));
                    assertClose(exact, y[yo + i], bound, where("axpy alpha=" + alpha, n, i));
                    float[] ref = {yValues[i]};
                    ElementwiseKernels.axpyReference(alpha, x, xo + i, ref, 0, 1);
                    assertClose(ref[0], y[yo + i], bound, where("axpy vs reference alpha=" + alpha, n, i));
                }
            }
        }
    }

    @Test
    void scaleIsExact() {
        SplittableRandom rng = KernelTestData.rng(700);
        for (int n : SIZES) {
            for (float alpha : new float[] {0f, -1f, 0.1f, 3f}) {
                int xo = rng.nextInt(4);
                float[] values = uniform(rng, n, -10, 10);
                float[] x = strided(values, xo, 1);
                ElementwiseKernels.scale(alpha, x, xo, n);
                assertUntouchedOutside(x, xo, n, "scale");
                for (int i = 0; i < n; i++) {
                    assertSame(values[i] * alpha, x[xo + i], where("scale alpha=" + alpha, n, i));
                }
            }
        }
    }

    /**
     * sumOfSquares against the sum in double (exact to ~1e-16 here): terms are positive, so any
     * float summation chain of length k is within γ(k) relative; the SIMD path chains at most
     * 1024/LANES terms per lane before moving the block into double.
     */
    @Test
    void sumOfSquaresIsWithinFloatSummationErrorOfTheDoubleSum() {
        SplittableRandom rng = KernelTestData.rng(800);
        for (int n : SIZES) {
            for (int rep = 0; rep < 3; rep++) {
                int xo = rng.nextInt(4);
                float[] x = strided(uniform(rng, n, -3, 3), xo, 1);
                double exact = 0;
                for (int i = 0; i < n; i++) {
                    exact += (double) x[xo + i] * x[xo + i];
                }
                double bound = KernelTestData.gamma(KernelTestData.chain(Math.min(n, 1024)) + 1) * exact;
                assertClose(exact, ElementwiseKernels.sumOfSquares(x, xo, n), bound, "sumOfSquares n=" + n);
                assertClose(exact, ElementwiseKernels.sumOfSquaresReference(x, xo, n), 1e-12 * exact,
                        "sumOfSquaresReference n=" + n);
            }
        }
        // A sum larger than 2^24 blocks' worth still accumulates in double: 5,000,000 ones.
        float[] ones = new float[5_000_000];
        java.util.Arrays.fill(ones, 1f);
        assertEquals(5_000_000.0, ElementwiseKernels.sumOfSquares(ones, 0, ones.length));
    }

    @Test
    void specialValuesInSumOfSquaresPropagate() {
        List<float[]> cases = new ArrayList<>();
        int n = 3 * VectorSupport.LANES + 5;
        for (int at : new int[] {0, n / 2, n - 1}) {
            for (float special : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] x = new float[n];
                java.util.Arrays.fill(x, 0.5f);
                x[at] = special;
                cases.add(x);
            }
        }
        for (float[] x : cases) {
            double expected = ElementwiseKernels.sumOfSquaresReference(x, 0, n);
            assertClose(expected, ElementwiseKernels.sumOfSquares(x, 0, n), 0, "sumOfSquares with a special");
        }
    }
}
