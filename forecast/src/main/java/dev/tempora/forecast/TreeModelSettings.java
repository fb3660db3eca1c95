package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.models.JsonFields;
import dev.tempora.models.QuantileBoosting;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TftConfig;
import dev.tempora.models.TreeForecasterConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of {@link GradientBoostedTrees}, a config's {@code "model": {"kind": "GradientBoostedTrees"}} section.
 * The look-back and horizon are the data set's max_encoder_length and max_prediction_length; the trees read the
 * target's history (so it must be a time-varying unknown real), every real at the last observed step, and the
 * known inputs at each forecast step. {@code learning_rate} is the booster's shrinkage here (the trees have no
 * optimiser, so the trainer's other keys do nothing).
 *
 * @param quantiles         the quantiles, one booster each (PTF's seven by default)
 * @param booster           trees (150), learning_rate (0.05), max_depth (6), min_leaf_rows (20), row_subsample (0.8),
 *                          feature_subsample (0.8) and bins (64); the seed is the run's
 * @param season            season (0: none): the value this many steps before each forecast step is a feature
 * @param monotoneQuantiles monotone_quantiles (true): forecasts are sorted across the quantiles
 */
public record TreeModelSettings(List<Float> quantiles, QuantileBoosting.Settings booster, int season,
                                boolean monotoneQuantiles) implements ModelKindSettings {

    private static final QuantileBoosting.Settings DEFAULT_BOOSTER = new QuantileBoosting.Settings(150, 0.05, 6, 20, 0.8, 0.8, 64, 0);

    /** The "model" keys, {@code learning_rate} included (the booster's shrinkage, read before the trainer's keys). */
    static final List<String> KEYS = List.of(KIND_KEY, "quantiles", "output_size", "loss", ModelSettings.MONOTONE_QUANTILES,
            "trees", "max_depth", "min_leaf_rows", "row_subsample", "feature_subsample", "bins", "season");

    /** Copies the quantiles and checks them and the season. */
    public TreeModelSettings {
        quantiles = List.copyOf(quantiles);
        QuantileLoss.checkLevels(quantiles);
        if (season < 0) {
            throw new IllegalArgumentException("config \"model\" section: season must be 0 (none) or a number of steps, got " + season);
        }
    }

    /**
     * A config's "model" section for the trees.
     *
     * @param section the section as parsed JSON; missing keys take their defaults
     * @return the settings
     * @throws IllegalArgumentException naming an unknown key, a key with a wrong type or a value out of range
     */
    public static TreeModelSettings fromJson(Map<String, Object> section) {
        Map<String, Object> own = new LinkedHashMap<>(section);
        double learningRate = own.get("learning_rate") instanceof Number n ? n.doubleValue() : DEFAULT_BOOSTER.learningRate();
        ModelSettings.TRAINER_KEYS.forEach(own::remove);
        JsonFields f = new JsonFields(own, "config \"model\" section", "model", KEYS);
        QuantileBoosting.Settings d = DEFAULT_BOOSTER;
        try {
            QuantileBoosting.Settings booster = new QuantileBoosting.Settings(f.integer("trees", d.trees()), learningRate,
                    f.integer("max_depth", d.maxDepth()), f.integer("min_leaf_rows", d.minLeafRows()),
                    f.number("row_subsample", d.rowSubsample()), f.number("feature_subsample", d.featureSubsample()),
                    f.integer("bins", d.bins()), 0);
            return new TreeModelSettings(ModelSettings.quantiles(f, TftConfig.DEFAULT_QUANTILES), booster,
                    f.integer("season", 0), f.bool(ModelSettings.MONOTONE_QUANTILES, true));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("config ") ? e : new IllegalArgumentException("config \"model\" section: " + e.getMessage(), e);
        }
    }

    @Override
    public String kind() {
        return GradientBoostedTrees.KIND;
    }

    /** {@return the section, kind first} */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(KIND_KEY, kind());
        m.put("quantiles", quantiles.stream().map(Float::doubleValue).toList());
        m.put("trees", booster.trees());
        m.put("learning_rate", booster.learningRate());
        m.put("max_depth", booster.maxDepth());
        m.put("min_leaf_rows", booster.minLeafRows());
        m.put("row_subsample", booster.rowSubsample());
        m.put("feature_subsample", booster.featureSubsample());
        m.put("bins", booster.bins());
        m.put("season", season);
        m.put(ModelSettings.MONOTONE_QUANTILES, monotoneQuantiles);
        m.put("loss", "QuantileLoss");
        return m;
    }

    /**
     * An unfitted model for a data set.
     *
     * @param d    the training data set's description
     * @param seed the booster's seed (its row and feature subsamples)
     * @return the model, fitted by training
     * @throws IllegalArgumentException when the target is not a time-varying unknown real of the data set
     */
    @Override
    public GradientBoostedTrees create(DatasetDescription d, long seed) {
        if (!d.timeVaryingUnknownReals().contains(d.target())) {
            throw new IllegalArgumentException(kind() + " forecasts from the target's history: list the target \"" + d.target()
                    + "\" in the dataset's time_varying_unknown_reals (now " + d.timeVaryingUnknownReals() + ")");
        }
        List<Integer> decoderReals = new ArrayList<>();
        List<Integer> decoderCategoricals = new ArrayList<>();
        List<Integer> encoderCategoricals = new ArrayList<>();
        for (DatasetDescription.Variable v : d.variables()) {
            boolean known = v.role() != DatasetDescription.Role.UNKNOWN;
            if (v.kind() == DatasetDescription.Kind.REAL) {
                if (known) {
                    decoderReals.addAll(v.columns());
                }
            } else {
                (known ? decoderCategoricals : encoderCategoricals).addAll(v.columns());
            }
        }
        QuantileBoosting.Settings b = booster;
        return new GradientBoostedTrees(new TreeForecasterConfig(d.reals().indexOf(d.target()), d.reals().size(), decoderReals,
                decoderCategoricals, encoderCategoricals, d.maxEncoderLength(), d.maxPredictionLength(), season, quantiles,
                d.targetNormalizer().transformation().label(), new QuantileBoosting.Settings(b.trees(), b.learningRate(),
                        b.maxDepth(), b.minLeafRows(), b.rowSubsample(), b.featureSubsample(), b.bins(), seed),
                List.of(), List.of()));
    }

    /** {@return an upper bound on the trees' nodes: per quantile, trees × (2^(max_depth + 1) − 1)} */
    @Override
    public long parameterCount(DatasetDescription d) {
        return (long) quantiles.size() * booster.trees() * ((1L << (booster.maxDepth() + 1)) - 1);
    }

    /** {@return the floats one window's rows take while fitting: a feature row per step, its target and weight} */
    @Override
    public long activationsPerWindow(DatasetDescription d) {
        long features = d.maxEncoderLength() + 1L + 2L * d.reals().size() + 2L * d.flatCategoricals().size() + 2;
        return (long) d.maxPredictionLength() * (features + 4);
    }
}
