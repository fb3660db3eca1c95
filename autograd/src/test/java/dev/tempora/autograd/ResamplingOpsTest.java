package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pooling and interpolation over the last axis against torch's documented results, against references
 * built independently (padding and a max reduction; the interpolation formula in double), and their
 * gradients against finite differences.
 */
class ResamplingOpsTest {

    private final GradientChecker checker = new GradientChecker();

    private static void assertClose(double[] expected, Tensor actual, double tolerance) {
        float[] a = actual.toFloatArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], tolerance, "element " + i);
        }
    }

    /** Distinct values a quarter apart, shuffled: every max window has a clear winner, far from a tie. */
    private static Tensor distinct(long seed, int... shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - n / 2) * 0.25f;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.wrap(v, shape);
    }

    @Test
    void maxPoolingInCeilModeMatchesPaddingAndAMaxReduction() {
        for (int[] lengthAndKernel : new int[][] {{7, 3}, {8, 2}, {5, 5}, {4, 6}, {6, 1}}) {
            int length = lengthAndKernel[0];
            int kernel = lengthAndKernel[1];
            Tensor x = Tensor.randn(length * 31L + kernel, 2, 3, length);
            int windows = (length + kernel - 1) / kernel;
            // Reference: pad to whole windows with -inf, then the max over each window.
            Tensor padded = Tensor.concat(2, x, Tensor.full(Float.NEGATIVE_INFINITY, 2, 3, windows * kernel - length));
            Tensor expected = padded.reshape(2, 3, windows, kernel).max(new int[] {3}, false);
            Tensor actual = Functional.maxPool1d(Variable.constant(x), kernel).value();
            assertArrayEquals(new int[] {2, 3, windows}, actual.shape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), "length " + length + ", kernel " + kernel);
        }
    }

    @Test
    void maxPoolingPropagatesNanAsTorchDoes() {
        Tensor x = Tensor.of(new float[] {1f, Float.NaN, 0f, 5f, 2f}, 1, 5);
        float[] y = Functional.maxPool1d(Variable.constant(x), 2).value().toFloatArray();
        assertTrue(Float.isNaN(y[0]));
        assertEquals(5f, y[1]);
        assertEquals(2f, y[2]);
    }

    @Test
    void averagePoolingDividesEachWindowByItsOwnLength() {
        Tensor x = Tensor.of(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f}, 1, 7);
        // torch.nn.AvgPool1d(3, 3, ceil_mode=True) gives [2, 5, 7]: the last window holds 7 alone.
        assertClose(new double[] {2, 5, 7}, Functional.avgPool1d(Variable.constant(x), 3).value(), 0);
    }

    @Test
    void linearInterpolationGivesTorchsValues() {
        Variable x = Variable.constant(Tensor.of(new float[] {1f, 2f, 3f, 4f}, 1, 4));
        // F.interpolate(torch.tensor([[[1., 2., 3., 4.]]]), size=8, mode="linear")
        assertClose(new double[] {1, 1.25, 1.75, 2.25, 2.75, 3.25, 3.75, 4}, Functional.interpolateLinear(x, 8).value(), 1e-6);
        // ... size=3: sources 1/6, 3/2 and 17/6 (scale 4/3)
        assertClose(new double[] {1 + 1 / 6.0, 2.5, 3 + 5 / 6.0}, Functional.interpolateLinear(x, 3).value(), 1e-6);
        // one knot is a constant; the same size is the identity
        assertClose(new double[] {7, 7, 7}, Functional.interpolateLinear(Variable.constant(Tensor.of(new float[] {7f}, 1, 1)), 3)
                .value(), 0);
        assertClose(new double[] {1, 2, 3, 4}, Functional.interpolateLinear(x, 4).value(), 0);
    }

    @Test
    void nearestInterpolationGivesTorchsValues() {
        Variable x = Variable.constant(Tensor.of(new float[] {1f, 2f, 3f}, 1, 3));
        // F.interpolate(torch.tensor([[[1., 2., 3.]]]), size=7, mode="nearest")
        assertClose(new double[] {1, 1, 1, 2, 2, 3, 3}, Functional.interpolateNearest(x, 7).value(), 0);
        // ... size=2: sources ⌊0⌋ and ⌊1.5⌋ (torch gives [1, 2])
        assertClose(new double[] {1, 2}, Functional.interpolateNearest(x, 2).value(), 0);
    }

    @Test
    void linearInterpolationMatchesTheFormulaInDouble() {
        for (int[] sizes : new int[][] {{3, 12}, {5, 7}, {9, 4}, {2, 24}}) {
            int n = sizes[0];
            int size = sizes[1];
            Tensor x = Tensor.randn(n * 100L + size, 3, n);
            float[] xv = x.toFloatArray();
            double[] expected = new double[3 * size];
            double scale = (double) n / size;
            for (int r = 0; r < 3; r++) {
                for (int j = 0; j < size; j++) {
                    double source = Math.max(scale * (j + 0.5) - 0.5, 0);
                    int low = Math.min((int) source, n - 1);
                    int high = Math.min(low + 1, n - 1);
                    double lambda = Math.min(source - low, 1);
                    expected[r * size + j] = (1 - lambda) * xv[r * n + low] + lambda * xv[r * n + high];
                }
            }
            assertClose(expected, Functional.interpolateLinear(Variable.constant(x), size).value(), 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        checker.assertGradientsMatch(in -> Functional.maxPool1d(in[0], 3), distinct(1, 2, 3, 7));
        checker.assertGradientsMatch(in -> Functional.maxPool1d(in[0].transpose(0, 1), 2), distinct(2, 5, 2, 3));
        checker.assertGradientsMatch(in -> Functional.avgPool1d(in[0], 3), Tensor.randn(3, 2, 3, 7));
        checker.assertGradientsMatch(in -> Functional.interpolateLinear(in[0], 11), Tensor.randn(4, 2, 3, 4));
        checker.assertGradientsMatch(in -> Functional.interpolateLinear(in[0], 3), Tensor.randn(5, 2, 7));
        checker.assertGradientsMatch(in -> Functional.interpolateLinear(in[0].transpose(0, 1), 9), Tensor.randn(6, 3, 2));
        checker.assertGradientsMatch(in -> Functional.interpolateNearest(in[0], 8), Tensor.randn(7, 2, 3));
    }

    @Test
    void badSizesAreRefused() {
        Variable x = Variable.constant(Tensor.randn(8, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> Functional.maxPool1d(x, 0));
        assertThrows(IllegalArgumentException.class, () -> Functional.interpolateLinear(x, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Functional.interpolateLinear(Variable.constant(Tensor.zeros(2, 0)), 3));
    }
}
