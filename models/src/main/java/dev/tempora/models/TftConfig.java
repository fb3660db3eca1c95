package dev.tempora.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines a Temporal Fusion Transformer: PTF's hyper-parameters and the variable
 * layout of its dataset ({@code TemporalFusionTransformer.from_dataset}). Variable lists name
 * variables (a categorical group such as stallion's {@code special_days} is one variable);
 * {@code xCategoricals} and {@code xReals} name the columns of the batch tensors, in order.
 *
 * @param categoricalCardinalities number of classes per categorical variable (group: its union of classes)
 * @param categoricalGroups        group name → its columns (PTF's variable_groups), empty when none
 * @param embeddingSizes           explicit embedding sizes; variables absent here use PTF's rule
 * @param outputTransformation     the target normaliser's transformation, whose PTF "reverse" is applied
 *                                 to the de-normalised outputs: none, softplus and count (softplus), log
 *                                 and log1p (exp, PTF's choice for both), logit (sigmoid clamped to
 *                                 (0, 1)), relu, sqrt (square)
 * @param seed                     initialisation seed
 */
public record TftConfig(
        int hiddenSize,
        int attentionHeadSize,
        float dropout,
        int hiddenContinuousSize,
        Map<String, Integer> hiddenContinuousSizes,
        int lstmLayers,
        List<Float> quantiles,
        List<String> staticCategoricals,
        List<String> staticReals,
        List<String> timeVaryingCategoricalsEncoder,
        List<String> timeVaryingCategoricalsDecoder,
        List<String> timeVaryingRealsEncoder,
        List<String> timeVaryingRealsDecoder,
        List<String> xCategoricals,
        List<String> xReals,
        Map<String, Integer> categoricalCardinalities,
        Map<String, List<String>> categoricalGroups,
        Map<String, Integer> embeddingSizes,
        boolean causalAttention,
        String outputTransformation,
        long seed) {

    /** PTF's default quantiles. */
    public static final List<Float> DEFAULT_QUANTILES = List.of(0.02f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 0.98f);

    /**
     * The largest hidden_size (also the largest hidden_continuous_size and embedding size). The TFT has
     * about forty hidden × hidden matrices, so 4096 already means some 700 million weights (2.7 GB, four
     * times that in training); PTF's tuning searches 8 to 512.
     */
    public static final int MAX_HIDDEN_SIZE = 4096;

    /**
     * The most lstm_layers. PTF's examples use 1 to 4; a deeper stack without residual connections does
     * not train better, and each layer costs 8 · hidden_size² weights and a sequential pass over time.
     */
    public static final int MAX_LSTM_LAYERS = 16;

    /**
     * Checks the sizes, dropout and quantiles (an {@link IllegalArgumentException} names the bad one) and copies
     * the collections.
     */
    public TftConfig {
        hiddenContinuousSizes = java.util.Collections.unmodifiableMap(ordered(hiddenContinuousSizes));
        quantiles = List.copyOf(quantiles);
        staticCategoricals = List.copyOf(staticCategoricals);
        staticReals = List.copyOf(staticReals);
        timeVaryingCategoricalsEncoder = List.copyOf(timeVaryingCategoricalsEncoder);
        timeVaryingCategoricalsDecoder = List.copyOf(timeVaryingCategoricalsDecoder);
        timeVaryingRealsEncoder = List.copyOf(timeVaryingRealsEncoder);
        timeVaryingRealsDecoder = List.copyOf(timeVaryingRealsDecoder);
        xCategoricals = List.copyOf(xCategoricals);
        xReals = List.copyOf(xReals);
        categoricalCardinalities = ordered(categoricalCardinalities);
        categoricalGroups = ordered(categoricalGroups);
        embeddingSizes = ordered(embeddingSizes);
        checkSizes(hiddenSize, attentionHeadSize, hiddenContinuousSize, lstmLayers);
        checkSizes("hidden_continuous_sizes", hiddenContinuousSizes);
        checkSizes("embedding_sizes", embeddingSizes);
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        QuantileLoss.checkLevels(quantiles);
        // Fields are not assigned yet inside a compact constructor: validate the parameters directly.
        for (String v : distinct(staticCategoricals, timeVaryingCategoricalsEncoder, timeVaryingCategoricalsDecoder)) {
            if (!categoricalCardinalities.containsKey(v)) {
                throw new IllegalArgumentException("categorical variable '" + v + "' has no cardinality");
            }
            for (String column : categoricalGroups.getOrDefault(v, List.of(v))) {
                if (!xCategoricals.contains(column)) {
                    throw new IllegalArgumentException("categorical column '" + column + "' of variable '" + v
                            + "' is not among the batch's categorical columns " + xCategoricals);
                }
            }
        }
        for (String r : distinct(staticReals, timeVaryingRealsEncoder, timeVaryingRealsDecoder)) {
            if (!xReals.contains(r)) {
                throw new IllegalArgumentException("real variable '" + r + "' is not among the batch's real columns " + xReals);
            }
        }
        TargetDenormalisation.checkTransformation(outputTransformation);
    }

    /**
     * Checks the sizes that decide how large the model is against their bounds, naming PTF's key.
     *
     * @param hiddenSize           hidden_size, 1 to {@link #MAX_HIDDEN_SIZE}
     * @param attentionHeadSize    attention_head_size, 1 to hidden_size (each head needs a feature)
     * @param hiddenContinuousSize hidden_continuous_size, 1 to {@link #MAX_HIDDEN_SIZE}
     * @param lstmLayers           lstm_layers, 1 to {@link #MAX_LSTM_LAYERS}
     * @throws IllegalArgumentException naming the first key out of range, its bounds and why
     */
    public static void checkSizes(int hiddenSize, int attentionHeadSize, int hiddenContinuousSize, int lstmLayers) {
        checkRange("hidden_size", hiddenSize, MAX_HIDDEN_SIZE, "the width of every layer; PTF tunes it from 8 to 512");
        checkRange("attention_head_size", attentionHeadSize, hiddenSize,
                "the number of attention heads, at most hidden_size so that each head has a feature");
        checkRange("hidden_continuous_size", hiddenContinuousSize, MAX_HIDDEN_SIZE, "the width of each real variable's embedding");
        checkRange("lstm_layers", lstmLayers, MAX_LSTM_LAYERS, "PTF uses 1 to 4; each layer runs sequentially over time");
    }

    /**
     * Checks per-variable widths (hidden_continuous_sizes, embedding_sizes) against 1 to {@link #MAX_HIDDEN_SIZE}.
     *
     * @param key   the key that holds them, named in the error
     * @param sizes width by variable name
     * @throws IllegalArgumentException naming the first variable whose width is out of range
     */
    public static void checkSizes(String key, Map<String, Integer> sizes) {
        sizes.forEach((variable, size) -> checkRange(key + "." + variable, size, MAX_HIDDEN_SIZE, "an embedding width"));
    }

    private static void checkRange(String key, int value, int max, String why) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(key + " must be between 1 and " + max + ", got " + value + " (" + why + ")");
        }
    }

    /** The batch columns that make up a categorical variable (itself, unless it is a group). */
    public List<String> columnsOf(String variable) {
        return categoricalGroups.getOrDefault(variable, List.of(variable));
    }

    /** Distinct categorical variables in PTF's order: static, then encoder, then decoder-only. */
    public List<String> categoricalVariables() {
        return distinct(staticCategoricals, timeVaryingCategoricalsEncoder, timeVaryingCategoricalsDecoder);
    }

    /** Distinct real variables in PTF's prescaler order (its {@code reals} property): static, encoder, decoder. */
    public List<String> realVariables() {
        return distinct(staticReals, timeVaryingRealsEncoder, timeVaryingRealsDecoder);
    }

    /** PTF's embedding size rule: min(round(1.6·n^0.56), 100), 1 for n ≤ 2 (Python's round, half to even), capped at the hidden size. */
    public int embeddingSize(String variable) {
        Integer explicit = embeddingSizes.get(variable);
        int n = categoricalCardinalities.get(variable);
        int size = explicit != null ? explicit : n > 2 ? (int) Math.min(Math.rint(1.6 * Math.pow(n, 0.56)), 100) : 1;
        return Math.min(size, hiddenSize);
    }

    /**
     * The size a continuous variable is prescaled to: PTF's {@code hidden_continuous_sizes} entry for it, else
     * {@code hidden_continuous_size}.
     */
    public int hiddenContinuousSize(String real) {
        return hiddenContinuousSizes.getOrDefault(real, hiddenContinuousSize);
    }

    /** Outputs per decoder step: one per quantile. */
    public int outputSize() {
        return quantiles.size();
    }

    /** The config as JSON-ready values, with PTF's hyper-parameter names. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden_size", (long) hiddenSize);
        m.put("attention_head_size", (long) attentionHeadSize);
        m.put("dropout", (double) dropout);
        m.put("hidden_continuous_size", (long) hiddenContinuousSize);
        m.put("hidden_continuous_sizes", intsToJson(hiddenContinuousSizes));
        m.put("lstm_layers", (long) lstmLayers);
        List<Object> q = new ArrayList<>();
        for (Float f : quantiles) {
            q.add((double) f);
        }
        m.put("quantiles", q);
        m.put("static_categoricals", staticCategoricals);
        m.put("static_reals", staticReals);
        m.put("time_varying_categoricals_encoder", timeVaryingCategoricalsEncoder);
        m.put("time_varying_categoricals_decoder", timeVaryingCategoricalsDecoder);
        m.put("time_varying_reals_encoder", timeVaryingRealsEncoder);
        m.put("time_varying_reals_decoder", timeVaryingRealsDecoder);
        m.put("x_categoricals", xCategoricals);
        m.put("x_reals", xReals);
        m.put("categorical_cardinalities", intsToJson(categoricalCardinalities));
        m.put("categorical_groups", new LinkedHashMap<>(categoricalGroups));
        m.put("embedding_sizes", intsToJson(embeddingSizes));
        m.put("causal_attention", causalAttention);
        m.put("output_transformation", outputTransformation);
        m.put("seed", seed);
        return m;
    }

    /** Reads what {@link #toJson} wrote; a missing or mistyped key is named in the error. */
    public static TftConfig fromJson(Map<String, Object> m) {
        JsonFields f = new JsonFields(m, "model config");
        List<Float> quantiles = new ArrayList<>();
        for (Object o : f.list("quantiles")) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("model config: quantiles must be numbers, got " + o);
            }
            quantiles.add(n.floatValue());
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : f.map("categorical_groups").entrySet()) {
            groups.put(e.getKey(), JsonFields.strings(e.getValue(), "categorical_groups." + e.getKey()));
        }
        return new TftConfig(f.integer("hidden_size"), f.integer("attention_head_size"), (float) f.number("dropout"),
                f.integer("hidden_continuous_size"), f.intMap("hidden_continuous_sizes"), f.integer("lstm_layers"),
                quantiles, f.strings("static_categoricals"), f.strings("static_reals"),
                f.strings("time_varying_categoricals_encoder"), f.strings("time_varying_categoricals_decoder"),
                f.strings("time_varying_reals_encoder"), f.strings("time_varying_reals_decoder"),
                f.strings("x_categoricals"), f.strings("x_reals"), f.intMap("categorical_cardinalities"), groups,
                f.intMap("embedding_sizes"), f.bool("causal_attention"), f.string("output_transformation"),
                (long) f.number("seed"));
    }

    /**
     * A copy in the map's own order, or sorted by key when it has none ({@code Map.of}): the order reaches
     * model.json and the layout of the weights, which must not change from one JVM to the next.
     */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map instanceof java.util.SequencedMap<String, V> ? new LinkedHashMap<>(map) : new LinkedHashMap<>(new java.util.TreeMap<>(map));
    }

    private static Map<String, Object> intsToJson(Map<String, Integer> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, (long) v));
        return out;
    }

    @SafeVarargs
    private static List<String> distinct(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            for (String s : l) {
                if (!out.contains(s)) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
