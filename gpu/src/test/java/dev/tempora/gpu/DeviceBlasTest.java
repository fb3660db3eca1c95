package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tempora.gpu.DeviceBlas.Plan;
import dev.tempora.gpu.DeviceBlas.Tile;
import dev.tempora.tensor.Tensor;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DeviceBlasTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** (m, n, k): tails in every dimension against both tiles, k not a multiple of 4 or of the K step. */
    private static final int[][] SHAPES = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {130, 20, 80}, {64, 128, 16},
            {129, 131, 37}, {20, 20, 128}, {5, 6, 0}};

    /** The public entry point, planning by shape; the last shapes split K (checked, so the test stays honest). */
    @ParameterizedTest
    @MethodSource("devices")
    void matmulMatchesTheCpuProductForEveryTranspose(GpuDevice device) {
        int[][] shapes = {{1, 1, 1}, {7, 5, 3}, {33, 17, 65}, {130, 20, 80}, {128, 80, 20}, {20, 20, 1000}, {80, 36, 777}};
        assertTrue(DeviceBlas.plan(20, 20, 1000).splits() > 1 && DeviceBlas.plan(80, 36, 777).splits() > 1);
        long seed = 1;
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Tensor a = Tensor.randn(seed++, ta ? k : m, ta ? m : k);
                Tensor b = Tensor.randn(seed++, tb ? n : k, tb ? k : n);
                Tensor expected = (ta ? a.transpose(0, 1) : a).matmul(tb ? b.transpose(0, 1) : b);
                try (DeviceTensor da = device.upload(a); DeviceTensor db = device.upload(b);
                     DeviceTensor dc = device.upload(Tensor.full(Float.NaN, m, n))) {
                    DeviceBlas.matmul(da, ta, db, tb, dc);
                    assertClose(expected.toFloatArray(), dc.toFloatArray(), k,
                            "m " + m + " n " + n + " k " + k + " transA " + ta + " transB " + tb);
                }
            }
        }
    }

    /**
     * Every kernel (both tiles, every transpose, with and without split K) on operands with padded rows:
     * strides that are multiples of 4 with aligned starts (vector loads along padded rows) and odd strides
     * with unaligned starts (the scalar fallback), alpha != 1 and beta != 0 as well as beta == 0 over a C
     * full of NaN. All padding is NaN, so a read past an operand's edge shows in the result (even where the
     * value would be multiplied by zero), and the padding around C must stay untouched.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void everyKernelHandlesStridesOffsetsAlphaAndBeta(GpuDevice device) {
        long seed = 100;
        for (Tile tile : Tile.values()) {
            for (int splits : new int[] {1, 3}) {
                for (int[] s : SHAPES) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0;
                        boolean tb = (t & 2) != 0;
                        boolean aligned = (t + s[2]) % 2 == 0; // alternate the layouts over the shapes
                        float beta = t == 1 ? 0f : 0.75f;
                        checkStrided(device, Plan.of(tile, s[2], splits), s[0], s[1], s[2], ta, tb, -1.5f, beta,
                                aligned, seed);
                        seed += 3;
                    }
                }
            }
        }
    }

    /**
     * The fusions on every small-tile kernel (and the bias on the large one), with and without split K, on the
     * layouts above: the bias added to each row of C (its start unaligned with the unaligned layouts), and
     * op(A)'s row sums written to or added into a buffer surrounded by NaN.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void biasEpilogueAndRowSumsMatchTheCpu(GpuDevice device) {
        long seed = 5000;
        for (Tile tile : Tile.values()) {
            for (int splits : new int[] {1, 3, 40}) {
                for (int[] s : SHAPES) {
                    for (int t = 0; t < 4; t++) {
                        boolean ta = (t & 1) != 0;
                        boolean tb = (t & 2) != 0;
                        boolean aligned = (t + s[2]) % 2 == 1;
                        float beta = t == 2 ? 0f : 0.75f;
                        boolean rowSums = tile == Tile.SMALL && (t + splits) % 4 != 3;
                        checkStrided(device, Plan.of(tile, s[2], splits), s[0], s[1], s[2], ta, tb, 1.25f, beta, aligned,
                                seed, true, rowSums, t % 2 == 0);
                        checkStrided(device, Plan.of(tile, s[2], splits), s[0], s[1], s[2], ta, tb, 1f, 0f, aligned,
                                seed + 7, false, tile == Tile.SMALL, false);
                        seed += 11;
                    }
                }
            }
        }
    }

    /** The public entry point with both fusions, on the shapes of the TFT's linear layers (planned as they are). */
    @ParameterizedTest
    @MethodSource("devices")
    void fusedLinearProductsMatchTheCpu(GpuDevice device) {
        // forward x·Wᵀ + b, and dW = dYᵀ·X with db: (out, in, rows), short and long (split) K.
        int[][] shapes = {{20, 80, 128}, {80, 20, 777}, {20, 20, 3000}, {4, 20, 64}, {80, 7, 300}};
        long seed = 9000;
        for (int[] s : shapes) {
            int out = s[0];
            int in = s[1];
            int rows = s[2];
            Tensor x = Tensor.randn(seed++, rows, in);
            Tensor w = Tensor.randn(seed++, out, in);
            Tensor dy = Tensor.randn(seed++, rows, out);
            Tensor bias = Tensor.randn(seed++, out);
            Tensor oldDb = Tensor.randn(seed++, out);
            float[] y = x.matmul(w.transpose(0, 1)).toFloatArray();
            float[] b = bias.toFloatArray();
            for (int i = 0; i < y.length; i++) {
                y[i] += b[i % out];
            }
            float[] dw = dy.transpose(0, 1).matmul(x).toFloatArray();
            float[] db = oldDb.toFloatArray();
            float[] dyValues = dy.toFloatArray();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < out; j++) {
                    db[j] += dyValues[r * out + j];
                }
            }
            try (DeviceTensor dx = device.upload(x); DeviceTensor dw0 = device.upload(w); DeviceTensor ddy = device.upload(dy);
                 DeviceTensor dbias = device.upload(bias); DeviceTensor ddb = device.upload(oldDb);
                 DeviceTensor dyOut = device.upload(Tensor.full(Float.NaN, rows, out));
                 DeviceTensor dwOut = device.upload(Tensor.full(Float.NaN, out, in))) {
                DeviceBlas.gemm(device, false, true, rows, out, in, 1f, dx.address(), in, dw0.address(), in, 0f,
                        dyOut.address(), out, dbias.address(), 0L, false);
                DeviceBlas.gemm(device, true, false, out, in, rows, 1f, ddy.address(), out, dx.address(), in, 0f,
                        dwOut.address(), in, 0L, ddb.address(), true);
                String what = "out " + out + " in " + in + " rows " + rows + ", " + DeviceBlas.plan(out, in, rows);
                assertClose(y, dyOut.toFloatArray(), in, "forward " + what);
                assertClose(dw, dwOut.toFloatArray(), rows, "weight gradient " + what);
                assertClose(db, ddb.toFloatArray(), rows, "bias gradient " + what);
            }
        }
    }

    private static void checkStrided(GpuDevice device, Plan plan, int m, int n, int k, boolean ta, boolean tb,
                                     float alpha, float beta, boolean aligned, long seed) {
        checkStrided(device, plan, m, n, k, ta, tb, alpha, beta, aligned, seed, false, false, false);
    }

    private static void checkStrided(GpuDevice device, Plan plan, int m, int n, int k, boolean ta, boolean tb,
                                     float alpha, float beta, boolean aligned, long seed, boolean withBias,
                                     boolean withRowSums, boolean accumulateRowSums) {
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        Tensor a = Tensor.randn(seed, aRows, aCols);
        Tensor b = Tensor.randn(seed + 1, bRows, bCols);
        Tensor c0 = Tensor.randn(seed + 2, m, n);
        // Aligned: strides rounded up to a multiple of 4 plus 4, start at 0. Unaligned: odd extra stride, start at 1..3.
        int lda = aligned ? (aCols + 3) / 4 * 4 + 4 : aCols + 3;
        int ldb = aligned ? (bCols + 3) / 4 * 4 + 4 : bCols + 1;
        int ldc = aligned ? (n + 3) / 4 * 4 + 4 : n + 5;
        int offA = aligned ? 0 : 1;
        int offB = aligned ? 0 : 3;
        int offC = aligned ? 0 : 2;
        float[] cInit = beta == 0f ? fill(m, n, Float.NaN) : c0.toFloatArray();
        float[] aBuf = embed(a.toFloatArray(), aRows, aCols, lda, offA);
        float[] bBuf = embed(b.toFloatArray(), bRows, bCols, ldb, offB);
        float[] cBuf = embed(cInit, m, n, ldc, offC);
        String what = plan + " m " + m + " n " + n + " k " + k + " transA " + ta + " transB " + tb + " lda " + lda
                + " ldb " + ldb + " ldc " + ldc + " beta " + beta + (withBias ? " bias" : "")
                + (withRowSums ? " row sums" + (accumulateRowSums ? " accumulated" : "") : "");
        // The bias and the row sums start at offset 1 (unaligned) or 0, with NaN around them.
        int offBias = aligned ? 0 : 1;
        float[] bias = Tensor.randn(seed + 3, Math.max(n, 1)).toFloatArray();
        float[] biasBuf = embed(bias, 1, n, n, offBias);
        float[] oldSums = Tensor.randn(seed + 4, Math.max(m, 1)).toFloatArray();
        float[] sumsBuf = embed(accumulateRowSums ? oldSums : fill(1, m, Float.NaN), 1, m, m, offBias);
        try (DeviceTensor da = device.upload(aBuf, aBuf.length); DeviceTensor db = device.upload(bBuf, bBuf.length);
             DeviceTensor dc = device.upload(cBuf, cBuf.length);
             DeviceTensor dbias = device.upload(biasBuf, biasBuf.length);
             DeviceTensor dsums = device.upload(sumsBuf, sumsBuf.length)) {
            DeviceBlas.gemm(device, plan, ta, tb, m, n, k, alpha, da.address(offA), lda, db.address(offB), ldb, beta,
                    dc.address(offC), ldc, withBias ? dbias.address(offBias) : 0L,
                    withRowSums ? dsums.address(offBias) : 0L, accumulateRowSums);
            if (withRowSums) {
                float[] aValues = a.toFloatArray();
                float[] wantSums = new float[m];
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int kk = 0; kk < k; kk++) {
                        sum += aValues[ta ? kk * m + i : i * k + kk];
                    }
                    wantSums[i] = (float) (alpha * sum) + (accumulateRowSums ? oldSums[i] : 0f);
                }
                float[] gotSums = dsums.toFloatArray();
                for (int p = 0; p < gotSums.length; p++) {
                    if ((p < offBias || p >= offBias + m) && !Float.isNaN(gotSums[p])) {
                        fail(what + ": wrote outside the row sums at buffer index " + p);
                    }
                }
                assertClose(wantSums, java.util.Arrays.copyOfRange(gotSums, offBias, offBias + m), k, what + " row sums");
            }
            float[] got = dc.toFloatArray();
            float[] product = k == 0 ? new float[m * n]
                    : (ta ? a.transpose(0, 1) : a).matmul(tb ? b.transpose(0, 1) : b).toFloatArray();
            float[] want = new float[m * n];
            float[] old = c0.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                want[i] = alpha * product[i] + (beta == 0f ? 0f : beta * old[i]) + (withBias ? bias[i % n] : 0f);
            }
            float[] inside = new float[m * n];
            for (int p = 0; p < got.length; p++) {
                int r = (p - offC) / ldc;
                int col = (p - offC) % ldc;
                if (p >= offC && r < m && col < n) {
                    inside[r * n + col] = got[p];
                } else if (!Float.isNaN(got[p])) {
                    fail(what + ": wrote outside C at buffer index " + p);
                }
            }
            assertClose(want, inside, k, what);
        }
    }

    /** The split-K reduction runs in a fixed order: the same inputs give the same bits every time. */
    @ParameterizedTest
    @MethodSource("devices")
    void splitKIsDeterministic(GpuDevice device) {
        int m = 70;
        int n = 40;
        int k = 3000;
        Plan plan = DeviceBlas.plan(m, n, k);
        assertTrue(plan.splits() > 1, plan.toString());
        try (DeviceTensor a = device.upload(Tensor.randn(7, k, m)); DeviceTensor b = device.upload(Tensor.randn(8, k, n));
             DeviceTensor c1 = device.empty(m, n); DeviceTensor c2 = device.empty(m, n);
             DeviceTensor s1 = device.empty(m); DeviceTensor s2 = device.empty(m)) {
            DeviceBlas.matmul(a, true, b, false, c1);
            DeviceBlas.matmul(a, true, b, false, c2);
            assertArrayEquals(c1.toFloatArray(), c2.toFloatArray());
            DeviceBlas.gemm(device, true, false, m, n, k, 1f, a.address(), m, b.address(), n, 0f, c1.address(), n, 0L,
                    s1.address(), false);
            DeviceBlas.gemm(device, true, false, m, n, k, 1f, a.address(), m, b.address(), n, 0f, c2.address(), n, 0L,
                    s2.address(), false);
            assertArrayEquals(c1.toFloatArray(), c2.toFloatArray());
            assertArrayEquals(s1.toFloatArray(), s2.toFloatArray());
        }
    }

    /** The model's shapes get the kernels meant for them (the GPU's performance rests on these choices). */
    @Test
    void planFollowsTheShape() {
        Plan square = DeviceBlas.plan(4096, 4096, 4096);
        assertEquals(new Plan(Tile.LARGE, 1, 4096), square);
        Plan medium = DeviceBlas.plan(1024, 1024, 1024); // 64 large tiles: split K to fill the SMs
        assertEquals(Tile.LARGE, medium.tile());
        assertTrue(medium.splits() > 1 && medium.blocks(1024, 1024) >= DeviceBlas.MULTIPROCESSORS, medium.toString());
        assertEquals(new Plan(Tile.SMALL, 1, 80), DeviceBlas.plan(29568, 80, 80)); // linear forward / dX
        assertEquals(new Plan(Tile.SMALL, 1, 20), DeviceBlas.plan(128, 80, 20));
        // The TFT's forward and dX products (rows = 128 x 231, 128 x 168, 128 x 63; n, k up to 80) never split.
        for (int rows : new int[] {29568, 21504, 8064}) {
            for (int n : new int[] {4, 20, 80}) {
                for (int k : new int[] {4, 20, 80}) {
                    assertEquals(new Plan(Tile.SMALL, 1, k), DeviceBlas.plan(rows, n, k), rows + " x " + n + " x " + k);
                }
            }
        }
        // Weight gradients dW = dYᵀ·X (out x in x rows): each block walks at most 128 of K (64 when that
        // still fills a wave), short K too (the static layers' K = batch = 128).
        assertEquals(new Plan(Tile.SMALL, 231, 128), DeviceBlas.plan(80, 80, 29568));
        assertEquals(new Plan(Tile.SMALL, 336, 64), DeviceBlas.plan(80, 20, 21504));
        assertEquals(new Plan(Tile.SMALL, 126, 64), DeviceBlas.plan(80, 20, 8064));
        assertEquals(new Plan(Tile.SMALL, 4, 32), DeviceBlas.plan(20, 20, 128));
        assertEquals(new Plan(Tile.SMALL, 16, 32), DeviceBlas.plan(80, 80, 512));
        for (int[] s : new int[][] {{80, 80, 29568}, {80, 20, 21504}, {20, 80, 29568}, {20, 20, 8064}, {4, 20, 21504},
                {80, 4, 128}, {20, 20, 256}, {80, 80, 1000}}) {
            Plan p = DeviceBlas.plan(s[0], s[1], s[2]);
            String what = java.util.Arrays.toString(s) + " " + p;
            assertEquals(Tile.SMALL, p.tile(), what);
            assertTrue(p.splits() >= DeviceBlas.SMALL_MIN_SPLITS && p.kPerSplit() <= DeviceBlas.SMALL_MAX_SPLIT_K, what);
            assertEquals(0, p.kPerSplit() % DeviceBlas.K_STEP, what);
            assertTrue((long) p.splits() * p.kPerSplit() >= s[2] && (long) (p.splits() - 1) * p.kPerSplit() < s[2], what);
            assertTrue(p.splits() <= 65535, what);
        }
        // Too short to split.
        assertEquals(new Plan(Tile.SMALL, 1, 96), DeviceBlas.plan(20, 20, 96));
        // The split-K reduction: a thread reads at most ~16 partials, lanes a power of two.
        assertEquals(1, DeviceBlas.reduceLanes(4));
        assertEquals(16, DeviceBlas.reduceLanes(231));
        assertEquals(32, DeviceBlas.reduceLanes(336));
        assertEquals(32, DeviceBlas.reduceLanes(3696));
    }

    private static void assertClose(float[] want, float[] got, int k, String what) {
        assertEquals(want.length, got.length, what);
        double scale = Math.sqrt(k + 1.0);
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 1e-5f * scale * (1 + Math.abs(want[i])) + 1e-5f * scale, what + " at " + i);
        }
    }

    private static float[] fill(int rows, int cols, float value) {
        float[] v = new float[rows * cols];
        java.util.Arrays.fill(v, value);
        return v;
    }

    /** A rows x cols matrix laid out with row stride ld from index offset, surrounded by NaN. */
    private static float[] embed(float[] dense, int rows, int cols, int ld, int offset) {
        float[] buffer = new float[offset + Math.max(rows, 1) * ld + 7];
        java.util.Arrays.fill(buffer, Float.NaN);
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dense, r * cols, buffer, offset + r * ld, cols);
        }
        return buffer;
    }
}
