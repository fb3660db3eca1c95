package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.DLinear;
import dev.tempora.models.JsonFields;
import dev.tempora.models.LinearForecaster;
import dev.tempora.models.LinearForecasterConfig;
import dev.tempora.models.NLinear;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TftConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The settings of the LTSF-Linear models, a config's {@code "model": {"kind": "NLinear"}} or {@code "DLinear"}
 * section. The look-back and horizon are the data set's max_encoder_length and max_prediction_length, and the
 * model reads the normalised target's history alone, so the target must be one of the data set's
 * time_varying_unknown_reals.
 *
 * @param kind                {@value NLinear#KIND} or {@value DLinear#KIND}
 * @param quantiles           the quantiles of the QuantileLoss (PTF's seven by default)
 * @param movingAverageKernel DLinear's moving_average_kernel, odd (the paper's 25); NLinear has no such setting
 *                            and keeps the default here
 * @param monotoneQuantiles   monotone_quantiles (true): forecasts are sorted across the quantiles, as
 *                            {@link ModelSettings#monotoneQuantiles()}
 */
public record LinearModelSettings(String kind, List<Float> quantiles, int movingAverageKernel, boolean monotoneQuantiles)
        implements ModelKindSettings {

    /** The "model" key of {@link #movingAverageKernel}. */
    public static final String MOVING_AVERAGE_KERNEL = DLinear.MOVING_AVERAGE_KERNEL;

    /** Copies the quantiles and checks the kind, the quantiles and the kernel. */
    public LinearModelSettings {
        if (!kind.equals(NLinear.KIND) && !kind.equals(DLinear.KIND)) {
            throw new IllegalArgumentException("the linear models are " + NLinear.KIND + " and " + DLinear.KIND + ", got " + kind);
        }
        quantiles = List.copyOf(quantiles);
        QuantileLoss.checkLevels(quantiles);
        DLinear.checkKernel(movingAverageKernel);
    }

    /**
     * The defaults of a kind: PTF's quantiles, the paper's kernel of 25, sorted quantiles.
     *
     * @param kind {@value NLinear#KIND} or {@value DLinear#KIND}
     * @return the settings
     */
    public static LinearModelSettings defaults(String kind) {
        return new LinearModelSettings(kind, TftConfig.DEFAULT_QUANTILES, DLinear.DEFAULT_MOVING_AVERAGE_KERNEL, true);
    }

    /** The "model" keys of a linear kind, the trainer's aside. */
    static List<String> keys(String kind) {
        List<String> common = List.of(KIND_KEY, "quantiles", "output_size", "loss", ModelSettings.MONOTONE_QUANTILES);
        return kind.equals(DLinear.KIND) ? Stream.concat(common.stream(), Stream.of(MOVING_AVERAGE_KERNEL)).toList() : common;
    }

    /**
     * A config's "model" section for a linear kind (normally through {@link ModelKindSettings#fromJson}, which
     * also chooses the kind).
     *
     * @param kind    {@value NLinear#KIND} or {@value DLinear#KIND}
     * @param section the section as parsed JSON; missing keys take their defaults, the trainer's keys are skipped
     * @return the settings
     * @throws IllegalArgumentException naming an unknown key, a key with a wrong type or a value out of range
     */
    public static LinearModelSettings fromJson(String kind, Map<String, Object> section) {
        Map<String, Object> own = new LinkedHashMap<>(section);
        ModelSettings.TRAINER_KEYS.forEach(own::remove);
        JsonFields f = new JsonFields(own, "config \"model\" section", "model", keys(kind));
        if (!kind.equals(f.string(KIND_KEY, kind))) {
            throw new IllegalArgumentException("config \"model\" section: kind \"" + f.string(KIND_KEY) + "\" read as " + kind);
        }
        LinearModelSettings defaults = defaults(kind);
        try {
            return new LinearModelSettings(kind, ModelSettings.quantiles(f, defaults.quantiles),
                    kind.equals(DLinear.KIND) ? f.integer(MOVING_AVERAGE_KERNEL, defaults.movingAverageKernel)
                            : defaults.movingAverageKernel,
                    f.bool(ModelSettings.MONOTONE_QUANTILES, defaults.monotoneQuantiles));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("config ") ? e : new IllegalArgumentException("config \"model\" section: " + e.getMessage(), e);
        }
    }

    /** {@return the section, kind first; DLinear's kernel only for DLinear} */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(KIND_KEY, kind);
        m.put("quantiles", quantiles.stream().map(Float::doubleValue).toList());
        if (kind.equals(DLinear.KIND)) {
            m.put(MOVING_AVERAGE_KERNEL, movingAverageKernel);
        }
        m.put(ModelSettings.MONOTONE_QUANTILES, monotoneQuantiles);
        m.put("loss", "QuantileLoss");
        return m;
    }

    /**
     * The model for a data set: look-back max_encoder_length, horizon max_prediction_length, the target's column
     * among the data set's reals, the target normaliser's transformation.
     *
     * @param d    the training data set's description
     * @param seed the initialisation seed
     * @return a new NLinear or DLinear
     * @throws IllegalArgumentException when the target is not a time-varying unknown real of the data set
     */
    @Override
    public LinearForecaster create(DatasetDescription d, long seed) {
        LinearForecasterConfig config = config(d, seed);
        return kind.equals(NLinear.KIND) ? new NLinear(config) : new DLinear(config, movingAverageKernel);
    }

    /**
     * The model's configuration for a data set (what {@link #create} builds).
     *
     * @param d    the training data set's description
     * @param seed the initialisation seed
     * @return the configuration
     * @throws IllegalArgumentException when the target is not a time-varying unknown real of the data set
     */
    public LinearForecasterConfig config(DatasetDescription d, long seed) {
        if (!d.timeVaryingUnknownReals().contains(d.target())) {
            throw new IllegalArgumentException(kind + " forecasts from the target's history: list the target \"" + d.target()
                    + "\" in the dataset's time_varying_unknown_reals (now " + d.timeVaryingUnknownReals() + ")");
        }
        return new LinearForecasterConfig(d.target(), d.reals(), d.maxEncoderLength(), d.maxPredictionLength(), quantiles,
                d.targetNormalizer().transformation().label(), seed);
    }

    /** {@return L · H · quantiles weights and H · quantiles biases per linear layer; DLinear has two layers} */
    @Override
    public long parameterCount(DatasetDescription d) {
        long outputs = (long) d.maxPredictionLength() * quantiles.size();
        long perLayer = (long) d.maxEncoderLength() * outputs + outputs;
        return kind.equals(DLinear.KIND) ? 2 * perLayer : perLayer;
    }

    /**
     * {@return a bound on the floats a window keeps: the window, its trend and remainder (3 L), and some six
     * H · quantiles outputs (each layer's, their sum, the de-normalisation's steps)}
     */
    @Override
    public long activationsPerWindow(DatasetDescription d) {
        return 3L * d.maxEncoderLength() + 6L * d.maxPredictionLength() * quantiles.size();
    }
}
