package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;

import java.util.random.RandomGenerator;

/**
 * PTF's GatedResidualNetwork: fc1(x) [+ context(c)] → ELU → fc2 → GateAddNorm with the residual x
 * (resampled and normalised to the output size when sizes differ). fc1 and fc2 are kaiming-normal,
 * the context layer xavier-uniform without bias, all biases 0.
 */
public final class GatedResidualNetwork extends Module {

    /** Input features. */
    public final int inputSize;
    /** Features of the hidden layer. */
    public final int hiddenSize;
    /** Output features. */
    public final int outputSize;
    private final ResampleNorm resampleNorm;
    private final Linear fc1;
    private final Linear context;
    private final Elu elu;
    private final Linear fc2;
    private final GateAddNorm gateNorm;

    /** @param contextSize size of the optional context input, or 0 for none */
    public GatedResidualNetwork(int inputSize, int hiddenSize, int outputSize, float dropout, int contextSize,
                                RandomGenerator rng) {
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.outputSize = outputSize;
        this.resampleNorm = inputSize != outputSize
                ? module("resample_norm", new ResampleNorm(inputSize, outputSize, true)) : null;
        this.fc1 = module("fc1", new Linear(inputSize, hiddenSize, true, rng));
        this.elu = module("elu", new Elu());
        if (contextSize > 0) {
            this.context = module("context", new Linear(contextSize, hiddenSize, false, rng));
            context.weight.value().copyFrom(Init.xavierUniform(rng, hiddenSize, contextSize));
        } else {
            this.context = null;
        }
        this.fc2 = module("fc2", new Linear(hiddenSize, hiddenSize, true, rng));
        this.gateNorm = module("gate_norm", new GateAddNorm(hiddenSize, outputSize, outputSize, false, dropout, rng));
        for (Linear fc : new Linear[] {fc1, fc2}) {
            fc.weight.value().copyFrom(Init.kaimingNormal(rng, fc.outFeatures, fc.inFeatures));
            fc.bias.value().fill(0f);
        }
        // PTF's init loop zeroes every bias under the GRN, the gate's included.
        gateNorm.glu().fc().bias.value().fill(0f);
    }

    /** The network's output without a context, (…, outputSize). */
    public Variable forward(Variable x) {
        return forward(x, null);
    }

    /**
     * @param contextInput (B, context) or (B, 1, context) for inputs with a time axis; it is
     *                     projected once and broadcast over time, as PTF's expanded context is.
     */
    public Variable forward(Variable x, Variable contextInput) {
        Variable residual = resampleNorm != null ? resampleNorm.forward(x) : x;
        Variable h;
        if (contextInput != null) {
            if (context == null) {
                throw new IllegalArgumentException("this GatedResidualNetwork was built without a context input");
            }
            Variable projected = context.forward(contextInput);
            // fc1's bias, the context and the ELU in one pass (the same values as the three ops) when the
            // projected context has x's axes (B, 1, hidden) for x (B, T, in), or (B, hidden) for x (B, in).
            h = projected.dim() == x.dim() && projected.size(0) == x.size(0)
                    ? Functional.linearAddElu(x, fc1.weight, fc1.bias, projected, elu.alpha())
                    : elu.forward(fc1.forward(x).add(projected));
        } else {
            h = Functional.linearElu(x, fc1.weight, fc1.bias, elu.alpha());
        }
        h = fc2.forward(h);
        return gateNorm.forward(h, residual);
    }

    @Override
    protected String describe() {
        return "GatedResidualNetwork(" + inputSize + " -> " + hiddenSize + " -> " + outputSize
                + (context != null ? ", context " + context.inFeatures : "") + ")";
    }
}
