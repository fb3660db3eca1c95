package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;

import java.util.random.RandomGenerator;

/** PTF's GatedLinearUnit: [dropout] → Linear(in, 2·hidden) → first half · σ(second half). fc is xavier-uniform, bias 0. */
public final class GatedLinearUnit extends Module {

    /** Input features. */
    public final int inputSize;
    /** Output features (half of the linear layer's). */
    public final int hiddenSize;
    private final Dropout dropout;
    private final Linear fc;

    /** @param dropout probability, or a negative value for no dropout layer (PTF's dropout=None) */
    public GatedLinearUnit(int inputSize, int hiddenSize, float dropout, RandomGenerator rng) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.dropout = dropout >= 0f ? module("dropout", new Dropout(dropout)) : null;
        this.fc = module("fc", new Linear(inputSize, 2 * hiddenSize, true, rng));
        fc.weight.value().copyFrom(Init.xavierUniform(rng, 2 * hiddenSize, inputSize));
        fc.bias.value().fill(0f);
    }

    /** The gated output, (…, hiddenSize). */
    public Variable forward(Variable x) {
        if (dropout != null) {
            x = dropout.forward(x);
        }
        return Functional.glu(fc.forward(x));
    }

    /**
     * [dropout] → the fc layer's product without its bias: for a layer that adds {@link #fc}'s bias
     * itself, fused with the gate ({@link dev.tempora.autograd.Functional#gateAddNorm(Variable, Variable,
     * Variable, Variable, Variable, float)}).
     */
    Variable gateProduct(Variable x) {
        if (dropout != null) {
            x = dropout.forward(x);
        }
        return Functional.linear(x, fc.weight, null);
    }

    Linear fc() {
        return fc;
    }

    @Override
    protected String describe() {
        return "GatedLinearUnit(" + inputSize + " -> " + hiddenSize + ")";
    }
}
