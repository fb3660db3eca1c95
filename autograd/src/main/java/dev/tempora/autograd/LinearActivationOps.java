package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.ElementwiseKernels;
import dev.tempora.tensor.kernels.ReductionKernels;
import dev.tempora.tensor.kernels.UnaryOp;

import java.util.Arrays;

/**
 * A linear layer and the ELU after it as one op ({@link Functional#linearElu},
 * {@link Functional#linearAddElu}): the bias, an optional broadcast addend and the ELU in one pass
 * over the product, forward and backward together. The backward takes the ELU's derivative from the
 * output (1 where it is positive, output + alpha elsewhere: for alpha &gt; 0 the output is positive
 * exactly where the input is), so neither the product nor the pre-activation is kept.
 */
final class LinearActivationOps {

    private LinearActivationOps() {}

    /** elu(x · wᵀ + bias [+ addend], alpha); addend null for none. */
    static Variable linearElu(Variable x, Variable weight, Variable bias, Variable addend, float alpha) {
        String op = addend == null ? "linearElu" : "linearAddElu";
        if (!(alpha > 0f)) {
            throw new IllegalArgumentException(op + ": alpha must be positive (the backward reads the sign of the"
                    + " output), got " + alpha + "; use linear(...).elu(alpha) instead");
        }
        Tensor w = Functional.checkLinear(op, x, weight, bias);
        Tensor x2 = x.value().contiguous();
        Tensor pre = Functional.product(x2, w);
        int out = w.size(0);
        int rows = Functional.rows(x2, w);
        int rowsPerAdd = addend == null ? 1 : rowsPerAddend(pre.shape(), addend.shape());
        Tensor b = bias != null ? bias.value().contiguous() : Tensor.zeros(out);
        Tensor y = Tensor.empty(pre.shape());
        if (addend == null) {
            ElementwiseKernels.addRowElu(pre.storage(), 0, b.storage(), b.storageOffset(), y.storage(), 0, rows, out,
                    alpha);
        } else {
            Tensor a = addend.value().contiguous();
            ElementwiseKernels.addRowsElu(pre.storage(), 0, b.storage(), b.storageOffset(), a.storage(),
                    a.storageOffset(), rowsPerAdd, y.storage(), 0, rows, out, alpha);
        }
        Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
        if (addend != null) {
            inputs = Arrays.copyOf(inputs, inputs.length + 1);
            inputs[inputs.length - 1] = addend;
        }
        int addendIndex = inputs.length - 1;
        return Variable.fromOp(y, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gPre = Tensor.empty(y.shape());
            // ELU's derivative at x is 1 for x > 0, else y + alpha; y > 0 exactly where x > 0.
            ElementwiseKernels.unaryBackward(UnaryOp.ELU, alpha, 0f, gc.storage(), gc.storageOffset(), y.storage(), 0,
                    y.storage(), 0, gPre.storage(), 0, y.numel());
            Functional.linearBackward(gPre, sink, x2, w, bias);
            if (addend != null && sink.needs(addendIndex)) {
                Tensor ga = Tensor.empty(addend.shape());
                ReductionKernels.reduce(ReductionKernels.Kind.SUM, gPre.storage(), 0, rows / rowsPerAdd, rowsPerAdd, out,
                        ga.storage(), 0);
                sink.accumulate(addendIndex, ga);
            }
        }, inputs);
    }

    /**
     * How many consecutive output rows share one addend row: the output's axis before the last when
     * the addend has 1 there, else 1 (the same shape as the output).
     */
    private static int rowsPerAddend(int[] outShape, int[] addShape) {
        int d = outShape.length;
        boolean fits = addShape.length == d && d >= 2 && addShape[d - 1] == outShape[d - 1]
                && (addShape[d - 2] == 1 || addShape[d - 2] == outShape[d - 2]);
        for (int i = 0; fits && i < d - 2; i++) {
            fits = addShape[i] == outShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("linearAddElu: the addend's shape " + Arrays.toString(addShape)
                    + " is neither the output's " + Arrays.toString(outShape)
                    + " nor that shape with 1 in the axis before the last");
        }
        return addShape[d - 2] == 1 ? Math.max(outShape[d - 2], 1) : 1;
    }
}
