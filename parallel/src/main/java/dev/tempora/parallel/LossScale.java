package dev.tempora.parallel;

import dev.tempora.tensor.Tensor;

import java.util.Locale;

/**
 * The scale the training and validation losses are taken on (the config's {@code "training": {"loss_scale"}}).
 * Either way the loss is a weighted quantile loss ({@link TrainingBatch#weight}); this choice only sets
 * the weights.
 *
 * <ul>
 *   <li>{@link #TARGET}: in target units, as PyTorch Forecasting computes it; a series' share of the loss
 *       grows with its level, so on series whose levels span orders of magnitude the largest dominate.</li>
 *   <li>{@link #NORMALISED}: each sample's loss divided by its target normaliser's scale (the second column
 *       of {@code ModelInputs.targetScale}), so every series counts alike. The quantile loss is positively
 *       homogeneous (ρ(c·e) = c·ρ(e) for c &gt; 0), so with an affine normaliser (no transformation) this is
 *       exactly the loss of the prediction on the normalised scale. relu, softplus and count leave large
 *       values (almost) unchanged on the way in, so the scale still follows the level. log, log1p, logit and
 *       sqrt compress it: the scale belongs to the transformed values (the standard deviation of log y, say)
 *       and does not follow the series' level, so the loss stays in target units divided by an unrelated
 *       number and series no longer count alike; leave such a transformation out to train scale-free.</li>
 * </ul>
 */
public enum LossScale {
    /** The loss in target units (PyTorch Forecasting's). */
    TARGET,
    /** Each sample's loss divided by its target scale: every series counts alike. */
    NORMALISED;

    /**
     * The setting as the config spells it.
     *
     * @return {@code "target"} or {@code "normalised"}
     */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads the config's spelling.
     *
     * @param name {@code "target"} or {@code "normalised"} ({@code "normalized"} is accepted too)
     * @return the setting
     * @throws IllegalArgumentException naming the allowed values
     */
    public static LossScale parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "target" -> TARGET;
            case "normalised", "normalized" -> NORMALISED;
            default -> throw new IllegalArgumentException("loss_scale must be \"target\" (the loss in target units, as PTF) or "
                    + "\"normalised\" (each sample's loss divided by its target scale), got \"" + name + "\"");
        };
    }

    /**
     * The batch with this scale's weights: unchanged for {@link #TARGET}; for {@link #NORMALISED}, every
     * step's weight (1 when the batch has none) divided by its sample's target scale.
     *
     * @param batch a batch whose weights are those of the data (its weight column)
     * @return the batch the loss is taken on
     * @throws IllegalArgumentException if a sample's target scale is 0 or not finite
     */
    public TrainingBatch apply(TrainingBatch batch) {
        if (this == TARGET) {
            return batch;
        }
        float[] scale = batch.inputs().targetScale().contiguous().toFloatArray();
        int samples = batch.size();
        int steps = batch.target().size(1);
        float[] weight = batch.weight() == null ? null : batch.weight().contiguous().toFloatArray();
        float[] out = new float[samples * steps];
        for (int b = 0; b < samples; b++) {
            // |scale|: a normaliser without centering scales by the mean, which is negative for a negative series.
            float s = Math.abs(scale[2 * b + 1]);
            if (!(s > 0f && Float.isFinite(s))) {
                throw new IllegalArgumentException("loss_scale \"normalised\" divides each sample's loss by its target scale, "
                        + "but a sample's scale is " + scale[2 * b + 1] + " (a constant series with a normaliser without "
                        + "eps?); use loss_scale \"target\" or a target_normalizer whose scale is positive");
            }
            float inverse = 1f / s;
            for (int t = 0; t < steps; t++) {
                out[b * steps + t] = weight == null ? inverse : weight[b * steps + t] * inverse;
            }
        }
        return new TrainingBatch(batch.inputs(), batch.target(), Tensor.wrap(out, samples, steps));
    }
}
