package dev.tempora.data;

import java.util.ArrayList;
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

    public final String timeIdx;
    public final String timestamp;
    public final Frequency frequency;
    public final String target;
    public final List<String> groupIds;
    public final List<String> staticCategoricals;
    public final List<String> staticReals;
    public final List<String> knownCategoricals;
    public final List<String> knownReals;
    public final List<String> unknownCategoricals;
    public final List<String> unknownReals;
    public final Map<String, List<String>> variableGroups;
    public final int minEncoderLength;
    public final int maxEncoderLength;
    public final int minPredictionLength;
    public final int maxPredictionLength;
    public final Integer minPredictionIdx;
    public final boolean addRelativeTimeIdx;
    public final boolean addTargetScales;
    public final boolean addEncoderLength;
    public final boolean allowMissingTimesteps;
    public final boolean predictMode;
    /** Variables whose label encoder has the nan/unknown class (PTF {@code NaNLabelEncoder(add_nan=True)}). */
    public final Set<String> addNan;
    /** Per real variable: "standard" (default), "robust" or "none". */
    public final Map<String, RealScaler.Kind> scalers;

    private DatasetParameters(Map<String, Object> values) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(WHERE + ": unknown parameter \"" + key + "\"; the parameters are PTF's "
                        + "TimeSeriesDataSet arguments: " + new java.util.TreeSet<>(KEYS));
            }
        }
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
        variableGroups = java.util.Collections.unmodifiableMap(vg);
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
        for (String unsupported : List.of("lags", "weight", "constant_fill_strategy")) {
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
        addNan = java.util.Collections.unmodifiableSet(nan);
        Map<String, Object> scalerSpec = JsonValues.object(values, "scalers", WHERE);
        Map<String, RealScaler.Kind> sc = new LinkedHashMap<>();
        if (scalerSpec != null) {
            for (Map.Entry<String, Object> e : scalerSpec.entrySet()) {
                sc.put(e.getKey(), RealScaler.parseKind(e.getValue(), e.getKey()));
            }
        }
        scalers = java.util.Collections.unmodifiableMap(sc);
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

    public static DatasetParameters fromJson(Map<String, Object> json) {
        return new DatasetParameters(json);
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
}
