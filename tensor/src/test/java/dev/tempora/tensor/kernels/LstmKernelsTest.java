package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LstmKernels} at this JVM's width: the SIMD cell equals the scalar reference bit for bit
 * (both apply the same float operations in the same order), for hidden sizes below, at and around
 * every vector width, writes exactly its outputs, and the reference follows torch's equations.
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
            float[][] expected = {new float[1 + rows * g4], new float[2 + rows * hidden], new float[rows * hidden]};
            LstmKernels.cellForwardReference(z, 1, c, 2, expected[0], 1, expected[1], 2, expected[2], 0, rows, hidden);
            float[] act = sentinels(1 + rows * g4);
            float[] cNew = sentinels(2 + rows * hidden);
            float[] hNew = sentinels(rows * hidden);
            float[] zBefore = z.clone();
            LstmKernels.cellForward(z, 1, c, 2, act, 1, cNew, 2, hNew, 0, rows, hidden);
            String at = "hidden " + hidden + " at " + VectorSupport.BITS + " bits";
            assertUntouchedOutside(act, 1, rows * g4, "act " + at);
            assertUntouchedOutside(cNew, 2, rows * hidden, "c' " + at);
            for (int i = 1; i < act.length; i++) {
                assertSame(expected[0][i], act[i], "act[" + i + "] " + at);
            }
            for (int i = 0; i < rows * hidden; i++) {
                assertSame(expected[1][2 + i], cNew[2 + i], "c'[" + i + "] " + at);
                assertSame(expected[2][i], hNew[i], "h'[" + i + "] " + at);
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
            LstmKernels.cellForwardReference(z, 0, cPrev, 0, act, 0, cNew, 0, new float[rows * hidden], 0, rows, hidden);
            float[] dh = gaussian(rng, rows * hidden, 0, 1);
            float[] dcIn = gaussian(rng, rows * hidden, 0, 1);
            float[] dzRef = new float[rows * g4];
            float[] dcRef = new float[rows * hidden];
            LstmKernels.cellBackwardReference(act, 0, cPrev, 0, cNew, 0, dh, 0, dcIn, 0, dzRef, 0, dcRef, 0, rows, hidden);
            float[] dz = sentinels(3 + rows * g4);
            float[] dc = sentinels(rows * hidden + 1);
            LstmKernels.cellBackward(act, 0, cPrev, 0, cNew, 0, dh, 0, dcIn, 0, dz, 3, dc, 0, rows, hidden);
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

    @Test
    void referenceFollowsTorchsEquations() {
        // One unit, hand-computed in double: z = (0.5, -1, 2, 0.25), c = 0.3.
        float[] act = new float[4];
        float[] cNew = new float[1];
        float[] hNew = new float[1];
        LstmKernels.cellForwardReference(new float[] {0.5f, -1f, 2f, 0.25f}, 0, new float[] {0.3f}, 0, act, 0, cNew, 0,
                hNew, 0, 1, 1);
        double i = 1 / (1 + Math.exp(-0.5));
        double f = 1 / (1 + Math.exp(1));
        double g = Math.tanh(2);
        double o = 1 / (1 + Math.exp(-0.25));
        double c = f * 0.3 + i * g;
        assertEquals(c, cNew[0], 1e-6);
        assertEquals(o * Math.tanh(c), hNew[0], 1e-6);
        assertEquals(g, act[2], 1e-6);
    }
}
