package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/**
 * PTF's ResampleNorm: interpolate the features to {@code outputSize} when sizes differ, multiply by
 * 2·σ(mask) (a trainable gate starting at 1), then LayerNorm.
 */
public final class ResampleNorm extends Module {

    /** Input features. */
    public final int inputSize;
    /** Output features. */
    public final int outputSize;
    private final FeatureInterpolation resample;
    private final Variable mask;
    private final LayerNorm norm;

    /** PTF's {@code ResampleNorm(input_size, output_size, trainable_add)}. */
    public ResampleNorm(int inputSize, int outputSize, boolean trainableAdd) {
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.resample = inputSize != outputSize ? new FeatureInterpolation(inputSize, outputSize) : null;
        this.mask = trainableAdd ? parameter("mask", Tensor.zeros(outputSize)) : null;
        this.norm = module("norm", new LayerNorm(outputSize));
    }

    /** x resampled to outputSize, gated and normalised, (…, outputSize). */
    public Variable forward(Variable x) {
        if (resample != null) {
            x = resample.apply(x);
        }
        if (mask != null) {
            x = x.mul(mask.sigmoid().mul(2f));
        }
        return norm.forward(x);
    }

    @Override
    protected String describe() {
        return "ResampleNorm(" + inputSize + " -> " + outputSize + ")";
    }
}
