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
 * half-row lengths around every vector width, and write exactly their outputs; both agree with the
 * plain double-precision equations ({@link PlainReferences}), which give the hand-worked values.
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
            float[] c = gaussian(rng, 2 * h, 0, 1);
            float[] biased = new float[rows * 2 * h];
            for (int i = 0; i < biased.length; i++) {
                biased[i] = x[2 + i] + c[i % (2 * h)];
            }
            float[] gatedBiased = new float[rows * h];
            GluKernels.forwardReference(biased, 0, gatedBiased, 0, rows, h);
            float[] expectedSum = new float[rows * h];
            GluKernels.forwardAddReference(x, 2, c, skip, 1, expectedSum, 0, rows, h);
            float[] sum = sentinels(rows * h + 1);
            GluKernels.forwardAdd(x, 2, c, skip, 1, sum, 0, rows, h);
            assertUntouchedOutside(sum, 0, rows * h, "glu + skip " + at);
            for (int i = 0; i < rows * h; i++) {
                assertSame(expectedSum[i], sum[i], "glu + skip[" + i + "] " + at);
                assertSame(gatedBiased[i] + skip[1 + i], sum[i],
                        "glu + skip is the bias added, glu, then + skip [" + i + "] " + at);
            }
            float[] gxBiasedRef = new float[rows * 2 * h];
            GluKernels.backwardReference(x, 2, c, g, 1, gxBiasedRef, 0, rows, h);
            float[] gxUnfused = new float[rows * 2 * h];
            GluKernels.backwardReference(biased, 0, g, 1, gxUnfused, 0, rows, h);
            float[] gxBiased = sentinels(rows * 2 * h + 3);
            GluKernels.backward(x, 2, c, g, 1, gxBiased, 2, rows, h);
            assertUntouchedOutside(gxBiased, 2, rows * 2 * h, "biased glu backward " + at);
            for (int i = 0; i < rows * 2 * h; i++) {
                assertSame(gxBiasedRef[i], gxBiased[2 + i], "biased glu backward[" + i + "] " + at);
                assertSame(gxUnfused[i], gxBiased[2 + i], "biased glu backward is glu's at x + c [" + i + "] " + at);
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
    void fastPathAndReferenceAgreeWithThePlainDoubleEquations() {
        SplittableRandom rng = KernelTestData.rng(13);
        for (int h : HALF) {
            int rows = 3;
            float[] x = gaussian(rng, rows * 2 * h, 0, 4);
            float[] skip = gaussian(rng, rows * h, 0, 1);
            float[] g = gaussian(rng, rows * h, 0, 1);
            float[] fast = new float[rows * h];
            float[] reference = new float[rows * h];
            float[] fastSum = new float[rows * h];
            float[] fastGrad = new float[rows * 2 * h];
            float[] referenceGrad = new float[rows * 2 * h];
            GluKernels.forward(x, 0, fast, 0, rows, h);
            GluKernels.forwardReference(x, 0, reference, 0, rows, h);
            GluKernels.forwardAdd(x, 0, new float[2 * h], skip, 0, fastSum, 0, rows, h);
            GluKernels.backward(x, 0, g, 0, fastGrad, 0, rows, h);
            GluKernels.backwardReference(x, 0, g, 0, referenceGrad, 0, rows, h);
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < h; j++) {
                    int i = r * h + j;
                    double a = x[r * 2 * h + j];
                    double b = x[r * 2 * h + h + j];
                    double s = PlainReferences.sigmoid(b);
                    double exact = PlainReferences.glu(a, b);
                    String at = "[" + r + ", " + j + "] h " + h + " at " + VectorSupport.BITS + " bits";
                    PlainReferences.assertNear(exact, fast[i], Math.abs(exact), "glu " + at);
                    PlainReferences.assertNear(exact, reference[i], Math.abs(exact), "glu reference " + at);
                    PlainReferences.assertNear(exact + skip[i], fastSum[i], Math.abs(exact) + Math.abs(skip[i]), "glu + skip " + at);
                    double[] grad = PlainReferences.gluBackward(a, b, g[i]);
                    int ga = r * 2 * h + j;
                    double gaScale = Math.abs(g[i] * a) * s * (2 - s);
                    PlainReferences.assertNear(grad[0], fastGrad[ga], Math.abs(grad[0]), "∂a " + at);
                    PlainReferences.assertNear(grad[0], referenceGrad[ga], Math.abs(grad[0]), "∂a reference " + at);
                    PlainReferences.assertNear(grad[1], fastGrad[ga + h], gaScale, "∂b " + at);
                    PlainReferences.assertNear(grad[1], referenceGrad[ga + h], gaScale, "∂b reference " + at);
                }
            }
        }
    }

    /**
     * Hand-worked: σ(0) = 1/2, σ(ln 3) = 3/4, σ(−ln 3) = 1/4, σ(ln 9) = 9/10. Each case is checked on the plain
     * equations and through the kernels on rows of 37 copies (so that the vector path runs at every width).
     */
    @Test
    void handWorkedCases() {
        double ln3 = Math.log(3);
        // a, b, g, then a·σ(b), g·σ(b), g·a·σ(b)(1 − σ(b))
        double[][] cases = {
            {2, 0, 1, 1, 0.5, 0.5},
            {-3, ln3, 2, -2.25, 1.5, -1.125},
            {4, -ln3, 1, 1, 0.25, 0.75},
            {1, Math.log(9), -1, 0.9, -0.9, -0.09},
        };
        int h = 37;
        for (double[] c : cases) {
            String what = "a " + c[0] + ", b " + c[1] + ", g " + c[2];
            assertEquals(c[3], PlainReferences.glu(c[0], c[1]), 1e-12, what);
            assertEquals(c[4], PlainReferences.gluBackward(c[0], c[1], c[2])[0], 1e-12, what);
            assertEquals(c[5], PlainReferences.gluBackward(c[0], c[1], c[2])[1], 1e-12, what);
            float[] x = new float[2 * h];
            java.util.Arrays.fill(x, 0, h, (float) c[0]);
            java.util.Arrays.fill(x, h, 2 * h, (float) c[1]);
            float[] g = new float[h];
            java.util.Arrays.fill(g, (float) c[2]);
            float[] out = new float[h];
            float[] gx = new float[2 * h];
            GluKernels.forward(x, 0, out, 0, 1, h);
            GluKernels.backward(x, 0, g, 0, gx, 0, 1, h);
            for (int j = 0; j < h; j++) {
                assertEquals(c[3], out[j], 1e-6, what + " at " + VectorSupport.BITS + " bits");
                assertEquals(c[4], gx[j], 1e-6, what + " ∂a at " + VectorSupport.BITS + " bits");
                assertEquals(c[5], gx[h + j], 1e-6, what + " ∂b at " + VectorSupport.BITS + " bits");
            }
        }
    }
}
