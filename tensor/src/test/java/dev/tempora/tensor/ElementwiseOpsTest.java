package dev.tempora.tensor;

import static dev.tempora.tensor.TestTensors.assertTensorEquals;
import static dev.tempora.tensor.TestTensors.assertThrowsNaming;
import static dev.tempora.tensor.TestTensors.broadcastIndex;
import static dev.tempora.tensor.TestTensors.forEachIndex;
import static dev.tempora.tensor.TestTensors.layouts;
import static dev.tempora.tensor.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.tempora.tensor.kernels.BinaryOp;
import dev.tempora.tensor.kernels.UnaryOp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Element-wise ops through the tensor API: numpy broadcasting and every memory layout against a
 * naive index loop, hand-computed cases, errors naming both shapes, and the in-place methods.
 */
class ElementwiseOpsTest {

    /** Pairs of shapes that broadcast, with the result numpy gives. */
    private static final int[][][] BROADCASTS = {
        {{2, 3, 4}, {2, 3, 4}, {2, 3, 4}},
        {{2, 3, 4}, {4}, {2, 3, 4}},
        {{2, 1, 4}, {3, 1}, {2, 3, 4}},
        {{1}, {2, 3}, {2, 3}},
        {{}, {2, 3}, {2, 3}},
        {{5, 1, 1, 7}, {1, 6, 7}, {5, 1, 6, 7}},
        {{3, 1}, {1, 3}, {3, 3}},
        {{0, 3}, {3}, {0, 3}},
        {{17, 33}, {33}, {17, 33}},
    };

    @Test
    void broadcastingByHand() {
        Tensor column = Tensor.of(new float[] {1, 2}, 2, 1);
        Tensor row = Tensor.of(10, 20, 30);
        assertTensorEquals(new int[] {2, 3}, new float[] {11, 21, 31, 12, 22, 32}, column.add(row));
        assertTensorEquals(new int[] {2, 3}, new float[] {-9, -19, -29, -8, -18, -28}, column.sub(row));
        assertTensorEquals(new int[] {2, 3}, new float[] {10, 20, 30, 20, 40, 60}, column.mul(row));
        assertTensorEquals(new int[] {2, 3}, new float[] {10, 20, 30, 5, 10, 15}, row.div(column));
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 4, 9, 1, 16, 81}, Tensor.of(new float[] {1, 2, 3, 1, 4, 9}, 2, 3)
                .pow(Tensor.scalar(2f)));
        assertTensorEquals(new int[] {3}, new float[] {3, 4, 5}, Tensor.of(1, 2, 3).add(2f));
        assertTensorEquals(new int[] {3}, new float[] {-1, 0, 1}, Tensor.of(1, 2, 3).sub(2f));
        assertTensorEquals(new int[] {3}, new float[] {2, 4, 6}, Tensor.of(1, 2, 3).mul(2f));
        assertTensorEquals(new int[] {3}, new float[] {0.5f, 1, 1.5f}, Tensor.of(1, 2, 3).div(2f));
        assertTensorEquals(new int[] {2}, new float[] {3, 5}, Tensor.of(3, 1).maximum(Tensor.of(2, 5)));
        assertTensorEquals(new int[] {2}, new float[] {2, 1}, Tensor.of(3, 1).minimum(Tensor.of(2, 5)));
        assertEquals(5f, Tensor.scalar(2f).add(Tensor.scalar(3f)).item());
        assertEquals(0, Tensor.scalar(2f).add(Tensor.scalar(3f)).dim());
    }

    @ParameterizedTest
    @EnumSource(BinaryOp.class)
    void everyBinaryOpBroadcastsOverEveryLayoutAsANaiveLoop(BinaryOp op) {
        long seed = 1;
        for (int[][] pair : BROADCASTS) {
            Tensor a = operand(op, seed++, pair[0], true);
            Tensor b = operand(op, seed++, pair[1], false);
            for (Tensor al : layouts(a)) {
                for (Tensor bl : layouts(b)) {
                    Tensor out = al.binary(op, bl);
                    assertArrayEquals(pair[2], out.shape(), op + " of " + Shapes.toString(pair[0]) + " and "
                            + Shapes.toString(pair[1]));
                    assertTrue(out.isContiguous());
                    forEachIndex(pair[2], index -> {
                        float expected = op.apply(al.get(broadcastIndex(index, pair[0])),
                                bl.get(broadcastIndex(index, pair[1])));
                        float actual = out.get(index);
                        // POW is within Math.pow's contract of the reference; every other op is exact.
                        double allowed = op == BinaryOp.POW ? Math.ulp(expected) : 0;
                        if (!(Math.abs(actual - expected) <= allowed || Float.compare(actual, expected) == 0)) {
                            fail(op + " at " + java.util.Arrays.toString(index) + ": expected " + expected + ", got "
                                    + actual);
                        }
                    });
                }
            }
        }
    }

    /** Data with many ties (half small integers) for the comparisons; positive bases for POW. */
    private static Tensor operand(BinaryOp op, long seed, int[] shape, boolean left) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = op == BinaryOp.POW && left ? 0.1f + 3 * rng.nextFloat()
                    : rng.nextBoolean() ? rng.nextInt(-2, 3) : 4 * rng.nextFloat() - 2;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void expandedOperandsBroadcastLikeTheirBase() {
        Tensor row = Tensor.of(1, 2, 3);
        Tensor matrix = random(3, 4, 3);
        assertTensorEquals(matrix.add(row), matrix.add(row.expand(4, 3)));
        assertTensorEquals(matrix.t().add(row.unsqueeze(1)), matrix.t().add(row.unsqueeze(1).expand(3, 4)));
        Tensor both = row.expand(2, 3).add(Tensor.of(new float[] {10, 20}, 2, 1).expand(2, 3));
        assertTensorEquals(new int[] {2, 3}, new float[] {11, 12, 13, 21, 22, 23}, both);
    }

    @Test
    void incompatibleShapesThrowNamingBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        assertThrowsNaming(IllegalArgumentException.class, () -> a.add(b), "add", "[2, 3]", "[4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.mul(Tensor.zeros(3, 3)), "[2, 3]", "[3, 3]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.lt(Tensor.zeros(2, 2)), "[2, 3]", "[2, 2]");
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.where(Tensor.zeros(2, 1), a, b),
                "where", "[2, 3]", "[4]");
        assertThrowsNaming(IllegalArgumentException.class, () -> a.maskedFill(Tensor.zeros(5), 1f), "[2, 3]", "[5]");
    }

    // ------------------------------------------------------------------ unary

    /** Each wrapper, the op and parameters it must apply. */
    private record Wrapper(String name, UnaryOperator<Tensor> method, UnaryOp op, float p, float q) {}

    private static List<Wrapper> wrappers() {
        List<Wrapper> w = new ArrayList<>();
        w.add(new Wrapper("neg", Tensor::neg, UnaryOp.NEG, 0, 0));
        w.add(new Wrapper("exp", Tensor::exp, UnaryOp.EXP, 0, 0));
        w.add(new Wrapper("log", t -> t.abs().log(), UnaryOp.LOG, 0, 0));
        w.add(new Wrapper("sqrt", t -> t.abs().sqrt(), UnaryOp.SQRT, 0, 0));
        w.add(new Wrapper("abs", Tensor::abs, UnaryOp.ABS, 0, 0));
        w.add(new Wrapper("tanh", Tensor::tanh, UnaryOp.TANH, 0, 0));
        w.add(new Wrapper("sigmoid", Tensor::sigmoid, UnaryOp.SIGMOID, 0, 0));
        w.add(new Wrapper("relu", Tensor::relu, UnaryOp.RELU, 0, 0));
        w.add(new Wrapper("square", Tensor::square, UnaryOp.SQUARE, 0, 0));
        w.add(new Wrapper("reciprocal", Tensor::reciprocal, UnaryOp.RECIPROCAL, 0, 0));
        w.add(new Wrapper("pow(3)", t -> t.pow(3f), UnaryOp.POW, 3, 0));
        w.add(new Wrapper("elu(0.5)", t -> t.elu(0.5f), UnaryOp.ELU, 0.5f, 0));
        w.add(new Wrapper("elu()", Tensor::elu, UnaryOp.ELU, 1, 0));
        w.add(new Wrapper("softplus(2, 3)", t -> t.softplus(2, 3), UnaryOp.SOFTPLUS, 2, 3));
        w.add(new Wrapper("softplus()", Tensor::softplus, UnaryOp.SOFTPLUS, 1, 20));
        w.add(new Wrapper("clamp(-0.5, 1)", t -> t.clamp(-0.5f, 1f), UnaryOp.CLAMP, -0.5f, 1f));
        return w;
    }

    @Test
    void unaryWrappersApplyTheirOpElementwiseOnEveryLayout() {
        Tensor x = random(11, 3, 5, 17).mul(3f);
        for (Wrapper w : wrappers()) {
            // log and sqrt wrappers take |x| first; so does the expectation.
            boolean positive = w.op() == UnaryOp.LOG || w.op() == UnaryOp.SQRT;
            for (Tensor layout : layouts(x)) {
                Tensor out = w.method().apply(layout);
                assertArrayEquals(x.shape(), out.shape());
                forEachIndex(x.shape(), index -> {
                    float in = positive ? Math.abs(layout.get(index)) : layout.get(index);
                    float expected = w.op().apply(in, w.p(), w.q());
                    float actual = out.get(index);
                    // The SIMD kernels' allowance against the reference (see ElementwiseKernelsTest).
                    double ulps = switch (w.op()) {
                        case SIGMOID, ELU -> 2;
                        case SOFTPLUS -> 3;
                        default -> 1;
                    };
                    if (!(Math.abs(actual - expected) <= ulps * Math.ulp(expected) || Float.compare(actual, expected) == 0)) {
                        fail(w.name() + " at " + java.util.Arrays.toString(index) + " of " + in + ": expected "
                                + expected + ", got " + actual);
                    }
                });
            }
        }
    }

    @Test
    void unaryOnExpandedAndEmptyTensors() {
        Tensor e = Tensor.of(new float[] {1, 4}, 2, 1).expand(2, 3).sqrt();
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 1, 1, 2, 2, 2}, e);
        assertTensorEquals(new int[] {0, 4}, new float[0], Tensor.zeros(0, 4).exp());
        assertTensorEquals(new int[] {0, 2}, new float[0], Tensor.zeros(0, 4).narrow(1, 0, 2).exp());
        assertTensorEquals(new int[] {3, 0}, new float[0], Tensor.zeros(0, 3).t().add(1f));
        assertEquals((float) Math.exp(1), Tensor.scalar(1f).exp().item());
    }

    // ------------------------------------------------------------------ comparisons, where, maskedFill

    @Test
    void comparisonsGiveFloatMasksAndNaNComparesUnequal() {
        Tensor a = Tensor.of(1, 2, 3, Float.NaN);
        Tensor b = Tensor.of(2, 2, 2, Float.NaN);
        assertTensorEquals(new int[] {4}, new float[] {0, 1, 0, 0}, a.eq(b));
        assertTensorEquals(new int[] {4}, new float[] {1, 0, 1, 1}, a.ne(b));
        assertTensorEquals(new int[] {4}, new float[] {1, 0, 0, 0}, a.lt(b));
        assertTensorEquals(new int[] {4}, new float[] {1, 1, 0, 0}, a.le(b));
        assertTensorEquals(new int[] {4}, new float[] {0, 0, 1, 0}, a.gt(b));
        assertTensorEquals(new int[] {4}, new float[] {0, 1, 1, 0}, a.ge(b));
        assertTensorEquals(new int[] {4}, new float[] {0, 1, 0, 0}, a.eq(2f));
        assertTensorEquals(new int[] {4}, new float[] {1, 0, 0, 0}, a.lt(2f));
        assertTensorEquals(new int[] {4}, new float[] {0, 0, 1, 0}, a.gt(2f));
        assertTensorEquals(new int[] {4}, new float[] {1, 0, 1, 1}, a.ne(2f));
        assertTensorEquals(new int[] {4}, new float[] {1, 1, 0, 0}, a.le(2f));
        assertTensorEquals(new int[] {4}, new float[] {0, 1, 1, 0}, a.ge(2f));
        assertTensorEquals(new int[] {2}, new float[] {1, 1}, Tensor.of(0f, -0f).eq(Tensor.of(-0f, 0f)));
    }

    @Test
    void whereBroadcastsAllThreeOperands() {
        Tensor condition = Tensor.of(new float[] {1, 0}, 2, 1);
        Tensor a = Tensor.of(1, 2, 3);
        Tensor b = Tensor.scalar(-1f);
        assertTensorEquals(new int[] {2, 3}, new float[] {1, 2, 3, -1, -1, -1}, Tensor.where(condition, a, b));
        // Any non-zero, NaN included, selects a; −0 selects b.
        Tensor odd = Tensor.of(Float.NaN, -0f, 0.5f, -2f);
        assertTensorEquals(new int[] {4}, new float[] {1, 0, 1, 1}, Tensor.where(odd, Tensor.ones(4), Tensor.zeros(4)));
        // Strided condition and operands against a naive loop.
        Tensor c = random(5, 4, 6).gt(0f);
        Tensor x = random(6, 6, 4).t();
        Tensor y = random(7, 6);
        Tensor out = Tensor.where(TestTensors.padded(c), x, y);
        forEachIndex(new int[] {4, 6}, index -> assertEquals(c.get(index) != 0 ? x.get(index) : y.get(index[1]),
                out.get(index), 0f));
    }

    @Test
    void maskedFillReplacesWhereTheBroadcastMaskIsSet() {
        Tensor scores = Tensor.arange(6).reshape(2, 3);
        Tensor mask = Tensor.of(new float[] {0, 1, 1}, 1, 3);
        Tensor filled = scores.maskedFill(mask, Float.NEGATIVE_INFINITY);
        float ninf = Float.NEGATIVE_INFINITY;
        assertTensorEquals(new int[] {2, 3}, new float[] {0, ninf, ninf, 3, ninf, ninf}, filled);
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, scores.toFloatArray(), "the input is not modified");
        assertTensorEquals(new int[] {2, 3}, new float[] {9, 9, 9, 3, 4, 5},
                scores.maskedFill(Tensor.of(new float[] {1, 0}, 2, 1), 9f));
        // The result has the tensor's shape: a mask that would enlarge it is an error, as in torch.
        assertThrowsNaming(IllegalArgumentException.class, () -> Tensor.zeros(3).maskedFill(Tensor.ones(2, 3), 1f),
                "[2, 3]", "[3]");
    }

    // ------------------------------------------------------------------ in place

    @Test
    void fillOnAStridedViewChangesOnlyTheView() {
        Tensor base = Tensor.full(Float.NaN, 4, 5);
        Tensor inner = base.narrow(0, 1, 2).narrow(1, 1, 3);
        assertSame(inner, inner.fill(2f));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                boolean inside = i >= 1 && i <= 2 && j >= 1 && j <= 3;
                assertEquals(inside ? 2f : Float.NaN, base.get(i, j), 0f, "(" + i + ", " + j + ")");
            }
        }
        Tensor column = Tensor.zeros(3, 3).t().select(0, 1);
        column.fill(1f);
        assertArrayEquals(new float[] {1, 1, 1}, column.toFloatArray());
    }

    @Test
    void copyFromBroadcastsTheSource() {
        Tensor t = Tensor.zeros(2, 3);
        assertSame(t, t.copyFrom(Tensor.of(1, 2, 3)));
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, t.toFloatArray());
        t.t().copyFrom(Tensor.arange(6).reshape(3, 2));
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, t.toFloatArray());
        assertThrowsNaming(IllegalArgumentException.class, () -> t.copyFrom(Tensor.zeros(4)), "[4]", "[2, 3]");
    }

    @Test
    void addInPlaceAndMulInPlaceOnContiguousAndStridedTargets() {
        Tensor y = Tensor.of(1, 2, 3);
        assertSame(y, y.addInPlace(Tensor.of(10, 20, 30), 0.5f));
        assertArrayEquals(new float[] {6, 12, 18}, y.toFloatArray());
        y.addInPlace(Tensor.of(1, 1, 1));
        assertArrayEquals(new float[] {7, 13, 19}, y.toFloatArray());
        assertSame(y, y.mulInPlace(2f));
        assertArrayEquals(new float[] {14, 26, 38}, y.toFloatArray());

        Tensor m = Tensor.arange(6).reshape(2, 3);
        m.t().addInPlace(Tensor.ones(3, 2), -1f);
        assertArrayEquals(new float[] {-1, 0, 1, 2, 3, 4}, m.toFloatArray());
        m.narrow(1, 0, 2).mulInPlace(10f);
        assertArrayEquals(new float[] {-10, 0, 1, 20, 30, 4}, m.toFloatArray());
        m.narrow(1, 2, 1).addInPlace(Tensor.of(new float[] {5, 5}, 2, 1), 2f);
        assertArrayEquals(new float[] {-10, 0, 11, 20, 30, 14}, m.toFloatArray());
        assertThrowsNaming(IllegalArgumentException.class, () -> m.addInPlace(Tensor.ones(3)), "[2, 3]", "[3]");
    }
}
