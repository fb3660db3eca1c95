package dev.tempora.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of PyTorch Forecasting's {@code TimeSeriesDataSet}, under PTF's names (as a config's
 * "dataset" section spells them). Immutable; {@link #with} returns a changed copy, as PTF's
 * {@code from_dataset(..., **update_kwargs)} does.
 *
 * <p>Besides PTF's own arguments: {@code timestamp} and {@code frequency} derive the integer
 * {@code time_idx} column from a timestamp column (periods since the earliest timestamp the dataset was
 * fitted on), and {@code group_ids} may be empty for a single series.
 */
public final class DatasetParameters {

    static final Set<String> KEYS = Set.of("time_idx", "timestamp", "frequency", "target", "group_ids", "static_categoricals",
            "static_reals", "time_varying_known_categoricals", "time_varying_known_reals", "time_varying_unknown_categoricals",
            "time_varying_unknown_reals", "variable_groups", "min_encoder_length", "max_encoder_length",
            "min_prediction_length", "max_prediction_length", "min_prediction_idx", "target_normalizer",
            "add_relative_time_idx", "add_target_scales", "add_encoder_length", "allow_missing_timesteps",
            "categorical_encoders", "scalers", "predict_mode", "randomize_length", "lags", "weight",
            "constant_fill_strategy");

    private static final String WHERE = "dataset";

    private final Map<String, Object> values;

    /** PTF's {@code time_idx}: the integer time column. */
    public final String timeIdx;
    /** The timestamp column {@code time_idx} is derived from, or null. */
    public final String timestamp;
    /** The step between rows that turns {@code timestamp} into {@code time_idx}, or null. */
    public final Frequency frequency;
    /** PTF's {@code target}: the column to forecast. */
    public final String target;
    /** PTF's {@code group_ids}: the columns that identify a series (empty for one series). */
    public final List<String> groupIds;
    /** PTF's {@code static_categoricals}. */
    public final List<String> staticCategoricals;
    /** PTF's {@code static_reals}. */
    public final List<String> staticReals;
    /** PTF's {@code time_varying_known_categoricals}. */
    public final List<String> knownCategoricals;
    /** PTF's {@code time_varying_known_reals}. */
    public final List<String> knownReals;
    /** PTF's {@code time_varying_unknown_categoricals}. */
    public final List<String> unknownCategoricals;
    /** PTF's {@code time_varying_unknown_reals}. */
    public final List<String> unknownReals;
    /** PTF's {@code variable_groups}: a name standing for several categorical columns. */
    public final Map<String, List<String>> variableGroups;
    /** PTF's {@code min_encoder_length}, in steps. */
    public final int minEncoderLength;
    /** PTF's {@code max_encoder_length}, in steps. */
    public final int maxEncoderLength;
    /** PTF's {@code min_prediction_length}, in steps. */
    public final int minPredictionLength;
    /** PTF's {@code max_prediction_length}, in steps. */
    public final int maxPredictionLength;
    /** PTF's {@code min_prediction_idx}: the first {@code time_idx} a window may forecast, or null. */
    public final Integer minPredictionIdx;
    /** PTF's {@code add_relative_time_idx}. */
    public final boolean addRelativeTimeIdx;
    /** PTF's {@code add_target_scales}. */
    public final boolean addTargetScales;
    /** PTF's {@code add_encoder_length}. */
    public final boolean addEncoderLength;
    /** PTF's {@code allow_missing_timesteps}. */
    public final boolean allowMissingTimesteps;
    /** PTF's {@code predict_mode}: one window per series, the last one. */
    public final boolean predictMode;
    /** Variables whose label encoder has the nan/unknown class (PTF {@code NaNLabelEncoder(add_nan=True)}). */
    public final Set<String> addNan;
    /** Per real variable: "standard" (default), "robust", "target" (as the target's input) or "none". */
    public final Map<String, RealScaler.Kind> scalers;
    /**
     * PTF's {@code weight}: the column whose value weighs each decoder step's loss (finite, 0 or more), or
     * null for none.
     */
    public final String weight;

    private DatasetParameters(Map<String, Object> values) {
        dev.tempora.tensor.io.JsonKeys.requireKnown(values, KEYS, WHERE);
        this.values = new LinkedHashMap<>(values);
        timeIdx = JsonValues.string(values, "time_idx", WHERE, null);
        timestamp = JsonValues.optionalString(values, "timestamp", WHERE);
        String freq = JsonValues.optionalString(values, "frequency", WHERE);
        if ((timestamp == null) != (freq == null)) {
            throw new IllegalArgumentException(WHERE + ": \"timestamp\" and \"frequency\" go together (a timestamp column and "
                    + "the step between its rows, e.g. \"1h\"), got only one of them");
        }
        frequency = freq == null ? null : Frequency.parse(freq);
        target = JsonValues.string(values, "target", WHERE, null);
        groupIds = JsonValues.strings(values, "group_ids", WHERE);
        staticCategoricals = JsonValues.strings(values, "static_categoricals", WHERE);
        staticReals = JsonValues.strings(values, "static_reals", WHERE);
        knownCategoricals = JsonValues.strings(values, "time_varying_known_categoricals", WHERE);
        knownReals = JsonValues.strings(values, "time_varying_known_reals", WHERE);
        unknownCategoricals = JsonValues.strings(values, "time_varying_unknown_categoricals", WHERE);
        unknownReals = JsonValues.strings(values, "time_varying_unknown_reals", WHERE);
        Map<String, Object> groups = JsonValues.object(values, "variable_groups", WHERE);
        Map<String, List<String>> vg = new LinkedHashMap<>();
        if (groups != null) {
            for (String name : groups.keySet()) {
                List<String> columns = JsonValues.strings(groups, name, WHERE + ".variable_groups");
                if (columns.isEmpty()) {
                    throw new IllegalArgumentException(WHERE + ".variable_groups: group '" + name + "' lists no columns");
                }
                vg.put(name, columns);
            }
        }
        variableGroups = Collections.unmodifiableMap(vg);
        maxEncoderLength = JsonValues.integer(values, "max_encoder_length", WHERE, 30);
        minEncoderLength = JsonValues.integer(values, "min_encoder_length", WHERE, maxEncoderLength);
        maxPredictionLength = JsonValues.integer(values, "max_prediction_length", WHERE, 1);
        minPredictionLength = JsonValues.integer(values, "min_prediction_length", WHERE, maxPredictionLength);
        minPredictionIdx = JsonValues.optionalInteger(values, "min_prediction_idx", WHERE);
        addRelativeTimeIdx = JsonValues.bool(values, "add_relative_time_idx", WHERE, false);
        addTargetScales = JsonValues.bool(values, "add_target_scales", WHERE, false);
        Object encoderLength = values.get("add_encoder_length");
        if (encoderLength == null || "auto".equals(encoderLength)) {
            addEncoderLength = minEncoderLength != maxEncoderLength;
        } else if (encoderLength instanceof Boolean b) {
            addEncoderLength = b;
        } else {
            throw new IllegalArgumentException(WHERE + ": \"add_encoder_length\" must be true, false or \"auto\"");
        }
        allowMissingTimesteps = JsonValues.bool(values, "allow_missing_timesteps", WHERE, false);
        predictMode = JsonValues.bool(values, "predict_mode", WHERE, false);
        Object randomize = values.get("randomize_length");
        if (randomize != null && !Boolean.FALSE.equals(randomize)) {
            throw new IllegalArgumentException(WHERE + ": randomize_length is not supported (use false or leave it out)");
        }
        weight = JsonValues.optionalString(values, "weight", WHERE);
        for (String unsupported : List.of("lags", "constant_fill_strategy")) {
            Object v = values.get(unsupported);
            if (v != null && !(v instanceof Map<?, ?> m && m.isEmpty())) {
                throw new IllegalArgumentException(WHERE + ": \"" + unsupported + "\" is not supported yet");
            }
        }
        Map<String, Object> encoders = JsonValues.object(values, "categorical_encoders", WHERE);
        java.util.Set<String> nan = new java.util.LinkedHashSet<>();
        if (encoders != null) {
            for (String name : encoders.keySet()) {
                Map<String, Object> spec = JsonValues.object(encoders, name, WHERE + ".categorical_encoders");
                if (spec == null) {
                    continue;
                }
                if (JsonValues.bool(spec, "add_nan", WHERE + ".categorical_encoders." + name, false)) {
                    nan.add(name);
                }
            }
        }
        addNan = Collections.unmodifiableSet(nan);
        Map<String, Object> scalerSpec = JsonValues.object(values, "scalers", WHERE);
        Map<String, RealScaler.Kind> sc = new LinkedHashMap<>();
        if (scalerSpec != null) {
            for (Map.Entry<String, Object> e : scalerSpec.entrySet()) {
                sc.put(e.getKey(), RealScaler.parseKind(e.getValue(), e.getKey()));
            }
        }
        scalers = Collections.unmodifiableMap(sc);
        check();
    }

    private void check() {
        if (maxEncoderLength < 0 || minEncoderLength < 0) {
            throw new IllegalArgumentException(WHERE + ": encoder lengths must not be negative");
        }
        if (minEncoderLength > maxEncoderLength) {
            throw new IllegalArgumentException(WHERE + ": min_encoder_length " + minEncoderLength + " exceeds max_encoder_length "
                    + maxEncoderLength);
        }
        if (minPredictionLength < 1) {
            throw new IllegalArgumentException(WHERE + ": min_prediction_length must be at least 1, got " + minPredictionLength);
        }
        if (minPredictionLength > maxPredictionLength) {
            throw new IllegalArgumentException(WHERE + ": min_prediction_length " + minPredictionLength
                    + " exceeds max_prediction_length " + maxPredictionLength);
        }
        if (weight != null && (weight.equals(target) || weight.equals(timeIdx) || groupIds.contains(weight))) {
            throw new IllegalArgumentException(WHERE + ": the weight column '" + weight + "' is the target, the time index or a "
                    + "group id; give a column that holds each row's weight");
        }
        if (knownReals.contains(target)) {
            throw new IllegalArgumentException(WHERE + ": the target '" + target + "' cannot be a known real (it is unknown in the future)");
        }
        for (String protectedName : List.of("relative_time_idx", "encoder_length", target + "_center", target + "_scale")) {
            for (List<String> list : List.of(staticReals, knownReals, unknownReals)) {
                if (list.contains(protectedName)) {
                    throw new IllegalArgumentException(WHERE + ": '" + protectedName + "' is added by the dataset itself "
                            + "(add_relative_time_idx, add_encoder_length, add_target_scales); do not list it");
                }
            }
        }
        List<String> all = new ArrayList<>();
        for (List<String> list : List.of(staticCategoricals, knownCategoricals, unknownCategoricals, staticReals, knownReals, unknownReals)) {
            for (String name : list) {
                if (all.contains(name)) {
                    throw new IllegalArgumentException(WHERE + ": variable '" + name + "' is listed twice");
                }
                all.add(name);
            }
        }
        for (String group : variableGroups.keySet()) {
            if (!staticCategoricals.contains(group) && !knownCategoricals.contains(group) && !unknownCategoricals.contains(group)) {
                throw new IllegalArgumentException(WHERE + ".variable_groups: group '" + group
                        + "' is not listed among the categoricals (static, known or unknown)");
            }
        }
    }

    /**
     * Parameters from a config's "dataset" object (PTF's names); an unknown key, a mistyped value or an
     * inconsistent combination is an {@link IllegalArgumentException} naming it.
     */
    public static DatasetParameters fromJson(Map<String, Object> json) {
        return new DatasetParameters(json);
    }

    /**
     * A builder with every parameter at PTF's default; {@link Builder#build()} checks them exactly as
     * {@link #fromJson} does (the builder fills the same JSON map).
     *
     * @return an empty builder
     */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /**
     * A builder holding these parameters, to change some of them.
     *
     * @return a builder whose {@link Builder#build()} gives parameters equal to these
     */
    public Builder toBuilder() {
        return new Builder(values);
    }

    /** The parameters as a JSON object, PTF names. */
    public Map<String, Object> toJson() {
        return new LinkedHashMap<>(values);
    }

    /** A copy with one parameter changed (null removes it, restoring PTF's default). */
    public DatasetParameters with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(values);
        if (value == null) {
            m.remove(key);
        } else {
            m.put(key, value instanceof Integer i ? Long.valueOf(i) : value);
        }
        return new DatasetParameters(m);
    }

    /** The value given for a parameter by its PTF name, as JSON holds it, or null when it was not given. */
    public Object get(String key) {
        return values.get(key);
    }

    /** PTF's "target_normalizer" spec as given (null when absent: PTF's "auto"). */
    Object targetNormalizerSpec() {
        return values.containsKey("target_normalizer") ? values.get("target_normalizer") : "auto";
    }

    /** Categorical variables in PTF order: static, known, unknown (a variable group counts as one). */
    public List<String> categoricals() {
        List<String> out = new ArrayList<>(staticCategoricals);
        out.addAll(knownCategoricals);
        out.addAll(unknownCategoricals);
        return out;
    }

    /** Categorical columns as in the data: each variable group expanded into its columns, in place. */
    public List<String> flatCategoricals() {
        List<String> out = new ArrayList<>();
        for (String name : categoricals()) {
            List<String> group = variableGroups.get(name);
            if (group != null) {
                out.addAll(group);
            } else {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "DatasetParameters" + values;
    }

    /**
     * The parameters one typed method at a time, named as PTF's {@code TimeSeriesDataSet} arguments in
     * camel case. Each method sets the JSON value a config's "dataset" section would hold, and
     * {@link #build()} parses and checks that map as {@link DatasetParameters#fromJson} does, so a builder and
     * a config file give equal parameters and the same errors. Setting a parameter again replaces it.
     * PTF's {@code lags}, {@code randomize_length} and {@code constant_fill_strategy} have no method: Tempora
     * does not support them.
     */
    public static final class Builder {

        private final Map<String, Object> values;

        private Builder(Map<String, Object> values) {
            this.values = new LinkedHashMap<>(values);
        }

        private Builder put(String key, Object value) {
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            return this;
        }

        /** Column names as a list; null entries are kept so that {@link #build()} names them. */
        private Builder names(String key, String... columns) {
            return put(key, columns == null ? null : Collections.unmodifiableList(Arrays.asList(columns.clone())));
        }

        /**
         * PTF {@code time_idx}: the integer column of time steps (a series' rows are consecutive steps). With
         * {@link #timestamp} it names the column derived from the timestamps instead. Required.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder timeIdx(String column) {
            return put("time_idx", column);
        }

        /**
         * Tempora's own: derive the {@code time_idx} column from a timestamp column, as periods of
         * {@code frequency} since the earliest timestamp the dataset was fitted on. Default: none.
         *
         * @param column    the timestamp column
         * @param frequency the step between rows, as {@link Frequency#parse} reads it ("1h", "1d", "month", ...)
         * @return this builder
         */
        public Builder timestamp(String column, String frequency) {
            put("timestamp", column);
            return put("frequency", frequency);
        }

        /**
         * PTF {@code target}: the column to forecast (one numeric column). Required.
         *
         * @param column the column name
         * @return this builder
         */
        public Builder target(String column) {
            return put("target", column);
        }

        /**
         * PTF {@code group_ids}: the columns whose values together identify a series. Default: none (the
         * whole table is one series; PTF requires at least one).
         *
         * @param columns the column names
         * @return this builder
         */
        public Builder groupIds(String... columns) {
            return names("group_ids", columns);
        }

        /**
         * PTF {@code static_categoricals}: categorical (string) columns constant within a series. Default: none.
         *
         * @param columns the column names (or variable group names)
         * @return this builder
         */
        public Builder staticCategoricals(String... columns) {
            return names("static_categoricals", columns);
        }

        /**
         * PTF {@code static_reals}: numeric columns constant within a series. Default: none.
         *
         * @param columns the column names
         * @return this builder
         */
        public Builder staticReals(String... columns) {
            return names("static_reals", columns);
        }

        /**
         * PTF {@code time_varying_known_categoricals}: categorical columns known in the future too (calendar
         * labels, holidays). Default: none.
         *
         * @param columns the column names (or variable group names)
         * @return this builder
         */
        public Builder timeVaryingKnownCategoricals(String... columns) {
            return names("time_varying_known_categoricals", columns);
        }

        /**
         * PTF {@code time_varying_known_reals}: numeric columns known in the future too (the time index,
         * planned prices). Default: none.
         *
         * @param columns the column names
         * @return this builder
         */
        public Builder timeVaryingKnownReals(String... columns) {
            return names("time_varying_known_reals", columns);
        }

        /**
         * PTF {@code time_varying_unknown_categoricals}: categorical columns known only up to the present.
         * Default: none.
         *
         * @param columns the column names (or variable group names)
         * @return this builder
         */
        public Builder timeVaryingUnknownCategoricals(String... columns) {
            return names("time_varying_unknown_categoricals", columns);
        }

        /**
         * PTF {@code time_varying_unknown_reals}: numeric columns known only up to the present, the target
         * among them as a rule. Default: none.
         *
         * @param columns the column names
         * @return this builder
         */
        public Builder timeVaryingUnknownReals(String... columns) {
            return names("time_varying_unknown_reals", columns);
        }

        /**
         * PTF {@code variable_groups}: a name standing for several categorical columns that share one
         * embedding (the name is listed among the categoricals in their place). Default: none.
         *
         * @param groups group name to its columns, in the map's order
         * @return this builder
         */
        public Builder variableGroups(Map<String, List<String>> groups) {
            if (groups == null) {
                return put("variable_groups", null);
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            groups.forEach((name, columns) -> copy.put(name, columns == null ? null
                    : Collections.unmodifiableList(new ArrayList<>(columns))));
            return put("variable_groups", Collections.unmodifiableMap(copy));
        }

        /**
         * PTF {@code min_encoder_length}: the fewest past steps a window shows the model. Default:
         * {@code max_encoder_length}.
         *
         * @param steps the length
         * @return this builder
         */
        public Builder minEncoderLength(int steps) {
            return put("min_encoder_length", (long) steps);
        }

        /**
         * PTF {@code max_encoder_length}: the most past steps a window shows the model. Default: 30.
         *
         * @param steps the length
         * @return this builder
         */
        public Builder maxEncoderLength(int steps) {
            return put("max_encoder_length", (long) steps);
        }

        /**
         * PTF {@code min_prediction_length}: the fewest steps a window forecasts (at least 1). Default:
         * {@code max_prediction_length}.
         *
         * @param steps the length
         * @return this builder
         */
        public Builder minPredictionLength(int steps) {
            return put("min_prediction_length", (long) steps);
        }

        /**
         * PTF {@code max_prediction_length}: the forecast horizon, the most steps a window forecasts.
         * Default: 1.
         *
         * @param steps the length
         * @return this builder
         */
        public Builder maxPredictionLength(int steps) {
            return put("max_prediction_length", (long) steps);
        }

        /**
         * PTF {@code min_prediction_idx}: the first {@code time_idx} a window may forecast. Default: the
         * data's first time index.
         *
         * @param timeIdx the time index
         * @return this builder
         */
        public Builder minPredictionIdx(int timeIdx) {
            return put("min_prediction_idx", (long) timeIdx);
        }

        /**
         * PTF {@code target_normalizer}: how the target is scaled for the network. Default "auto" (PTF's
         * choice from the data). The spec is what a config holds: an object such as {@code {"type":
         * "GroupNormalizer", "groups": [...], "transformation": "softplus"}} (a {@link Map}), a type name
         * ("GroupNormalizer", "EncoderNormalizer", "TorchNormalizer"), "auto", or "none" / {@code null}
         * (PTF's {@code None}: no scaling). A {@link TargetNormalizer} is taken as its JSON form.
         *
         * @param spec the normaliser
         * @return this builder
         */
        public Builder targetNormalizer(Object spec) {
            values.put("target_normalizer", spec instanceof TargetNormalizer n ? n.toJson() : spec);
            return this;
        }

        /**
         * PTF {@code add_relative_time_idx}: add the known real {@code relative_time_idx}, a window step's
         * position relative to the forecast start. Default: false.
         *
         * @param add whether to add it
         * @return this builder
         */
        public Builder addRelativeTimeIdx(boolean add) {
            return put("add_relative_time_idx", add);
        }

        /**
         * PTF {@code add_target_scales}: add the static reals {@code <target>_center} and
         * {@code <target>_scale}, the target normaliser's parameters per window. Default: false.
         *
         * @param add whether to add them
         * @return this builder
         */
        public Builder addTargetScales(boolean add) {
            return put("add_target_scales", add);
        }

        /**
         * PTF {@code add_encoder_length}: add the static real {@code encoder_length}. Default "auto": added
         * when the encoder length varies ({@code min_encoder_length != max_encoder_length}).
         *
         * @param add whether to add it
         * @return this builder
         */
        public Builder addEncoderLength(boolean add) {
            return put("add_encoder_length", add);
        }

        /**
         * PTF {@code allow_missing_timesteps}: accept gaps in a series' time index, filled forward within a
         * window; otherwise a gap is an error. Default: false.
         *
         * @param allow whether gaps are allowed
         * @return this builder
         */
        public Builder allowMissingTimesteps(boolean allow) {
            return put("allow_missing_timesteps", allow);
        }

        /**
         * PTF {@code categorical_encoders} with {@code NaNLabelEncoder(add_nan=True)} for these variables:
         * their encoder gets a class for missing and unseen values (needed when new data may hold categories
         * the training data lacks). Default: no such class (an unseen category is an error). Adds to the
         * variables named before.
         *
         * @param variables categorical columns or variable groups
         * @return this builder
         */
        public Builder addNan(String... variables) {
            Map<String, Object> encoders = new LinkedHashMap<>();
            if (values.get("categorical_encoders") instanceof Map<?, ?> before) {
                before.forEach((name, spec) -> encoders.put((String) name, spec));
            }
            for (String variable : variables) {
                if (variable == null) {
                    throw new IllegalArgumentException(WHERE + ".categorical_encoders: addNan was given a null variable name");
                }
                encoders.put(variable, Map.of("add_nan", true));
            }
            return put("categorical_encoders", Collections.unmodifiableMap(encoders));
        }

        /**
         * PTF {@code scalers}: how each real variable is scaled, by name: "standard" (scikit-learn's
         * StandardScaler, the default for every real), "robust" (RobustScaler), "target" (the target normaliser of
         * the row's series, for a column in the target's units such as a lag of it) or "none".
         *
         * @param scalers real variable to scaler name
         * @return this builder
         */
        public Builder scalers(Map<String, String> scalers) {
            return put("scalers", scalers == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(scalers)));
        }

        /**
         * PTF {@code predict_mode}: one window per series, the last one that reaches the series' end (for
         * forecasting and validation). Default: false (every window).
         *
         * @param predict whether to use predict mode
         * @return this builder
         */
        public Builder predictMode(boolean predict) {
            return put("predict_mode", predict);
        }

        /**
         * PTF {@code weight}: a column whose value (finite, 0 or more) multiplies the loss of each decoder step
         * in that row, in training and in the validation loss. Forecasting does not need the column. Default: none.
         *
         * @param column the weight column
         * @return this builder
         */
        public Builder weight(String column) {
            return put("weight", column);
        }

        /**
         * The parameters, parsed and checked as {@link DatasetParameters#fromJson} does with the same map.
         *
         * @return the parameters
         * @throws IllegalArgumentException when a value is missing or invalid (the same message a config
         *         file with these values gets)
         */
        public DatasetParameters build() {
            return new DatasetParameters(values);
        }
    }
}
