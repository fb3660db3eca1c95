package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/** Layer normalisation over the last axis with affine {@code weight} (1) and {@code bias} (0), eps 1e-5 (torch). */
public final class LayerNorm extends Module {

    /** Features of the normalised axis. */
    public final int size;
    /** The affine weight, (size), starting at 1. */
    public final Variable weight;
    /** The affine bias, (size), starting at 0. */
    public final Variable bias;
    private final float eps;

    /** Layer normalisation of a last axis of {@code size} features. */
    public LayerNorm(int size) {
        this.size = size;
        this.eps = 1e-5f;
        this.weight = parameter("weight", Tensor.ones(size));
        this.bias = parameter("bias", Tensor.zeros(size));
    }

    /** The epsilon added to the variance, 1e-5. */
    public float eps() {
        return eps;
    }

    /** x normalised over its last axis, times weight plus bias. */
    public Variable forward(Variable x) {
        return x.layerNorm(1, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + size + ")";
    }
}
