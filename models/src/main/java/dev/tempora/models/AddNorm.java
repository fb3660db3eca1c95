package dev.tempora.models;

import dev.tempora.autograd.Functional;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/** PTF's AddNorm: LayerNorm(x + skip), the skip interpolated to x's size if needed and optionally gated by 2·σ(mask). */
public final class AddNorm extends Module {

    /** Features of x and of the output. */
    public final int inputSize;
    /** Features of the skip input, interpolated to {@link #inputSize} when they differ. */
    public final int skipSize;
    private final FeatureInterpolation resample;
    private final Variable mask;
    private final LayerNorm norm;

    /** PTF's {@code AddNorm(input_size, skip_size, trainable_add)}; the gate starts at 1 (mask 0). */
    public AddNorm(int inputSize, int skipSize, boolean trainableAdd) {
        this.inputSize = inputSize;
        this.skipSize = skipSize;
        this.resample = inputSize != skipSize ? new FeatureInterpolation(skipSize, inputSize) : null;
        this.mask = trainableAdd ? parameter("mask", Tensor.zeros(inputSize)) : null;
        this.norm = module("norm", new LayerNorm(inputSize));
    }

    /** LayerNorm(x + skip) over the last axis, (…, inputSize). */
    public Variable forward(Variable x, Variable skip) {
        if (resample != null) {
            skip = resample.apply(skip);
        }
        if (mask != null) {
            skip = skip.mul(mask.sigmoid().mul(2f));
        }
        return norm.forward(x.add(skip));
    }

    /** Whether {@link #forwardGated} applies: the skip needs no resampling or gating (always so in the TFT). */
    boolean fusesGate() {
        return resample == null && mask == null;
    }

    /**
     * {@code forward(glu(gateProduct + gateBias), skip)} as one op: the gate layer's bias, the gate,
     * the addition and the normalisation fused. Only when {@link #fusesGate()}.
     */
    Variable forwardGated(Variable gateProduct, Variable gateBias, Variable skip) {
        if (!fusesGate()) {
            throw new IllegalStateException("AddNorm(" + inputSize + ", skip " + skipSize
                    + ") resamples or gates its skip; call forward(glu(x), skip)");
        }
        return Functional.gateAddNorm(gateProduct, gateBias, skip, norm.weight, norm.bias, norm.eps());
    }

    @Override
    protected String describe() {
        return "AddNorm(" + inputSize + (skipSize != inputSize ? ", skip " + skipSize : "") + ")";
    }
}
