package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/** Layer normalisation over the last axis with affine {@code weight} (1) and {@code bias} (0), eps 1e-5 (torch). */
public final class LayerNorm extends Module {

    public final int size;
    public final Variable weight;
    public final Variable bias;
    private final float eps;

    public LayerNorm(int size) {
        this.size = size;
        this.eps = 1e-5f;
        this.weight = parameter("weight", Tensor.ones(size));
        this.bias = parameter("bias", Tensor.zeros(size));
    }

    public float eps() {
        return eps;
    }

    public Variable forward(Variable x) {
        return x.layerNorm(1, weight, bias, eps);
    }

    @Override
    protected String describe() {
        return "LayerNorm(" + size + ")";
    }
}
