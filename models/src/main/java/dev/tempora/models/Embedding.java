package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.random.RandomGenerator;

/** A lookup table of {@code size}-long vectors for {@code classes} ids (torch.nn.Embedding, N(0, 1) init). */
public final class Embedding extends Module {

    /** The number of ids (rows of the table). */
    public final int classes;
    /** The length of each vector. */
    public final int size;
    /** The table, (classes, size). */
    public final Variable weight;

    /** A table drawn from N(0, 1) with {@code rng}. */
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
