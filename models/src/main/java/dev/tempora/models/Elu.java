package dev.tempora.models;

import dev.tempora.autograd.Variable;

/** x for x > 0, else alpha·(eˣ − 1) (torch.nn.ELU, alpha 1). */
public final class Elu extends Module {

    private final float alpha;

    public Elu() {
        this(1f);
    }

    public Elu(float alpha) {
        this.alpha = alpha;
    }

    public Variable forward(Variable x) {
        return x.elu(alpha);
    }

    @Override
    protected String describe() {
        return "ELU(alpha=" + alpha + ")";
    }
}
