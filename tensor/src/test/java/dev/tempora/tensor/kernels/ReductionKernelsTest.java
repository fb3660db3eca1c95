package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.SIZES;
import static dev.tempora.tensor.kernels.KernelTestData.assertClose;
import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static dev.tempora.tensor.kernels.KernelTestData.strided;
import static dev.tempora.tensor.kernels.KernelTestData.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.tensor.kernels.ReductionKernels.Kind;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ReductionKernels} over (outer, r, inner) blocks at this JVM's width: rows (inner == 1) and
 * columns (inner > 1), lengths around every lane count. MAX and MIN are exact whatever the order;
 * a float SUM of r terms in any order is within γ(r−1)·Σ|x| of the exact sum (Higham, Thm 4.1 holds
 * for every summation tree), which bounds the SIMD and the reference result alike.
 */
class ReductionKernelsTest {

    private static int[] inners() {
        int lanes = VectorSupport.LANES;
        return new int[] {1, 2, 3, Math.max(1, lanes - 1), lanes, lanes + 1, 2 * lanes + 3, 17, 33};
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reduceMatchesExactResultForRowsAndColumns(Kind kind) {
        SplittableRandom rng = KernelTestData.rng(kind.ordinal());
        for (int outer : new int[] {1, 3}) {
            for (int inner : inners()) {
                for (int r : SIZES) {
                    if (inner > 1 && r > 257) {
                        continue; // long columns add nothing the rows do not already cover
                    }
                    check(kind, rng, outer, r, inner, uniform(rng, outer * r * inner, -4, 4));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void reduceHandlesLargeMagnitudesAndCancellation(Kind kind) {
        SplittableRandom rng = KernelTestData.rng(10 + kind.ordinal());
        for (int r : new int[] {33, 1025, 4099}) {
            float[] values = new float[2 * r];
            for (int i = 0; i < values.length; i++) {
                // Alternating ±1e6 with small noise: the exact sum is tiny, the bound honestly wide.
                values[i] = (i % 2 == 0 ? 1e6f : -1e6f) + uniform(rng, -1, 1);
            }
            check(kind, rng, 2, r, 1, values);
        }
    }

    private static void check(Kind kind, SplittableRandom rng, int outer, int r, int inner, float[] values) {
        int ao = rng.nextInt(4);
        int oo = rng.nextInt(4);
        float[] a = strided(values, ao, 1);
        float[] out = sentinels(oo + outer * inner + 2);
        float[] reference = new float[outer * inner];
        ReductionKernels.reduce(kind, a, ao, outer, r, inner, out, oo);
        ReductionKernels.reduceReference(kind, a, ao, outer, r, inner, reference, 0);
        assertUntouchedOutside(out, oo, outer * inner, "reduce " + kind);
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                double exact = kind == Kind.SUM ? 0 : kind == Kind.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                double magnitude = 0;
                for (int k = 0; k < r; k++) {
                    float v = values[(o * r + k) * inner + j];
                    exact = switch (kind) {
                        case SUM -> exact + v;
                        case MAX -> Math.max(exact, v);
                        case MIN -> Math.min(exact, v);
                    };
                    magnitude += Math.abs(v);
                }
                String at = kind + " outer=" + outer + " r=" + r + " inner=" + inner + " [" + o + "," + j + "] at "
                        + VectorSupport.BITS + " bits";
                if (kind == Kind.SUM) {
                    double bound = KernelTestData.gamma(Math.max(0, r - 1)) * magnitude;
                    assertClose(exact, out[oo + o * inner + j], bound, at);
                    assertClose(exact, reference[o * inner + j], bound, "reference " + at);
                } else {
                    assertSame((float) exact, out[oo + o * inner + j], at);
                    assertSame((float) exact, reference[o * inner + j], "reference " + at);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void specialValuesPropagateAsInTorch(Kind kind) {
        // NaN wins max and min and poisons sums; ±∞ dominate; max(−0, +0) is +0 as in Math.max.
        float[][] specials = {{Float.NaN}, {Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY},
            {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, {-0f, 0f}, {-0f}};
        for (int inner : inners()) {
            for (int r : new int[] {1, VectorSupport.LANES, 4 * VectorSupport.LANES + 3, 97}) {
                for (float[] special : specials) {
                    for (int position : new int[] {0, r / 2, r - 1}) {
                        float[] values = new float[r * inner];
                        java.util.Arrays.fill(values, -1.5f);
                        for (int s = 0; s < special.length && position + s < r; s++) {
                            for (int j = 0; j < inner; j++) {
                                values[(position + s) * inner + j] = special[s];
                            }
                        }
                        float[] out = new float[inner];
                        float[] reference = new float[inner];
                        ReductionKernels.reduce(kind, values, 0, 1, r, inner, out, 0);
                        ReductionKernels.reduceReference(kind, values, 0, 1, r, inner, reference, 0);
                        for (int j = 0; j < inner; j++) {
                            String at = kind + " of " + java.util.Arrays.toString(special) + " at " + position
                                    + " r=" + r + " inner=" + inner;
                            if (kind == Kind.SUM && special[0] == 0f) {
                                // Exact (halves), but the sign of a zero sum is not specified.
                                assertTrue(reference[j] == out[j], at + ": " + reference[j] + " vs " + out[j]);
                            } else {
                                assertSame(reference[j], out[j], at);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void emptyReductionGivesTheIdentity() {
        float[] out = sentinels(6);
        ReductionKernels.reduce(Kind.SUM, new float[0], 0, 2, 0, 3, out, 0);
        for (int i = 0; i < 6; i++) {
            assertSame(0f, out[i], "sum of nothing");
        }
        ReductionKernels.reduce(Kind.MAX, new float[0], 0, 2, 0, 3, out, 0);
        assertSame(Float.NEGATIVE_INFINITY, out[5], "max of nothing");
        ReductionKernels.reduce(Kind.MIN, new float[0], 0, 2, 0, 3, out, 0);
        assertSame(Float.POSITIVE_INFINITY, out[5], "min of nothing");
    }

    // ------------------------------------------------------------------ argmax / argmin

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void argExtremeFindsTheFirstExtremeAndTheFirstNaN(boolean max) {
        SplittableRandom rng = KernelTestData.rng(max ? 1 : 2);
        for (int outer : new int[] {1, 3}) {
            for (int inner : new int[] {1, 2, 5, 17}) {
                for (int r : new int[] {1, 2, 3, 7, 16, 17, 33, 100}) {
                    float[] values = new float[outer * r * inner];
                    for (int i = 0; i < values.length; i++) {
                        // Few distinct values, so ties are common; now and then a NaN.
                        values[i] = rng.nextInt(40) == 0 ? Float.NaN : rng.nextInt(-2, 3);
                    }
                    int ao = rng.nextInt(3);
                    int oo = rng.nextInt(3);
                    float[] a = strided(values, ao, 1);
                    float[] out = sentinels(oo + outer * inner + 1);
                    ReductionKernels.argExtreme(a, ao, outer, r, inner, out, oo, max);
                    assertUntouchedOutside(out, oo, outer * inner, "argExtreme");
                    for (int o = 0; o < outer; o++) {
                        for (int j = 0; j < inner; j++) {
                            int expected = naiveArgExtreme(values, o, r, inner, j, max);
                            assertEquals(expected, out[oo + o * inner + j], 0f, (max ? "argmax" : "argmin")
                                    + " outer=" + o + " r=" + r + " inner=" + j);
                        }
                    }
                }
            }
        }
    }

    /** torch: the first NaN if any, else the first occurrence of the extreme. */
    private static int naiveArgExtreme(float[] v, int o, int r, int inner, int j, boolean max) {
        for (int k = 0; k < r; k++) {
            if (Float.isNaN(v[(o * r + k) * inner + j])) {
                return k;
            }
        }
        float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        for (int k = 0; k < r; k++) {
            float x = v[(o * r + k) * inner + j];
            best = max ? Math.max(best, x) : Math.min(best, x);
        }
        for (int k = 0; k < r; k++) {
            if (v[(o * r + k) * inner + j] == best) {
                return k;
            }
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void argExtremeOfAllEqualOrInfiniteValues() {
        float[] equal = {2f, 2f, 2f};
        float[] out = new float[1];
        ReductionKernels.argExtreme(equal, 0, 1, 3, 1, out, 0, true);
        assertEquals(0f, out[0]);
        float[] negInf = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f};
        ReductionKernels.argExtreme(negInf, 0, 1, 3, 1, out, 0, true);
        assertEquals(2f, out[0]);
        ReductionKernels.argExtreme(negInf, 0, 1, 3, 1, out, 0, false);
        assertEquals(0f, out[0]);
    }
}
