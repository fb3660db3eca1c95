package dev.tempora.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model needs to know about a dataset's inputs, as PTF's {@code TemporalFusionTransformer.from_dataset}
 * reads them: the variables with their kind and role, categorical cardinalities, the real and categorical
 * columns in batch order, the target and its normaliser. Categorical variables count a variable group
 * (several columns, one embedding) as one; {@link #flatCategoricals()} lists the batch's columns.
 */
public record DatasetDescription(
        String target,
        int maxEncoderLength,
        int maxPredictionLength,
        List<String> staticCategoricals,
        List<String> staticReals,
        List<String> timeVaryingKnownCategoricals,
        List<String> timeVaryingKnownReals,
        List<String> timeVaryingUnknownCategoricals,
        List<String> timeVaryingUnknownReals,
        Map<String, List<String>> variableGroups,
        Map<String, Integer> cardinalities,
        List<String> nanCategoricals,
        List<String> reals,
        List<String> flatCategoricals,
        TargetNormalizer targetNormalizer) {

    /** A variable's kind, which decides how the network embeds it. */
    public enum Kind {
        /** Integer codes, embedded. */
        CATEGORICAL,
        /** Continuous values, scaled. */
        REAL
    }

    /** Static variables are read once per sample; encoder-only ones (unknown) are not fed to the decoder. */
    public enum Role {
        /** Constant over a series. */
        STATIC,
        /** Known in advance, for the future steps too (time-varying known). */
        KNOWN,
        /** Observed only up to the present (time-varying unknown). */
        UNKNOWN
    }

    /**
     * One input variable. {@code columns} are its positions in the batch's cat (categorical) or cont (real)
     * axis: one position, or several for a variable group. {@code cardinality} is the number of codes
     * (the nan class included) for categoricals, 0 for reals.
     */
    public record Variable(String name, Kind kind, Role role, int cardinality, List<Integer> columns) {
        /** Whether the encoder reads this variable (every variable). */
        public boolean inEncoder() {
            return true;
        }

        /** Whether the decoder reads this variable: static and known ones, not unknown ones. */
        public boolean inDecoder() {
            return role != Role.UNKNOWN;
        }
    }

    /** PTF's {@code dataset.categoricals}: static, then known, then unknown. */
    public List<String> categoricals() {
        List<String> out = new ArrayList<>(staticCategoricals);
        out.addAll(timeVaryingKnownCategoricals);
        out.addAll(timeVaryingUnknownCategoricals);
        return out;
    }

    /** PTF's {@code time_varying_categoricals_encoder}: known then unknown categoricals. */
    public List<String> encoderCategoricals() {
        List<String> out = new ArrayList<>(timeVaryingKnownCategoricals);
        out.addAll(timeVaryingUnknownCategoricals);
        return out;
    }

    /** PTF's {@code time_varying_categoricals_decoder}: the known categoricals. */
    public List<String> decoderCategoricals() {
        return timeVaryingKnownCategoricals;
    }

    /** PTF's {@code time_varying_reals_encoder}: known then unknown reals. */
    public List<String> encoderReals() {
        List<String> out = new ArrayList<>(timeVaryingKnownReals);
        out.addAll(timeVaryingUnknownReals);
        return out;
    }

    /** PTF's {@code time_varying_reals_decoder}: the known reals. */
    public List<String> decoderReals() {
        return timeVaryingKnownReals;
    }

    /** Every variable, categoricals first (PTF order), then reals (PTF order). */
    public List<Variable> variables() {
        List<Variable> out = new ArrayList<>();
        for (String name : categoricals()) {
            Role role = staticCategoricals.contains(name) ? Role.STATIC
                    : timeVaryingKnownCategoricals.contains(name) ? Role.KNOWN : Role.UNKNOWN;
            List<Integer> positions = new ArrayList<>();
            for (String column : variableGroups.getOrDefault(name, List.of(name))) {
                positions.add(flatCategoricals.indexOf(column));
            }
            out.add(new Variable(name, Kind.CATEGORICAL, role, cardinalities.get(name), positions));
        }
        for (String name : reals) {
            Role role = staticReals.contains(name) ? Role.STATIC : timeVaryingKnownReals.contains(name) ? Role.KNOWN : Role.UNKNOWN;
            out.add(new Variable(name, Kind.REAL, role, 0, List.of(reals.indexOf(name))));
        }
        return out;
    }

    /** The description as the checkpoint's JSON writes it, with PTF's key names. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target", target);
        m.put("max_encoder_length", (long) maxEncoderLength);
        m.put("max_prediction_length", (long) maxPredictionLength);
        m.put("static_categoricals", staticCategoricals);
        m.put("static_reals", staticReals);
        m.put("time_varying_known_categoricals", timeVaryingKnownCategoricals);
        m.put("time_varying_known_reals", timeVaryingKnownReals);
        m.put("time_varying_unknown_categoricals", timeVaryingUnknownCategoricals);
        m.put("time_varying_unknown_reals", timeVaryingUnknownReals);
        m.put("variable_groups", new LinkedHashMap<>(variableGroups));
        Map<String, Object> card = new LinkedHashMap<>();
        cardinalities.forEach((k, v) -> card.put(k, (long) v));
        m.put("cardinalities", card);
        m.put("nan_categoricals", nanCategoricals);
        m.put("x_reals", reals);
        m.put("x_categoricals", flatCategoricals);
        m.put("target_normalizer", targetNormalizer.toJson());
        return m;
    }

    /**
     * Reads a description from {@link #toJson()}'s form; a missing or mistyped key is an {@link
     * IllegalArgumentException} naming it.
     */
    @SuppressWarnings("unchecked")
    public static DatasetDescription fromJson(Map<String, Object> m) {
        String w = "dataset description";
        Map<String, List<String>> groups = new LinkedHashMap<>();
        Map<String, Object> g = JsonValues.object(m, "variable_groups", w);
        if (g != null) {
            for (String k : g.keySet()) {
                groups.put(k, JsonValues.strings(g, k, w));
            }
        }
        Map<String, Integer> card = new LinkedHashMap<>();
        Map<String, Object> c = JsonValues.object(m, "cardinalities", w);
        if (c != null) {
            for (String k : c.keySet()) {
                card.put(k, JsonValues.integer(c, k, w, null));
            }
        }
        return new DatasetDescription(JsonValues.string(m, "target", w, null), JsonValues.integer(m, "max_encoder_length", w, null),
                JsonValues.integer(m, "max_prediction_length", w, null), JsonValues.strings(m, "static_categoricals", w),
                JsonValues.strings(m, "static_reals", w), JsonValues.strings(m, "time_varying_known_categoricals", w),
                JsonValues.strings(m, "time_varying_known_reals", w), JsonValues.strings(m, "time_varying_unknown_categoricals", w),
                JsonValues.strings(m, "time_varying_unknown_reals", w), groups, card, JsonValues.strings(m, "nan_categoricals", w),
                JsonValues.strings(m, "x_reals", w), JsonValues.strings(m, "x_categoricals", w),
                TargetNormalizer.fromSpec(m.get("target_normalizer"), List.of()));
    }
}
