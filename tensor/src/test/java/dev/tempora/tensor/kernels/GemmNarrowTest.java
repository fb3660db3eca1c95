package dev.tempora.tensor.kernels;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The narrow GEMM kernels against their scalar chains (bit for bit) and the double-precision
 * product (within rounding), through {@link Gemm}'s entry points, at the JVM's vector width (the
 * build runs the kernel tests at 128, 256 and 512 bits and scalar). Sizes leave tails: rows that do
 * not fill a vector group, and rows or steps whose full-vector loads would pass the array's end.
 */
class GemmNarrowTest {

    private static final GemmNarrow.Shape TALL = GemmNarrow.Shape.TALL;
    private static final GemmNarrow.Shape DEEP = GemmNarrow.Shape.TALL_DEEP;
    private static final int[] TALL_ROWS = {32, 33, 37, 63, 100, 257};
    /** Steps of deep tall products: past one and two 8-step loads, ragged, and the longest. */
    /** Rows of deep tall products: below and above {@link GemmNarrow#DEEP_MIN_ROWS}, with ragged blocks of 8. */
    private static final int[] DEEP_ROWS = {33, 100, GemmNarrow.DEEP_MIN_ROWS, 600, 1011};
    private static final int[] DEEP_STEPS = {9, 12, 16, 17, 20, 31, 40, GemmNarrow.MAX_DEEP};
    private static final int[] SUM_STEPS = {32, 33, 47, 100, 2688 + 5};

    @Test
    void tallProductsEqualTheirScalarChainAndTheDoubleProduct() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(11);
        for (boolean transB : new boolean[] {false, true}) {
            for (int n = 1; n <= GemmNarrow.MAX_NARROW; n++) {
                for (int k = 1; k <= GemmNarrow.MAX_NARROW; k++) {
                    if (GemmNarrow.groupWidth(n, k) > VectorSupport.LANES) {
                        continue;
                    }
                    int m = TALL_ROWS[rnd.nextInt(TALL_ROWS.length)];
                    boolean accumulate = rnd.nextBoolean();
                    float alpha = rnd.nextBoolean() ? 1f : -0.75f;
                    checkTall(rnd, TALL, transB, m, n, k, alpha, accumulate, rnd.nextInt(3), rnd.nextInt(3));
                }
            }
        }
    }

    @Test
    void tallProductsAtTheEndsOfTheirArrays() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(12);
        for (int m : TALL_ROWS) {
            // No padding after A or C: the last groups must take the scalar chain.
            checkTall(rnd, TALL, true, m, 4, 4, 1f, false, 0, 0);
            checkTall(rnd, TALL, false, m, 1, 4, 1f, true, 0, 0);
            checkTall(rnd, TALL, true, m, 4, 1, 1f, false, 0, 0);
        }
    }

    @Test
    void deepTallProductsEqualTheirScalarChainAndTheDoubleProduct() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(15);
        for (boolean transB : new boolean[] {false, true}) {
            for (int n = 1; n <= GemmNarrow.MAX_NARROW; n++) {
                if (!GemmNarrowDeepVector.covers(n)) {
                    continue; // rows wider than a 128-bit vector
                }
                for (int k : DEEP_STEPS) {
                    int m = DEEP_ROWS[rnd.nextInt(DEEP_ROWS.length)];
                    boolean accumulate = rnd.nextBoolean();
                    float alpha = rnd.nextBoolean() ? 1f : -0.75f;
                    checkTall(rnd, DEEP, transB, m, n, k, alpha, accumulate, rnd.nextInt(3), rnd.nextInt(3));
                }
            }
        }
    }

    @Test
    void deepTallProductsAtTheEndsOfTheirArrays() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(16);
        for (int m : DEEP_ROWS) {
            // No padding after A or C: the last rows' full-vector loads and stores must not pass the end.
            for (int n : new int[] {1, 2, 4, 7, 8}) {
                if (!GemmNarrowDeepVector.covers(n)) {
                    continue;
                }
                checkTall(rnd, DEEP, true, m, n, 20, 1f, false, 0, 0);
                checkTall(rnd, DEEP, false, m, n, 13, 1f, true, 0, 0);
                checkTall(rnd, DEEP, true, m, n, GemmNarrow.MAX_DEEP, 1f, true, 0, 0);
            }
        }
    }

    @Test
    void outerSumsEqualTheirScalarChainAndTheDoubleProduct() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(13);
        for (int m = 1; m <= GemmNarrow.MAX_NARROW; m++) {
            for (int n = 1; n <= Math.min(GemmNarrow.MAX_NARROW, VectorSupport.LANES); n++) {
                int k = SUM_STEPS[rnd.nextInt(SUM_STEPS.length)];
                boolean accumulate = rnd.nextBoolean();
                float alpha = rnd.nextBoolean() ? 1f : 1.5f;
                checkOuterSum(rnd, m, n, k, alpha, accumulate, rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
                checkOuterSum(rnd, m, n, k, alpha, accumulate, 0, 0, 0);
            }
        }
    }

    @Test
    void tallerOuterSumsEqualTheirScalarChainAndTheDoubleProduct() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(17);
        int[] steps = {GemmNarrow.TALL_SUM_MIN_STEPS, 301, 1008 + 3};
        for (int m : new int[] {9, 12, 16, 20, 28, 36, GemmNarrow.MAX_SUM_ROWS}) {
            for (int n = 1; n <= Math.min(GemmNarrow.MAX_NARROW, VectorSupport.LANES); n++) {
                int k = steps[rnd.nextInt(steps.length)];
                boolean accumulate = rnd.nextBoolean();
                float alpha = rnd.nextBoolean() ? 1f : 1.5f;
                checkOuterSum(rnd, m, n, k, alpha, accumulate, rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
                checkOuterSum(rnd, m, n, k, alpha, accumulate, 0, 0, 0);
            }
        }
    }

    @Test
    void shapesThatAreNotNarrowKeepTheGeneralKernels() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        assertEquals(GemmNarrow.Shape.TALL, GemmNarrow.shape(false, true, 2688, 4, 4, 4, 4));
        assertEquals(GemmNarrow.Shape.OUTER_SUM, GemmNarrow.shape(true, false, 4, 4, 2688, 4, 4));
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 20, 4, 4, 20), "n = 20");
        assertEquals(GemmNarrow.Shape.TALL_DEEP, GemmNarrow.shape(false, false, 1008, 4, 40, 40, 4));
        assertEquals(GemmNarrow.Shape.TALL_DEEP, GemmNarrow.shape(false, true, 3696, 2, 20, 20, 2));
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 8, 20, 20, 8), "n = 8: full tiles");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 4, 65, 65, 4), "k = 65");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 500, 4, 20, 20, 4), "few rows for k = 20");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 2688, 4, 20, 2688, 4), "A transposed");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 4, 4, 6, 4), "A not dense");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 4, 4, 4, 5), "C not dense");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 16, 4, 4, 4, 4), "few rows");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, true, 4, 4, 2688, 4, 4), "B transposed");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 41, 4, 2688, 41, 4), "41 rows");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 20, 9, 2688, 20, 9), "9 columns");
        int fullTileRows = 5 * GemmVector.PREFERRED.mr;
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, fullTileRows, 4, 2688, fullTileRows, 4),
                "full tiles");
        if (VectorSupport.LANES >= 16) {
            assertEquals(GemmNarrow.Shape.OUTER_SUM, GemmNarrow.shape(true, false, 20, 4, 1008, 20, 4));
            assertEquals(GemmNarrow.Shape.OUTER_SUM, GemmNarrow.shape(true, false, 20, 7, 2688, 20, 7));
            assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 20, 8, 2688, 20, 8), "eight columns");
            assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 20, 4, 100, 20, 4), "100 steps");
            assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, 40, 7, 2688, 40, 7), "18 passes");
        }
        int tileRows = GemmVector.PREFERRED.mr;
        int columns = VectorSupport.LANES / 2;
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(true, false, tileRows, columns, 2688, tileRows, columns),
                "two vectors of C and a full tile of rows");
    }

    @Test
    void scalarBuildsHaveNoNarrowKernel() {
        assumeTrue(!VectorSupport.ENABLED, "only without the Vector API");
        assertEquals(GemmNarrow.Shape.NONE, GemmNarrow.shape(false, true, 2688, 4, 4, 4, 4));
    }

    @Test
    void aTallProductSharedAmongThreadsEqualsOneThreadBitForBit() {
        assumeTrue(VectorSupport.ENABLED, "narrow kernels run only with the Vector API");
        SplittableRandom rnd = new SplittableRandom(14);
        int m = (int) (Gemm.PARALLEL_MIN_WORK / (4 * (4 + 8))) + 4099; // above the parallel threshold, ragged
        float[] a = random(rnd, m * 4);
        float[] w = random(rnd, 16);
        float[] one = new float[m * 4];
        float[] many = new float[m * 4];
        Gemm.sgemm(1, false, true, m, 4, 4, 1f, a, 0, 4, w, 0, 4, 0f, one, 0, 4);
        Gemm.sgemm(8, false, true, m, 4, 4, 1f, a, 0, 4, w, 0, 4, 0f, many, 0, 4);
        float[] chain = new float[m * 4];
        GemmNarrow.tallReference(true, 0, m, 4, 4, 1f, a, 0, w, 0, 4, chain, 0, false);
        assertBitwise(chain, one, "one thread");
        assertBitwise(chain, many, "eight threads");
    }

    /**
     * A tall m×k times op(B) into dense C through {@code kernel} and through {@link Gemm}, with
     * {@code padB} extra floats per stored row of B and {@code trailing} sentinels around each array.
     */
    private static void checkTall(SplittableRandom rnd, GemmNarrow.Shape kernel, boolean transB, int m, int n, int k,
                                  float alpha, boolean accumulate, int padB, int trailing) {
        int ldb = (transB ? k : n) + padB;
        int offset = trailing;
        float[] a = withPadding(random(rnd, m * k), offset, trailing);
        float[] b = withPadding(random(rnd, (transB ? n : k) * ldb), offset, trailing);
        float[] c = withPadding(random(rnd, m * n), offset, trailing);
        float[] chain = c.clone();
        GemmNarrow.tallReference(transB, 0, m, n, k, alpha, a, offset, b, offset, ldb, chain, offset, accumulate);
        float[] exact = c.clone();
        Gemm.sgemmReference(false, transB, m, n, k, alpha, a, offset, k, b, offset, ldb, accumulate ? 1f : 0f,
                exact, offset, n);
        String what = "tall m=" + m + " n=" + n + " k=" + k + " transB=" + transB + " alpha=" + alpha
                + " accumulate=" + accumulate + " padding=" + trailing;
        float[] serial = c.clone();
        Gemm.sgemmSerial(false, transB, m, n, k, alpha, a, offset, k, b, offset, ldb, accumulate ? 1f : 0f,
                serial, offset, n);
        float[] pooled = c.clone();
        Gemm.sgemm(false, transB, m, n, k, alpha, a, offset, k, b, offset, ldb, accumulate ? 1f : 0f,
                pooled, offset, n);
        float[] direct = c.clone();
        GemmNarrow.multiply(kernel, transB, m, n, k, alpha, a, offset, k, b, offset, ldb, direct, offset, n,
                accumulate);
        assertBitwise(chain, direct, what + " (" + kernel + " kernel)");
        // Through Gemm, which takes a narrow kernel only where it is the faster one.
        if (GemmNarrow.shape(false, transB, m, n, k, k, n) == kernel) {
            assertBitwise(chain, serial, what + " (serial)");
            assertBitwise(chain, pooled, what + " (pool)");
        }
        assertClose(exact, direct, k, what + " (kernel)");
        assertClose(exact, pooled, k, what + " (pool)");
        assertClose(exact, serial, k, what);
    }

    /** An outer sum: C (m×n, ldc = n + padC) = alpha · Aᵀ·B with A k×m and B k×n stored with padding. */
    private static void checkOuterSum(SplittableRandom rnd, int m, int n, int k, float alpha, boolean accumulate,
                                      int padA, int padB, int padC) {
        int lda = m + padA;
        int ldb = n + padB;
        int ldc = n + padC;
        int offset = padC;
        float[] a = withPadding(random(rnd, k * lda), offset, padA);
        float[] b = withPadding(random(rnd, k * ldb), offset, padB);
        float[] c = withPadding(random(rnd, m * ldc), offset, padC);
        float[] chain = c.clone();
        GemmNarrow.outerSumReference(m, n, k, alpha, a, offset, lda, b, offset, ldb, chain, offset, ldc, accumulate);
        float[] exact = c.clone();
        Gemm.sgemmReference(true, false, m, n, k, alpha, a, offset, lda, b, offset, ldb, accumulate ? 1f : 0f,
                exact, offset, ldc);
        String what = "outer sum m=" + m + " n=" + n + " k=" + k + " lda=" + lda + " ldb=" + ldb + " ldc=" + ldc
                + " alpha=" + alpha + " accumulate=" + accumulate;
        float[] kernel = c.clone();
        GemmNarrow.multiply(GemmNarrow.Shape.OUTER_SUM, false, m, n, k, alpha, a, offset, lda, b, offset, ldb,
                kernel, offset, ldc, accumulate);
        assertBitwise(chain, kernel, what + " (kernel)");
        assertClose(exact, kernel, k, what + " (kernel)");
        // Through Gemm, which takes the narrow kernel only where it is the faster one.
        float[] dispatched = c.clone();
        Gemm.sgemm(true, false, m, n, k, alpha, a, offset, lda, b, offset, ldb, accumulate ? 1f : 0f,
                dispatched, offset, ldc);
        if (GemmNarrow.shape(true, false, m, n, k, lda, ldc) == GemmNarrow.Shape.OUTER_SUM) {
            assertBitwise(chain, dispatched, what + " (Gemm)");
        }
        assertClose(exact, dispatched, k, what + " (Gemm)");
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** The values with {@code before} sentinels ahead and {@code after} behind, which must survive. */
    private static float[] withPadding(float[] values, int before, int after) {
        float[] padded = new float[before + values.length + after];
        Arrays.fill(padded, -777f);
        System.arraycopy(values, 0, padded, before, values.length);
        return padded;
    }

    private static void assertBitwise(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", the scalar chain gives " + expected[i]
                        + " (" + VectorSupport.describe() + ")");
            }
        }
    }

    /** Within k + 2 roundings of the operands' magnitude (values here are at most 1 in size). */
    private static void assertClose(float[] exact, float[] actual, int k, String what) {
        double tolerance = (k + 2) * 0x1p-23 * (k + 1);
        for (int i = 0; i < exact.length; i++) {
            if (!(Math.abs(exact[i] - actual[i]) <= tolerance)) {
                fail(what + ": element " + i + " is " + actual[i] + ", the double product gives " + exact[i]);
            }
        }
    }
}
