package dev.tempora.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link GradientBoostedTrees} is built from: where its inputs sit in the batch, the look-back, horizon and
 * season, the quantiles, the booster's settings, and (once fitted) each quantile's tree and node counts, so that a
 * checkpoint's arrays can be read back into a model of the right shape.
 *
 * @param targetColumn         the target's position among the batch's reals
 * @param reals                the number of real columns in the batch
 * @param decoderReals         the real columns known at each forecast step (static and time-varying known)
 * @param decoderCategoricals  the categorical columns known at each forecast step (static and time-varying known)
 * @param encoderCategoricals  the categorical columns read at the last observed step (the unknown ones)
 * @param encoderLength        L: the last L observed target values are features
 * @param predictionLength     H, the horizon
 * @param season               m ≥ 1: the value m steps before each forecast step is a feature when the history
 *                             holds it; 0 for none
 * @param quantiles            the quantiles, one booster each
 * @param outputTransformation the target normaliser's transformation (to read the history in target units)
 * @param booster              the booster's settings (its seed is the model's)
 * @param treeCounts           each quantile's trees once fitted; empty before
 * @param nodeCounts           each quantile's nodes once fitted; empty before
 */
public record TreeForecasterConfig(int targetColumn, int reals, List<Integer> decoderReals, List<Integer> decoderCategoricals,
                                   List<Integer> encoderCategoricals, int encoderLength, int predictionLength, int season,
                                   List<Float> quantiles, String outputTransformation, QuantileBoosting.Settings booster,
                                   List<Integer> treeCounts, List<Integer> nodeCounts) {

    /** Nodes are stored as float indices, exact up to 2^24. */
    static final int MAX_NODES = 1 << 24;

    /** Copies the lists and checks the values, naming the bad one. */
    public TreeForecasterConfig {
        decoderReals = List.copyOf(decoderReals);
        decoderCategoricals = List.copyOf(decoderCategoricals);
        encoderCategoricals = List.copyOf(encoderCategoricals);
        quantiles = List.copyOf(quantiles);
        treeCounts = List.copyOf(treeCounts);
        nodeCounts = List.copyOf(nodeCounts);
        if (targetColumn < 0 || targetColumn >= reals) {
            throw new IllegalArgumentException("the target column " + targetColumn + " is not among the " + reals + " reals");
        }
        for (int c : decoderReals) {
            if (c < 0 || c >= reals) {
                throw new IllegalArgumentException("decoder real column " + c + " is not among the " + reals + " reals");
            }
        }
        if (encoderLength < 1 || encoderLength > LinearForecasterConfig.MAX_LENGTH
                || predictionLength < 1 || predictionLength > LinearForecasterConfig.MAX_LENGTH) {
            throw new IllegalArgumentException("the look-back and horizon must be 1 to " + LinearForecasterConfig.MAX_LENGTH
                    + ", got " + encoderLength + " and " + predictionLength);
        }
        if (season < 0) {
            throw new IllegalArgumentException("season must be 0 (none) or a number of steps, got " + season);
        }
        QuantileLoss.checkLevels(quantiles);
        TargetDenormalisation.checkTransformation(outputTransformation);
        if (!treeCounts.isEmpty() && (treeCounts.size() != quantiles.size() || nodeCounts.size() != quantiles.size())) {
            throw new IllegalArgumentException("a fitted model has tree and node counts for each of its " + quantiles.size()
                    + " quantiles, got " + treeCounts.size() + " and " + nodeCounts.size());
        }
        for (int n : nodeCounts) {
            if (n < 1 || n > MAX_NODES) {
                throw new IllegalArgumentException("a quantile's trees hold 1 to " + MAX_NODES + " nodes, got " + n);
            }
        }
    }

    /** {@return whether the counts of a fitted model are recorded} */
    public boolean fitted() {
        return !treeCounts.isEmpty();
    }

    /** {@return this config with a fitted model's counts} */
    TreeForecasterConfig withCounts(List<Integer> trees, List<Integer> nodes) {
        return new TreeForecasterConfig(targetColumn, reals, decoderReals, decoderCategoricals, encoderCategoricals,
                encoderLength, predictionLength, season, quantiles, outputTransformation, booster, trees, nodes);
    }

    /**
     * The number of features of one forecast step: L history values, the seasonal value (with a season), every real
     * at the last observed step, the known reals and categoricals at the step, the unknown categoricals at the last
     * observed step, the step's horizon and the log of the history's scale.
     *
     * @return the feature count
     */
    public int featureCount() {
        return encoderLength + (season > 0 ? 1 : 0) + reals + 2 * decoderReals.size() + decoderCategoricals.size()
                + encoderCategoricals.size() + 2;
    }

    /**
     * The config as JSON-ready values.
     *
     * @return the values under snake_case names, which {@link #fromJson} reads back
     */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("target_column", (long) targetColumn);
        m.put("reals", (long) reals);
        m.put("decoder_reals", longs(decoderReals));
        m.put("decoder_categoricals", longs(decoderCategoricals));
        m.put("encoder_categoricals", longs(encoderCategoricals));
        m.put("encoder_length", (long) encoderLength);
        m.put("prediction_length", (long) predictionLength);
        m.put("season", (long) season);
        m.put("quantiles", quantiles.stream().map(Float::doubleValue).toList());
        m.put("output_transformation", outputTransformation);
        m.put("trees", (long) booster.trees());
        m.put("learning_rate", booster.learningRate());
        m.put("max_depth", (long) booster.maxDepth());
        m.put("min_leaf_rows", (long) booster.minLeafRows());
        m.put("row_subsample", booster.rowSubsample());
        m.put("feature_subsample", booster.featureSubsample());
        m.put("bins", (long) booster.bins());
        m.put("seed", booster.seed());
        m.put("tree_counts", longs(treeCounts));
        m.put("node_counts", longs(nodeCounts));
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
    public static TreeForecasterConfig fromJson(Map<String, Object> m, String where) {
        JsonFields f = new JsonFields(m, where);
        List<Float> quantiles = f.floats("quantiles");
        QuantileBoosting.Settings booster = new QuantileBoosting.Settings(f.integer("trees"), f.number("learning_rate"),
                f.integer("max_depth"), f.integer("min_leaf_rows"), f.number("row_subsample"), f.number("feature_subsample"),
                f.integer("bins"), (long) f.number("seed"));
        return new TreeForecasterConfig(f.integer("target_column"), f.integer("reals"), ints(f, "decoder_reals", where),
                ints(f, "decoder_categoricals", where), ints(f, "encoder_categoricals", where), f.integer("encoder_length"),
                f.integer("prediction_length"), f.integer("season"), quantiles, f.string("output_transformation"), booster,
                ints(f, "tree_counts", where), ints(f, "node_counts", where));
    }

    private static List<Long> longs(List<Integer> values) {
        return values.stream().map(Integer::longValue).toList();
    }

    private static List<Integer> ints(JsonFields f, String key, String where) {
        List<Integer> out = new ArrayList<>();
        for (Object o : f.list(key)) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
                throw new IllegalArgumentException(where + ": " + key + " must hold whole numbers, got " + o);
            }
            out.add(n.intValue());
        }
        return out;
    }
}
