package dev.tempora.models;

import dev.tempora.autograd.Variable;

/** x for x > 0, else alpha·(eˣ − 1) (torch.nn.ELU, alpha 1). */
public final class Elu extends Module {

    private final float alpha;

    /** ELU with alpha 1. */
    public Elu() {
        this(1f);
    }

    /** ELU with the given alpha. */
    public Elu(float alpha) {
        this.alpha = alpha;
    }

    /** The alpha: the value approached as x goes to −∞ is −alpha. */
    public float alpha() {
        return alpha;
    }

    /** ELU of every element. */
    public Variable forward(Variable x) {
        return x.elu(alpha);
    }

    @Override
    protected String describe() {
        return "ELU(alpha=" + alpha + ")";
    }
}
