package dev.tempora.forecast;

import dev.tempora.models.DLinear;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.models.NHits;
import dev.tempora.models.NLinear;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.tensor.io.JsonKeys;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a config's "model" section by its kind: the table of kinds, each with its keys and its parser. A new
 * kind is one entry of {@link #KINDS} (see {@link ModelKindSettings}).
 */
final class ModelSection {

    /**
     * One kind of the "model" section.
     *
     * @param name   the kind, as {@value ModelKindSettings#KIND_KEY} names it
     * @param keys   the keys its settings read ({@value ModelKindSettings#KIND_KEY} included; the trainer's aside)
     * @param parser reads the section (with the trainer's keys in it) as the kind's settings
     */
    private record Kind(String name, List<String> keys, Function<Map<String, Object>, ModelKindSettings> parser) { }

    private static final List<Kind> KINDS = List.of(
            new Kind(TemporalFusionTransformer.KIND, ModelSettings.KEYS, ModelSettings::fromJson),
            new Kind(NLinear.KIND, LinearModelSettings.keys(NLinear.KIND), s -> LinearModelSettings.fromJson(NLinear.KIND, s)),
            new Kind(DLinear.KIND, LinearModelSettings.keys(DLinear.KIND), s -> LinearModelSettings.fromJson(DLinear.KIND, s)),
            new Kind(NHits.KIND, NHitsSettings.keys(), NHitsSettings::fromJson),
            new Kind(GradientBoostedTrees.KIND, TreeModelSettings.KEYS, TreeModelSettings::fromJson));

    private static final String WHERE = "config \"model\" section";

    private ModelSection() {}

    static List<String> kinds() {
        return KINDS.stream().map(Kind::name).toList();
    }

    /** {@return every key a "model" section may hold for some kind, the trainer's included} */
    static List<String> allKeys() {
        Set<String> all = new LinkedHashSet<>();
        KINDS.forEach(k -> all.addAll(k.keys()));
        all.addAll(ModelSettings.TRAINER_KEYS);
        return List.copyOf(all);
    }

    /** The section's settings: its kind found, every key checked against that kind's, then the kind's parser. */
    static ModelKindSettings read(Map<String, Object> section) {
        Kind kind = kindOf(section);
        Set<String> allowed = new LinkedHashSet<>(kind.keys());
        allowed.addAll(ModelSettings.TRAINER_KEYS);
        for (String key : section.keySet()) {
            if (allowed.contains(key)) {
                continue;
            }
            List<String> owners = new ArrayList<>();
            for (Kind other : KINDS) {
                if (other.keys().contains(key)) {
                    owners.add(other.name());
                }
            }
            if (!owners.isEmpty()) {
                throw new IllegalArgumentException(WHERE + ": " + kind.name() + " has no setting \"" + key + "\" (it is "
                        + String.join("'s and ", owners) + "'s); " + kind.name() + "'s settings are "
                        + String.join(", ", kind.keys()) + ", beside the trainer's " + String.join(", ", ModelSettings.TRAINER_KEYS));
            }
            throw new IllegalArgumentException(WHERE + ": " + JsonKeys.unknownKey(key, allowed, "model")
                    + " (" + kind.name() + "'s settings)");
        }
        return kind.parser().apply(section);
    }

    private static Kind kindOf(Map<String, Object> section) {
        Object name = section.get(ModelKindSettings.KIND_KEY);
        if (name == null) {
            if (section.containsKey(ModelKindSettings.KIND_KEY)) {
                throw new IllegalArgumentException(WHERE + ": \"kind\" is null; name a kind (" + String.join(", ", kinds())
                        + ") or leave the key out for " + TemporalFusionTransformer.KIND);
            }
            return KINDS.getFirst();
        }
        if (!(name instanceof String s)) {
            throw new IllegalArgumentException(WHERE + ": \"kind\" must be a string, one of " + String.join(", ", kinds())
                    + ", got " + name);
        }
        for (Kind k : KINDS) {
            if (k.name().equals(s)) {
                return k;
            }
        }
        String closest = JsonKeys.closest(s, kinds());
        throw new IllegalArgumentException(WHERE + ": unknown kind \"" + s + "\"" + (closest != null ? "; did you mean \""
                + closest + "\"?" : "") + " (the kinds are " + String.join(", ", kinds()) + ")");
    }
}
