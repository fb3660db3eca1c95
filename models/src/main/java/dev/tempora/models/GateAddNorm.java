package dev.tempora.models;

import dev.tempora.autograd.Variable;

import java.util.random.RandomGenerator;

/** PTF's GateAddNorm: GatedLinearUnit(input → hidden) then AddNorm(hidden, skip). */
public final class GateAddNorm extends Module {

    private final GatedLinearUnit glu;
    private final AddNorm addNorm;

    /** @param dropout probability, or negative for none */
    public GateAddNorm(int inputSize, int hiddenSize, int skipSize, boolean trainableAdd, float dropout,
                       RandomGenerator rng) {
        this.glu = module("glu", new GatedLinearUnit(inputSize, hiddenSize, dropout, rng));
        this.addNorm = module("add_norm", new AddNorm(hiddenSize, skipSize, trainableAdd));
    }

    /** AddNorm(GLU(x), skip), (…, hiddenSize). */
    public Variable forward(Variable x, Variable skip) {
        if (addNorm.fusesGate()) {
            return addNorm.forwardGated(glu.gateProduct(x), glu.fc().bias, skip);
        }
        return addNorm.forward(glu.forward(x), skip);
    }

    GatedLinearUnit glu() {
        return glu;
    }
}
