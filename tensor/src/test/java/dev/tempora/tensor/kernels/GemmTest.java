package dev.tempora.tensor.kernels;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every GEMM path against {@link Gemm#sgemmReference}: each transposition, alpha and beta, sizes
 * around the tile and vector widths, leading dimensions wider than the matrix, offsets, and blocks
 * of k and n beyond one cache block. Runs at the JVM's vector width; force one with
 * {@code -Dtempora.vector.bits=128|256|512|scalar}.
 *
 * <p>Padding around every operand holds NaN, so a kernel reading outside its matrix fails; C's
 * padding holds sentinels that must come back untouched.
 */
class GemmTest {

    /** One way of running GEMM, so every test can drive every path. */
    @FunctionalInterface
    interface Gemm3 {
        void run(boolean transA, boolean transB, int m, int n, int k, float alpha,
                 float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float beta, float[] c, int cOff, int ldc);
    }

    private static final Gemm3 PARALLEL = Gemm::sgemm;
    private static final Gemm3 SERIAL = Gemm::sgemmSerial;
    /** The scalar fallback, run directly whatever the vector width. */
    private static final Gemm3 SCALAR = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
        scaleForKernel(m, n, k, alpha, beta, c, co, ldc);
        if (m > 0 && n > 0 && k > 0 && alpha != 0f) {
            Gemm.sgemmScalar(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, c, co, ldc, beta != 0f);
        }
    };

    private static final int[] EDGE_SIZES = {0, 1, 2, 7, 15, 16, 17, 31, 33, 37};
    private static final int[] EDGE_STEPS = {1, 2, 17, 33};

    @BeforeAll
    static void describeWidth() {
        System.out.println("GemmTest: " + VectorSupport.describe());
    }

    @Test
    void everyTranspositionAndEdgeSizeMatchesTheReference() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : EDGE_SIZES) {
                    for (int n : EDGE_SIZES) {
                        for (int k : EDGE_STEPS) {
                            check(SERIAL, rnd, ta, tb, m, n, k, 1f, 0f, 0, 0, 0, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sizesAroundTheTileAndVectorWidths() {
        SplittableRandom rnd = new SplittableRandom(2);
        int lanes = VectorSupport.LANES;
        int[] around = {lanes - 1, lanes, lanes + 1, 2 * lanes - 1, 2 * lanes, 2 * lanes + 1,
                3 * lanes, 3 * lanes + 1, 4 * lanes + 3, 5, 6, 7, 8, 9, 12, 13, 48, 49, 65, 97};
        for (int m : around) {
            for (int n : around) {
                if (m > 0 && n > 0) {
                    int k = 1 + rnd.nextInt(40);
                    check(SERIAL, rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, 1f, 0f, 0, 0, 0, 0);
                }
            }
        }
    }

    @Test
    void alphaAndBetaFollowBlas() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] alphas = {1f, -0.5f, 2f, 0f};
        float[] betas = {0f, 1f, 0.25f, -1f};
        for (Gemm3 path : List.of(SERIAL, PARALLEL, SCALAR)) {
            for (float alpha : alphas) {
                for (float beta : betas) {
                    for (boolean ta : new boolean[] {false, true}) {
                        for (boolean tb : new boolean[] {false, true}) {
                            check(path, rnd, ta, tb, 19, 45, 23, alpha, beta, 0, 0, 0, 0);
                            check(path, rnd, ta, tb, 8, 32, 0, alpha, beta, 0, 0, 0, 0);
                        }
                    }
                }
            }
        }
    }

    @Test
    void betaZeroOverwritesNaNInC() {
        for (Gemm3 path : List.of(SERIAL, PARALLEL, SCALAR)) {
            for (int k : new int[] {0, 5}) {
                int m = 13;
                int n = 37;
                float[] a = filled(m * Math.max(k, 1), 1f);
                float[] b = filled(Math.max(k, 1) * n, 2f);
                float[] c = filled(m * n, Float.NaN);
                path.run(false, false, m, n, k, 1f, a, 0, Math.max(k, 1), b, 0, n, 0f, c, 0, n);
                for (float v : c) {
                    assertEquals(2f * k, v, "beta = 0 must overwrite C (k = " + k + ")");
                }
            }
        }
    }

    @Test
    void alphaZeroDoesNotReadAOrB() {
        for (Gemm3 path : List.of(SERIAL, PARALLEL, SCALAR)) {
            float[] a = filled(6 * 4, Float.NaN);
            float[] b = filled(4 * 9, Float.POSITIVE_INFINITY);
            float[] c = filled(6 * 9, 3f);
            path.run(false, true, 6, 9, 4, 0f, a, 0, 4, b, 0, 4, 0.5f, c, 0, 9);
            for (float v : c) {
                assertEquals(1.5f, v);
            }
        }
    }

    @Test
    void leadingDimensionsAndOffsetsSelectASubmatrix() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (Gemm3 path : List.of(SERIAL, PARALLEL, SCALAR)) {
            for (int trial = 0; trial < 60; trial++) {
                int m = 1 + rnd.nextInt(70);
                int n = 1 + rnd.nextInt(70);
                int k = 1 + rnd.nextInt(70);
                check(path, rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, 1f, rnd.nextBoolean() ? 0f : 1f,
                        rnd.nextInt(1, 20), rnd.nextInt(1, 20), rnd.nextInt(1, 20), rnd.nextInt(1, 50));
            }
        }
    }

    @Test
    void blocksOfKAndNBeyondOneCacheBlock() {
        SplittableRandom rnd = new SplittableRandom(5);
        // k = 600 runs three k-blocks of 200 (the first overwrites, the rest add); n = 1100 spans three
        // column blocks; m = 67 is prime, so the last row tile is partial (B is read in place).
        check(SERIAL, rnd, false, false, 67, 1100, 600, 1f, 0f, 0, 3, 5, 1);
        // More rows than GemmVector reads B in place for: B packed, with padding and offsets.
        check(SERIAL, rnd, false, false, 150, 1100, 600, 1f, 0f, 1, 3, 5, 2);
        check(SERIAL, rnd, true, false, 203, 77, 300, 1f, 1f, 4, 2, 0, 9);
        check(SERIAL, rnd, true, true, 67, 1100, 600, 1f, 1f, 2, 0, 0, 7);
        check(SERIAL, rnd, true, false, 41, 71, 2000, -1f, 0.5f, 0, 0, 0, 0);
        check(SERIAL, rnd, false, true, 41, 71, 2000, 1f, 0f, 0, 0, 0, 0);
    }

    @Test
    void parallelSplitsGiveTheSerialResultBitForBit() {
        SplittableRandom rnd = new SplittableRandom(6);
        // Tall (split by rows), wide (split by columns), square, the TFT's tall k = 20 product, and
        // one whose second task gets a single row (it must still run the tiled path, as serially).
        int[][] shapes = {{4001, 40, 50}, {40, 4001, 50}, {257, 263, 129}, {29568 / 4, 80, 20}, {9, 4, 300_000}};
        assertEquals(Gemm.Split.ROWS, Gemm.split(9, 4, 300_000, 2));
        assertEquals(Gemm.Split.ROWS, Gemm.split(4001, 40, 50, 2));
        assertEquals(Gemm.Split.COLUMNS, Gemm.split(40, 4001, 50, 2));
        assertEquals(Gemm.Split.COLUMNS, Gemm.split(257, 263, 129, 2));
        assertEquals(Gemm.Split.ROWS, Gemm.split(29568 / 4, 80, 20, 2));
        assertEquals(Gemm.Split.NONE, Gemm.split(128, 231, 20, 2));
        assertEquals(Gemm.Split.NONE, Gemm.split(4001, 40, 50, 1));
        for (int[] s : shapes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = s[0];
                    int n = s[1];
                    int k = s[2];
                    float[] a = random(rnd, m * k);
                    float[] b = random(rnd, k * n);
                    float[] c0 = random(rnd, m * n);
                    float[] serial = c0.clone();
                    float[] parallel = c0.clone();
                    int lda = ta ? m : k;
                    int ldb = tb ? k : n;
                    Gemm.sgemmSerial(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 1f, serial, 0, n);
                    Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 1f, parallel, 0, n);
                    assertArrayEquals(serial, parallel, "parallel and serial differ for " + describe(ta, tb, m, n, k));
                    check(PARALLEL, rnd, ta, tb, m, n, k, 1f, 0f, 0, 0, 0, 0);
                }
            }
        }
    }

    @Test
    void theSixRowTileForSixteenRegistersMatchesTheReference() {
        assumeTrue(VectorSupport.ENABLED, "no SIMD in this JVM: " + VectorSupport.describe());
        SplittableRandom rnd = new SplittableRandom(7);
        GemmVector sixRows = new GemmVector(6);
        Gemm3 path = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
            scaleForKernel(m, n, k, alpha, beta, c, co, ldc);
            if (m > 0 && n > 0 && k > 0 && alpha != 0f) {
                sixRows.multiply(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, c, co, ldc, beta != 0f);
            }
        };
        for (int trial = 0; trial < 80; trial++) {
            int m = 1 + rnd.nextInt(trial % 4 == 0 ? 200 : 40);
            int n = 1 + rnd.nextInt(80);
            int k = 1 + rnd.nextInt(300);
            float alpha = rnd.nextBoolean() ? 1f : 0.75f;
            float beta = rnd.nextBoolean() ? 0f : 1f;
            check(path, rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, alpha, beta,
                    rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
        }
        assertThrows(IllegalArgumentException.class, () -> new GemmVector(7));
    }

    @Test
    void alignedPanelsOfBStartOnACacheLineAndMatchTheReference() {
        assumeTrue(VectorSupport.ENABLED, "no SIMD in this JVM: " + VectorSupport.describe());
        GemmVector.Buffers buffers = new GemmVector.Buffers();
        for (int floats : new int[] {1, 7, 1000, GemmVector.KC * GemmVector.NC, GemmVector.KC * GemmVector.NC + 3}) {
            MemorySegment packed = buffers.alignedB(floats);
            assertEquals(0, packed.address() % 64, "packed B at " + packed.address() + " for " + floats + " floats");
            assertTrue(packed.byteSize() >= floats * (long) Float.BYTES, packed.byteSize() + " bytes for " + floats + " floats");
        }
        // Blocks of at least ALIGNED_MIN_KC steps with B packed (more rows than B_IN_PLACE_MAX_ROW_TILES tiles) run the
        // aligned tiles on their full panels, the array tiles on the rest; a partial last row tile goes through scratch.
        SplittableRandom rnd = new SplittableRandom(12);
        int k = 2 * GemmVector.ALIGNED_MIN_KC + 1;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(SERIAL, rnd, ta, tb, 203, 70, k, 1f, 0f, 0, 0, 0, 0);
                check(SERIAL, rnd, ta, tb, 150, 64, GemmVector.ALIGNED_MIN_KC, 0.5f, 1f, 1, 2, 3, 4);
            }
        }
    }

    @Test
    void aSingleRowOrColumnOfC() {
        SplittableRandom rnd = new SplittableRandom(10);
        int[] lengths = {1, 2, 3, 4, 5, 15, 16, 17, 63, 64, 65, 67, 300};
        for (Gemm3 path : List.of(SERIAL, PARALLEL)) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    for (int length : lengths) {
                        int k = lengths[rnd.nextInt(lengths.length)];
                        float beta = rnd.nextBoolean() ? 0f : 1f;
                        float alpha = rnd.nextBoolean() ? 1f : -1.5f;
                        check(path, rnd, ta, tb, length, 1, k, alpha, beta,
                                rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(5));
                        check(path, rnd, ta, tb, 1, length, k, alpha, beta,
                                rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(5));
                    }
                }
            }
        }
        // Long enough to be split among threads (by rows for n = 1, by columns for m = 1).
        check(PARALLEL, rnd, false, false, 300_000, 1, 40, 1f, 1f, 0, 2, 3, 0);
        check(PARALLEL, rnd, true, true, 1, 300_000, 40, 1f, 0f, 0, 0, 0, 0);
    }

    @Test
    void panelsCoverEveryColumnOnceWithTheNarrowestFit() {
        assumeTrue(VectorSupport.ENABLED, "no SIMD in this JVM: " + VectorSupport.describe());
        GemmVector gemm = GemmVector.PREFERRED;
        int lanes = VectorSupport.LANES;
        for (int n = 1; n <= 8 * lanes + 3; n++) {
            int covered = 0;
            while (covered < n) {
                int width = gemm.panelWidth(n - covered);
                int cols = Math.min(width, n - covered);
                int w = width;
                assertTrue(IntStream.of(GemmMicrokernels.widths()).anyMatch(x -> x == w),
                        "n = " + n + ": width " + width);
                assertTrue(width >= 4, "n = " + n + ": width " + width);
                covered += cols;
                // Only the last panel may be partial, and it wastes less than one vector.
                assertTrue(cols == width || (covered == n && width - cols < lanes),
                        "n = " + n + ": panel of width " + width + " holds " + cols + " columns");
            }
        }
        if (lanes == 16) {
            assertEquals(List.of(32, 24, 20, 16, 8, 4), IntStream.of(GemmMicrokernels.widths()).boxed().toList());
            assertEquals(List.of(20), panels(gemm, 20));
            assertEquals(List.of(24), panels(gemm, 21));
            assertEquals(List.of(32), panels(gemm, 25));
            assertEquals(List.of(32, 20), panels(gemm, 52));
            assertEquals(List.of(32, 32, 16), panels(gemm, 80));
            assertEquals(List.of(8), panels(gemm, 7));
            assertEquals(List.of(32, 4), panels(gemm, 35));
            assertEquals(List.of(32, 8), panels(gemm, 39));
            assertEquals(List.of(32, 32), panels(gemm, 63));
        } else if (lanes == 8) {
            assertEquals(List.of(16, 12, 8, 4), IntStream.of(GemmMicrokernels.widths()).boxed().toList());
            assertEquals(List.of(16, 4), panels(gemm, 20));
        } else if (lanes == 4) {
            assertEquals(List.of(8, 4), IntStream.of(GemmMicrokernels.widths()).boxed().toList());
        }
    }

    @Test
    void everyTileWidthAndHeightWithTheirEdges() {
        assumeTrue(VectorSupport.ENABLED, "no SIMD in this JVM: " + VectorSupport.describe());
        SplittableRandom rnd = new SplittableRandom(11);
        for (int mr : new int[] {8, 6}) {
            GemmVector gemm = new GemmVector(mr);
            Gemm3 path = (ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, beta, c, co, ldc) -> {
                scaleForKernel(m, n, k, alpha, beta, c, co, ldc);
                if (m > 0 && n > 0 && k > 0 && alpha != 0f) {
                    gemm.multiply(ta, tb, m, n, k, alpha, a, ao, lda, b, bo, ldb, c, co, ldc, beta != 0f);
                }
            };
            for (int width : GemmMicrokernels.widths()) {
                // The width itself (full tiles), one less (a partial panel) and, after a full panel,
                // the same again as a last panel.
                for (int n : new int[] {width, width - 1, gemm.nr + width, gemm.nr + width - 1}) {
                    if (n < 2) {
                        continue;
                    }
                    for (int m : new int[] {mr, 3 * mr + 5, 17 * mr}) { // 17 tiles: B packed
                        int k = new int[] {1, 7, 80, 300}[rnd.nextInt(4)];
                        float alpha = rnd.nextBoolean() ? 1f : 0.75f;
                        float beta = rnd.nextBoolean() ? 0f : 1f;
                        check(path, rnd, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, alpha, beta,
                                rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3));
                    }
                }
            }
        }
    }

    private static List<Integer> panels(GemmVector gemm, int n) {
        List<Integer> widths = new java.util.ArrayList<>();
        for (int covered = 0; covered < n; ) {
            int width = gemm.panelWidth(n - covered);
            widths.add(width);
            covered += Math.min(width, n - covered);
        }
        return widths;
    }

    @Test
    void theScalarFallbackMatchesTheReference() {
        SplittableRandom rnd = new SplittableRandom(8);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : new int[] {1, 7, 33}) {
                    for (int n : new int[] {1, 16, 31}) {
                        check(SCALAR, rnd, ta, tb, m, n, 29, 1.5f, 0.5f, 2, 1, 3, 4);
                    }
                }
            }
        }
    }

    @Test
    void primesAndTheTftShapes() {
        SplittableRandom rnd = new SplittableRandom(9);
        check(PARALLEL, rnd, false, false, 101, 103, 107, 1f, 0f, 0, 0, 0, 0);
        // TFT shapes, shortened in m: (rows × 20)·(20 × 80), its backward passes, and k = 2.
        check(PARALLEL, rnd, false, false, 1999, 80, 20, 1f, 0f, 0, 0, 0, 0);
        check(PARALLEL, rnd, false, true, 1999, 20, 80, 1f, 0f, 0, 0, 0, 0);
        check(PARALLEL, rnd, true, false, 20, 80, 1999, 1f, 1f, 0, 0, 0, 0);
        check(PARALLEL, rnd, false, false, 128, 20, 231, 1f, 0f, 0, 0, 0, 0);
        check(PARALLEL, rnd, false, false, 128, 231, 20, 1f, 0f, 0, 0, 0, 0);
        check(PARALLEL, rnd, false, false, 3001, 64, 2, 1f, 0f, 0, 0, 0, 0);
    }

    @Test
    void badArgumentsAreRejectedWithTheirNames() {
        float[] x = new float[12];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 3, 4, 5, 1f, x, 0, 4, x, 0, 4, 0f, x, 0, 4));
        assertTrue(e.getMessage().contains("lda = 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmSerial(false, true, 3, 4, 2, 1f, x, 0, 2, x, 0, 2, 0f, x, 1, 4));
        assertTrue(e.getMessage().contains("C") && e.getMessage().contains("offset 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(true, false, 2, 2, -1, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
        assertTrue(e.getMessage().contains("k=-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, x, 0, 2, new float[3], 0, 2, 0f, x, 0, 2));
        assertTrue(e.getMessage().contains("B") && e.getMessage().contains("ldb"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------- helpers

    /**
     * Runs {@code path} on random operands embedded in NaN padding ({@code padX} extra columns per
     * row, {@code offset} leading elements) and compares C with the reference: inside the matrix
     * within a rounding bound scaled by k and the magnitudes, outside it exactly unchanged.
     */
    private static void check(Gemm3 path, SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k,
                              float alpha, float beta, int padA, int padB, int padC, int offset) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = Math.max(1, aCols + padA);
        int ldb = Math.max(1, bCols + padB);
        int ldc = Math.max(1, n + padC);
        float[] a = embed(rnd, aRows, aCols, lda, offset, Float.NaN);
        float[] b = embed(rnd, bRows, bCols, ldb, offset, Float.NaN);
        float[] c = embed(rnd, m, n, ldc, offset, -777f);
        float[] expected = c.clone();
        Gemm.sgemmReference(ta, tb, m, n, k, alpha, a, offset, lda, b, offset, ldb, beta, expected, offset, ldc);
        float[] magnitude = absolute(c);
        Gemm.sgemmReference(ta, tb, m, n, k, Math.abs(alpha), absolute(a), offset, lda, absolute(b), offset, ldb,
                Math.abs(beta), magnitude, offset, ldc);
        path.run(ta, tb, m, n, k, alpha, a, offset, lda, b, offset, ldb, beta, c, offset, ldc);
        for (int idx = 0; idx < c.length; idx++) {
            int rel = idx - offset;
            boolean inside = rel >= 0 && rel / ldc < m && rel % ldc < n;
            if (!inside) {
                if (Float.floatToIntBits(c[idx]) != Float.floatToIntBits(expected[idx])) {
                    fail(describe(ta, tb, m, n, k) + ": element " + idx + " outside C was changed");
                }
                continue;
            }
            double tolerance = (k + 2) * 0x1p-23 * magnitude[idx] + Float.MIN_NORMAL;
            if (!(Math.abs(c[idx] - expected[idx]) <= tolerance)) {
                fail(describe(ta, tb, m, n, k) + " alpha=" + alpha + " beta=" + beta + " lda=" + lda + " ldb=" + ldb
                        + " ldc=" + ldc + " offset=" + offset + ": C[" + rel / ldc + "," + rel % ldc + "] = " + c[idx]
                        + ", reference " + expected[idx] + " (tolerance " + tolerance + ", "
                        + VectorSupport.describe() + ")");
            }
        }
    }

    /** C = beta·C where the kernel-level entry points expect it done (as Gemm does before them). */
    private static void scaleForKernel(int m, int n, int k, float alpha, float beta, float[] c, int co, int ldc) {
        boolean product = m > 0 && n > 0 && k > 0 && alpha != 0f;
        if (beta == 1f || (product && beta == 0f)) {
            return;
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[co + i * ldc + j] = beta == 0f ? 0f : beta * c[co + i * ldc + j];
            }
        }
    }

    /** A rows×cols matrix of values in [-1, 1) at offset with leading dimension ld; the rest is {@code pad}. */
    private static float[] embed(SplittableRandom rnd, int rows, int cols, int ld, int offset, float pad) {
        float[] x = filled(offset + rows * ld + 3, pad);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[offset + i * ld + j] = (float) (2 * rnd.nextDouble() - 1);
            }
        }
        return x;
    }

    /** The scalar fallback's dot-product form (B transposed) does what its row form does with B laid out plainly: same bits. */
    @Test
    void scalarTransposedBGivesTheBitsOfThePlainLayout() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                int m = 5;
                int n = 13;
                int k = 37;
                float[] a = random(rnd, m * k);
                float[] bTransposed = random(rnd, n * k); // (n, k)
                float[] bPlain = new float[k * n];
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        bPlain[p * n + j] = bTransposed[j * k + p];
                    }
                }
                float[] start = random(rnd, m * n);
                float[] dots = start.clone();
                float[] rows = start.clone();
                int lda = ta ? m : k;
                Gemm.sgemmScalar(ta, true, m, n, k, 0.7f, a, 0, lda, bTransposed, 0, k, dots, 0, n, accumulate);
                Gemm.sgemmScalar(ta, false, m, n, k, 0.7f, a, 0, lda, bPlain, 0, n, rows, 0, n, accumulate);
                assertArrayEquals(rows, dots, "transA=" + ta + " accumulate=" + accumulate);
            }
        }
    }

    private static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) (2 * rnd.nextDouble() - 1);
        }
        return x;
    }

    private static float[] filled(int size, float value) {
        float[] x = new float[size];
        java.util.Arrays.fill(x, value);
        return x;
    }

    private static float[] absolute(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Float.isNaN(x[i]) ? 0f : Math.abs(x[i]);
        }
        return y;
    }

    private static String describe(boolean ta, boolean tb, int m, int n, int k) {
        return (ta ? "Aᵀ" : "A") + "·" + (tb ? "Bᵀ" : "B") + " m=" + m + " n=" + n + " k=" + k;
    }
}
