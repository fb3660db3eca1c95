package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.gaussian;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link GluKernels} at this JVM's width: SIMD rows equal the scalar reference bit for bit for
 * half-row lengths around every vector width, and write exactly their outputs.
 */
class GluKernelsTest {

    private static final int[] HALF = {1, 3, 4, 5, 8, 9, 15, 16, 17, 20, 32, 33, 40};

    @Test
    void forwardAndBackwardEqualTheReferenceBitForBit() {
        SplittableRandom rng = KernelTestData.rng(3);
        for (int h : HALF) {
            int rows = 4;
            float[] x = gaussian(rng, 2 + rows * 2 * h, 0, 3);
            float[] g = gaussian(rng, 1 + rows * h, 0, 1);
            float[] expected = new float[rows * h];
            GluKernels.forwardReference(x, 2, expected, 0, rows, h);
            float[] out = sentinels(3 + rows * h);
            GluKernels.forward(x, 2, out, 3, rows, h);
            String at = "h " + h + " at " + VectorSupport.BITS + " bits";
            assertUntouchedOutside(out, 3, rows * h, "glu " + at);
            for (int i = 0; i < rows * h; i++) {
                assertSame(expected[i], out[3 + i], "glu[" + i + "] " + at);
            }
            float[] skip = gaussian(rng, rows * h + 1, 0, 1);
            float[] expectedSum = new float[rows * h];
            GluKernels.forwardAddReference(x, 2, skip, 1, expectedSum, 0, rows, h);
            float[] sum = sentinels(rows * h + 1);
            GluKernels.forwardAdd(x, 2, skip, 1, sum, 0, rows, h);
            assertUntouchedOutside(sum, 0, rows * h, "glu + skip " + at);
            for (int i = 0; i < rows * h; i++) {
                assertSame(expectedSum[i], sum[i], "glu + skip[" + i + "] " + at);
                assertSame(expected[i] + skip[1 + i], sum[i], "glu + skip is glu, then + skip [" + i + "] " + at);
            }
            float[] gxRef = new float[rows * 2 * h];
            GluKernels.backwardReference(x, 2, g, 1, gxRef, 0, rows, h);
            float[] gx = sentinels(rows * 2 * h + 2);
            GluKernels.backward(x, 2, g, 1, gx, 1, rows, h);
            assertUntouchedOutside(gx, 1, rows * 2 * h, "glu backward " + at);
            for (int i = 0; i < rows * 2 * h; i++) {
                assertSame(gxRef[i], gx[1 + i], "glu backward[" + i + "] " + at);
            }
        }
    }

    @Test
    void referenceIsAFirstHalfGatedBySigmoidOfTheSecond() {
        float[] out = new float[2];
        GluKernels.forwardReference(new float[] {2f, -3f, 0f, 1f}, 0, out, 0, 1, 2);
        assertEquals(1f, out[0], 1e-7f);
        assertEquals(-3 / (1 + Math.exp(-1)), out[1], 1e-6);
    }
}
