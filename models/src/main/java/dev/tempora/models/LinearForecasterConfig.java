package dev.tempora.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What defines an LTSF-Linear model ({@link NLinear}, {@link DLinear}): the look-back and horizon, where the
 * normalised target sits among the batch's real columns, the quantiles, the target normaliser's
 * transformation and the initialisation seed. The models read the target's history alone (the paper's
 * univariate setting), so the target must be one of the data set's time-varying unknown reals.
 *
 * @param target               the target's name, one of {@code xReals}
 * @param xReals               the batch's real columns, in order (the data set's {@code reals})
 * @param encoderLength        L, the look-back: max_encoder_length
 * @param predictionLength     H, the horizon: max_prediction_length
 * @param quantiles            the quantiles predicted at each step, each in (0, 1)
 * @param outputTransformation the target normaliser's transformation, reversed after de-normalising (as the TFT)
 * @param seed                 initialisation seed
 */
public record LinearForecasterConfig(String target, List<String> xReals, int encoderLength, int predictionLength,
                                     List<Float> quantiles, String outputTransformation, long seed) {

    /**
     * The longest look-back or horizon. The weights are L × H × quantiles floats per linear layer; 10,000 steps
     * of each would already be 700 million weights with PTF's seven quantiles.
     */
    public static final int MAX_LENGTH = 10_000;

    /** Copies the lists and checks the values; an {@link IllegalArgumentException} names the bad one. */
    public LinearForecasterConfig {
        xReals = List.copyOf(xReals);
        quantiles = List.copyOf(quantiles);
        if (!xReals.contains(target)) {
            throw new IllegalArgumentException("the target '" + target + "' is not among the batch's real columns " + xReals
                    + "; the linear models read the target's history, so list it in time_varying_unknown_reals");
        }
        checkLength("max_encoder_length (the look-back)", encoderLength);
        checkLength("max_prediction_length (the horizon)", predictionLength);
        QuantileLoss.checkLevels(quantiles);
        TargetDenormalisation.checkTransformation(outputTransformation);
    }

    private static void checkLength(String what, int value) {
        if (value < 1 || value > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must be between 1 and " + MAX_LENGTH + ", got " + value);
        }
    }

    /**
     * The target's position among the batch's real columns.
     *
     * @return the index into {@link ModelInputs#encoderCont()}'s last axis
     */
    public int targetColumn() {
        return xReals.indexOf(target);
    }

    /**
     * Outputs of each linear layer: one per horizon step and quantile.
     *
     * @return H · quantiles
     */
    public int outputSize() {
        return predictionLength * quantiles.size();
    }

    /**
     * The config as JSON-ready values.
     *
     * @return the values under their snake_case names, which {@link #fromJson} reads back
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("x_reals", xReals);
        m.put("encoder_length", (long) encoderLength);
        m.put("prediction_length", (long) predictionLength);
        List<Object> q = new ArrayList<>();
        for (Float f : quantiles) {
            q.add((double) f);
        }
        m.put("quantiles", q);
        m.put("output_transformation", outputTransformation);
        m.put("seed", seed);
        return m;
    }

    /**
     * Reads what {@link #toJson} wrote.
     *
     * @param m     the parsed JSON object
     * @param where names the document in error messages
     * @return the config
     * @throws IllegalArgumentException naming a missing or mistyped key, or a value out of range
     */
    public static LinearForecasterConfig fromJson(Map<String, Object> m, String where) {
        JsonFields f = new JsonFields(m, where);
        List<Float> quantiles = f.floats("quantiles");
        return new LinearForecasterConfig(f.string("target"), f.strings("x_reals"), f.integer("encoder_length"),
                f.integer("prediction_length"), quantiles, f.string("output_transformation"), (long) f.number("seed"));
    }
}
