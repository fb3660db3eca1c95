package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorClose;
import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Inputs above the parallel threshold (65,536 elements) are split across the shared pool. Chunks
 * write disjoint outputs on boundaries fixed by the sizes alone, so the result must equal the
 * serial one and the op applied to small pieces (rows, slabs) one at a time.
 *
 * <p>Bit for bit where the arithmetic is exact IEEE operations. Not for lane sums and transcendental
 * functions: {@code reduceLanes(ADD)} and the SIMD exp/log/tanh give different roundings in
 * interpreted and in C2-compiled code, so the same row can differ in its last bits between an early
 * and a later call in one JVM. There the bound is that reordering: the rounding of ≤ 2·16 + 4
 * additions of partial sums relative to Σ|x|, or a 1-ulp difference of a function value.
 */
class LargeTensorTest {

    private static final int ROWS = 600;
    private static final int COLUMNS = 500; // 300,000 elements

    @org.junit.jupiter.api.BeforeAll
    static void poolHasSeveralThreads() {
        assertTrue(Parallel.threads() >= 2, "the pool must have threads to split over (tensor/pom.xml sets"
                + " -Dtempora.threads=4); it has " + Parallel.threads());
    }

    private static Tensor serially(Supplier<Tensor> op) {
        Tensor[] out = new Tensor[1];
        Parallel.serial(() -> out[0] = op.get());
        return out[0];
    }

    /** Allowed relative difference between two runs of a reduction or transcendental (see above). */
    private static final double REORDERED = 36 * 0x1p-24;

    /**
     * Checks op(x) against the serial run and each row against op applied to that row alone, within
     * rtol·|expected| + atol (0 and 0 for exact arithmetic).
     */
    private static void checkRows(Tensor x, java.util.function.UnaryOperator<Tensor> op, double rtol, double atol) {
        assertTrue(x.numel() > StridedLoop.PARALLEL_THRESHOLD);
        Tensor parallel = op.apply(x);
        assertTensorClose(serially(() -> op.apply(x)), parallel, rtol, atol);
        for (int r = 0; r < x.size(0); r += 37) {
            assertTensorClose(op.apply(x.select(0, r)), parallel.select(0, r), rtol, atol);
        }
    }

    @Test
    void elementwiseOps() {
        Tensor x = random(1, ROWS, COLUMNS).mul(3f);
        Tensor y = random(2, ROWS, COLUMNS);
        Tensor bias = random(3, COLUMNS);
        checkRows(x, Tensor::exp, 0x1p-23, 0);
        checkRows(x, t -> t.mul(y.select(0, 0).expand(t.shape())), 0, 0);
        checkRows(x, t -> t.add(bias), 0, 0);
        checkRows(x, t -> t.maskedFill(t.gt(1f), -1f), 0, 0);
        checkRows(x, t -> t.sqrt().relu().clamp(-1, 2), 0, 0);
        assertTensorEquals(serially(() -> x.mul(y)), x.mul(y));
        assertTensorEquals(serially(() -> Tensor.where(x.gt(0f), x, y)), Tensor.where(x.gt(0f), x, y));
        // Strided: a transposed input goes through the strided loop's parallel path.
        Tensor transposed = x.t();
        assertTensorClose(serially(transposed::tanh), transposed.tanh(), 2 * 0x1p-23, 0);
        assertTensorEquals(serially(() -> transposed.add(bias.unsqueeze(1))), transposed.add(bias.unsqueeze(1)));
        assertTensorEquals(serially(() -> transposed.square()), transposed.square());
    }

    @Test
    void copiesAndInPlaceUpdates() {
        Tensor x = random(4, ROWS, COLUMNS);
        Tensor copy = x.t().contiguous();
        for (int i = 0; i < COLUMNS; i += 41) {
            for (int j = 0; j < ROWS; j += 43) {
                assertEquals(x.get(j, i), copy.get(i, j));
            }
        }
        Tensor target = Tensor.zeros(COLUMNS, ROWS);
        target.copyFrom(x.t());
        assertTensorEquals(copy, target);
        Tensor accumulated = x.copy().addInPlace(x, 2f);
        assertTensorClose(x.mul(3f), accumulated, 0x1p-22, 0);
        Tensor strided = Tensor.zeros(COLUMNS, ROWS).t();
        strided.fill(2f).mulInPlace(0.5f);
        assertTensorEquals(Tensor.ones(ROWS, COLUMNS), strided);
    }

    @Test
    void reductions() {
        Tensor x = random(5, ROWS, COLUMNS).add(0.5f);
        // |sum| here is about a quarter of Σ|x|; variance's terms are all positive.
        checkRows(x, t -> t.sum(-1), 4 * REORDERED, 0);
        checkRows(x, t -> t.mean(-1), 4 * REORDERED, 0);
        checkRows(x, t -> t.variance(new int[] {-1}, false, 1), 4 * REORDERED, 0);
        checkRows(x, t -> t.max(new int[] {-1}, false), 0, 0);
        checkRows(x, t -> t.min(new int[] {-1}, false), 0, 0);
        // Columns of 3-d slabs (outer 64, r 40, inner 30) are summed lanewise in order: exact.
        Tensor cube = random(6, 64, 40, 30);
        Tensor sums = cube.sum(1);
        assertTensorEquals(serially(() -> cube.sum(1)), sums);
        for (int i = 0; i < 64; i += 7) {
            assertTensorEquals(cube.select(0, i).sum(0), sums.select(0, i));
        }
    }

    @Test
    void softmaxAndLayerNormRows() {
        Tensor x = random(7, ROWS, COLUMNS).mul(4f);
        checkRows(x, t -> t.softmax(-1), REORDERED, Float.MIN_NORMAL);
        checkRows(x, t -> t.logSoftmax(-1), REORDERED, 0);
        Tensor weight = random(8, COLUMNS);
        Tensor bias = random(9, COLUMNS);
        // Near-zero outputs inherit the mean's absolute error: rstd · reordering · mean|x| (≈ 1).
        checkRows(x, t -> t.layerNorm(1, weight, bias, 1e-5f), REORDERED, 4 * REORDERED);
        assertTensorClose(serially(() -> x.softmax(0)), x.softmax(0), REORDERED, Float.MIN_NORMAL);
    }

    @Test
    void batchedMatmulSplitsBatchesNotResults() {
        Tensor batch = random(10, 24, 64, 48);
        Tensor weight = random(11, 48, 40);
        Tensor product = batch.matmul(weight);
        assertTensorEquals(serially(() -> batch.matmul(weight)), product);
        for (int i = 0; i < 24; i += 5) {
            assertTensorEquals(batch.select(0, i).matmul(weight), product.select(0, i));
        }
    }
}
