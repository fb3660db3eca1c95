package dev.tempora.models;

import dev.tempora.autograd.Variable;

/** Inverted dropout, active in training mode; masks are seeded by {@link DropoutSeeds}. */
public final class Dropout extends Module {

    /** The probability of zeroing an element. */
    public final float probability;

    /** Dropout with probability in [0, 1). */
    public Dropout(float probability) {
        if (probability < 0f || probability >= 1f) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + probability);
        }
        this.probability = probability;
    }

    /** x with dropout in training mode, x itself in eval mode. */
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
