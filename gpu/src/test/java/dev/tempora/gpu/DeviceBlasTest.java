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

    private static void checkStrided(GpuDevice device, Plan plan, int m, int n, int k, boolean ta, boolean tb,
                                     float alpha, float beta, boolean aligned, long seed) {
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
                + " ldb " + ldb + " ldc " + ldc + " beta " + beta;
        try (DeviceTensor da = device.upload(aBuf, aBuf.length); DeviceTensor db = device.upload(bBuf, bBuf.length);
             DeviceTensor dc = device.upload(cBuf, cBuf.length)) {
            DeviceBlas.gemm(device, plan, ta, tb, m, n, k, alpha, da.address(offA), lda, db.address(offB), ldb, beta,
                    dc.address(offC), ldc);
            float[] got = dc.toFloatArray();
            float[] product = k == 0 ? new float[m * n]
                    : (ta ? a.transpose(0, 1) : a).matmul(tb ? b.transpose(0, 1) : b).toFloatArray();
            float[] want = new float[m * n];
            float[] old = c0.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                want[i] = alpha * product[i] + (beta == 0f ? 0f : beta * old[i]);
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
             DeviceTensor c1 = device.empty(m, n); DeviceTensor c2 = device.empty(m, n)) {
            DeviceBlas.matmul(a, true, b, false, c1);
            DeviceBlas.matmul(a, true, b, false, c2);
            assertArrayEquals(c1.toFloatArray(), c2.toFloatArray());
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
        assertEquals(new Plan(Tile.SMALL, 1, 128), DeviceBlas.plan(20, 20, 128));
        Plan weightGradient = DeviceBlas.plan(80, 80, 29568);
        assertEquals(Tile.SMALL, weightGradient.tile());
        assertTrue(weightGradient.blocks(80, 80) >= 4L * DeviceBlas.MULTIPROCESSORS, weightGradient.toString());
        assertEquals(0, weightGradient.kPerSplit() % DeviceBlas.K_STEP);
        assertTrue((long) weightGradient.splits() * weightGradient.kPerSplit() >= 29568
                && (long) (weightGradient.splits() - 1) * weightGradient.kPerSplit() < 29568, weightGradient.toString());
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
