package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;

import java.util.random.RandomGenerator;

/** y = x·Wᵀ + b over the last axis (torch.nn.Linear); parameters {@code weight} (out, in) and {@code bias} (out). */
public final class Linear extends Module {

    /** Input features. */
    public final int inFeatures;
    /** Output features. */
    public final int outFeatures;
    /** The weight, (out, in). */
    public final Variable weight;
    /** The bias, (out), or null for a layer without one. */
    public final Variable bias;

    /** torch's default initialisation: weight and bias U(−1/√in, 1/√in). */
    public Linear(int in, int out, boolean bias, RandomGenerator rng) {
        this.inFeatures = in;
        this.outFeatures = out;
        this.weight = parameter("weight", Init.fanInUniform(rng, in, out, in));
        this.bias = bias ? parameter("bias", Init.fanInUniform(rng, in, out)) : null;
    }

    /** x·Wᵀ + b over the last axis: (…, in) → (…, out). */
    public Variable forward(Variable x) {
        return Functional.linear(x, weight, bias);
    }

    @Override
    protected String describe() {
        return "Linear(" + inFeatures + " -> " + outFeatures + (bias == null ? ", no bias)" : ")");
    }
}
