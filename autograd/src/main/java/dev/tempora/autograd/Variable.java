package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.UnaryOp;

/**
 * A tensor in the autograd graph: define-by-run reverse mode with PyTorch semantics.
 *
 * <p>A leaf made with {@link #parameter} requires a gradient; every op on variables records a node
 * (its backward function and inputs) when any input requires a gradient and {@link GradMode} is on.
 * {@link #backward()} walks the graph once in reverse topological order; leaf gradients accumulate
 * into {@link #grad()} until {@link #zeroGrad()}. The graph is released after backward (its saved
 * tensors dropped); a second backward through it is an error unless the first retained it.
 *
 * <pre>{@code
 * Variable w = Variable.parameter(Tensor.randn(1, 3, 2));
 * Variable x = Variable.constant(Tensor.randn(2, 4, 3));
 * Variable loss = x.matmul(w).tanh().square().mean();
 * loss.backward();            // w.grad() now holds d loss / d w
 * }</pre>
 *
 * <p>The ops live in families ({@link ArithmeticOps}, {@link ShapeOps}, {@link ReductionOps},
 * {@link NormalizationOps}, {@link IndexingOps}); each keeps its forward and backward together.
 * New differentiable ops (fused layers) are made with {@link #fromOp}.
 */
public final class Variable {

    private final Tensor value;
    private final boolean requiresGrad;
    /** The op that produced this variable; null for leaves and for results that need no gradient. */
    Node node;
    /** Accumulated gradient of a leaf that requires one. */
    private Tensor grad;
    private String name;

    private Variable(Tensor value, boolean requiresGrad, Node node) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.node = node;
    }

    /** A leaf that requires a gradient: a trainable weight or an input to differentiate against. */
    public static Variable parameter(Tensor value) {
        return new Variable(value, true, null);
    }

    /** A leaf that needs no gradient: data, masks, constants. */
    public static Variable constant(Tensor value) {
        return new Variable(value, false, null);
    }

    public static Variable constant(float value) {
        return constant(Tensor.scalar(value));
    }

    /**
     * The result of a differentiable op: records {@code backward} when grad mode is on and some input
     * requires a gradient, else returns a constant (and the caller's saved tensors are dropped).
     * {@code backward} receives the gradient of this result and sends each input's share to the sink.
     */
    public static Variable fromOp(Tensor result, BackwardFunction backward, Variable... inputs) {
        if (!needsGraph(inputs)) {
            return constant(result);
        }
        return new Variable(result, true, new Node(backward, inputs));
    }

    /** True when an op on these inputs must record a node: grad mode on and some input requires grad. */
    public static boolean needsGraph(Variable... inputs) {
        if (!GradMode.isEnabled()) {
            return false;
        }
        for (Variable v : inputs) {
            if (v.requiresGrad) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ state

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient of a leaf (null until a backward reaches it, or for non-leaves). */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient buffer (data-parallel reduction writes averaged gradients here). */
    public void setGrad(Tensor g) {
        if (g != null && !g.sameShape(value)) {
            throw new IllegalArgumentException("gradient of shape " + java.util.Arrays.toString(g.shape())
                    + " for a variable of shape " + java.util.Arrays.toString(value.shape()));
        }
        grad = g;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isLeaf() {
        return node == null;
    }

    /** Sets the gradient to zero, keeping its buffer for the next step (as torch's {@code zero_()}). */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    /** A new leaf sharing this value, outside the graph. */
    public Variable detach() {
        return constant(value);
    }

    public String name() {
        return name;
    }

    public Variable named(String n) {
        this.name = n;
        return this;
    }

    public int[] shape() {
        return value.shape();
    }

    public int size(int axis) {
        return value.size(axis);
    }

    public int dim() {
        return value.dim();
    }

    public float item() {
        return value.item();
    }

    @Override
    public String toString() {
        return "Variable(" + (name == null ? "" : name + ", ") + (requiresGrad ? "requiresGrad, " : "")
                + value + ")";
    }

    // ------------------------------------------------------------------ backward

    /** Backpropagates from a one-element result. */
    public void backward() {
        if (value.numel() != 1) {
            throw new IllegalStateException("backward() without a gradient needs a one-element result, got shape "
                    + java.util.Arrays.toString(value.shape()) + "; pass the output gradient");
        }
        backward(Tensor.ones(value.shape()), false);
    }

    /** Backpropagates {@code gradOutput} (the gradient of some scalar with respect to this variable). */
    public void backward(Tensor gradOutput) {
        backward(gradOutput, false);
    }

    public void backward(Tensor gradOutput, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a variable that does not require a gradient: no input of the"
                    + " computation is a parameter, or it ran under GradMode.noGrad()");
        }
        if (!gradOutput.sameShape(value)) {
            throw new IllegalArgumentException("backward: gradient shape " + java.util.Arrays.toString(gradOutput.shape())
                    + " differs from output shape " + java.util.Arrays.toString(value.shape()));
        }
        Backpropagation.run(this, gradOutput, retainGraph);
    }

    /** Called by the engine when a gradient reaches a leaf that requires one. */
    void accumulateLeafGradient(Tensor g) {
        if (GradientSet.accumulateIfCaptured(this, g)) {
            return;
        }
        if (grad == null) {
            // Leaf gradients outlive any BufferPool scope of the step that produced them.
            grad = g.persistentCopy();
        } else {
            grad.addInPlace(g.sameShape(grad) ? g : g.reshape(grad.shape()));
        }
    }

    // ------------------------------------------------------------------ arithmetic (broadcasting)

    public Variable add(Variable o) { return ArithmeticOps.add(this, o); }
    public Variable sub(Variable o) { return ArithmeticOps.sub(this, o); }
    public Variable mul(Variable o) { return ArithmeticOps.mul(this, o); }
    public Variable div(Variable o) { return ArithmeticOps.div(this, o); }
    public Variable pow(Variable exponent) { return ArithmeticOps.pow(this, exponent); }
    public Variable add(float c) { return ArithmeticOps.addScalar(this, c); }
    public Variable sub(float c) { return ArithmeticOps.addScalar(this, -c); }
    public Variable mul(float c) { return ArithmeticOps.mulScalar(this, c); }
    public Variable div(float c) { return ArithmeticOps.mulScalar(this, 1f / c); }

    public Variable neg() { return ArithmeticOps.unary(this, UnaryOp.NEG, 0f, 0f); }
    public Variable exp() { return ArithmeticOps.unary(this, UnaryOp.EXP, 0f, 0f); }
    public Variable log() { return ArithmeticOps.unary(this, UnaryOp.LOG, 0f, 0f); }
    public Variable sqrt() { return ArithmeticOps.unary(this, UnaryOp.SQRT, 0f, 0f); }
    public Variable abs() { return ArithmeticOps.unary(this, UnaryOp.ABS, 0f, 0f); }
    public Variable tanh() { return ArithmeticOps.unary(this, UnaryOp.TANH, 0f, 0f); }
    public Variable sigmoid() { return ArithmeticOps.unary(this, UnaryOp.SIGMOID, 0f, 0f); }
    public Variable relu() { return ArithmeticOps.unary(this, UnaryOp.RELU, 0f, 0f); }
    public Variable square() { return ArithmeticOps.unary(this, UnaryOp.SQUARE, 0f, 0f); }
    public Variable reciprocal() { return ArithmeticOps.unary(this, UnaryOp.RECIPROCAL, 0f, 0f); }
    public Variable pow(float exponent) { return ArithmeticOps.unary(this, UnaryOp.POW, exponent, 0f); }
    public Variable elu(float alpha) { return ArithmeticOps.unary(this, UnaryOp.ELU, alpha, 0f); }
    public Variable elu() { return elu(1f); }
    public Variable softplus(float beta, float threshold) { return ArithmeticOps.unary(this, UnaryOp.SOFTPLUS, beta, threshold); }
    public Variable softplus() { return softplus(1f, 20f); }
    public Variable clamp(float min, float max) { return ArithmeticOps.unary(this, UnaryOp.CLAMP, min, max); }

    /** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). */
    public Variable dropout(float p, boolean training, long seed) {
        return ArithmeticOps.dropout(this, p, training, seed);
    }

    // ------------------------------------------------------------------ shape

    public Variable reshape(int... shape) { return ShapeOps.reshape(this, shape); }
    public Variable flatten(int from, int to) { return ShapeOps.flatten(this, from, to); }
    public Variable permute(int... order) { return ShapeOps.permute(this, order); }
    public Variable transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    public Variable narrow(int axis, int start, int length) { return ShapeOps.narrow(this, axis, start, length); }
    public Variable select(int axis, int index) { return ShapeOps.select(this, axis, index); }
    public Variable unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    public Variable squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    public Variable expand(int... shape) { return ShapeOps.expand(this, shape); }
    public Variable contiguous() { return ShapeOps.contiguous(this); }
    public Variable[] split(int axis, int... sizes) { return ShapeOps.split(this, axis, sizes); }

    public static Variable concat(int axis, Variable... parts) { return ShapeOps.concat(axis, parts); }
    public static Variable stack(int axis, Variable... parts) { return ShapeOps.stack(axis, parts); }

    // ------------------------------------------------------------------ reductions

    public Variable sum() { return ReductionOps.sum(this, new int[0], false); }
    public Variable sum(int axis) { return ReductionOps.sum(this, new int[] {axis}, false); }
    public Variable sum(int[] axes, boolean keepDim) { return ReductionOps.sum(this, axes, keepDim); }
    public Variable mean() { return ReductionOps.mean(this, new int[0], false); }
    public Variable mean(int axis) { return ReductionOps.mean(this, new int[] {axis}, false); }
    public Variable mean(int[] axes, boolean keepDim) { return ReductionOps.mean(this, axes, keepDim); }
    public Variable max(int[] axes, boolean keepDim) { return ReductionOps.extreme(this, axes, keepDim, true); }
    public Variable min(int[] axes, boolean keepDim) { return ReductionOps.extreme(this, axes, keepDim, false); }
    public Variable max() { return max(new int[0], false); }
    public Variable min() { return min(new int[0], false); }
    public Variable variance(int[] axes, boolean keepDim, int correction) {
        return ReductionOps.variance(this, axes, keepDim, correction);
    }

    // ------------------------------------------------------------------ normalisation, linear algebra

    public Variable softmax(int axis) { return NormalizationOps.softmax(this, axis, false); }
    public Variable logSoftmax(int axis) { return NormalizationOps.softmax(this, axis, true); }

    /** Layer norm over the last {@code dims} axes with optional affine weight and bias (null for none). */
    public Variable layerNorm(int dims, Variable weight, Variable bias, float eps) {
        return NormalizationOps.layerNorm(this, dims, weight, bias, eps);
    }

    /** torch.matmul; transposed views go to GEMM without copies in both passes. */
    public Variable matmul(Variable o) { return LinearAlgebraOps.matmul(this, o); }

    // ------------------------------------------------------------------ indexing and selection

    /** Embedding lookup and friends: the gradient scatter-adds into the table. */
    public Variable indexSelect(int axis, Tensor indices) { return IndexingOps.indexSelect(this, axis, indices); }
    public Variable gather(int axis, Tensor index) { return IndexingOps.gather(this, axis, index); }
    public Variable maskedFill(Tensor mask, float value) { return IndexingOps.maskedFill(this, mask, value); }
    public static Variable where(Tensor condition, Variable a, Variable b) { return IndexingOps.where(condition, a, b); }
}
