package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

/**
 * Brings a model's normalised output back to target units, as PyTorch Forecasting's
 * {@code transform_output}: y·scale + center per sample, then the reverse of the target normaliser's
 * transformation. One place for every model kind.
 */
final class TargetDenormalisation {

    private TargetDenormalisation() {}

    /**
     * Checks a target normaliser's transformation name.
     *
     * @param transformation none, softplus, log, log1p, logit, count, relu or sqrt
     * @throws IllegalArgumentException naming the expected names
     */
    static void checkTransformation(String transformation) {
        switch (transformation) {
            case "none", "softplus", "log", "log1p", "logit", "count", "relu", "sqrt" -> { }
            default -> throw new IllegalArgumentException("unknown output transformation '" + transformation
                    + "' (expected none, softplus, log, log1p, logit, count, relu or sqrt)");
        }
    }

    /**
     * y·scale + center per sample, then PTF's reverse transformation: softplus for softplus and count, exp
     * for log and log1p (PTF's choice for both), sigmoid clamped into (0, 1) for logit, relu, square for
     * sqrt, nothing for none.
     *
     * @param out            the normalised output (B, steps, outputs)
     * @param targetScale    each sample's (center, scale), (B, 2)
     * @param transformation the target normaliser's transformation ({@link #checkTransformation})
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
