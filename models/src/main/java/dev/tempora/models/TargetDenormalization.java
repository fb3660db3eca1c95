package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/**
 * How every forecasting model here turns its normalised output into target units, as PyTorch Forecasting's
 * {@code transform_output}: y·scale + center with the batch's per-sample target scale, then the target
 * normaliser's reverse transformation. One place, so that the TFT and the linear models cannot differ.
 */
final class TargetDenormalization {

    private TargetDenormalization() {}

    /**
     * Checks a transformation's name.
     *
     * @param transformation the target normaliser's transformation
     * @throws IllegalArgumentException naming the known ones when it is not one of them
     */
    static void check(String transformation) {
        switch (transformation) {
            case "none", "softplus", "log", "log1p", "logit", "count", "relu", "sqrt" -> { }
            default -> throw new IllegalArgumentException("unknown output transformation '" + transformation
                    + "' (expected none, softplus, log, log1p, logit, count, relu or sqrt)");
        }
    }

    /**
     * y·scale + center per sample, then the target normaliser's reverse transformation (PTF's): none,
     * softplus and count (softplus), log and log1p (exp, PTF's choice for both), logit (sigmoid clamped to
     * (0, 1)), relu, sqrt (square).
     *
     * @param out            the normalised output (B, steps, outputs)
     * @param targetScale    the target normaliser's (center, scale) per sample (B, 2)
     * @param transformation the target normaliser's transformation, one {@link #check} accepts
     * @return the output in target units, on the tape when {@code out} is
     */
    static Variable denormalise(Variable out, Tensor targetScale, String transformation) {
        int b = targetScale.size(0);
        Variable center = Variable.constant(targetScale.narrow(1, 0, 1).reshape(b, 1, 1));
        Variable scale = Variable.constant(targetScale.narrow(1, 1, 1).reshape(b, 1, 1));
        Variable y = out.mul(scale).add(center);
        return switch (transformation) {
            case "softplus", "count" -> y.softplus();
            case "log", "log1p" -> y.exp(); // PTF reverses log1p with exp too
            case "logit" -> y.sigmoid().clamp(Float.MIN_NORMAL, 1f - 0x1.0p-23f);
            case "relu" -> y.relu();
            case "sqrt" -> y.square();
            default -> y;
        };
    }
}
