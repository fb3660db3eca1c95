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

    /** A 0-d constant. */
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

    /** The tensor this variable holds (the op's result, or the leaf's data). */
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

    /**
     * Whether gradients flow to this variable: a parameter, or the result of an op on one while grad mode was on.
     */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Whether this variable was created directly (a parameter or a constant) rather than by an op. */
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

    /** The name given with {@link #named}, or null; {@link #toString()} shows it. */
    public String name() {
        return name;
    }

    /** Names this variable (for messages) and returns it. */
    public Variable named(String n) {
        this.name = n;
        return this;
    }

    /** A copy of the value's shape. */
    public int[] shape() {
        return value.shape();
    }

    /** The value's size along an axis (negative counts from the end). */
    public int size(int axis) {
        return value.size(axis);
    }

    /** The value's number of axes. */
    public int dim() {
        return value.dim();
    }

    /** The value of a one-element variable. */
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

    /**
     * Backpropagates {@code gradOutput}; {@code retainGraph} keeps the graph's saved tensors so that it can be
     * backpropagated again (as torch's {@code retain_graph}).
     */
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

    /** {@link Tensor#add(Tensor)}, differentiable. */
    public Variable add(Variable o) { return ArithmeticOps.add(this, o); }
    /** {@link Tensor#sub(Tensor)}, differentiable. */
    public Variable sub(Variable o) { return ArithmeticOps.sub(this, o); }
    /** {@link Tensor#mul(Tensor)}, differentiable. */
    public Variable mul(Variable o) { return ArithmeticOps.mul(this, o); }
    /** {@link Tensor#div(Tensor)}, differentiable. */
    public Variable div(Variable o) { return ArithmeticOps.div(this, o); }
    /** {@link Tensor#pow(Tensor)}, differentiable in both operands. */
    public Variable pow(Variable exponent) { return ArithmeticOps.pow(this, exponent); }
    /** this + c, differentiable. */
    public Variable add(float c) { return ArithmeticOps.addScalar(this, c); }
    /** this − c, differentiable. */
    public Variable sub(float c) { return ArithmeticOps.addScalar(this, -c); }
    /** this · c, differentiable. */
    public Variable mul(float c) { return ArithmeticOps.mulScalar(this, c); }
    /** this / c (as this · (1/c)), differentiable. */
    public Variable div(float c) { return ArithmeticOps.mulScalar(this, 1f / c); }

    /** −x, differentiable. */
    public Variable neg() { return ArithmeticOps.unary(this, UnaryOp.NEG, 0f, 0f); }
    /** e^x, differentiable. */
    public Variable exp() { return ArithmeticOps.unary(this, UnaryOp.EXP, 0f, 0f); }
    /** The natural logarithm, differentiable. */
    public Variable log() { return ArithmeticOps.unary(this, UnaryOp.LOG, 0f, 0f); }
    /** The square root, differentiable. */
    public Variable sqrt() { return ArithmeticOps.unary(this, UnaryOp.SQRT, 0f, 0f); }
    /** |x|, differentiable (the gradient at 0 is 0, as torch). */
    public Variable abs() { return ArithmeticOps.unary(this, UnaryOp.ABS, 0f, 0f); }
    /** The hyperbolic tangent, differentiable. */
    public Variable tanh() { return ArithmeticOps.unary(this, UnaryOp.TANH, 0f, 0f); }
    /** The logistic function, differentiable. */
    public Variable sigmoid() { return ArithmeticOps.unary(this, UnaryOp.SIGMOID, 0f, 0f); }
    /** max(x, 0), differentiable (the gradient at 0 is 0). */
    public Variable relu() { return ArithmeticOps.unary(this, UnaryOp.RELU, 0f, 0f); }
    /** x², differentiable. */
    public Variable square() { return ArithmeticOps.unary(this, UnaryOp.SQUARE, 0f, 0f); }
    /** 1 / x, differentiable. */
    public Variable reciprocal() { return ArithmeticOps.unary(this, UnaryOp.RECIPROCAL, 0f, 0f); }
    /** x raised to a constant exponent, differentiable. */
    public Variable pow(float exponent) { return ArithmeticOps.unary(this, UnaryOp.POW, exponent, 0f); }
    /** {@link Tensor#elu(float)}, differentiable. */
    public Variable elu(float alpha) { return ArithmeticOps.unary(this, UnaryOp.ELU, alpha, 0f); }
    /** ELU with alpha 1, differentiable. */
    public Variable elu() { return elu(1f); }
    /** {@link Tensor#softplus(float, float)}, differentiable. */
    public Variable softplus(float beta, float threshold) { return ArithmeticOps.unary(this, UnaryOp.SOFTPLUS, beta, threshold); }
    /** Softplus with torch's defaults (β 1, threshold 20), differentiable. */
    public Variable softplus() { return softplus(1f, 20f); }
    /** x limited to [min, max], differentiable (the gradient passes where min ≤ x ≤ max). */
    public Variable clamp(float min, float max) { return ArithmeticOps.unary(this, UnaryOp.CLAMP, min, max); }

    /** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). */
    public Variable dropout(float p, boolean training, long seed) {
        return ArithmeticOps.dropout(this, p, training, seed);
    }

    // ------------------------------------------------------------------ shape

    /** {@link Tensor#reshape}, differentiable. */
    public Variable reshape(int... shape) { return ShapeOps.reshape(this, shape); }
    /** Merges axes {@code from} through {@code to} (inclusive) into one, differentiable. */
    public Variable flatten(int from, int to) { return ShapeOps.flatten(this, from, to); }
    /** {@link Tensor#permute}, differentiable. */
    public Variable permute(int... order) { return ShapeOps.permute(this, order); }
    /** Swaps two axes, differentiable. */
    public Variable transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    /** {@link Tensor#narrow}, differentiable. */
    public Variable narrow(int axis, int start, int length) { return ShapeOps.narrow(this, axis, start, length); }
    /** {@link Tensor#select}, differentiable. */
    public Variable select(int axis, int index) { return ShapeOps.select(this, axis, index); }
    /** Inserts an axis of length 1, differentiable. */
    public Variable unsqueeze(int axis) { return ShapeOps.unsqueeze(this, axis); }
    /** Removes an axis of length 1, differentiable. */
    public Variable squeeze(int axis) { return ShapeOps.squeeze(this, axis); }
    /** {@link Tensor#expand}, differentiable: the gradient is summed over the broadcast axes. */
    public Variable expand(int... shape) { return ShapeOps.expand(this, shape); }
    /** {@link Tensor#contiguous()}, differentiable. */
    public Variable contiguous() { return ShapeOps.contiguous(this); }
    /** {@link Tensor#split}, differentiable. */
    public Variable[] split(int axis, int... sizes) { return ShapeOps.split(this, axis, sizes); }

    /** Joins variables along an existing axis, differentiable. */
    public static Variable concat(int axis, Variable... parts) { return ShapeOps.concat(axis, parts); }
    /** Joins same-shaped variables along a new axis, differentiable. */
    public static Variable stack(int axis, Variable... parts) { return ShapeOps.stack(axis, parts); }

    // ------------------------------------------------------------------ reductions

    /** The sum of all elements, 0-d, differentiable. */
    public Variable sum() { return ReductionOps.sum(this, new int[0], false); }
    /** Sums over one axis, which is removed, differentiable. */
    public Variable sum(int axis) { return ReductionOps.sum(this, new int[] {axis}, false); }
    /** {@link Tensor#sum(int[], boolean)}, differentiable. */
    public Variable sum(int[] axes, boolean keepDim) { return ReductionOps.sum(this, axes, keepDim); }
    /** The mean of all elements, 0-d, differentiable. */
    public Variable mean() { return ReductionOps.mean(this, new int[0], false); }
    /** The mean over one axis, which is removed, differentiable. */
    public Variable mean(int axis) { return ReductionOps.mean(this, new int[] {axis}, false); }
    /** {@link Tensor#mean(int[], boolean)}, differentiable. */
    public Variable mean(int[] axes, boolean keepDim) { return ReductionOps.mean(this, axes, keepDim); }
    /** {@link Tensor#max(int[], boolean)}, differentiable. */
    public Variable max(int[] axes, boolean keepDim) { return ReductionOps.extreme(this, axes, keepDim, true); }
    /** {@link Tensor#min(int[], boolean)}, differentiable. */
    public Variable min(int[] axes, boolean keepDim) { return ReductionOps.extreme(this, axes, keepDim, false); }
    /** The largest element, 0-d, differentiable. */
    public Variable max() { return max(new int[0], false); }
    /** The smallest element, 0-d, differentiable. */
    public Variable min() { return min(new int[0], false); }
    /** {@link Tensor#variance}, differentiable. */
    public Variable variance(int[] axes, boolean keepDim, int correction) {
        return ReductionOps.variance(this, axes, keepDim, correction);
    }

    // ------------------------------------------------------------------ normalisation, linear algebra

    /** {@link Tensor#softmax}, differentiable. */
    public Variable softmax(int axis) { return NormalizationOps.softmax(this, axis, false); }
    /** {@link Tensor#logSoftmax}, differentiable. */
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
    /** torch.gather along {@code axis}, differentiable: the gradient scatter-adds back. */
    public Variable gather(int axis, Tensor index) { return IndexingOps.gather(this, axis, index); }
    /** {@link Tensor#maskedFill}, differentiable: no gradient flows where the mask is set. */
    public Variable maskedFill(Tensor mask, float value) { return IndexingOps.maskedFill(this, mask, value); }
    /** {@link Tensor#where}, differentiable in {@code a} and {@code b}. */
    public static Variable where(Tensor condition, Variable a, Variable b) { return IndexingOps.where(condition, a, b); }
}
