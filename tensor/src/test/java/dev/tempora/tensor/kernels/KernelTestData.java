package dev.tempora.tensor.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Data and comparisons shared by the kernel tests: run lengths that straddle every vector width,
 * arrays guarded by sentinels (a kernel must write exactly its n outputs), and tolerances in units
 * of float rounding.
 */
final class KernelTestData {

    /** Unit roundoff of float: a correctly rounded operation is off by at most EPS relative. */
    static final double EPS = 0x1p-24;

    /**
     * Run lengths: 0 and 1; one below, at and above 4, 8, 16 lanes and at four vectors of 16
     * (the 4-accumulator reductions); primes; and around 1024 (sumOfSquares' block).
     */
    static final int[] SIZES = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 37, 63, 64, 65, 97,
        127, 128, 129, 257, 1021, 1023, 1024, 1025, 4099};

    /** Lengths for kernels that are quadratic in the test (finite differences) or run many cases. */
    static final int[] SMALL_SIZES = {1, 2, 3, 5, 7, 15, 16, 17, 31, 33, 37, 65};

    /** A NaN with a payload no arithmetic produces: a slot still holding it was never written. */
    static final float SENTINEL = Float.intBitsToFloat(0x7fa1dead);

    private KernelTestData() {}

    static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    static float uniform(SplittableRandom rng, float lo, float hi) {
        return (float) (lo + (hi - (double) lo) * rng.nextDouble());
    }

    static float[] uniform(SplittableRandom rng, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = uniform(rng, lo, hi);
        }
        return a;
    }

    static float gaussian(SplittableRandom rng, float mean, float std) {
        return (float) (mean + std * rng.nextGaussian());
    }

    static float[] gaussian(SplittableRandom rng, int n, float mean, float std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = gaussian(rng, mean, std);
        }
        return a;
    }

    /** An array of {@code length} sentinels, to receive a kernel's output. */
    static float[] sentinels(int length) {
        float[] a = new float[length];
        Arrays.fill(a, SENTINEL);
        return a;
    }

    /** Places {@code values} at {@code offset + i*stride} in an array of sentinels with a little slack after. */
    static float[] strided(float[] values, int offset, int stride) {
        float[] a = sentinels(offset + Math.max(0, values.length - 1) * Math.max(stride, 0) + 1 + 3);
        for (int i = 0; i < values.length; i++) {
            a[offset + i * stride] = values[i];
        }
        return a;
    }

    /** Fails unless every slot outside [from, from+n) still holds the sentinel. */
    static void assertUntouchedOutside(float[] out, int from, int n, String what) {
        for (int i = 0; i < out.length; i++) {
            if ((i < from || i >= from + n) && Float.floatToRawIntBits(out[i]) != Float.floatToRawIntBits(SENTINEL)) {
                fail(what + ": wrote slot " + i + " outside its run [" + from + ", " + (from + n) + ")");
            }
        }
    }

    /** Same value: bit-identical, except that any NaN matches any NaN. */
    static boolean same(float expected, float actual) {
        return Float.floatToIntBits(expected) == Float.floatToIntBits(actual);
    }

    static void assertSame(float expected, float actual, String what) {
        if (!same(expected, actual)) {
            fail(what + ": expected " + expected + " but got " + actual);
        }
    }

    /**
     * |actual − expected| ≤ ulps·ulp(expected) + absFloor; infinities and NaNs must match exactly.
     * absFloor covers results in the subnormal range, where float code may underflow earlier than
     * double code and relative error means nothing.
     */
    static boolean withinUlps(float expected, double actual, double ulps, double absFloor) {
        if (Float.isNaN(expected) || Double.isNaN(actual) || Float.isInfinite(expected) || Double.isInfinite(actual)) {
            return Float.isNaN(expected) ? Double.isNaN(actual) : expected == actual;
        }
        return Math.abs(actual - expected) <= ulps * Math.ulp(expected) + absFloor;
    }

    static void assertWithinUlps(float expected, double actual, double ulps, double absFloor, String what) {
        if (!withinUlps(expected, actual, ulps, absFloor)) {
            fail(what + ": expected " + expected + " but got " + actual + " (" + ulpsApart(expected, actual)
                    + " ulps apart, allowed " + ulps + ")");
        }
    }

    /** |actual − expected| ≤ tolerance, NaNs matching NaNs and infinities matching exactly. */
    static void assertClose(double expected, double actual, double tolerance, String what) {
        boolean ok = Double.isNaN(expected) ? Double.isNaN(actual)
                : Double.isInfinite(expected) ? expected == actual
                : Math.abs(actual - expected) <= tolerance;
        if (!ok) {
            fail(what + ": expected " + expected + " but got " + actual + " (off by " + Math.abs(actual - expected)
                    + ", allowed " + tolerance + ")");
        }
    }

    static double ulpsApart(float expected, double actual) {
        return Math.abs(actual - expected) / Math.ulp(expected);
    }

    /** γ(n) = n·EPS/(1 − n·EPS): the relative error bound of any n-term float summation (Higham, ch. 4). */
    static double gamma(long n) {
        return n * EPS / (1 - n * EPS);
    }

    /** Length of the float accumulation chains of a lane-parallel reduction of n terms, plus the lane merge. */
    static int chain(int n) {
        int lanes = VectorSupport.LANES;
        return (n + lanes - 1) / lanes + lanes + 1;
    }

    static String where(String kernel, int n, int index) {
        return kernel + " n=" + n + " [" + index + "] at " + VectorSupport.BITS + " bits";
    }
}
