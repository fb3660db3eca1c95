package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.tempora.tensor.kernels.FloatMath.EXP_MAX;
import static dev.tempora.tensor.kernels.FloatMath.EXP_MIN;
import static dev.tempora.tensor.kernels.FloatMath.LN2_HI;
import static dev.tempora.tensor.kernels.FloatMath.LN2_LO;
import static dev.tempora.tensor.kernels.FloatMath.LOG2E;
import static dev.tempora.tensor.kernels.FloatMath.ROUND_MAGIC;
import static dev.tempora.tensor.kernels.FloatMath.SQRT_HALF;

/**
 * {@link FloatMath} a vector at a time: the same IEEE operations in the same order per lane, so
 * every lane equals the scalar function bit for bit, at any width and before or after JIT
 * compilation (which the Vector API's own transcendental lanes do not guarantee).
 */
final class VectorMath {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());

    private VectorMath() {}

    // XOR-by-k lane permutations for the horizontal sum; constants, so C2 intrinsifies the rearranges.
    private static final jdk.incubator.vector.VectorShuffle<Float> XOR_8 = xor(8);
    private static final jdk.incubator.vector.VectorShuffle<Float> XOR_4 = xor(4);
    private static final jdk.incubator.vector.VectorShuffle<Float> XOR_2 = xor(2);
    private static final jdk.incubator.vector.VectorShuffle<Float> XOR_1 = xor(1);

    private static jdk.incubator.vector.VectorShuffle<Float> xor(int k) {
        return jdk.incubator.vector.VectorShuffle.fromOp(S, i -> (i ^ k) % S.length());
    }

    /**
     * The sum of the lanes in a fixed pairwise order. {@code reduceLanes(ADD)} may add lanes in one
     * order before C2 compiles the caller and in another after, changing the last bit; this one
     * is a chain of exact permutations and lane-wise additions, the same in every run.
     */
    static float sum(FloatVector v) {
        int lanes = Species.LANES;
        if (lanes >= 16) {
            v = v.add(v.rearrange(XOR_8));
        }
        if (lanes >= 8) {
            v = v.add(v.rearrange(XOR_4));
        }
        if (lanes >= 4) {
            v = v.add(v.rearrange(XOR_2));
        }
        v = v.add(v.rearrange(XOR_1));
        return v.lane(0);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, bc(1.3981999507e-3f));
        p = p.fma(r, bc(8.3334519073e-3f));
        p = p.fma(r, bc(4.1665795894e-2f));
        p = p.fma(r, bc(1.6666665459e-1f));
        p = p.fma(r, bc(5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        FloatVector a = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector b = ni.sub(n1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = p.mul(a).mul(b);
        result = result.blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
        result = result.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_MAX));
        return result.blend(x, x.compare(VectorOperators.NE, x)); // NaN stays NaN
    }

    /**
     * eˣ for x ≤ 0 (a softmax's shifted scores), bit for bit {@link FloatMath#exp} there, in about
     * half the operations of {@link #exp}: no clamping (lanes below the range are set to 0 at the
     * end, −∞ included), no overflow lane, and 2ⁿ (n ≥ −126) as one normal factor. NaN stays NaN.
     * Lanes with x > 0 hold garbage.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
        FloatVector n = t.sub(ROUND_MAGIC);
        IntVector ni = t.reinterpretAsInts().sub(Float.floatToRawIntBits(ROUND_MAGIC));
        FloatVector r = n.fma(bc(-LN2_HI), x);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = FloatVector.broadcast(S, 1.9875691500e-4f);
        p = p.fma(r, bc(1.3981999507e-3f));
        p = p.fma(r, bc(8.3334519073e-3f));
        p = p.fma(r, bc(4.1665795894e-2f));
        p = p.fma(r, bc(1.6666665459e-1f));
        p = p.fma(r, bc(5.0000001201e-1f));
        p = p.fma(r.mul(r), r).add(1f);
        // p·2ⁿ rounds once, as FloatMath's p·2^(n>>1)·2^(n−(n>>1)) does (its first product is exact).
        FloatVector scale = ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, x.compare(VectorOperators.LT, EXP_MIN));
    }

    /**
     * {@link FloatMath#softmaxExp2} lane for lane, bit for bit (2ʸ for a softmax's shifted scores in
     * base 2: 0 below −126, −∞ included; NaN stays NaN): 14 operations, 7 of them multiplications,
     * where {@link #expNonPositive} takes 19 with 11.
     */
    static FloatVector softmaxExp2(FloatVector y) {
        FloatVector t = y.add(ROUND_MAGIC);
        FloatVector f = y.sub(t.sub(ROUND_MAGIC));
        FloatVector p = bc(FloatMath.EXP2_C6).fma(f, bc(FloatMath.EXP2_C5));
        p = p.fma(f, bc(FloatMath.EXP2_C4));
        p = p.fma(f, bc(FloatMath.EXP2_C3));
        p = p.fma(f, bc(FloatMath.EXP2_C2));
        p = p.fma(f, bc(FloatMath.EXP2_C1));
        p = p.fma(f, bc(1f));
        FloatVector scale = t.reinterpretAsInts().add(FloatMath.EXPONENT_FROM_ROUNDED)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, y.compare(VectorOperators.LT, FloatMath.EXP2_MIN));
    }

    /**
     * eˣ − 1 for x ≤ 0 (ELU's negative branch), bit for bit {@link FloatMath#expm1} there, on
     * {@link #expNonPositive}; lanes with x > 0 hold garbage (ELU takes x there).
     */
    static FloatVector expm1NonPositive(FloatVector x) {
        FloatVector p = FloatVector.broadcast(S, 2.48015873e-5f);
        p = p.fma(x, bc(1.98412698e-4f));
        p = p.fma(x, bc(1.38888889e-3f));
        p = p.fma(x, bc(8.33333333e-3f));
        p = p.fma(x, bc(4.16666667e-2f));
        p = p.fma(x, bc(1.66666667e-1f));
        p = p.fma(x, bc(0.5f));
        FloatVector small = p.fma(x.mul(x), x);
        FloatVector large = expNonPositive(x).sub(1f);
        return large.blend(small, x.abs().compare(VectorOperators.LT, 0.5f));
    }

    static FloatVector log(FloatVector x) {
        IntVector bits = x.reinterpretAsInts();
        IntVector e = bits.lanewise(VectorOperators.LSHR, 23).and(0xff).sub(126);
        FloatVector m = bits.and(0x807fffff).or(0x3f000000).reinterpretAsFloats();
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        FloatVector fe = e.convert(VectorOperators.I2F, 0).reinterpretAsFloats();
        fe = fe.blend(fe.sub(1f), low);
        m = m.sub(1f).blend(m.add(m).sub(1f), low);
        FloatVector z = m.mul(m);
        FloatVector y = FloatVector.broadcast(S, 7.0376836292e-2f);
        y = y.fma(m, bc(-1.1514610310e-1f));
        y = y.fma(m, bc(1.1676998740e-1f));
        y = y.fma(m, bc(-1.2420140846e-1f));
        y = y.fma(m, bc(1.4249322787e-1f));
        y = y.fma(m, bc(-1.6668057665e-1f));
        y = y.fma(m, bc(2.0000714765e-1f));
        y = y.fma(m, bc(-2.4999993993e-1f));
        y = y.fma(m, bc(3.3333331174e-1f));
        y = y.mul(m).mul(z);
        y = fe.fma(bc(LN2_LO), y);
        y = FloatVector.broadcast(S, -0.5f).fma(z, y);
        FloatVector result = fe.fma(bc(LN2_HI), m.add(y));
        result = result.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.LT, Float.MIN_NORMAL));
        result = result.blend(Float.NaN, x.compare(VectorOperators.LT, 0f));
        result = result.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
        return result.blend(x, x.compare(VectorOperators.NE, x));
    }

    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector d = u.sub(1f);
        FloatVector general = log(u).mul(x.div(d));
        return general.blend(x, d.compare(VectorOperators.EQ, 0f));
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = x.mul(x);
        FloatVector p = FloatVector.broadcast(S, -5.70498872745e-3f);
        p = p.fma(z, bc(2.06390887954e-2f));
        p = p.fma(z, bc(-5.37397155531e-2f));
        p = p.fma(z, bc(1.33314422036e-1f));
        p = p.fma(z, bc(-3.33332819422e-1f));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector e = expNonPositive(a.add(a).neg());
        FloatVector one = FloatVector.broadcast(S, 1f);
        FloatVector large = one.sub(e).div(one.add(e));
        large = large.blend(1f, a.compare(VectorOperators.GT, 9f));
        // copySign: the sign bit of x on the magnitude.
        large = large.reinterpretAsInts().or(x.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
        return large.blend(small, a.compare(VectorOperators.LT, 0.625f)).blend(x, x.compare(VectorOperators.EQ, 0f));
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector z = expNonPositive(x.abs().neg());
        FloatVector r = FloatVector.broadcast(S, 1f).div(z.add(1f));
        return z.mul(r).blend(r, x.compare(VectorOperators.GE, 0f));
    }

    static FloatVector softplus(FloatVector x, float beta, float threshold) {
        FloatVector bx = x.mul(beta);
        FloatVector soft = log1p(exp(bx)).div(beta);
        return soft.blend(x, bx.compare(VectorOperators.GT, threshold));
    }

}
