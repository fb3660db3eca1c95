package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LstmKernels} at this JVM's width: the SIMD cell equals the scalar reference bit for bit
 * (both apply the same float operations in the same order), for hidden sizes below, at and around
 * every vector width, writes exactly its outputs; so do the recurrent products of a step, for row counts
 * around their four-row tiles; fast path and reference agree with torch's equations
 * written plainly in double precision ({@link PlainReferences}), which give the hand-worked values.
 */
class LstmKernelsTest {

    private static final int[] HIDDEN = {1, 3, 4, 5, 7, 8, 9, 16, 17, 20, 31, 33};

    @Test
    void forwardEqualsTheReferenceBitForBit() {
        SplittableRandom rng = KernelTestData.rng(1);
        for (int hidden : HIDDEN) {
            int rows = 3;
            int g4 = 4 * hidden;
            float[] z = gaussian(rng, 1 + rows * g4, 0, 2);
            float[] c = gaussian(rng, 2 + rows * hidden, 0, 1);
            float[][] expected = {new float[1 + rows * g4], new float[2 + rows * hidden], new float[rows * hidden],
                new float[3 + rows * hidden]};
            LstmKernels.cellForwardReference(z, 1, c, 2, expected[0], 1, expected[1], 2, expected[3], 3, expected[2], 0,
                    rows, hidden);
            float[] act = sentinels(1 + rows * g4);
            float[] cNew = sentinels(2 + rows * hidden);
            float[] tanhCNew = sentinels(3 + rows * hidden + 1);
            float[] hNew = sentinels(rows * hidden);
            float[] zBefore = z.clone();
            LstmKernels.cellForward(z, 1, c, 2, act, 1, cNew, 2, tanhCNew, 3, hNew, 0, rows, hidden);
            String at = "hidden " + hidden + " at " + VectorSupport.BITS + " bits";
            assertUntouchedOutside(act, 1, rows * g4, "act " + at);
            assertUntouchedOutside(cNew, 2, rows * hidden, "c' " + at);
            assertUntouchedOutside(tanhCNew, 3, rows * hidden, "tanh(c') " + at);
            for (int i = 1; i < act.length; i++) {
                assertSame(expected[0][i], act[i], "act[" + i + "] " + at);
            }
            for (int i = 0; i < rows * hidden; i++) {
                assertSame(expected[1][2 + i], cNew[2 + i], "c'[" + i + "] " + at);
                assertSame(expected[2][i], hNew[i], "h'[" + i + "] " + at);
                assertSame(expected[3][3 + i], tanhCNew[3 + i], "tanh(c')[" + i + "] " + at);
                assertSame(FloatMath.tanh(cNew[2 + i]), tanhCNew[3 + i], "tanh(c') of c'[" + i + "] " + at);
            }
            assertEquals(java.util.Arrays.toString(zBefore), java.util.Arrays.toString(z), "inputs untouched " + at);
        }
    }

    @Test
    void backwardEqualsTheReferenceBitForBit() {
        SplittableRandom rng = KernelTestData.rng(2);
        for (int hidden : HIDDEN) {
            int rows = 3;
            int g4 = 4 * hidden;
            float[] z = gaussian(rng, rows * g4, 0, 2);
            float[] cPrev = gaussian(rng, rows * hidden, 0, 1);
            float[] act = new float[rows * g4];
            float[] cNew = new float[rows * hidden];
            float[] tanhCNew = new float[rows * hidden];
            LstmKernels.cellForwardReference(z, 0, cPrev, 0, act, 0, cNew, 0, tanhCNew, 0, new float[rows * hidden], 0,
                    rows, hidden);
            float[] dh = gaussian(rng, rows * hidden, 0, 1);
            float[] dcIn = gaussian(rng, rows * hidden, 0, 1);
            float[] dzRef = new float[rows * g4];
            float[] dcRef = new float[rows * hidden];
            LstmKernels.cellBackwardReference(act, 0, cPrev, 0, tanhCNew, 0, dh, 0, dcIn, 0, dzRef, 0, dcRef, 0, rows,
                    hidden);
            float[] dz = sentinels(3 + rows * g4);
            float[] dc = sentinels(rows * hidden + 1);
            LstmKernels.cellBackward(act, 0, cPrev, 0, tanhCNew, 0, dh, 0, dcIn, 0, dz, 3, dc, 0, rows, hidden);
            String at = "hidden " + hidden + " at " + VectorSupport.BITS + " bits";
            assertUntouchedOutside(dz, 3, rows * g4, "dz " + at);
            assertUntouchedOutside(dc, 0, rows * hidden, "dc " + at);
            for (int i = 0; i < rows * g4; i++) {
                assertSame(dzRef[i], dz[3 + i], "dz[" + i + "] " + at);
            }
            for (int i = 0; i < rows * hidden; i++) {
                assertSame(dcRef[i], dc[i], "dc[" + i + "] " + at);
            }
        }
    }

    /** Rows around the four-row tiles of the recurrent products: tails of 0 to 3 rows after 0, 1 or 2 tiles. */
    private static final int[] ROWS = {1, 2, 3, 4, 5, 7, 8, 11, 16};

    @Test
    void recurrentForwardEqualsTheReferenceBitForBitAndTheDoubleProduct() {
        SplittableRandom rng = KernelTestData.rng(3);
        for (int hidden : HIDDEN) {
            int g4 = 4 * hidden;
            float[] weightHh = gaussian(rng, 5 + g4 * hidden, 0, 0.5f);
            float[] transposed = LstmKernels.transposeRecurrentWeights(weightHh, 5, hidden);
            for (int rows : ROWS) {
                float[] pre = gaussian(rng, 2 + rows * g4, 0, 1);
                float[] h = gaussian(rng, 3 + rows * hidden, 0, 1);
                float[] expected = new float[rows * g4];
                LstmKernels.recurrentForwardReference(pre, 2, h, 3, transposed, expected, 0, rows, hidden);
                float[] out = sentinels(1 + rows * g4 + 2);
                float[] preBefore = pre.clone();
                float[] hBefore = h.clone();
                LstmKernels.recurrentForward(pre, 2, h, 3, transposed, out, 1, rows, hidden);
                String at = "hidden " + hidden + ", rows " + rows + " at " + VectorSupport.BITS + " bits";
                assertUntouchedOutside(out, 1, rows * g4, "out " + at);
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < g4; j++) {
                        int e = r * g4 + j;
                        assertSame(expected[e], out[1 + e], "out[" + r + ", " + j + "] " + at);
                        double exact = pre[2 + e];
                        double scale = Math.abs(exact);
                        for (int p = 0; p < hidden; p++) {
                            double term = (double) h[3 + r * hidden + p] * weightHh[5 + j * hidden + p];
                            exact += term;
                            scale += Math.abs(term);
                        }
                        PlainReferences.assertNear(exact, expected[e], scale * (hidden + 1), "reference " + at);
                    }
                }
                assertArrayEquals(preBefore, pre, "pre untouched " + at);
                assertArrayEquals(hBefore, h, "h untouched " + at);
            }
        }
    }

    @Test
    void recurrentBackwardEqualsTheReferenceBitForBitAndTheDoubleProduct() {
        SplittableRandom rng = KernelTestData.rng(4);
        for (int hidden : HIDDEN) {
            int g4 = 4 * hidden;
            float[] weightHh = gaussian(rng, 7 + g4 * hidden, 0, 0.5f);
            for (int rows : ROWS) {
                float[] dz = gaussian(rng, 1 + rows * g4, 0, 1);
                float[] expected = new float[rows * hidden];
                LstmKernels.recurrentBackwardReference(dz, 1, weightHh, 7, expected, 0, rows, hidden);
                float[] dhPrev = sentinels(2 + rows * hidden + 1);
                float[] dzBefore = dz.clone();
                LstmKernels.recurrentBackward(dz, 1, weightHh, 7, dhPrev, 2, rows, hidden);
                String at = "hidden " + hidden + ", rows " + rows + " at " + VectorSupport.BITS + " bits";
                assertUntouchedOutside(dhPrev, 2, rows * hidden, "dhPrev " + at);
                for (int r = 0; r < rows; r++) {
                    for (int q = 0; q < hidden; q++) {
                        int e = r * hidden + q;
                        assertSame(expected[e], dhPrev[2 + e], "dhPrev[" + r + ", " + q + "] " + at);
                        double exact = 0;
                        double scale = 0;
                        for (int p = 0; p < g4; p++) {
                            double term = (double) dz[1 + r * g4 + p] * weightHh[7 + p * hidden + q];
                            exact += term;
                            scale += Math.abs(term);
                        }
                        PlainReferences.assertNear(exact, expected[e], scale * g4, "reference " + at);
                    }
                }
                assertArrayEquals(dzBefore, dz, "dz untouched " + at);
            }
        }
    }

    @Test
    void fastPathAndReferenceAgreeWithThePlainDoubleEquations() {
        SplittableRandom rng = KernelTestData.rng(15);
        for (int hidden : HIDDEN) {
            int rows = 3;
            int g4 = 4 * hidden;
            float[] z = gaussian(rng, rows * g4, 0, 2);
            float[] cPrev = gaussian(rng, rows * hidden, 0, 1);
            float[] dh = gaussian(rng, rows * hidden, 0, 1);
            float[] dcIn = gaussian(rng, rows * hidden, 0, 1);
            for (boolean fast : new boolean[] {true, false}) {
                float[] act = new float[rows * g4];
                float[] cNew = new float[rows * hidden];
                float[] tanhCNew = new float[rows * hidden];
                float[] hNew = new float[rows * hidden];
                float[] dz = new float[rows * g4];
                float[] dc = new float[rows * hidden];
                if (fast) {
                    LstmKernels.cellForward(z, 0, cPrev, 0, act, 0, cNew, 0, tanhCNew, 0, hNew, 0, rows, hidden);
                    LstmKernels.cellBackward(act, 0, cPrev, 0, tanhCNew, 0, dh, 0, dcIn, 0, dz, 0, dc, 0, rows, hidden);
                } else {
                    LstmKernels.cellForwardReference(z, 0, cPrev, 0, act, 0, cNew, 0, tanhCNew, 0, hNew, 0, rows, hidden);
                    LstmKernels.cellBackwardReference(act, 0, cPrev, 0, tanhCNew, 0, dh, 0, dcIn, 0, dz, 0, dc, 0, rows,
                            hidden);
                }
                for (int r = 0; r < rows; r++) {
                    for (int j = 0; j < hidden; j++) {
                        String at = (fast ? "" : "reference ") + "[" + r + ", " + j + "] hidden " + hidden + " at "
                                + VectorSupport.BITS + " bits";
                        checkUnit(z, cPrev, dh, dcIn, act, cNew, hNew, dz, dc, r, j, hidden, at);
                    }
                }
            }
        }
    }

    /** One unit of the kernels' output against the plain equations, the backward from the kernels' own activations. */
    private static void checkUnit(float[] z, float[] cPrev, float[] dh, float[] dcIn, float[] act, float[] cNew,
                                  float[] hNew, float[] dz, float[] dc, int r, int j, int hidden, String at) {
        int zr = r * 4 * hidden;
        int s = r * hidden + j;
        double[] exact = PlainReferences.lstmCell(z[zr + j], z[zr + hidden + j], z[zr + 2 * hidden + j],
                z[zr + 3 * hidden + j], cPrev[s]);
        String[] gates = {"i", "f", "g", "o"};
        for (int k = 0; k < 4; k++) {
            PlainReferences.assertNear(exact[k], act[zr + k * hidden + j], Math.abs(exact[k]), gates[k] + " " + at);
        }
        double cScale = Math.abs(exact[1] * cPrev[s]) + Math.abs(exact[0] * exact[2]);
        PlainReferences.assertNear(exact[4], cNew[s], cScale, "c' " + at);
        PlainReferences.assertNear(exact[5], hNew[s], Math.abs(exact[3]) * (Math.abs(Math.tanh(exact[4])) + cScale), "h' " + at);
        double i = act[zr + j];
        double f = act[zr + hidden + j];
        double g = act[zr + 2 * hidden + j];
        double o = act[zr + 3 * hidden + j];
        double[] grad = PlainReferences.lstmCellBackward(i, f, g, o, cPrev[s], cNew[s], dh[s], dcIn[s]);
        // The float dc = dcIn + dh·o·(1 − tc²) rounds terms of these magnitudes; each output is dc times factors.
        double dcScale = Math.abs(dcIn[s]) + 2 * Math.abs(dh[s] * o);
        double[] scales = {dcScale * Math.abs(g) * i * (2 - i), dcScale * Math.abs(cPrev[s]) * f * (2 - f),
            dcScale * i * (1 + g * g), Math.abs(dh[s]) * o * (2 - o), dcScale * f};
        for (int k = 0; k < 4; k++) {
            PlainReferences.assertNear(grad[k], dz[zr + k * hidden + j], scales[k], "dz" + gates[k] + " " + at);
        }
        PlainReferences.assertNear(grad[4], dc[s], scales[4], "dc " + at);
    }

    /**
     * Hand-worked: σ(0) = 1/2, σ(±ln 3) = 3/4 and 1/4, tanh(0) = 0, tanh(ln 2) = 3/5. Each case is checked on the
     * plain equations and through the kernels on 37 units per gate (so that the vector path runs at every width).
     */
    @Test
    void handWorkedCases() {
        double ln3 = Math.log(3);
        double ln2 = Math.log(2);
        // zi, zf, zg, zo, c, then i, f, g, o, c' = f·c + i·g
        double[][] cases = {
            {0, 0, 0, 0, 1, 0.5, 0.5, 0, 0.5, 0.5},
            {ln3, -ln3, ln2, ln3, 2, 0.75, 0.25, 0.6, 0.75, 0.95},
            {-ln3, ln3, -ln2, 0, -1, 0.25, 0.75, -0.6, 0.5, -0.9},
        };
        int hidden = 37;
        for (double[] c : cases) {
            String what = java.util.Arrays.toString(java.util.Arrays.copyOf(c, 5));
            double[] exact = PlainReferences.lstmCell(c[0], c[1], c[2], c[3], c[4]);
            for (int k = 0; k < 5; k++) {
                assertEquals(c[5 + k], exact[k], 1e-12, what + " output " + k);
            }
            assertEquals(c[8] * Math.tanh(c[9]), exact[5], 1e-12, what + " h'");
            float[] z = new float[4 * hidden];
            for (int k = 0; k < 4; k++) {
                java.util.Arrays.fill(z, k * hidden, (k + 1) * hidden, (float) c[k]);
            }
            float[] cPrev = new float[hidden];
            java.util.Arrays.fill(cPrev, (float) c[4]);
            float[] act = new float[4 * hidden];
            float[] cNew = new float[hidden];
            float[] hNew = new float[hidden];
            LstmKernels.cellForward(z, 0, cPrev, 0, act, 0, cNew, 0, new float[hidden], 0, hNew, 0, 1, hidden);
            for (int j = 0; j < hidden; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(c[5 + k], act[k * hidden + j], 1e-6, what + " gate " + k + " at " + VectorSupport.BITS + " bits");
                }
                assertEquals(c[9], cNew[j], 1e-6, what + " c' at " + VectorSupport.BITS + " bits");
                assertEquals(c[8] * Math.tanh(c[9]), hNew[j], 1e-6, what + " h' at " + VectorSupport.BITS + " bits");
            }
        }
        // Backward by hand from i = f = o = 1/2, g = 0, c = 1, c' = 1/2, dh = 1, dcIn = 0, with t = tanh(1/2):
        // dc = (1 − t²)/2, so dz = (0, dc/4, dc/2, t/4) and dc_prev = dc/2.
        double t = Math.tanh(0.5);
        double dc = (1 - t * t) / 2;
        double[] expected = {0, dc / 4, dc / 2, t / 4, dc / 2};
        double[] plain = PlainReferences.lstmCellBackward(0.5, 0.5, 0, 0.5, 1, 0.5, 1, 0);
        float[] act = new float[4 * hidden];
        java.util.Arrays.fill(act, 0.5f);
        java.util.Arrays.fill(act, 2 * hidden, 3 * hidden, 0f);
        float[] ones = new float[hidden];
        java.util.Arrays.fill(ones, 1f);
        float[] tanhHalves = new float[hidden];
        java.util.Arrays.fill(tanhHalves, (float) t);
        float[] dz = new float[4 * hidden];
        float[] dcOut = new float[hidden];
        LstmKernels.cellBackward(act, 0, ones, 0, tanhHalves, 0, ones, 0, new float[hidden], 0, dz, 0, dcOut, 0, 1, hidden);
        for (int k = 0; k < 5; k++) {
            assertEquals(expected[k], plain[k], 1e-12, "plain backward " + k);
            float actual = k < 4 ? dz[k * hidden + hidden / 2] : dcOut[hidden / 2];
            assertEquals(expected[k], actual, 1e-6, "backward " + k + " at " + VectorSupport.BITS + " bits");
        }
    }
}
