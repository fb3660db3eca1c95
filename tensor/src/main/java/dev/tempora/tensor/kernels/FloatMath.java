package dev.tempora.tensor.kernels;

/**
 * Float transcendental functions built only from exactly-rounded IEEE operations (add, multiply,
 * fused multiply-add, divide, bit manipulation), following Cephes' single-precision algorithms.
 *
 * <p>Why not {@link Math#exp} or the Vector API's {@code lanewise(EXP)}: the Vector API computes
 * transcendental lanes with one implementation before C2 compiles a loop and another (SVML) after,
 * so the same input gives different bits early and late in a run, and training would not be
 * reproducible. These functions give the same bits in the interpreter, in C2, per lane in
 * {@link VectorMath} and here, whatever the vector width. Accuracy: within 2 ulp of the correctly
 * rounded result over the float range (tested against {@link StrictMath}).
 */
public final class FloatMath {

    private FloatMath() {}

    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float EXP_MAX = 88.72283f;
    static final float EXP_MIN = -87.33654f;
    /** 1.5·2²³: adding and subtracting it rounds a float below 2²² to the nearest integer (ties to even). */
    static final float ROUND_MAGIC = 12582912f;
    static final float SQRT_HALF = 0.707106781186547524f;

    /** eˣ; 0 below −87.34 (where the result would be subnormal), +∞ above 88.72. */
    public static float exp(float x) {
        if (x != x) {
            return x;
        }
        if (x > EXP_MAX) {
            return Float.POSITIVE_INFINITY;
        }
        if (x < EXP_MIN) {
            return 0f;
        }
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        float n = t - ROUND_MAGIC;
        int ni = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUND_MAGIC);
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = 1.9875691500e-4f;
        p = Math.fma(p, r, 1.3981999507e-3f);
        p = Math.fma(p, r, 8.3334519073e-3f);
        p = Math.fma(p, r, 4.1665795894e-2f);
        p = Math.fma(p, r, 1.6666665459e-1f);
        p = Math.fma(p, r, 5.0000001201e-1f);
        p = Math.fma(p, r * r, r) + 1f;
        // 2^n for n in [-126, 128] as two normal factors 2^(n>>1)·2^(n−(n>>1)).
        int n1 = ni >> 1;
        float a = Float.intBitsToFloat((n1 + 127) << 23);
        float b = Float.intBitsToFloat((ni - n1 + 127) << 23);
        return p * a * b;
    }

    /** Added to the bits of {@code y + ROUND_MAGIC} then shifted left by 23, gives the bits of 2^round(y). */
    static final int EXPONENT_FROM_ROUNDED = 127 - Float.floatToRawIntBits(ROUND_MAGIC);
    /** Below it {@link #softmaxExp2} is 0 (2^−126 is the smallest normal float). */
    static final float EXP2_MIN = -126f;
    // 2^f ≈ 1 + C1·f + … + C6·f⁶ on |f| ≤ 1/2: minimax for relative error (0.03 ulp before
    // rounding; under 1 ulp in float, tested).
    static final float EXP2_C1 = 0.6931471824645996f;
    static final float EXP2_C2 = 0.24022647738456726f;
    static final float EXP2_C3 = 0.055503323674201965f;
    static final float EXP2_C4 = 0.009618437848985195f;
    static final float EXP2_C5 = 0.0013398887822404504f;
    static final float EXP2_C6 = 0.0001535335322842002f;

    /**
     * 2ʸ for a softmax's shifted scores in base 2 (y ≤ 0, or a rounding error above), within 1 ulp,
     * in about two thirds of {@link #exp}'s floating-point work: the scores come scaled by log₂(e),
     * so the argument needs no reduction by ln 2 (y − round(y) is exact), a degree-6 polynomial, and
     * 2ⁿ straight from the rounding's bits (n ≥ −126 here, one normal factor). 0 below −126 (−∞
     * included); NaN stays NaN; not for y above 127. The attention kernels' exp, lane for lane
     * {@link VectorMath#softmaxExp2}.
     */
    static float softmaxExp2(float y) {
        if (y != y) {
            return y;
        }
        if (y < EXP2_MIN) {
            return 0f;
        }
        float t = y + ROUND_MAGIC;
        float f = y - (t - ROUND_MAGIC);
        float p = Math.fma(EXP2_C6, f, EXP2_C5);
        p = Math.fma(p, f, EXP2_C4);
        p = Math.fma(p, f, EXP2_C3);
        p = Math.fma(p, f, EXP2_C2);
        p = Math.fma(p, f, EXP2_C1);
        p = Math.fma(p, f, 1f);
        return p * Float.intBitsToFloat((Float.floatToRawIntBits(t) + EXPONENT_FROM_ROUNDED) << 23);
    }

    /** eˣ − 1, accurate near 0 (a Taylor polynomial below |x| = 0.5, eˣ − 1 above). */
    public static float expm1(float x) {
        if (Math.abs(x) < 0.5f) {
            float p = 2.48015873e-5f;          // 1/8!
            p = Math.fma(p, x, 1.98412698e-4f); // 1/7!
            p = Math.fma(p, x, 1.38888889e-3f); // 1/6!
            p = Math.fma(p, x, 8.33333333e-3f); // 1/5!
            p = Math.fma(p, x, 4.16666667e-2f); // 1/4!
            p = Math.fma(p, x, 1.66666667e-1f); // 1/3!
            p = Math.fma(p, x, 0.5f);
            return Math.fma(p, x * x, x);
        }
        return exp(x) - 1f;
    }

    /** Natural logarithm; −∞ at 0, NaN below 0 (subnormal inputs are treated as 0). */
    public static float log(float x) {
        if (x != x || x == Float.POSITIVE_INFINITY) {
            return x;
        }
        if (x < Float.MIN_NORMAL) {
            return x < 0f ? Float.NaN : Float.NEGATIVE_INFINITY;
        }
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xff) - 126;
        float m = Float.intBitsToFloat((bits & 0x807fffff) | 0x3f000000); // in [0.5, 1)
        float fe;
        if (m < SQRT_HALF) {
            fe = e - 1;
            m = m + m - 1f;
        } else {
            fe = e;
            m = m - 1f;
        }
        float z = m * m;
        float y = 7.0376836292e-2f;
        y = Math.fma(y, m, -1.1514610310e-1f);
        y = Math.fma(y, m, 1.1676998740e-1f);
        y = Math.fma(y, m, -1.2420140846e-1f);
        y = Math.fma(y, m, 1.4249322787e-1f);
        y = Math.fma(y, m, -1.6668057665e-1f);
        y = Math.fma(y, m, 2.0000714765e-1f);
        y = Math.fma(y, m, -2.4999993993e-1f);
        y = Math.fma(y, m, 3.3333331174e-1f);
        y = y * m * z;
        y = Math.fma(fe, LN2_LO, y);
        y = Math.fma(-0.5f, z, y);
        return Math.fma(fe, LN2_HI, m + y);
    }

    /** ln(1 + x), accurate for tiny x (the correction (1+x)−1 recovers the rounding of 1+x). */
    public static float log1p(float x) {
        float u = 1f + x;
        float d = u - 1f;
        if (d == 0f) {
            return x;
        }
        return log(u) * (x / d);
    }

    /**
     * tanh: an odd polynomial below |x| = 0.625, (1 − e^{−2|x|})/(1 + e^{−2|x|}) above (an exponential
     * of a non-positive argument, as {@link VectorMath} computes it cheaply), ±1 beyond 9.
     */
    public static float tanh(float x) {
        if (x == 0f) {
            return x; // keeps the sign of zero
        }
        float a = Math.abs(x);
        if (a < 0.625f) {
            float z = x * x;
            float p = -5.70498872745e-3f;
            p = Math.fma(p, z, 2.06390887954e-2f);
            p = Math.fma(p, z, -5.37397155531e-2f);
            p = Math.fma(p, z, 1.33314422036e-1f);
            p = Math.fma(p, z, -3.33332819422e-1f);
            return Math.fma(p * z, x, x);
        }
        float e = exp(-(a + a));
        float y = a > 9f ? 1f : (1f - e) / (1f + e);
        return Math.copySign(y, x);
    }

    /**
     * 1 / (1 + e⁻ˣ), from z = e^{−|x|} ≤ 1 (an exponential of a non-positive argument): 1/(1 + z)
     * for x ≥ 0, z/(1 + z) below.
     */
    public static float sigmoid(float x) {
        float z = exp(-Math.abs(x));
        float r = 1f / (1f + z);
        return x >= 0f ? r : z * r;
    }

    /** log(1 + e^(βx))/β, and x where βx exceeds the threshold (torch's softplus). */
    public static float softplus(float x, float beta, float threshold) {
        float bx = beta * x;
        return bx > threshold ? x : log1p(exp(bx)) / beta;
    }

    /**
     * xᵖ, as {@link StrictMath#pow} rounded to float: e^(p·ln x) in float would lose |p·ln x| ulps,
     * and pow is too rare in training to need a vector version.
     */
    public static float pow(float x, float p) {
        return (float) StrictMath.pow(x, p);
    }
}
