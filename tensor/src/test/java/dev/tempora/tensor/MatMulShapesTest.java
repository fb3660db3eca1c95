package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.broadcastIndex;
import static dev.tempora.tensor.TestTensors.forEachIndex;
import static dev.tempora.tensor.TestTensors.layouts;
import static dev.tempora.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * torch.matmul's shape semantics: 1-d promotion, batch broadcasting, views as operands, errors.
 * GEMM's numerics have their own tests; here results are compared with a naive loop only within
 * the error of a k-term dot product, γ(k)·Σ|a·b|.
 */
class MatMulShapesTest {

    private static final double EPS = 0x1p-24;

    /** Naive torch.matmul for operands of rank ≥ 2, with the expected output shape given. */
    private static void checkProduct(Tensor a, Tensor b, int[] expectedShape, Tensor actual) {
        assertArrayEquals(expectedShape, actual.shape(), "matmul of " + Shapes.toString(a.shape()) + " and "
                + Shapes.toString(b.shape()));
        int k = a.size(-1);
        int[] aBatch = Arrays.copyOf(a.shape(), a.dim() - 2);
        int[] bBatch = Arrays.copyOf(b.shape(), b.dim() - 2);
        forEachIndex(expectedShape, index -> {
            int r = expectedShape.length;
            int[] batch = Arrays.copyOf(index, r - 2);
            int[] ai = Arrays.copyOf(broadcastIndex(batch, aBatch), a.dim());
            int[] bi = Arrays.copyOf(broadcastIndex(batch, bBatch), b.dim());
            ai[a.dim() - 2] = index[r - 2];
            bi[b.dim() - 1] = index[r - 1];
            double exact = 0;
            double magnitude = 0;
            for (int p = 0; p < k; p++) {
                ai[a.dim() - 1] = p;
                bi[b.dim() - 2] = p;
                double term = (double) a.get(ai) * b.get(bi);
                exact += term;
                magnitude += Math.abs(term);
            }
            double bound = (k + 1) * EPS * magnitude;
            if (!(Math.abs(actual.get(index) - exact) <= bound)) {
                fail("matmul at " + Arrays.toString(index) + ": expected " + exact + ", got " + actual.get(index));
            }
        });
    }

    @Test
    void matrixTimesMatrixForEveryLayoutOfEitherOperand() {
        Tensor a = random(1, 5, 7);
        Tensor b = random(2, 7, 17);
        for (Tensor al : layouts(a)) {
            for (Tensor bl : layouts(b)) {
                checkProduct(al, bl, new int[] {5, 17}, al.matmul(bl));
            }
        }
        // Transposed views are valid operands.
        Tensor at = random(3, 7, 5);
        Tensor bt = random(4, 17, 7);
        checkProduct(at.t(), bt.t(), new int[] {5, 17}, at.t().matmul(bt.t()));
        // A broadcast (stride 0) row repeated is also an operand.
        Tensor row = random(5, 1, 7).expand(4, 7);
        checkProduct(row, b, new int[] {4, 17}, row.matmul(b));
    }

    @Test
    void oneDimensionalOperandsArePromotedAndTheirAxisRemoved() {
        Tensor v = Tensor.of(1, 2, 3);
        Tensor m = Tensor.arange(12).reshape(3, 4);
        // [1 2 3] · m = rows weighted 1, 2, 3: (0+8+24, 1+10+27, 2+12+30, 3+14+33).
        assertTensorEquals(new int[] {4}, new float[] {32, 38, 44, 50}, v.matmul(m));
        assertTensorEquals(new int[] {4}, new float[] {32, 38, 44, 50}, m.t().matmul(v).contiguous());
        assertTensorEquals(new int[] {}, new float[] {14}, v.matmul(v));
        Tensor batched = random(6, 5, 3, 4);
        Tensor left = v.matmul(batched);
        assertArrayEquals(new int[] {5, 4}, left.shape());
        checkProduct(v.unsqueeze(0), batched, new int[] {5, 1, 4}, left.unsqueeze(1));
        Tensor right = random(7, 5, 2, 3).matmul(v);
        assertArrayEquals(new int[] {5, 2}, right.shape());
    }

    @Test
    void batchDimensionsBroadcast() {
        Tensor a = random(8, 2, 1, 3, 4);
        Tensor b = random(9, 5, 4, 6);
        checkProduct(a, b, new int[] {2, 5, 3, 6}, a.matmul(b));
        Tensor c = random(10, 1, 3, 4);
        Tensor d = random(11, 2, 4, 5);
        checkProduct(c, d, new int[] {2, 3, 5}, c.matmul(d));
        checkProduct(d.transpose(1, 2), c.transpose(1, 2), new int[] {2, 5, 3}, d.transpose(1, 2).matmul(c.transpose(1, 2)));
        Tensor shared = random(12, 4, 5);
        checkProduct(random(13, 3, 2, 4), shared, new int[] {3, 2, 5}, random(13, 3, 2, 4).matmul(shared));
        Tensor expandedBatch = random(14, 1, 2, 4).expand(3, 2, 4);
        checkProduct(expandedBatch, d.select(0, 0), new int[] {3, 2, 5}, expandedBatch.matmul(d.select(0, 0)));
    }

    @Test
    void emptyProducts() {
        // k = 0: a sum of nothing, zeros (as torch); m or n = 0: an empty result.
        assertTensorEquals(new int[] {2, 3}, new float[6], Tensor.ones(2, 0).matmul(Tensor.ones(0, 3)));
        assertTensorEquals(new int[] {0, 4}, new float[0], Tensor.ones(0, 3).matmul(Tensor.ones(3, 4)));
        assertTensorEquals(new int[] {2, 0}, new float[0], Tensor.ones(2, 3).matmul(Tensor.ones(3, 0)));
        assertTensorEquals(new int[] {0, 2, 4}, new float[0], Tensor.ones(0, 2, 3).matmul(Tensor.ones(3, 4)));
    }

    @Test
    void incompatibleShapesThrowNamingBothShapes() {
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)),
                "[2, 3]", "[4, 5]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(3).matmul(Tensor.zeros(4)), "[3]", "[4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(5, 4, 6)),
                "[2, 3, 4]", "[5, 4, 6]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(Tensor.zeros(2)), "[]", "[2]");
    }
}
