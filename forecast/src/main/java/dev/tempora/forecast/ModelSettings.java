package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.JsonFields;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.models.TftSize;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Temporal Fusion Transformer's hyper-parameters, PTF's {@code TemporalFusionTransformer.from_dataset}
 * arguments under their PTF names and defaults (a config's "model" section, whose kind is
 * TemporalFusionTransformer when it names none); the variable layout comes from the data set when the model
 * is made ({@link #create}). Immutable; build with {@link #builder()} or {@link #fromJson}. The other
 * kinds' settings, and how to add a kind, are in {@link ModelKindSettings}. The optimiser settings that PTF
 * also passes to {@code from_dataset} (learning_rate, optimizer, weight_decay, reduce_on_plateau_*) are the
 * trainer's, in {@link dev.tempora.parallel.TrainerSettings}.
 *
 * @param hiddenSize            hidden_size (default 16): the width of every layer
 * @param attentionHeadSize     attention_head_size (4): attention heads
 * @param dropout               dropout (0.1)
 * @param hiddenContinuousSize  hidden_continuous_size (8): the width of each real variable's embedding
 * @param hiddenContinuousSizes hidden_continuous_sizes: per-variable overrides of the above
 * @param lstmLayers            lstm_layers (1)
 * @param quantiles             the quantiles of the QuantileLoss (PTF's seven by default)
 * @param embeddingSizes        embedding_sizes: per categorical variable, overriding PTF's size rule
 * @param causalAttention       causal_attention (true): decoder steps attend only to earlier steps
 * @param monotoneQuantiles     monotone_quantiles (true; not in PTF, which does not sort): the forecasts that
 *                              predict, evaluate, backtest and interpret give are sorted across the quantiles
 *                              of each step, so that a lower quantile never lies above a higher one; the
 *                              training loss and the validation loss see the raw outputs
 */
public record ModelSettings(int hiddenSize, int attentionHeadSize, double dropout, int hiddenContinuousSize,
                            Map<String, Integer> hiddenContinuousSizes, int lstmLayers, List<Float> quantiles,
                            Map<String, Integer> embeddingSizes, boolean causalAttention, boolean monotoneQuantiles)
        implements ModelKindSettings {

    /** The "model" keys that belong to the trainer (PTF passes them to the model; Tempora's trainer owns the optimiser). */
    static final List<String> TRAINER_KEYS = List.of("learning_rate", "optimizer", "weight_decay",
            "reduce_on_plateau_patience", "reduce_on_plateau_factor", "reduce_on_plateau_min_lr");

    /** The "model" key of {@link #monotoneQuantiles}, as the config and model.json's config section write it. */
    public static final String MONOTONE_QUANTILES = "monotone_quantiles";

    /** Why a data set without known future inputs cannot feed the TFT's decoder, and what to change. */
    static final String NO_DECODER_INPUTS = "the TFT's decoder has no inputs: the data set has no known future variable; "
            + "set \"add_relative_time_idx\": true in the dataset section (PTF's tutorials do), or add a known input such as a "
            + "calendar field to time_varying_known_categoricals or time_idx to time_varying_known_reals";

    /**
     * Refuses a data set whose windows would give the TFT's decoder no input at all (it would fail deep
     * inside the model): no known categorical or real, and no relative time index.
     *
     * @param p the data set's parameters
     * @throws IllegalArgumentException saying what to add
     */
    static void requireDecoderInputs(dev.tempora.data.DatasetParameters p) {
        if (p.knownCategoricals.isEmpty() && p.knownReals.isEmpty() && !p.addRelativeTimeIdx) {
            throw new IllegalArgumentException(NO_DECODER_INPUTS);
        }
    }

    /** The "model" keys that {@link #fromJson} reads: the TFT's settings. */
    static final List<String> KEYS = List.of(KIND_KEY, "hidden_size", "attention_head_size", "dropout", "hidden_continuous_size",
            "hidden_continuous_sizes", "lstm_layers", "quantiles", "output_size", "loss", "embedding_sizes", "causal_attention",
            MONOTONE_QUANTILES);

    /** Copies the collections and checks the values. */
    public ModelSettings {
        hiddenContinuousSizes = Map.copyOf(hiddenContinuousSizes);
        quantiles = List.copyOf(quantiles);
        embeddingSizes = Map.copyOf(embeddingSizes);
        TftConfig.checkSizes(hiddenSize, attentionHeadSize, hiddenContinuousSize, lstmLayers);
        TftConfig.checkSizes("hidden_continuous_sizes", hiddenContinuousSizes);
        TftConfig.checkSizes("embedding_sizes", embeddingSizes);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        QuantileLoss.checkLevels(quantiles);
    }

    /**
     * A "model" section's quantiles (or {@code fallback}), with its output_size (which must match them) and its loss
     * (which must be QuantileLoss): what every kind reads alike.
     */
    static List<Float> quantiles(JsonFields f, List<Float> fallback) {
        List<Float> quantiles = fallback;
        if (f.has("quantiles")) {
            quantiles = new ArrayList<>();
            for (Object q : f.list("quantiles")) {
                if (!(q instanceof Number n)) {
                    throw new IllegalArgumentException("config \"model\" section: quantiles must be numbers, got " + q);
                }
                quantiles.add(n.floatValue());
            }
        }
        if (f.has("output_size") && f.integer("output_size") != quantiles.size()) {
            throw new IllegalArgumentException("config \"model\" section: output_size " + f.integer("output_size")
                    + " does not match the " + quantiles.size() + " quantiles of the quantile loss");
        }
        String loss = f.string("loss", "QuantileLoss");
        if (!loss.equals("QuantileLoss")) {
            throw new IllegalArgumentException("config \"model\" section: loss \"" + loss + "\" is not supported; use QuantileLoss");
        }
        return quantiles;
    }

    /** {@return PTF's defaults} */
    public static ModelSettings defaults() {
        return builder().build();
    }

    /** {@return a builder holding PTF's defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these settings} */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.hiddenSize = hiddenSize;
        b.attentionHeadSize = attentionHeadSize;
        b.dropout = dropout;
        b.hiddenContinuousSize = hiddenContinuousSize;
        b.hiddenContinuousSizes = new LinkedHashMap<>(hiddenContinuousSizes);
        b.lstmLayers = lstmLayers;
        b.quantiles = new ArrayList<>(quantiles);
        b.embeddingSizes = new LinkedHashMap<>(embeddingSizes);
        b.causalAttention = causalAttention;
        b.monotoneQuantiles = monotoneQuantiles;
        return b;
    }

    /**
     * A config's "model" section (PTF's names). {@code output_size}, when given, must equal the number of
     * quantiles, and {@code loss} must be QuantileLoss; the optimiser keys are left to the trainer.
     *
     * @param model the "model" section as parsed JSON; missing keys take PTF's defaults, the trainer's keys are skipped
     * @return the settings
     * @throws IllegalArgumentException naming an unknown key (and the closest known one), a key with a wrong type or a
     *                                  value out of range
     */
    public static ModelSettings fromJson(Map<String, Object> model) {
        Map<String, Object> own = new LinkedHashMap<>(model);
        TRAINER_KEYS.forEach(own::remove);
        JsonFields f = new JsonFields(own, "config \"model\" section", "model", KEYS);
        try {
            return fromFields(f);
        } catch (IllegalArgumentException e) {
            // The builder's range checks do not know the section: name it as the type checks do.
            throw e.getMessage().startsWith("config ") ? e : new IllegalArgumentException("config \"model\" section: " + e.getMessage(), e);
        }
    }

    private static ModelSettings fromFields(JsonFields f) {
        String kind = f.string(KIND_KEY, TemporalFusionTransformer.KIND);
        if (!kind.equals(TemporalFusionTransformer.KIND)) {
            throw new IllegalArgumentException("config \"model\" section: kind \"" + kind + "\" is not the TFT's settings; "
                    + "read the section with ModelKindSettings.fromJson, which chooses the kind");
        }
        Builder b = builder();
        b.quantiles(quantiles(f, b.quantiles));
        return b.hiddenSize(f.integer("hidden_size", b.hiddenSize))
                .attentionHeadSize(f.integer("attention_head_size", b.attentionHeadSize))
                .dropout(f.number("dropout", b.dropout))
                .hiddenContinuousSize(f.integer("hidden_continuous_size", b.hiddenContinuousSize))
                .hiddenContinuousSizes(f.intMap("hidden_continuous_sizes"))
                .lstmLayers(f.integer("lstm_layers", b.lstmLayers))
                .embeddingSizes(f.intMap("embedding_sizes"))
                .causalAttention(f.bool("causal_attention", b.causalAttention))
                .monotoneQuantiles(f.bool(MONOTONE_QUANTILES, b.monotoneQuantiles))
                .build();
    }

    /** {@return {@value TemporalFusionTransformer#KIND}} */
    @Override
    public String kind() {
        return TemporalFusionTransformer.KIND;
    }

    /** {@return the settings as a config's "model" section, PTF's names, kind first (what {@link #fromJson} reads back)} */
    @Override
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(KIND_KEY, kind());
        m.put("hidden_size", hiddenSize);
        m.put("attention_head_size", attentionHeadSize);
        m.put("dropout", dropout);
        m.put("hidden_continuous_size", hiddenContinuousSize);
        if (!hiddenContinuousSizes.isEmpty()) {
            m.put("hidden_continuous_sizes", new java.util.TreeMap<>(hiddenContinuousSizes));
        }
        m.put("lstm_layers", lstmLayers);
        m.put("quantiles", quantiles.stream().map(Float::doubleValue).toList());
        if (!embeddingSizes.isEmpty()) {
            m.put("embedding_sizes", new java.util.TreeMap<>(embeddingSizes));
        }
        m.put("causal_attention", causalAttention);
        m.put(MONOTONE_QUANTILES, monotoneQuantiles);
        m.put("loss", "QuantileLoss");
        return m;
    }

    /**
     * The TFT for a data set, as PTF's {@code from_dataset}: the data set's variable layout and
     * cardinalities, its target normaliser's output transformation, these hyper-parameters.
     *
     * @param d    the training data set's description (variables, cardinalities, target normaliser)
     * @param seed the initialisation seed
     * @return a new model with freshly initialised weights
     */
    @Override
    public TemporalFusionTransformer create(DatasetDescription d, long seed) {
        return new TemporalFusionTransformer(tftConfig(d, seed));
    }

    /** {@return the TFT's parameter count for the data set ({@link TftSize#parameters})} */
    @Override
    public long parameterCount(DatasetDescription d) {
        return TftSize.parameters(tftConfig(d, 0));
    }

    /** {@return the floats a window keeps for the backward pass ({@link TftSize#activationsPerWindow})} */
    @Override
    public long activationsPerWindow(DatasetDescription d) {
        return TftSize.activationsPerWindow(tftConfig(d, 0), d.maxEncoderLength(), d.maxPredictionLength());
    }

    /**
     * The TFT's full configuration for a data set (what {@link #create} builds).
     *
     * @param d    the training data set's description (variables, cardinalities, target normaliser)
     * @param seed the initialisation seed
     * @return the configuration
     */
    public TftConfig tftConfig(DatasetDescription d, long seed) {
        if (d.decoderCategoricals().isEmpty() && d.decoderReals().isEmpty()) {
            throw new IllegalArgumentException(NO_DECODER_INPUTS);
        }
        String transformation = d.targetNormalizer().transformation().label();
        return new TftConfig(hiddenSize, attentionHeadSize, (float) dropout, hiddenContinuousSize, hiddenContinuousSizes,
                lstmLayers, quantiles, d.staticCategoricals(), d.staticReals(), d.encoderCategoricals(), d.decoderCategoricals(),
                d.encoderReals(), d.decoderReals(), d.flatCategoricals(), d.reals(), d.cardinalities(), d.variableGroups(),
                embeddingSizes, causalAttention, transformation, seed);
    }

    /** Builds {@link ModelSettings}; every setter takes PTF's meaning and starts at PTF's default. */
    public static final class Builder {
        private int hiddenSize = 16;
        private int attentionHeadSize = 4;
        private double dropout = 0.1;
        private int hiddenContinuousSize = 8;
        private Map<String, Integer> hiddenContinuousSizes = new LinkedHashMap<>();
        private int lstmLayers = 1;
        private List<Float> quantiles = new ArrayList<>(TftConfig.DEFAULT_QUANTILES);
        private Map<String, Integer> embeddingSizes = new LinkedHashMap<>();
        private boolean causalAttention = true;
        private boolean monotoneQuantiles = true;

        private Builder() {}

        /**
         * hidden_size: the width of every layer (PTF's default 16).
         *
         * @param v at least 1
         * @return this builder
         */
        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        /**
         * attention_head_size: the number of attention heads (4).
         *
         * @param v at least 1
         * @return this builder
         */
        public Builder attentionHeadSize(int v) {
            attentionHeadSize = v;
            return this;
        }

        /**
         * dropout: the dropout rate in training (0.1).
         *
         * @param v the fraction of units dropped, in [0, 1)
         * @return this builder
         */
        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        /**
         * hidden_continuous_size: the embedding width of each real variable (8).
         *
         * @param v at least 1
         * @return this builder
         */
        public Builder hiddenContinuousSize(int v) {
            hiddenContinuousSize = v;
            return this;
        }

        /**
         * hidden_continuous_sizes: per real variable, overriding hidden_continuous_size.
         *
         * @param v embedding width by real variable name, copied (empty: none overridden)
         * @return this builder
         */
        public Builder hiddenContinuousSizes(Map<String, Integer> v) {
            hiddenContinuousSizes = new LinkedHashMap<>(v);
            return this;
        }

        /**
         * lstm_layers: stacked LSTM layers of the encoder and decoder (1).
         *
         * @param v at least 1
         * @return this builder
         */
        public Builder lstmLayers(int v) {
            lstmLayers = v;
            return this;
        }

        /**
         * The quantile levels to forecast (PTF's QuantileLoss default: 0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98).
         *
         * @param v at least one level, each strictly between 0 and 1, in output order; copied
         * @return this builder
         */
        public Builder quantiles(List<Float> v) {
            quantiles = new ArrayList<>(v);
            return this;
        }

        /**
         * embedding_sizes: per categorical variable, overriding PTF's size rule.
         *
         * @param v embedding width by categorical variable name, copied (empty: PTF's rule for all)
         * @return this builder
         */
        public Builder embeddingSizes(Map<String, Integer> v) {
            embeddingSizes = new LinkedHashMap<>(v);
            return this;
        }

        /**
         * causal_attention: whether decoder steps attend only to earlier steps (true).
         *
         * @param v true for causal attention among decoder steps, false to let each see the whole horizon
         * @return this builder
         */
        public Builder causalAttention(boolean v) {
            causalAttention = v;
            return this;
        }

        /**
         * monotone_quantiles: whether forecasts are sorted across the quantiles (true; PTF does not sort).
         * The quantile loss trains each output towards its own level but does not forbid two outputs to
         * cross, and an undertrained model's do; sorting each step's outputs in increasing order keeps every
         * forecast a valid set of quantiles (and never raises the pinball loss). Training is unchanged.
         *
         * @param v true to sort the quantiles of every forecast, false for the network's raw outputs (as PTF)
         * @return this builder
         */
        public Builder monotoneQuantiles(boolean v) {
            monotoneQuantiles = v;
            return this;
        }

        /**
         * The settings.
         *
         * @return the immutable settings
         * @throws IllegalArgumentException naming a value out of range
         */
        public ModelSettings build() {
            return new ModelSettings(hiddenSize, attentionHeadSize, dropout, hiddenContinuousSize, hiddenContinuousSizes,
                    lstmLayers, quantiles, embeddingSizes, causalAttention, monotoneQuantiles);
        }
    }
}
