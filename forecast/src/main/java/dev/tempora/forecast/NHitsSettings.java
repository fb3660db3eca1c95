package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.JsonFields;
import dev.tempora.models.NHits;
import dev.tempora.models.NHitsConfig;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TftConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of N-HiTS, a config's {@code "model": {"kind": "NHiTS", ...}} section: PyTorch Forecasting's
 * {@code NHiTS} hyper-parameters under their PTF names and defaults ({@link NHitsConfig#HYPER_PARAMETERS}:
 * hidden_size 512, n_blocks [1, 1, 1], n_layers 2, pooling and downsampling from the horizon, max pooling,
 * linear interpolation, dropout 0, ReLU, shared_weights, naive_level), plus quantiles and
 * monotone_quantiles. The model reads the normalised target's history over max_encoder_length steps
 * (univariate: covariates are not read), so the target must be one of the data set's time_varying_unknown_reals.
 *
 * @param quantiles         the quantiles of the QuantileLoss (PTF's seven by default)
 * @param hyperParameters   the N-HiTS hyper-parameters given, by PTF name (absent ones take PTF's defaults)
 * @param monotoneQuantiles monotone_quantiles (true): forecasts are sorted across the quantiles
 */
public record NHitsSettings(List<Float> quantiles, Map<String, Object> hyperParameters, boolean monotoneQuantiles)
        implements ModelKindSettings {

    /** Copies the collections and checks the quantiles and the hyper-parameters' names and values. */
    public NHitsSettings {
        quantiles = List.copyOf(quantiles);
        hyperParameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(hyperParameters));
        QuantileLoss.checkLevels(quantiles);
        // a value out of range fails now, not after the data is read: a stand-in data set of 16 steps and a horizon of 4
        NHitsConfig.fromDataset(16, 4, quantiles, 0, 1, "none", hyperParameters, 0);
    }

    /** The "model" keys of N-HiTS, the trainer's aside. */
    static List<String> keys() {
        List<String> keys = new ArrayList<>(List.of(KIND_KEY, "quantiles", "output_size", "loss", ModelSettings.MONOTONE_QUANTILES));
        keys.addAll(NHitsConfig.HYPER_PARAMETERS);
        return List.copyOf(keys);
    }

    /**
     * A config's "model" section for N-HiTS (normally through {@link ModelKindSettings#fromJson}).
     *
     * @param section the section as parsed JSON; missing keys take PTF's defaults, the trainer's keys are skipped
     * @return the settings
     * @throws IllegalArgumentException naming an unknown key, a key with a wrong type or a value out of range
     */
    public static NHitsSettings fromJson(Map<String, Object> section) {
        Map<String, Object> own = new LinkedHashMap<>(section);
        ModelSettings.TRAINER_KEYS.forEach(own::remove);
        JsonFields f = new JsonFields(own, "config \"model\" section", "model", keys());
        Map<String, Object> hyper = new LinkedHashMap<>();
        for (String key : NHitsConfig.HYPER_PARAMETERS) {
            if (own.containsKey(key)) {
                hyper.put(key, own.get(key));
            }
        }
        try {
            return new NHitsSettings(ModelSettings.quantiles(f, TftConfig.DEFAULT_QUANTILES), hyper,
                    f.bool(ModelSettings.MONOTONE_QUANTILES, true));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("config ") ? e : new IllegalArgumentException("config \"model\" section: " + e.getMessage(), e);
        }
    }

    @Override
    public String kind() {
        return NHits.KIND;
    }

    /** {@return the section, kind first, then the quantiles and the hyper-parameters given} */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(KIND_KEY, NHits.KIND);
        m.put("quantiles", quantiles.stream().map(Float::doubleValue).toList());
        m.putAll(hyperParameters);
        m.put(ModelSettings.MONOTONE_QUANTILES, monotoneQuantiles);
        m.put("loss", "QuantileLoss");
        return m;
    }

    /**
     * The model's configuration for a data set: context max_encoder_length, horizon max_prediction_length, the
     * target's column among the reals, the target normaliser's transformation.
     *
     * @param d    the training data set's description
     * @param seed the initialisation seed
     * @return the configuration
     * @throws IllegalArgumentException when the target is not a time-varying unknown real of the data set
     */
    public NHitsConfig config(DatasetDescription d, long seed) {
        if (!d.timeVaryingUnknownReals().contains(d.target())) {
            throw new IllegalArgumentException(NHits.KIND + " forecasts from the target's history: list the target \"" + d.target()
                    + "\" in the dataset's time_varying_unknown_reals (now " + d.timeVaryingUnknownReals() + ")");
        }
        return NHitsConfig.fromDataset(d.maxEncoderLength(), d.maxPredictionLength(), quantiles, d.reals().indexOf(d.target()),
                d.reals().size(), d.targetNormalizer().transformation().label(), hyperParameters, seed);
    }

    @Override
    public NHits create(DatasetDescription d, long seed) {
        return new NHits(config(d, seed));
    }

    /** {@return the exact count of the model this makes} */
    @Override
    public long parameterCount(DatasetDescription d) {
        return create(d, 0).parameterCount();
    }

    /**
     * {@return a bound on the floats a window keeps: per block its pooled input, hidden layers, θ and the
     * interpolated forecast, and the running backcast and forecast}
     */
    @Override
    public long activationsPerWindow(DatasetDescription d) {
        NHitsConfig c = config(d, 0);
        long perBlock = 2L * c.contextLength() + (long) c.hiddenSize() * (c.nLayers().stream().mapToInt(Integer::intValue).max()
                .orElse(1) + 1) + 2L * (c.contextLength() + (long) c.predictionLength() * c.quantiles().size());
        int blocks = c.nBlocks().stream().mapToInt(Integer::intValue).sum();
        return blocks * perBlock + 2L * (c.contextLength() + (long) c.predictionLength() * c.quantiles().size());
    }
}
