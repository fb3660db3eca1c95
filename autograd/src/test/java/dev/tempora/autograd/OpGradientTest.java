package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.Function;

/**
 * Every differentiable op against central finite differences (see {@link GradientChecker}), on
 * random shapes, broadcasting cases and non-contiguous inputs.
 */
class OpGradientTest {

    private final GradientChecker checker = new GradientChecker();
    private long seed = 100;

    private Tensor randn(int... shape) {
        return Tensor.randn(seed++, shape);
    }

    /** Values in ±[low, high], away from zero (for kinks at 0 and for division). */
    private Tensor awayFromZero(float low, float high, int... shape) {
        Tensor u = Tensor.uniform(seed++, low, high, shape);
        Tensor sign = Tensor.uniform(seed++, -1f, 1f, shape).gt(0f).mul(2f).sub(1f);
        return u.mul(sign);
    }

    private void check(Function<Variable[], Variable> f, Tensor... inputs) {
        checker.assertGradientsMatch(f, inputs);
    }

    // ---------------------------------------------------------------- broadcasting arithmetic

    @Test
    void addSubMulDivBroadcast() {
        check(in -> in[0].add(in[1]), randn(3, 4), randn(4));
        check(in -> in[0].sub(in[1]), randn(2, 1, 5), randn(3, 1));
        check(in -> in[0].mul(in[1]), randn(2, 3, 4), randn(1, 3, 1));
        check(in -> in[0].div(in[1]), randn(4, 3), awayFromZero(0.5f, 2f, 3));
        check(in -> in[0].div(in[1]), randn(1), awayFromZero(0.5f, 2f, 2, 3));
        check(in -> in[0].mul(in[0]).add(in[0]), randn(5)); // one input used twice
    }

    @Test
    void scalarArithmetic() {
        check(in -> in[0].add(2.5f).mul(-1.5f).sub(0.25f).div(3f), randn(3, 3));
    }

    @Test
    void tensorPower() {
        check(in -> in[0].pow(in[1]), Tensor.uniform(1, 0.5f, 2f, 3, 4), Tensor.uniform(2, -1.5f, 2f, 4));
    }

    @ParameterizedTest
    @EnumSource(UnaryOp.class)
    void unaryOps(UnaryOp op) {
        Tensor x = switch (op) {
            case LOG, SQRT -> Tensor.uniform(seed++, 0.3f, 3f, 4, 7);
            case RECIPROCAL, ABS, RELU -> awayFromZero(0.1f, 2f, 4, 7);
            case POW -> Tensor.uniform(seed++, 0.3f, 2f, 4, 7);
            case CLAMP -> awayFromZero(0.1f, 2f, 4, 7); // kinks at ±1 handled below
            case SOFTPLUS -> Tensor.uniform(seed++, -3f, 3f, 4, 7);
            default -> randn(4, 7);
        };
        float p = switch (op) {
            case ELU -> 0.7f;
            case SOFTPLUS -> 2f;
            case CLAMP -> -0.5f;
            case POW -> 2.5f;
            default -> 0f;
        };
        float q = switch (op) {
            case SOFTPLUS -> 4f; // threshold inside the sampled range (βx up to 6)
            case CLAMP -> 0.75f;
            default -> 0f;
        };
        if (op == UnaryOp.CLAMP || op == UnaryOp.SOFTPLUS) {
            x = nudgeAwayFrom(x, op == UnaryOp.CLAMP ? new float[] {p, q} : new float[] {q / p}, 0.05f);
        }
        check(in -> ArithmeticOps.unary(in[0], op, p, q), x);
        // Non-contiguous input: the op sees a transposed view.
        Tensor xt = x.t().contiguous();
        check(in -> ArithmeticOps.unary(in[0].transpose(0, 1), op, p, q), xt);
    }

    private static Tensor nudgeAwayFrom(Tensor x, float[] kinks, float margin) {
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            for (float k : kinks) {
                if (Math.abs(v[i] - k) < margin) {
                    v[i] = k + (v[i] >= k ? margin : -margin);
                }
            }
        }
        return Tensor.wrap(v, x.shape());
    }

    @Test
    void dropoutWithFixedSeed() {
        check(in -> in[0].dropout(0.3f, true, 77L).tanh(), randn(6, 9));
        check(in -> in[0].dropout(0.3f, false, 77L).tanh(), randn(6, 9));
    }

    // ---------------------------------------------------------------- views and joins

    @Test
    void views() {
        check(in -> in[0].reshape(4, 6).tanh(), randn(2, 3, 4));
        check(in -> in[0].permute(2, 0, 1).reshape(-1).tanh(), randn(2, 3, 4));
        check(in -> in[0].transpose(0, 2).tanh(), randn(2, 3, 4));
        check(in -> in[0].narrow(1, 1, 2).tanh(), randn(2, 4, 3));
        check(in -> in[0].select(1, 2).tanh(), randn(2, 4, 3));
        check(in -> in[0].unsqueeze(1).expand(3, 5, 4).tanh(), randn(3, 4));
        check(in -> in[0].squeeze(1).tanh(), randn(3, 1, 4));
        check(in -> in[0].flatten(1, 2).tanh(), randn(3, 2, 4));
        check(in -> in[0].transpose(0, 1).contiguous().tanh(), randn(3, 5));
    }

    @Test
    void splitConcatStack() {
        check(in -> {
            Variable[] parts = in[0].split(1, 2, 3, 1);
            return Variable.concat(0, parts[2].tanh(), parts[0].mul(parts[0]).narrow(1, 0, 1), parts[1].sigmoid().narrow(1, 0, 1));
        }, randn(4, 6));
        check(in -> Variable.concat(1, in[0], in[1].tanh()), randn(3, 2), randn(3, 4));
        check(in -> Variable.stack(0, in[0], in[1]).tanh(), randn(3, 2), randn(3, 2));
        check(in -> Variable.stack(2, in[0].transpose(0, 1), in[1]).tanh(), randn(2, 3), randn(3, 2));
    }

    // ---------------------------------------------------------------- reductions

    @Test
    void sumAndMeanOverAxes() {
        int[][] axesCases = {{}, {0}, {1}, {2}, {0, 2}, {1, 2}, {-1}};
        for (int[] axes : axesCases) {
            for (boolean keep : new boolean[] {true, false}) {
                check(in -> in[0].sum(axes, keep).tanh(), randn(2, 3, 4));
                check(in -> in[0].mean(axes, keep).tanh(), randn(2, 3, 4));
            }
        }
        check(in -> in[0].transpose(0, 1).sum(new int[] {0}, false), randn(3, 5));
    }

    @Test
    void maxAndMinRouteToTheExtreme() {
        // Distinct values spaced well beyond the finite-difference step, in random order.
        float[] v = new float[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7 % 24) * 0.1f - 1.2f;
        }
        Tensor x = Tensor.wrap(v, 2, 3, 4);
        for (int[] axes : new int[][] {{}, {0}, {1}, {2}, {0, 2}}) {
            check(in -> in[0].max(axes, false).mul(in[0].max(axes, false)), x);
            check(in -> in[0].min(axes, true).exp(), x);
        }
    }

    @Test
    void variance() {
        check(in -> in[0].variance(new int[] {1}, false, 1), randn(3, 5));
        check(in -> in[0].variance(new int[] {0, 2}, true, 0), randn(3, 4, 2));
    }

    // ---------------------------------------------------------------- normalisation

    @Test
    void softmaxAndLogSoftmaxAlongEachAxis() {
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            check(in -> in[0].softmax(a), randn(3, 4, 5));
            check(in -> in[0].logSoftmax(a), randn(3, 4, 5));
        }
        check(in -> in[0].transpose(0, 1).softmax(-1), randn(5, 3));
        check(in -> in[0].softmax(-1), randn(2, 40)); // longer than a vector
    }

    @Test
    void layerNormWithAndWithoutAffine() {
        check(in -> in[0].layerNorm(1, in[1], in[2], 1e-5f), randn(4, 7), randn(7), randn(7));
        check(in -> in[0].layerNorm(1, null, null, 1e-5f), randn(3, 20));
        check(in -> in[0].layerNorm(2, in[1], null, 1e-5f), randn(2, 3, 4), randn(3, 4));
        check(in -> in[0].transpose(0, 1).layerNorm(1, null, in[1], 1e-5f), randn(5, 3), randn(5));
    }

    // ---------------------------------------------------------------- linear algebra

    @Test
    void matmulShapes() {
        check(in -> in[0].matmul(in[1]), randn(3, 4), randn(4, 5));
        check(in -> in[0].matmul(in[1]), randn(2, 3, 4), randn(4, 5));       // batch broadcast on the left
        check(in -> in[0].matmul(in[1]), randn(3, 4), randn(2, 4, 5));       // ... and on the right
        check(in -> in[0].matmul(in[1]), randn(2, 1, 3, 4), randn(3, 4, 2));  // both
        check(in -> in[0].matmul(in[1]), randn(4), randn(4, 3));             // vector · matrix
        check(in -> in[0].matmul(in[1]), randn(3, 4), randn(4));             // matrix · vector
        check(in -> in[0].matmul(in[1]), randn(4), randn(4));                // dot
        check(in -> in[0].transpose(0, 1).matmul(in[1].transpose(0, 1)), randn(4, 3), randn(5, 4)); // transposed operands
        check(in -> in[0].matmul(in[1].transpose(-1, -2)), randn(2, 3, 4), randn(2, 5, 4));
    }

    // ---------------------------------------------------------------- indexing

    @Test
    void embeddingLookupScatterAddsRepeatedIndices() {
        Tensor ids = Tensor.of(new float[] {2, 0, 2, 4, 1, 2}, 2, 3);
        check(in -> in[0].indexSelect(0, ids).tanh(), randn(5, 3));
        check(in -> in[0].indexSelect(1, Tensor.of(3f, 0f, 3f)).tanh(), randn(2, 4, 2));
    }

    @Test
    void gatherMaskedFillWhere() {
        Tensor index = Tensor.of(new float[] {0, 2, 2, 1, 1, 0}, 2, 3);
        check(in -> in[0].gather(1, index).tanh(), randn(2, 4));
        Tensor mask = Tensor.of(new float[] {1, 0, 0, 1, 0, 1}, 2, 3);
        check(in -> in[0].maskedFill(mask, -2f).tanh(), randn(2, 3));
        Tensor rowMask = Tensor.of(new float[] {0, 1, 1}, 3);
        check(in -> Variable.where(rowMask, in[0], in[1]).tanh(), randn(2, 3), randn(3));
    }

    // ---------------------------------------------------------------- composite

    @Test
    void twoLayerNetworkWithLayerNormAndSoftmax() {
        check(in -> {
            Variable x = in[0];
            Variable h = x.matmul(in[1]).add(in[2]).elu();
            h = h.layerNorm(1, in[3], in[4], 1e-5f);
            Variable logits = h.matmul(in[5]);
            Variable p = logits.softmax(-1);
            return p.mul(logits.logSoftmax(-1)).sum(new int[] {1}, false).mean();
        }, randn(6, 4), randn(4, 8), randn(8), randn(8), randn(8), randn(8, 3));
    }
}
