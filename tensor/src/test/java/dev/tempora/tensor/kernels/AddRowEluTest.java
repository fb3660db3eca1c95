package dev.tempora.tensor.kernels;

import static dev.tempora.tensor.kernels.KernelTestData.assertSame;
import static dev.tempora.tensor.kernels.KernelTestData.assertUntouchedOutside;
import static dev.tempora.tensor.kernels.KernelTestData.sentinels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ElementwiseKernels#addRowElu} and {@link ElementwiseKernels#addRowsElu} at this JVM's width (the build runs the tests at every
 * width): the SIMD rows equal the scalar reference bit for bit for row lengths around every vector
 * width, write exactly their outputs, and equal the bias addition followed by ELU.
 */
class AddRowEluTest {

    private static final int[] LENGTHS = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 20, 31, 32, 33, 40, 80};

    @Test
    void equalsTheReferenceAndTheUnfusedBiasThenElu() {
        SplittableRandom rng = KernelTestData.rng(410);
        for (int n : LENGTHS) {
            int rows = 1 + rng.nextInt(6);
            // Values around 0 so that both branches (and the expm1 switch at |x| = 0.5) run.
            float[] y = KernelTestData.gaussian(rng, 3 + rows * n, 0, 2);
            float[] row = KernelTestData.gaussian(rng, 1 + n, 0, 1);
            for (float alpha : new float[] {1f, 0.5f}) {
                float[] expected = new float[rows * n];
                ElementwiseKernels.addRowEluReference(y, 3, row, 1, expected, 0, rows, n, alpha);
                float[] unfused = new float[rows * n];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(y, 3 + r * n, unfused, r * n, n);
                }
                ElementwiseKernels.addRowInPlaceReference(unfused, 0, row, 1, rows, n);
                ElementwiseKernels.unaryReference(UnaryOp.ELU, alpha, 0f, unfused, 0, 1, unfused, 0, rows * n);
                float[] out = sentinels(2 + rows * n + 3);
                ElementwiseKernels.addRowElu(y, 3, row, 1, out, 2, rows, n, alpha);
                String at = " n " + n + ", rows " + rows + ", alpha " + alpha + " at " + VectorSupport.BITS + " bits";
                assertUntouchedOutside(out, 2, rows * n, "addRowElu" + at);
                for (int i = 0; i < rows * n; i++) {
                    assertSame(expected[i], out[2 + i], "addRowElu[" + i + "]" + at);
                    assertSame(unfused[i], out[2 + i], "addRowElu is the bias added, then ELU [" + i + "]" + at);
                }
            }
        }
    }

    @Test
    void withABroadcastAddendEqualsTheReferenceAndTheUnfusedAdditions() {
        SplittableRandom rng = KernelTestData.rng(411);
        for (int n : LENGTHS) {
            int groups = 1 + rng.nextInt(3);
            int rowsPerAdd = 1 + rng.nextInt(4);
            int rows = groups * rowsPerAdd;
            float[] y = KernelTestData.gaussian(rng, 1 + rows * n, 0, 2);
            float[] row = KernelTestData.gaussian(rng, 2 + n, 0, 1);
            float[] add = KernelTestData.gaussian(rng, 3 + groups * n, 0, 1);
            float[] expected = new float[rows * n];
            ElementwiseKernels.addRowsEluReference(y, 1, row, 2, add, 3, rowsPerAdd, expected, 0, rows, n, 1f);
            float[] unfused = new float[rows * n];
            System.arraycopy(y, 1, unfused, 0, rows * n);
            ElementwiseKernels.addRowInPlaceReference(unfused, 0, row, 2, rows, n);
            for (int r = 0; r < rows; r++) {
                ElementwiseKernels.addRowInPlaceReference(unfused, r * n, add, 3 + (r / rowsPerAdd) * n, 1, n);
            }
            ElementwiseKernels.unaryReference(UnaryOp.ELU, 1f, 0f, unfused, 0, 1, unfused, 0, rows * n);
            float[] out = sentinels(rows * n + 2);
            ElementwiseKernels.addRowsElu(y, 1, row, 2, add, 3, rowsPerAdd, out, 1, rows, n, 1f);
            String at = " n " + n + ", rows " + rows + " in groups of " + rowsPerAdd + " at " + VectorSupport.BITS + " bits";
            assertUntouchedOutside(out, 1, rows * n, "addRowsElu" + at);
            for (int i = 0; i < rows * n; i++) {
                assertSame(expected[i], out[1 + i], "addRowsElu[" + i + "]" + at);
                assertSame(unfused[i], out[1 + i], "addRowsElu is the bias, then the addend, then ELU [" + i + "]" + at);
            }
        }
    }

    @Test
    void handWorkedValues() {
        // With the row of ones: ELU(2 + 1) = 3, ELU(−1 + 1) = 0, ELU(−1 − ln 2 + 1) = e^(−ln 2) − 1 = −1/2.
        int n = 37;
        float[] y = new float[3 * n];
        float[] row = new float[n];
        java.util.Arrays.fill(row, 1f);
        java.util.Arrays.fill(y, 0, n, 2f);
        java.util.Arrays.fill(y, n, 2 * n, -1f);
        java.util.Arrays.fill(y, 2 * n, 3 * n, (float) (-1 - Math.log(2)));
        float[] out = new float[3 * n];
        ElementwiseKernels.addRowElu(y, 0, row, 0, out, 0, 3, n, 1f);
        for (int i = 0; i < n; i++) {
            assertEquals(3f, out[i], 0f, "x = 3 at " + VectorSupport.BITS + " bits");
            assertEquals(0f, out[n + i], 0f, "x = 0 at " + VectorSupport.BITS + " bits");
            assertEquals(-0.5f, out[2 * n + i], 1e-6f, "x = −ln 2 at " + VectorSupport.BITS + " bits");
        }
    }
}
