package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.ElementwiseKernels;
import dev.tempora.tensor.kernels.Gemm;
import dev.tempora.tensor.kernels.GluKernels;
import dev.tempora.tensor.kernels.ReductionKernels;
import dev.tempora.tensor.kernels.WeightedSumKernels;

import java.util.Arrays;

/**
 * Fused differentiable ops that layers are built from, as torch.nn.functional: one autograd node
 * each where the composition of elementary ops would cost several passes over memory.
 */
public final class Functional {

    private Functional() {}

    /**
     * {@code x · weightᵀ + bias} over the last axis of x (any leading shape), as torch's
     * {@code F.linear}: weight (out, in), bias (out) or null. One GEMM per direction, the bias added
     * to the product's rows in place.
     */
    public static Variable linear(Variable x, Variable weight, Variable bias) {
        Tensor w = checkLinear("linear", x, weight, bias);
        Tensor x2 = x.value().contiguous();
        Tensor y = product(x2, w);
        if (bias != null) {
            // Added after the product: a GEMM that overwrites C is cheaper than one that adds to it.
            Tensor b = bias.value().contiguous();
            ElementwiseKernels.addRowInPlace(y.storage(), 0, b.storage(), b.storageOffset(), rows(x2, w), w.size(0));
        }
        Variable[] inputs = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
        return Variable.fromOp(y, (g, sink) -> linearBackward(g.contiguous(), sink, x2, w, bias), inputs);
    }

    /**
     * {@code elu(x · weightᵀ + bias, alpha)}, as {@code F.elu(F.linear(x, weight, bias), alpha)}: the
     * bias and the ELU in one pass over the product, and the backward takes the ELU's derivative from
     * the output alone (1 where it is positive, output + alpha elsewhere, which for alpha &gt; 0 is
     * the derivative at the input), so no pre-activation is kept. Values and gradients are the unfused
     * layers' bit for bit.
     *
     * @param x      the input (…, in)
     * @param weight the weight (out, in)
     * @param bias   the bias (out), or null for none
     * @param alpha  ELU's alpha, positive
     * @return the activations (…, out)
     */
    public static Variable linearElu(Variable x, Variable weight, Variable bias, float alpha) {
        return LinearActivationOps.linearElu(x, weight, bias, null, alpha);
    }

    /**
     * {@code elu(x · weightᵀ + bias + addend, alpha)}, as GatedResidualNetwork's
     * {@code elu(fc1(x) + context(c))}: {@link #linearElu} with a second addend that broadcasts over
     * the axis before the last, added after the bias in the same pass. Values are the unfused ops' bit
     * for bit; gradients equal them to float rounding (the addend's is the sum over the broadcast axis).
     *
     * @param x      the input (…, T, in)
     * @param weight the weight (out, in)
     * @param bias   the bias (out), or null for none
     * @param addend (…, 1, out) to broadcast over T, or (…, T, out); the same leading axes as x
     * @param alpha  ELU's alpha, positive
     * @return the activations (…, T, out)
     */
    public static Variable linearAddElu(Variable x, Variable weight, Variable bias, Variable addend, float alpha) {
        if (addend == null) {
            throw new IllegalArgumentException("linearAddElu: the addend is null; use linearElu without one");
        }
        return LinearActivationOps.linearElu(x, weight, bias, addend, alpha);
    }

    /** Checks a linear layer's shapes; returns the weight, contiguous. */
    static Tensor checkLinear(String op, Variable x, Variable weight, Variable bias) {
        Tensor xv = x.value();
        Tensor w = weight.value().contiguous();
        int in = w.size(1);
        int out = w.size(0);
        if (xv.dim() == 0 || xv.size(-1) != in) {
            throw new IllegalArgumentException(op + ": input shape " + Arrays.toString(xv.shape())
                    + " does not end in the weight's input size " + in + " (weight shape " + Arrays.toString(w.shape()) + ")");
        }
        if (bias != null && bias.value().numel() != out) {
            throw new IllegalArgumentException(op + ": bias shape " + Arrays.toString(bias.shape())
                    + " does not match the weight's output size " + out);
        }
        return w;
    }

    static int rows(Tensor x2, Tensor w) {
        int in = w.size(1);
        return in == 0 ? 0 : x2.numel() / in;
    }

    /** x2 · wᵀ into a new tensor (…, out); x2 contiguous. */
    static Tensor product(Tensor x2, Tensor w) {
        int in = w.size(1);
        int out = w.size(0);
        int[] outShape = x2.shape();
        outShape[outShape.length - 1] = out;
        Tensor y = Tensor.empty(outShape);
        Gemm.sgemm(false, true, rows(x2, w), out, in, 1f, x2.storage(), x2.storageOffset(), in,
                w.storage(), w.storageOffset(), in, 0f, y.storage(), 0, out);
        return y;
    }

    /** The gradients of x, the weight and the bias from the gradient gc (contiguous) of x2 · wᵀ + bias. */
    static void linearBackward(Tensor gc, GradientSink sink, Tensor x2, Tensor w, Variable bias) {
        int in = w.size(1);
        int out = w.size(0);
        int rows = rows(x2, w);
        if (sink.needs(0)) {
            Tensor gx = Tensor.empty(x2.shape());
            Gemm.sgemm(false, false, rows, in, out, 1f, gc.storage(), gc.storageOffset(), out,
                    w.storage(), w.storageOffset(), in, 0f, gx.storage(), 0, in);
            sink.accumulate(0, gx);
        }
        if (sink.needs(1)) {
            Tensor gw = Tensor.empty(out, in);
            Gemm.sgemm(true, false, out, in, rows, 1f, gc.storage(), gc.storageOffset(), out,
                    x2.storage(), x2.storageOffset(), in, 0f, gw.storage(), 0, in);
            sink.accumulate(1, gw);
        }
        if (bias != null && sink.needs(2)) {
            Tensor gb = Tensor.empty(out);
            ReductionKernels.reduce(ReductionKernels.Kind.SUM, gc.storage(), gc.storageOffset(), 1, rows, out,
                    gb.storage(), 0);
            sink.accumulate(2, gb.reshape(bias.shape()));
        }
    }

    /** The gated linear unit over the last axis (size 2h → h): first half · σ(second half), as {@code F.glu}. */
    public static Variable glu(Variable x) {
        Tensor xv = x.value().contiguous();
        int two = xv.size(-1);
        if (two % 2 != 0) {
            throw new IllegalArgumentException("glu: the last axis must have an even size, got shape "
                    + Arrays.toString(xv.shape()));
        }
        int h = two / 2;
        int rows = two == 0 ? 0 : xv.numel() / two;
        int[] outShape = xv.shape();
        outShape[outShape.length - 1] = h;
        Tensor y = Tensor.empty(outShape);
        GluKernels.forward(xv.storage(), xv.storageOffset(), y.storage(), 0, rows, h);
        return Variable.fromOp(y, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(xv.shape());
            GluKernels.backward(xv.storage(), xv.storageOffset(), gc.storage(), gc.storageOffset(), gx.storage(), 0, rows, h);
            sink.accumulate(0, gx);
        }, x);
    }

    /**
     * {@code layerNorm(glu(z) + skip)} over the last axis, as PyTorch Forecasting's GateAddNorm ends:
     * z (..., 2h) is the gate layer's output, skip (..., h), weight and bias (h). One op, run in
     * chunks of rows so that the sum glu(z) + skip, the only intermediate (kept for the backward),
     * is normalised while it is still in cache; the backward is layer norm's, whose input gradient
     * is also the skip's, then the GLU's.
     */
    public static Variable gateAddNorm(Variable z, Variable skip, Variable weight, Variable bias, float eps) {
        return GateNormOps.gateAddNorm(z, null, skip, weight, bias, eps);
    }

    /**
     * {@code layerNorm(glu(z + gateBias) + skip)}: {@link #gateAddNorm(Variable, Variable, Variable, Variable, float)}
     * with the gate layer's bias (2h) added inside the op, so the gate layer can be a product without
     * a bias ({@code linear(x, weight, null)}) and no pass adds the bias to its (..., 2h) output. The
     * result and every gradient are those of the unfused layers: the bias gradient is the column sum of
     * the gate input's gradient. Without a tape (no input requires a gradient, or {@link GradMode} is
     * off) the op keeps no intermediate beyond one chunk of rows.
     *
     * @param z        the gate layer's product without its bias, (..., 2h)
     * @param gateBias the gate layer's bias, (2h), or null for none
     * @param skip     the residual, (..., h)
     * @param weight   the layer norm's weight, (h)
     * @param bias     the layer norm's bias, (h)
     * @param eps      the layer norm's epsilon
     * @return the normalised sum, shaped as skip
     */
    public static Variable gateAddNorm(Variable z, Variable gateBias, Variable skip, Variable weight, Variable bias,
                                       float eps) {
        return GateNormOps.gateAddNorm(z, gateBias, skip, weight, bias, eps);
    }

    /** The elements as an array indexed from 0: the tensor's own storage when it already is that. */
    static float[] dense(Tensor t) {
        Tensor c = t.contiguous();
        return c.storageOffset() == 0 ? c.storage() : c.copy().storage();
    }

    /**
     * Σ_v weights[..., v]·inputs[v] over the last axis: n inputs of one shape (..., len) and weights
     * holding n per leading position ((..., n), or (..., 1, n) as the variable selection network
     * keeps them), giving (..., len). The same as stacking the inputs on a new last axis, multiplying
     * by the weights and summing that axis, in one pass each way and without the stacked tensor.
     */
    public static Variable weightedSum(Variable[] inputs, Variable weights) {
        int n = inputs.length;
        if (n == 0) {
            throw new IllegalArgumentException("weightedSum needs at least one input");
        }
        int[] shape = inputs[0].shape();
        for (Variable v : inputs) {
            if (!Arrays.equals(v.shape(), shape)) {
                throw new IllegalArgumentException("weightedSum: input shapes " + Arrays.toString(shape) + " and "
                        + Arrays.toString(v.shape()) + " differ");
            }
        }
        int len = shape.length == 0 ? 1 : shape[shape.length - 1];
        int rows = len == 0 ? 0 : inputs[0].value().numel() / len;
        if (weights.value().numel() != rows * n || weights.size(-1) != n) {
            throw new IllegalArgumentException("weightedSum: weights of shape " + Arrays.toString(weights.shape())
                    + " do not hold " + n + " weights for each of the " + rows + " rows of inputs " + Arrays.toString(shape));
        }
        float[][] x = new float[n][];
        int[] xo = new int[n];
        Tensor[] values = new Tensor[n];
        for (int v = 0; v < n; v++) {
            values[v] = inputs[v].value().contiguous();
            x[v] = values[v].storage();
            xo[v] = values[v].storageOffset();
        }
        Tensor w = weights.value().contiguous();
        Tensor out = Tensor.empty(shape);
        WeightedSumKernels.forward(x, xo, w.storage(), w.storageOffset(), out.storage(), 0, rows, len);
        Variable[] all = Arrays.copyOf(inputs, n + 1);
        all[n] = weights;
        return Variable.fromOp(out, (g, sink) -> {
            Tensor gc = g.contiguous();
            float[][] gx = new float[n][];
            Tensor[] gradients = new Tensor[n];
            for (int v = 0; v < n; v++) {
                gradients[v] = Tensor.empty(shape);
                gx[v] = gradients[v].storage();
            }
            Tensor gw = Tensor.empty(weights.shape());
            WeightedSumKernels.backward(x, xo, w.storage(), w.storageOffset(), gc.storage(), gc.storageOffset(),
                    gx, new int[n], gw.storage(), 0, rows, len);
            for (int v = 0; v < n; v++) {
                sink.accumulate(v, gradients[v]);
            }
            sink.accumulate(n, gw);
        }, all);
    }

    /**
     * Max pooling over the last axis with kernel = stride = {@code kernel} in ceil mode, as torch's
     * {@code max_pool1d(x, kernel, kernel, ceil_mode=True)} (N-HiTS's input pooling): (…, L) becomes
     * (…, ⌈L/kernel⌉), the last window covering the remainder. NaN propagates; the gradient goes to each
     * window's first largest value.
     *
     * @param x      the input (…, L), L at least 1
     * @param kernel the window length and stride, at least 1
     * @return the window maxima (…, ⌈L/kernel⌉)
     */
    public static Variable maxPool1d(Variable x, int kernel) {
        return ResamplingOps.pool1d(x, kernel, true);
    }

    /**
     * Average pooling over the last axis with kernel = stride = {@code kernel} in ceil mode and no
     * padding, as torch's {@code avg_pool1d(x, kernel, kernel, ceil_mode=True)}: each window, the last
     * one possibly shorter, is divided by its own length.
     *
     * @param x      the input (…, L), L at least 1
     * @param kernel the window length and stride, at least 1
     * @return the window means (…, ⌈L/kernel⌉)
     */
    public static Variable avgPool1d(Variable x, int kernel) {
        return ResamplingOps.pool1d(x, kernel, false);
    }

    /**
     * Linear interpolation of the last axis to {@code size} values, as torch's
     * {@code F.interpolate(x, size=size, mode="linear")} (align_corners=False): output j reads the input
     * at scale·(j + ½) − ½ with scale = n / size, clamped to the input's ends.
     *
     * @param x    the input (…, n), n at least 1
     * @param size the output length, at least 1
     * @return the interpolated values (…, size)
     */
    public static Variable interpolateLinear(Variable x, int size) {
        return ResamplingOps.interpolate1d(x, size, true);
    }

    /**
     * Nearest-neighbour resizing of the last axis to {@code size} values, as torch's
     * {@code F.interpolate(x, size=size, mode="nearest")}: output j copies input ⌊j·n / size⌋.
     *
     * @param x    the input (…, n), n at least 1
     * @param size the output length, at least 1
     * @return the resized values (…, size)
     */
    public static Variable interpolateNearest(Variable x, int size) {
        return ResamplingOps.interpolate1d(x, size, false);
    }
}
