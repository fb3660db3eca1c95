package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.forEachIndex;
import static dev.tempora.tensor.TestTensors.layouts;
import static dev.tempora.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reductions over every subset of axes, with keepDim both ways and every layout, against naive
 * loops in double. Float sums of r terms are within γ(r)·Σ|x| of the exact sum whatever the order.
 */
class ReductionOpsTest {

    private static final double EPS = 0x1p-24;

    private static double gamma(long n) {
        return n * EPS / (1 - n * EPS);
    }

    private enum Op { SUM, MEAN, MAX, MIN, VAR0, VAR1 }

    @ParameterizedTest
    @ValueSource(ints = {3, 4})
    void everySubsetOfAxesMatchesANaiveLoop(int rank) {
        int[] shape = rank == 3 ? new int[] {3, 4, 5} : new int[] {2, 3, 4, 5};
        Tensor x = random(rank, shape).mul(3f).add(1f);
        for (int mask = 1; mask < 1 << rank; mask++) {
            int[] axes = axesOf(mask, rank);
            for (boolean keepDim : new boolean[] {true, false}) {
                for (Tensor layout : layouts(x)) {
                    for (Op op : Op.values()) {
                        Tensor actual = switch (op) {
                            case SUM -> layout.sum(axes, keepDim);
                            case MEAN -> layout.mean(axes, keepDim);
                            case MAX -> layout.max(axes, keepDim);
                            case MIN -> layout.min(axes, keepDim);
                            case VAR0 -> layout.variance(axes, keepDim, 0);
                            case VAR1 -> layout.variance(axes, keepDim, 1);
                        };
                        checkAgainstNaive(op, layout, mask, keepDim, actual,
                                op + " over " + Arrays.toString(axes) + " keepDim=" + keepDim);
                    }
                }
            }
        }
    }

    /** The axes in mask, some written negatively (they must mean the same). */
    private static int[] axesOf(int mask, int rank) {
        int[] axes = new int[Integer.bitCount(mask)];
        int j = 0;
        for (int a = rank - 1; a >= 0; a--) { // descending: order must not matter either
            if ((mask & 1 << a) != 0) {
                axes[j++] = mask % 3 == 0 ? a - rank : a;
            }
        }
        return axes;
    }

    private static void checkAgainstNaive(Op op, Tensor x, int mask, boolean keepDim, Tensor actual, String what) {
        int[] shape = x.shape();
        int[] outShape = new int[keepDim ? shape.length : shape.length - Integer.bitCount(mask)];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if ((mask & 1 << i) == 0) {
                outShape[j++] = shape[i];
            } else if (keepDim) {
                outShape[j++] = 1;
            }
        }
        assertArrayEquals(outShape, actual.shape(), what + ": shape");
        int reducedCount = 1;
        for (int i = 0; i < shape.length; i++) {
            reducedCount *= (mask & 1 << i) != 0 ? shape[i] : 1;
        }
        int count = reducedCount;
        double[] sum = new double[Shapes.numel(outShape)];
        double[] abs = new double[sum.length];
        double[] max = new double[sum.length];
        double[] min = new double[sum.length];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        forEachIndex(shape, index -> {
            int o = outFlat(index, shape, mask);
            float v = x.get(index);
            sum[o] += v;
            abs[o] += Math.abs(v);
            max[o] = Math.max(max[o], v);
            min[o] = Math.min(min[o], v);
        });
        double[] squares = new double[sum.length];
        forEachIndex(shape, index -> {
            int o = outFlat(index, shape, mask);
            double d = x.get(index) - sum[o] / count;
            squares[o] += d * d;
        });
        float[] got = actual.toFloatArray();
        for (int o = 0; o < got.length; o++) {
            double mean = sum[o] / count;
            double meanError = gamma(count) * abs[o] / count + 2 * EPS * Math.abs(mean);
            double expected;
            double bound;
            switch (op) {
                case SUM -> { expected = sum[o]; bound = gamma(count) * abs[o]; }
                case MEAN -> { expected = mean; bound = meanError; }
                case MAX -> { expected = max[o]; bound = 0; }
                case MIN -> { expected = min[o]; bound = 0; }
                default -> {
                    int divisor = count - (op == Op.VAR1 ? 1 : 0);
                    expected = squares[o] / divisor;
                    // Squares of rounded deviations summed in float, then scaled; the mean's error
                    // enters only to second order because the deviations sum to zero.
                    bound = (gamma(count + 4) + 2 * EPS) * expected + count * meanError * meanError / divisor;
                }
            }
            if (!(Math.abs(got[o] - expected) <= bound)) {
                fail(what + " at flat output " + o + ": expected " + expected + " ± " + bound + ", got " + got[o]);
            }
        }
    }

    /** Row-major position in the reduced output of the input index (reduced axes dropped). */
    private static int outFlat(int[] index, int[] shape, int mask) {
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if ((mask & 1 << i) == 0) {
                flat = flat * shape[i] + index[i];
            }
        }
        return flat;
    }

    @Test
    void reductionsByHand() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertTensorEquals(new int[] {3}, new float[] {5, 7, 9}, m.sum(0));
        assertTensorEquals(new int[] {2}, new float[] {6, 15}, m.sum(-1));
        assertTensorEquals(new int[] {2, 1}, new float[] {6, 15}, m.sum(new int[] {1}, true));
        assertTensorEquals(new int[] {}, new float[] {21}, m.sum());
        assertTensorEquals(new int[] {1, 1}, new float[] {21}, m.sum(new int[0], true));
        assertTensorEquals(new int[] {3}, new float[] {2.5f, 3.5f, 4.5f}, m.mean(0));
        assertEquals(3.5f, m.mean().item());
        assertTensorEquals(new int[] {2}, new float[] {3, 6}, m.max(new int[] {1}, false));
        assertTensorEquals(new int[] {1, 3}, new float[] {1, 2, 3}, m.min(new int[] {0}, true));
        assertEquals(6f, m.max().item());
        assertEquals(1f, m.min().item());
    }

    @Test
    void varianceAppliesBesselsCorrection() {
        Tensor v = Tensor.of(1, 2, 3, 4);
        assertEquals(5f / 3f, v.variance(new int[0], false, 1).item(), 1e-6f);
        assertEquals(1.25f, v.variance(new int[0], false, 0).item(), 1e-6f);
        assertEquals(2.5f, v.variance(new int[0], false, 2).item(), 1e-6f);
        Tensor rows = Tensor.of(new float[] {1, 3, 10, 10}, 2, 2);
        assertTensorEquals(new int[] {2, 1}, new float[] {2, 0}, rows.variance(new int[] {1}, true, 1));
        // One sample with the sample correction: 0/0, NaN as in torch.
        assertTrue(Float.isNaN(Tensor.of(5f).variance(new int[0], false, 1).item()));
        // Large offset: two passes keep the precision that E[x²] − E[x]² would lose.
        Tensor shifted = Tensor.of(1e4f + 1, 1e4f + 2, 1e4f + 3, 1e4f + 4);
        assertEquals(5f / 3f, shifted.variance(new int[0], false, 1).item(), 1e-3f);
    }

    @Test
    void emptyReductionsFollowTorch() {
        assertEquals(0f, Tensor.zeros(0).sum().item());
        assertTrue(Float.isNaN(Tensor.zeros(0).mean().item()), "the mean of nothing is NaN");
        Tensor empty = Tensor.zeros(0, 3);
        assertTensorEquals(new int[] {3}, new float[] {0, 0, 0}, empty.sum(0));
        assertTensorEquals(new int[] {3}, new float[] {Float.NaN, Float.NaN, Float.NaN}, empty.mean(0));
        assertTensorEquals(new int[] {0}, new float[0], empty.sum(1));
        assertTensorEquals(new int[] {0}, new float[0], empty.max(new int[] {1}, false));
        assertThrowsNaming(IllegalArgumentException.class, () -> empty.max(new int[] {0}, false), "max", "[0, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(0).min(), "min", "[0]");
    }

    @Test
    void zeroDimensionalTensorsReduceToThemselves() {
        Tensor s = Tensor.scalar(5f);
        assertEquals(5f, s.sum().item());
        assertEquals(5f, s.mean().item());
        assertEquals(5f, s.max().item());
        assertEquals(0, s.min().dim());
    }

    @Test
    void badAxesAreRejected() {
        Tensor t = Tensor.zeros(2, 3);
        assertThrowsNaming(IllegalArgumentException.class, () -> t.sum(new int[] {0, -2}, false), "appears twice");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.sum(2), "axis 2", "rank 2");
        assertThrowsNaming(IllegalArgumentException.class, () -> t.argmax(-3, false), "axis -3", "rank 2");
    }

    // ------------------------------------------------------------------ argmax, argmin

    @Test
    void argmaxTakesTheFirstOfTiesAndTheFirstNaN() {
        Tensor t = Tensor.of(new float[] {1, 3, 3, 2, 2, 1}, 2, 3);
        assertTensorEquals(new int[] {2}, new float[] {1, 0}, t.argmax(1, false));
        assertTensorEquals(new int[] {3}, new float[] {1, 0, 0}, t.argmax(0, false));
        assertTensorEquals(new int[] {2, 1}, new float[] {0, 2}, t.argmin(-1, true));
        assertTensorEquals(new int[] {1, 3}, new float[] {0, 1, 1}, t.argmin(0, true));
        assertEquals(1f, Tensor.of(1, Float.NaN, 3, Float.NaN).argmax(0, false).item());
        assertEquals(1f, Tensor.of(1, Float.NaN, -3).argmin(0, false).item());
        assertEquals(2f, Tensor.of(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, -1e30f).argmax(0, false).item());
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(2, 0).argmax(1, false), "[2, 0]");
    }

    @Test
    void argExtremesAlongEveryAxisMatchANaiveLoop() {
        // Small integers make ties frequent.
        Tensor x = TestTensors.integers(9, -2, 2, 3, 4, 5);
        for (int axis = -3; axis < 3; axis++) {
            for (boolean keepDim : new boolean[] {true, false}) {
                for (Tensor layout : layouts(x)) {
                    for (boolean max : new boolean[] {true, false}) {
                        Tensor got = max ? layout.argmax(axis, keepDim) : layout.argmin(axis, keepDim);
                        int a = Math.floorMod(axis, 3);
                        int[] outShape = Shapes.reduced(x.shape(), new int[] {a}, keepDim);
                        assertArrayEquals(outShape, got.shape());
                        int finalAxis = axis;
                        forEachIndex(Shapes.reduced(x.shape(), new int[] {a}, true), index -> {
                            int best = 0;
                            for (int k = 1; k < x.size(a); k++) {
                                int[] at = index.clone();
                                at[a] = k;
                                int[] bestAt = index.clone();
                                bestAt[a] = best;
                                float v = layout.get(at);
                                float b = layout.get(bestAt);
                                if (max ? v > b : v < b) {
                                    best = k;
                                }
                            }
                            int[] outIndex = keepDim ? index : dropAxis(index, a);
                            assertEquals(best, got.get(outIndex), 0f, (max ? "argmax" : "argmin") + " axis "
                                    + finalAxis + " at " + Arrays.toString(index));
                        });
                    }
                }
            }
        }
    }

    private static int[] dropAxis(int[] index, int axis) {
        int[] out = new int[index.length - 1];
        for (int i = 0, j = 0; i < index.length; i++) {
            if (i != axis) {
                out[j++] = index[i];
            }
        }
        return out;
    }
}
