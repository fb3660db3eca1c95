package dev.tempora.tensor.kernels;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Tensor#matmul} over the GEMM kernel, against a naive loop that reads the operands element
 * by element through {@link Tensor#get}: transposed and strided views, broadcast batch axes, and
 * 1-d operands, as torch.matmul defines them.
 */
class GemmMatMulTest {

    @Test
    void plainMatrices() {
        assertMatchesNaive(Tensor.randn(1, 37, 19), Tensor.randn(2, 19, 45));
        assertMatchesNaive(Tensor.randn(3, 1, 1), Tensor.randn(4, 1, 1));
    }

    @Test
    void transposedViewsAreReadInPlace() {
        Tensor x = Tensor.randn(5, 19, 37);
        Tensor y = Tensor.randn(6, 45, 19);
        assertMatchesNaive(x.t(), Tensor.randn(7, 19, 23));
        assertMatchesNaive(Tensor.randn(8, 23, 19), y.t().t().t());
        assertMatchesNaive(x.t(), y.t());
    }

    @Test
    void stridedAndNarrowedViews() {
        // Rows of a wider matrix (leading dimension > width), an offset into storage, and a view with
        // neither unit stride (a column of a 3-d tensor), which matmul must copy.
        Tensor wide = Tensor.randn(9, 30, 50);
        Tensor narrowed = wide.narrow(1, 7, 21).narrow(0, 3, 25);
        assertMatchesNaive(narrowed, Tensor.randn(10, 21, 33));
        assertMatchesNaive(Tensor.randn(11, 17, 25), narrowed);
        Tensor cube = Tensor.randn(12, 13, 11, 3);
        assertMatchesNaive(cube.select(2, 1), Tensor.randn(13, 11, 6));
        assertMatchesNaive(Tensor.randn(14, 4, 13), cube.select(2, 2));
    }

    @Test
    void batchedWithBroadcastBatchAxes() {
        assertMatchesNaive(Tensor.randn(15, 4, 9, 12), Tensor.randn(16, 4, 12, 7));
        assertMatchesNaive(Tensor.randn(17, 2, 1, 9, 12), Tensor.randn(18, 3, 12, 7));
        assertMatchesNaive(Tensor.randn(19, 6, 33, 20), Tensor.randn(20, 20, 40));
        assertMatchesNaive(Tensor.randn(21, 20, 40), Tensor.randn(22, 6, 40, 17));
        // A weight shared by every batch item, as a TFT linear layer sees it.
        assertMatchesNaive(Tensor.randn(23, 8, 231, 20), Tensor.randn(24, 20, 80));
        assertMatchesNaive(Tensor.randn(37, 2, 4, 9, 30).narrow(3, 5, 12), Tensor.randn(38, 12, 7));
        assertMatchesNaive(Tensor.randn(39, 4, 9, 12), Tensor.randn(40, 7, 12).t());
        // Batched transposed views, and an expanded (stride 0) batch axis.
        assertMatchesNaive(Tensor.randn(25, 3, 12, 9).transpose(-1, -2), Tensor.randn(26, 3, 7, 12).transpose(1, 2));
        assertMatchesNaive(Tensor.randn(27, 1, 10, 5).expand(4, 10, 5), Tensor.randn(28, 4, 5, 3));
        assertMatchesNaive(Tensor.randn(29, 5, 4, 10, 6).permute(1, 0, 2, 3), Tensor.randn(30, 6, 2));
    }

    @Test
    void vectorOperandsArePromotedAndSqueezed() {
        Tensor v = Tensor.randn(31, 19);
        Tensor m = Tensor.randn(32, 19, 5);
        Tensor product = v.matmul(m);
        assertArrayEquals(new int[] {5}, product.shape());
        assertMatchesNaive(v, m);
        assertMatchesNaive(Tensor.randn(33, 5, 19), v);
        assertMatchesNaive(Tensor.randn(34, 3, 5, 19), v);
        Tensor dot = v.matmul(Tensor.randn(35, 19));
        assertEquals(0, dot.dim());
        assertMatchesNaive(v, Tensor.randn(36, 19));
    }

    @Test
    void misalignedShapesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.randn(1, 3, 4).matmul(Tensor.randn(2, 5, 6)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 6]"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------- helpers

    private static void assertMatchesNaive(Tensor a, Tensor b) {
        Tensor actual = a.matmul(b);
        Tensor a2 = a.dim() == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = b.dim() == 1 ? b.unsqueeze(1) : b;
        int[] as = a2.shape();
        int[] bs = b2.shape();
        int m = as[as.length - 2];
        int k = as[as.length - 1];
        int n = bs[bs.length - 1];
        int[] batch = broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        int batches = Arrays.stream(batch).reduce(1, (x, y) -> x * y);
        float[] got = actual.toFloatArray();
        assertEquals((long) batches * m * n, got.length, "result size for " + Arrays.toString(a.shape())
                + " @ " + Arrays.toString(b.shape()));
        int[] index = new int[batch.length];
        for (int t = 0; t < batches; t++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double magnitude = 0;
                    for (int p = 0; p < k; p++) {
                        double term = (double) a2.get(at(index, as, i, p)) * b2.get(at(index, bs, p, j));
                        sum += term;
                        magnitude += Math.abs(term);
                    }
                    float value = got[(t * m + i) * n + j];
                    double tolerance = (k + 2) * 0x1p-23 * magnitude + 1e-30;
                    if (!(Math.abs(value - sum) <= tolerance)) {
                        throw new AssertionError(Arrays.toString(a.shape()) + " @ " + Arrays.toString(b.shape())
                                + ": batch " + Arrays.toString(index) + " (" + i + ", " + j + ") = " + value
                                + ", naive " + sum);
                    }
                }
            }
            for (int d = batch.length - 1; d >= 0; d--) { // next batch index, row-major
                if (++index[d] < batch[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /** The full index into an operand of shape {@code shape} for a broadcast batch index and (row, col). */
    private static int[] at(int[] batchIndex, int[] shape, int row, int col) {
        int[] ix = new int[shape.length];
        int lead = batchIndex.length - (shape.length - 2);
        for (int d = 0; d < shape.length - 2; d++) {
            ix[d] = shape[d] == 1 ? 0 : batchIndex[d + lead];
        }
        ix[shape.length - 2] = row;
        ix[shape.length - 1] = col;
        return ix;
    }

    private static int[] broadcast(int[] x, int[] y) {
        int rank = Math.max(x.length, y.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            int xd = d - (rank - x.length);
            int yd = d - (rank - y.length);
            int xs = xd < 0 ? 1 : x[xd];
            int ys = yd < 0 ? 1 : y[yd];
            out[d] = Math.max(xs, ys);
        }
        return out;
    }
}
