package dev.tempora.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that defines an {@link NHits} model: PyTorch Forecasting's NHiTS hyper-parameters (its
 * names and defaults) and what the model reads from the data set: the encoder and prediction lengths, the
 * quantiles, where the target sits among the batch's reals and the target normaliser's transformation.
 *
 * <p>JSON keys ({@link #toJson}, {@link #fromJson}): {@code context_length}, {@code prediction_length},
 * {@code quantiles}, {@code target_position}, {@code real_count}, {@code output_transformation},
 * {@code hidden_size}, {@code n_blocks}, {@code n_layers}, {@code pooling_sizes},
 * {@code downsample_frequencies}, {@code pooling_mode}, {@code interpolation_mode}, {@code dropout},
 * {@code activation}, {@code shared_weights}, {@code naive_level}, {@code seed}.
 *
 * @param contextLength         context_length: the encoder steps the model reads (the data set's max encoder length)
 * @param predictionLength      prediction_length: the steps it forecasts (the data set's max prediction length)
 * @param quantiles             the quantiles it predicts, each in (0, 1); one forecast per quantile
 * @param targetPosition        the target's column among the batch's reals ({@link ModelInputs#encoderCont})
 * @param realCount             the number of real columns the batches carry
 * @param outputTransformation  the target normaliser's transformation, reversed on the output as the TFT does:
 *                              none, softplus, log, log1p, logit, count, relu or sqrt
 * @param hiddenSize            hidden_size: the width of every hidden layer (PTF's default 512)
 * @param nBlocks               n_blocks: the blocks of each stack (PTF's default [1, 1, 1]: three stacks)
 * @param nLayers               n_layers: the hidden layers of each stack's blocks (PTF's default 2 for each)
 * @param poolingSizes          pooling_sizes: each stack's input pooling kernel (default from the horizon)
 * @param downsampleFrequencies downsample_frequencies: each stack's forecast has prediction_length / this
 *                              knots, at least one (default from the pooling sizes)
 * @param poolingMode           pooling_mode: max (PTF's default) or average
 * @param interpolationMode     interpolation_mode: linear (PTF's default) or nearest
 * @param dropout               dropout after each hidden layer's activation, in [0, 1) (PTF's default 0)
 * @param activation            activation: ReLU (PTF's default), Softplus, Tanh or Sigmoid
 * @param sharedWeights         shared_weights: the blocks of a stack share one set of weights (PTF's default true;
 *                              it matters only for a stack of more than one block)
 * @param naiveLevel            naive_level: the last encoder value is added to the forecast (PTF's default true)
 * @param seed                  the initialisation seed
 */
public record NHitsConfig(
        int contextLength,
        int predictionLength,
        List<Float> quantiles,
        int targetPosition,
        int realCount,
        String outputTransformation,
        int hiddenSize,
        List<Integer> nBlocks,
        List<Integer> nLayers,
        List<Integer> poolingSizes,
        List<Integer> downsampleFrequencies,
        String poolingMode,
        String interpolationMode,
        float dropout,
        String activation,
        boolean sharedWeights,
        boolean naiveLevel,
        long seed) {

    /** The largest hidden_size: PTF documents 8 to 1024; four times that still fits in memory. */
    public static final int MAX_HIDDEN_SIZE = 4096;

    /** The most stacks, blocks in a stack, or hidden layers in a block. */
    public static final int MAX_DEPTH = 64;

    /** The activations the blocks may use (PTF's names; SELU, LeakyReLU and PReLU are not built here). */
    public static final List<String> ACTIVATIONS = List.of("ReLU", "Softplus", "Tanh", "Sigmoid");

    /** The keys {@link #fromDataset} reads from its hyper-parameter map, each optional (PTF's default when absent). */
    public static final List<String> HYPER_PARAMETERS = List.of("hidden_size", "n_blocks", "n_layers", "pooling_sizes",
            "downsample_frequencies", "pooling_mode", "interpolation_mode", "dropout", "activation", "shared_weights",
            "naive_level");

    private static final List<String> DATA_KEYS = List.of("context_length", "prediction_length", "quantiles",
            "target_position", "real_count", "output_transformation", "seed");

    /** Checks every value (an {@link IllegalArgumentException} names the key and what it must be) and copies the lists. */
    public NHitsConfig {
        quantiles = List.copyOf(quantiles);
        nBlocks = List.copyOf(nBlocks);
        nLayers = List.copyOf(nLayers);
        poolingSizes = List.copyOf(poolingSizes);
        downsampleFrequencies = List.copyOf(downsampleFrequencies);
        checkAtLeastOne("context_length", contextLength);
        checkAtLeastOne("prediction_length", predictionLength);
        QuantileLoss.checkLevels(quantiles);
        checkAtLeastOne("real_count", realCount);
        if (targetPosition < 0 || targetPosition >= realCount) {
            throw new IllegalArgumentException("NHiTS: target_position " + targetPosition + " is not one of the "
                    + realCount + " real columns");
        }
        TargetDenormalisation.checkTransformation(outputTransformation);
        if (hiddenSize < 1 || hiddenSize > MAX_HIDDEN_SIZE) {
            throw new IllegalArgumentException("NHiTS: hidden_size must be between 1 and " + MAX_HIDDEN_SIZE + ", got "
                    + hiddenSize + " (PTF suggests 32 to 128 without covariates)");
        }
        int stacks = nBlocks.size();
        if (stacks < 1 || stacks > MAX_DEPTH) {
            throw new IllegalArgumentException("NHiTS: n_blocks needs 1 to " + MAX_DEPTH + " stacks, got " + nBlocks);
        }
        checkPerStack("n_blocks", nBlocks, stacks, MAX_DEPTH);
        checkPerStack("n_layers", nLayers, stacks, MAX_DEPTH);
        checkPerStack("pooling_sizes", poolingSizes, stacks, Integer.MAX_VALUE);
        checkPerStack("downsample_frequencies", downsampleFrequencies, stacks, Integer.MAX_VALUE);
        if (!poolingMode.equals("max") && !poolingMode.equals("average")) {
            throw new IllegalArgumentException("NHiTS: pooling_mode must be max or average, got '" + poolingMode + "'");
        }
        if (!interpolationMode.equals("linear") && !interpolationMode.equals("nearest")) {
            throw new IllegalArgumentException("NHiTS: interpolation_mode must be linear or nearest, got '" + interpolationMode
                    + "' (PTF's cubic-x is not built here)");
        }
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("NHiTS: dropout must be in [0, 1), got " + dropout);
        }
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("NHiTS: activation must be one of " + ACTIVATIONS + ", got '" + activation + "'");
        }
    }

    private static void checkAtLeastOne(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("NHiTS: " + key + " must be at least 1, got " + value);
        }
    }

    private static void checkPerStack(String key, List<Integer> values, int stacks, int max) {
        if (values.size() != stacks) {
            throw new IllegalArgumentException("NHiTS: " + key + " needs one value per stack (" + stacks
                    + ", as n_blocks has), got " + values);
        }
        for (int v : values) {
            if (v < 1 || v > max) {
                throw new IllegalArgumentException("NHiTS: " + key + " values must be between 1 and " + max + ", got " + values);
            }
        }
    }

    /**
     * The config for a data set, as PTF's {@code NHiTS.from_dataset}: the data set's lengths, quantiles,
     * target column and normaliser, and the hyper-parameters of a config's model section. The forecast
     * side passes its {@code DatasetDescription}'s values: {@code maxEncoderLength()}, {@code maxPredictionLength()},
     * the position of {@code target()} in {@code reals()}, {@code reals().size()} and
     * {@code targetNormalizer().transformation().label()}. The map holds the N-HiTS hyper-parameters alone: a
     * config's model section loses its own keys ({@code kind}, {@code quantiles}, {@code loss} and the like)
     * before it comes here, since any other key is refused.
     *
     * @param maxEncoderLength     the encoder length, which becomes context_length
     * @param maxPredictionLength  the horizon, which becomes prediction_length
     * @param quantiles            the quantiles to predict
     * @param targetPosition       the target's column among the batch's reals
     * @param realCount            the number of real columns
     * @param outputTransformation the target normaliser's transformation
     * @param hyperParameters      any of {@link #HYPER_PARAMETERS} with PTF's names and JSON types (numbers, lists of
     *                             numbers, strings, booleans; {@code n_layers} a number or a list); absent ones take
     *                             PTF's defaults: hidden_size 512, n_blocks [1, 1, 1], n_layers 2, pooling_sizes and
     *                             downsample_frequencies from the horizon ({@link #defaultPoolingSizes},
     *                             {@link #defaultDownsampleFrequencies}), pooling_mode max, interpolation_mode linear,
     *                             dropout 0, activation ReLU, shared_weights true, naive_level true
     * @param seed                 the initialisation seed
     * @return the config
     * @throws IllegalArgumentException for an unknown key (naming the closest known one), a mistyped value, or a
     *                                  value out of range
     */
    public static NHitsConfig fromDataset(int maxEncoderLength, int maxPredictionLength, List<Float> quantiles,
                                          int targetPosition, int realCount, String outputTransformation,
                                          Map<String, Object> hyperParameters, long seed) {
        JsonFields f = new JsonFields(hyperParameters, "NHiTS hyper-parameters", "model", HYPER_PARAMETERS);
        List<Integer> nBlocks = given(hyperParameters, "n_blocks") ? positiveInts(hyperParameters.get("n_blocks"), "n_blocks")
                : List.of(1, 1, 1);
        int stacks = nBlocks.size();
        List<Integer> pooling = given(hyperParameters, "pooling_sizes")
                ? positiveInts(hyperParameters.get("pooling_sizes"), "pooling_sizes")
                : defaultPoolingSizes(maxPredictionLength, stacks);
        List<Integer> downsample = given(hyperParameters, "downsample_frequencies")
                ? positiveInts(hyperParameters.get("downsample_frequencies"), "downsample_frequencies")
                : defaultDownsampleFrequencies(pooling, maxPredictionLength);
        List<Integer> nLayers = given(hyperParameters, "n_layers") ? layersPerStack(hyperParameters.get("n_layers"), stacks)
                : java.util.Collections.nCopies(stacks, 2);
        return new NHitsConfig(maxEncoderLength, maxPredictionLength, quantiles, targetPosition, realCount,
                outputTransformation, f.integer("hidden_size", 512), nBlocks, nLayers, pooling, downsample,
                f.string("pooling_mode", "max"), f.string("interpolation_mode", "linear"), (float) f.number("dropout", 0.0),
                f.string("activation", "ReLU"), f.bool("shared_weights", true), f.bool("naive_level", true), seed);
    }

    /**
     * PTF's default pooling sizes: 2^round(linspace(0.49, log2(prediction_length / 2), stacks)), largest
     * first, at least 1 (numpy's round, half to even).
     *
     * @param predictionLength the horizon
     * @param stacks           the number of stacks
     * @return one pooling size per stack
     */
    public static List<Integer> defaultPoolingSizes(int predictionLength, int stacks) {
        double start = 0.49;
        double stop = Math.log(predictionLength / 2.0) / Math.log(2);
        List<Integer> sizes = new ArrayList<>();
        for (int i = stacks - 1; i >= 0; i--) {
            // numpy.linspace: start + i·step, the last value exactly stop
            double exponent = stacks == 1 ? start : i == stacks - 1 ? stop : start + i * ((stop - start) / (stacks - 1));
            sizes.add(Math.max(1, (int) Math.pow(2, Math.rint(exponent))));
        }
        return sizes;
    }

    /**
     * PTF's default downsample frequencies: min(prediction_length, ⌊pooling_size^1.5⌋), at least 1.
     *
     * @param poolingSizes     each stack's pooling size
     * @param predictionLength the horizon
     * @return one frequency per stack
     */
    public static List<Integer> defaultDownsampleFrequencies(List<Integer> poolingSizes, int predictionLength) {
        List<Integer> out = new ArrayList<>();
        for (int p : poolingSizes) {
            out.add(Math.max(1, Math.min(predictionLength, (int) Math.pow(p, 1.5))));
        }
        return out;
    }

    /**
     * The number of forecast knots of stack {@code stack}: prediction_length / its downsample frequency,
     * at least one (PTF's {@code n_theta}).
     *
     * @param stack the stack's index
     * @return the knots
     */
    public int knots(int stack) {
        return Math.max(predictionLength / downsampleFrequencies.get(stack), 1);
    }

    /** The config as JSON-ready values with PTF's names; {@link #fromJson} reads it back. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("context_length", (long) contextLength);
        m.put("prediction_length", (long) predictionLength);
        List<Object> q = new ArrayList<>();
        for (Float f : quantiles) {
            q.add((double) f);
        }
        m.put("quantiles", q);
        m.put("target_position", (long) targetPosition);
        m.put("real_count", (long) realCount);
        m.put("output_transformation", outputTransformation);
        m.put("hidden_size", (long) hiddenSize);
        m.put("n_blocks", longs(nBlocks));
        m.put("n_layers", longs(nLayers));
        m.put("pooling_sizes", longs(poolingSizes));
        m.put("downsample_frequencies", longs(downsampleFrequencies));
        m.put("pooling_mode", poolingMode);
        m.put("interpolation_mode", interpolationMode);
        m.put("dropout", (double) dropout);
        m.put("activation", activation);
        m.put("shared_weights", sharedWeights);
        m.put("naive_level", naiveLevel);
        m.put("seed", seed);
        return m;
    }

    /**
     * Reads what {@link #toJson} wrote. Every key is required; an unknown key is an error naming the closest
     * known one.
     *
     * @param m the parsed JSON object
     * @return the config
     * @throws IllegalArgumentException naming a missing, unknown or mistyped key, or a value out of range
     */
    public static NHitsConfig fromJson(Map<String, Object> m) {
        List<String> known = new ArrayList<>(DATA_KEYS);
        known.addAll(HYPER_PARAMETERS);
        JsonFields f = new JsonFields(m, "NHiTS model config", "model", known);
        List<Float> quantiles = new ArrayList<>();
        for (Object o : f.list("quantiles")) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException("NHiTS model config: quantiles must be numbers, got " + o);
            }
            quantiles.add(n.floatValue());
        }
        List<Integer> nBlocks = positiveInts(f.list("n_blocks"), "n_blocks");
        return new NHitsConfig(f.integer("context_length"), f.integer("prediction_length"), quantiles,
                f.integer("target_position"), f.integer("real_count"), f.string("output_transformation"),
                f.integer("hidden_size"), nBlocks, layersPerStack(f.list("n_layers"), nBlocks.size()),
                positiveInts(f.list("pooling_sizes"), "pooling_sizes"),
                positiveInts(f.list("downsample_frequencies"), "downsample_frequencies"), f.string("pooling_mode"),
                f.string("interpolation_mode"), (float) f.number("dropout"), f.string("activation"),
                f.bool("shared_weights"), f.bool("naive_level"), (long) f.number("seed"));
    }

    /** Whether a hyper-parameter is given; written as null it is an error, not the default. */
    private static boolean given(Map<String, Object> m, String key) {
        if (m.containsKey(key) && m.get(key) == null) {
            throw new IllegalArgumentException("NHiTS hyper-parameters: \"" + key
                    + "\" is null; give a value or leave the key out for the default");
        }
        return m.containsKey(key);
    }

    /** n_layers as PTF takes it: one number for every stack, or a list with one per stack. */
    private static List<Integer> layersPerStack(Object value, int stacks) {
        if (value instanceof Number) {
            return java.util.Collections.nCopies(stacks, positiveInts(List.of(value), "n_layers").getFirst());
        }
        return positiveInts(value, "n_layers");
    }

    /** A JSON array of integers (range checks are the constructor's). */
    private static List<Integer> positiveInts(Object value, String key) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("NHiTS: \"" + key + "\" must be an array of integers, got " + value);
        }
        List<Integer> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("NHiTS: \"" + key + "\" must hold integers, got " + o);
            }
            out.add(n.intValue());
        }
        return out;
    }

    private static List<Object> longs(List<Integer> values) {
        List<Object> out = new ArrayList<>();
        for (int v : values) {
            out.add((long) v);
        }
        return out;
    }
}
