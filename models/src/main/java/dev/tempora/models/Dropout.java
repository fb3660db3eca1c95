package dev.tempora.models;

import dev.tempora.autograd.Variable;

/** Inverted dropout, active in training mode; masks are seeded by {@link DropoutSeeds}. */
public final class Dropout extends Module {

    public final float probability;

    public Dropout(float probability) {
        if (probability < 0f || probability >= 1f) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + probability);
        }
        this.probability = probability;
    }

    public Variable forward(Variable x) {
        if (!isTraining() || probability == 0f) {
            return x;
        }
        return x.dropout(probability, true, DropoutSeeds.next());
    }

    @Override
    protected String describe() {
        return "Dropout(p=" + probability + ")";
    }
}
