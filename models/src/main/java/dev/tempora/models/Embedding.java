package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.random.RandomGenerator;

/** A lookup table of {@code size}-long vectors for {@code classes} ids (torch.nn.Embedding, N(0, 1) init). */
public final class Embedding extends Module {

    public final int classes;
    public final int size;
    public final Variable weight;

    public Embedding(int classes, int size, RandomGenerator rng) {
        this.classes = classes;
        this.size = size;
        this.weight = parameter("weight", Tensor.randn(rng, classes, size));
    }

    /** ids of any shape (exact integer floats) → (..., size). */
    public Variable forward(Tensor ids) {
        return weight.indexSelect(0, ids);
    }

    @Override
    protected String describe() {
        return "Embedding(" + classes + ", " + size + ")";
    }
}
