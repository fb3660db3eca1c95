package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A direct multi-horizon forecaster of gradient-boosted regression trees, one {@link QuantileBoosting} model per
 * quantile, as the M5 competition's leading entries built theirs (LightGBM on lags): one training row per window
 * and forecast step, its features read from the same batches the other kinds read, its target the step's value
 * divided by the window's scale, its weight that scale (so the pinball loss is in target units, as PTF's loss).
 *
 * <p>Features of step h (1-based) of a window whose last observed step is at encoder position v − 1, y being the
 * target in target units and s the mean |y| of the last min(L, v) observed steps (1 where that is 0):
 * <ol>
 *   <li>y at positions v − 1, ..., v − L, divided by s (NaN before the history starts);</li>
 *   <li>with a season m, y at position v − 1 + h − m divided by s, when it was observed (NaN otherwise);</li>
 *   <li>every real column at the last observed step, as the batch holds it (normalised);</li>
 *   <li>the known reals and categoricals (static and time-varying known) at step h;</li>
 *   <li>the unknown categoricals at the last observed step;</li>
 *   <li>h, and ln s.</li>
 * </ol>
 * Trees are fitted by {@link #fit}, not by gradient steps: the model has no trainable parameters, and its state
 * dict holds the trees' arrays (what checkpoints store). Its config records each quantile's tree and node counts, so
 * a checkpoint loads into a model of the right shape.
 */
public final class GradientBoostedTrees implements ForecastingModel {

    /** The model's {@linkplain ForecastingModel#kind() kind}. */
    public static final String KIND = "GradientBoostedTrees";

    private static final String[] ARRAYS = {"base", "tree_start", "feature", "threshold", "left", "right", "value"};

    private TreeForecasterConfig config;
    private final QuantileLoss quantileLoss;
    private Map<String, Variable> state;
    /** The trees decoded from {@link #state}: set by {@link #fit}, else read at the first forecast. */
    private volatile List<TreeEnsemble> decoded;

    /**
     * A model of the config's shape: unfitted, or (when the config records counts) with zero arrays that a
     * checkpoint fills.
     *
     * @param config the inputs' layout, look-back, horizon, season, quantiles and booster settings
     */
    public GradientBoostedTrees(TreeForecasterConfig config) {
        this.config = config;
        this.quantileLoss = new QuantileLoss(config.quantiles());
        this.state = new LinkedHashMap<>();
        if (config.fitted()) {
            for (int q = 0; q < config.quantiles().size(); q++) {
                int trees = config.treeCounts().get(q);
                int nodes = config.nodeCounts().get(q);
                int[] sizes = {1, trees, nodes, nodes, nodes, nodes, nodes};
                for (int a = 0; a < ARRAYS.length; a++) {
                    state.put(name(q, ARRAYS[a]), Variable.constant(Tensor.zeros(sizes[a])));
                }
            }
        }
    }

    /**
     * Rebuilds a model from its {@link #configJson()}.
     *
     * @param json the config as model.json stores it
     * @return the model, its arrays zero until a checkpoint's are loaded
     */
    public static GradientBoostedTrees fromConfigJson(Map<String, Object> json) {
        return new GradientBoostedTrees(TreeForecasterConfig.fromJson(json, KIND + " config"));
    }

    /** {@return the config, with the fitted counts once fitted} */
    public TreeForecasterConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public List<Float> quantiles() {
        return config.quantiles();
    }

    /**
     * Fits one booster per quantile to every valid forecast step of the batches, replacing any earlier fit.
     *
     * @param inputs  the batches' inputs
     * @param targets each batch's target (B, Td) in target units
     * @param weights each batch's step weights (B, Td), or null entries for all 1
     * @throws IllegalArgumentException when there is no valid step, a window has no history, or a target is not finite
     */
    public void fit(List<ModelInputs> inputs, List<Tensor> targets, List<Tensor> weights) {
        List<float[]> rows = new ArrayList<>();
        List<Float> target = new ArrayList<>();
        List<Float> weight = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            ModelInputs in = inputs.get(k);
            Features f = features(in);
            float[] y = targets.get(k).contiguous().toFloatArray();
            float[] w = weights.get(k) == null ? null : weights.get(k).contiguous().toFloatArray();
            int td = in.decoderSteps();
            for (int b = 0; b < in.batchSize(); b++) {
                for (int h = 0; h < in.decoderLengths()[b]; h++) {
                    rows.add(f.rows[b * td + h]);
                    target.add(y[b * td + h] / f.scale[b]);
                    weight.add(f.scale[b] * (w == null ? 1f : w[b * td + h]));
                }
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no forecast step to fit the trees to");
        }
        float[][] x = rows.toArray(new float[0][]);
        float[] t = new float[target.size()];
        float[] w = new float[weight.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = target.get(i);
            w[i] = weight.get(i);
        }
        List<Float> levels = config.quantiles();
        QuantileBoosting.Settings s = config.booster();
        // One booster per quantile, each on its own seed, in parallel: they share nothing but the read-only rows.
        TreeEnsemble[] fitted = new TreeEnsemble[levels.size()];
        dev.tempora.tensor.Parallel.pool().submit(() -> IntStream.range(0, levels.size()).parallel().forEach(q ->
                fitted[q] = QuantileBoosting.fit(x, t, w, levels.get(q), new QuantileBoosting.Settings(s.trees(),
                        s.learningRate(), s.maxDepth(), s.minLeafRows(), s.rowSubsample(), s.featureSubsample(), s.bins(),
                        s.seed() * 1_000_003L + q)))).join();
        List<Integer> trees = new ArrayList<>();
        List<Integer> nodes = new ArrayList<>();
        Map<String, Variable> arrays = new LinkedHashMap<>();
        for (int q = 0; q < fitted.length; q++) {
            TreeEnsemble e = fitted[q];
            if (e.nodeCount() > TreeForecasterConfig.MAX_NODES) {
                throw new IllegalArgumentException("quantile " + levels.get(q) + "'s trees have " + e.nodeCount()
                        + " nodes, more than a checkpoint stores (" + TreeForecasterConfig.MAX_NODES + "); use fewer trees or a smaller max_depth");
            }
            trees.add(e.treeCount());
            nodes.add(e.nodeCount());
            float[][] values = {{e.base()}, floats(e.treeStart()), floats(e.feature()), e.threshold(), floats(e.left()),
                    floats(e.right()), e.value()};
            for (int a = 0; a < ARRAYS.length; a++) {
                arrays.put(name(q, ARRAYS[a]), Variable.constant(Tensor.wrap(values[a], values[a].length)));
            }
        }
        config = config.withCounts(trees, nodes);
        state = arrays;
        decoded = List.of(fitted);
    }

    /**
     * Forecasts every decoder step of the batch.
     *
     * @param inputs    the batch; its reals must be the config's, its decoder at most H steps
     * @param interpret ignored: trees have no attention or variable selection to report
     * @return the prediction (B, decoder steps, quantiles) in target units
     * @throws IllegalStateException    when the model was never fitted
     * @throws IllegalArgumentException when the batch's reals or decoder steps do not fit, or a window has no history
     */
    @Override
    public ModelOutput forward(ModelInputs inputs, boolean interpret) {
        if (!config.fitted()) {
            throw new IllegalStateException("the trees were never fitted: fit them (tempora train) before forecasting");
        }
        List<TreeEnsemble> ensembles = ensembles();
        Features f = features(inputs);
        int b = inputs.batchSize();
        int td = inputs.decoderSteps();
        int nq = ensembles.size();
        float[] out = new float[b * td * nq];
        for (int i = 0; i < b; i++) {
            for (int h = 0; h < td; h++) {
                float[] row = f.rows[i * td + h];
                for (int q = 0; q < nq; q++) {
                    out[(i * td + h) * nq + q] = ensembles.get(q).predict(row) * f.scale[i];
                }
            }
        }
        return new ModelOutput.Prediction(Variable.constant(Tensor.wrap(out, b, td, nq)));
    }

    /** Each window's scale and each (window, step)'s features, window-major. */
    record Features(float[] scale, float[][] rows) {}

    Features features(ModelInputs in) {
        int reals = in.encoderCont().size(2);
        if (reals != config.reals()) {
            throw new IllegalArgumentException("the batch has " + reals + " real columns, the model expects " + config.reals());
        }
        int td = in.decoderSteps();
        if (td > config.predictionLength()) {
            throw new IllegalArgumentException("the batch has " + td + " decoder steps, the model forecasts "
                    + config.predictionLength() + " (max_prediction_length)");
        }
        int b = in.batchSize();
        int te = in.encoderSteps();
        float[] history = history(in);
        float[] cont = in.encoderCont().contiguous().toFloatArray();
        float[] encoderCat = in.encoderCat().contiguous().toFloatArray();
        float[] decoderCont = in.decoderCont().contiguous().toFloatArray();
        float[] decoderCat = in.decoderCat().contiguous().toFloatArray();
        int cats = in.encoderCat().size(2);
        int decoderReals = in.decoderCont().size(2);
        int l = config.encoderLength();
        float[] scale = new float[b];
        float[][] rows = new float[b * td][];
        for (int i = 0; i < b; i++) {
            int valid = in.encoderLengths()[i];
            if (valid < 1) {
                throw new IllegalArgumentException("sample " + i + " has no encoder step; the trees forecast from the target's "
                        + "history, so min_encoder_length must be at least 1");
            }
            double sum = 0;
            int used = Math.min(valid, config.season() > 0 ? Math.min(l, config.season()) : l);
            for (int k = 1; k <= used; k++) {
                sum += Math.abs(history[i * te + valid - k]);
            }
            scale[i] = sum > 0 ? (float) (sum / used) : 1f;
            for (int h = 0; h < td; h++) {
                float[] row = new float[config.featureCount()];
                int c = 0;
                for (int k = 1; k <= l; k++) {
                    row[c++] = valid - k >= 0 ? history[i * te + valid - k] / scale[i] : Float.NaN;
                }
                if (config.season() > 0) {
                    int at = valid + h - config.season();
                    row[c++] = at >= 0 && at < valid ? history[i * te + at] / scale[i] : Float.NaN;
                }
                for (int r = 0; r < reals; r++) {
                    row[c++] = cont[(i * te + valid - 1) * reals + r];
                }
                for (int r : config.decoderReals()) {
                    row[c++] = decoderCont[(i * td + h) * decoderReals + r];
                }
                for (int r : config.decoderReals()) { // a known input's change since the last observed step (a price cut)
                    row[c++] = decoderCont[(i * td + h) * decoderReals + r] - cont[(i * te + valid - 1) * reals + r];
                }
                for (int k : config.decoderCategoricals()) {
                    row[c++] = decoderCat[(i * td + h) * cats + k];
                }
                for (int k : config.encoderCategoricals()) {
                    row[c++] = encoderCat[(i * te + valid - 1) * cats + k];
                }
                row[c++] = h + 1;
                row[c] = (float) Math.log(scale[i]);
                rows[i * td + h] = row;
            }
        }
        return new Features(scale, rows);
    }

    /** The target's encoder values in target units (B · Te), de-normalised as every kind de-normalises its output. */
    private float[] history(ModelInputs in) {
        Tensor normalised = in.encoderCont().narrow(2, config.targetColumn(), 1).contiguous();
        return TargetDenormalisation.denormalise(Variable.constant(normalised), in.targetScale(), config.outputTransformation())
                .value().contiguous().toFloatArray();
    }

    /**
     * The trees of each quantile: those {@link #fit} made, or read once from the state dict, so that a checkpoint
     * loaded into the fresh model (as {@link Checkpoint#load} does) is what every later batch uses.
     */
    private List<TreeEnsemble> ensembles() {
        List<TreeEnsemble> trees = decoded;
        if (trees == null) {
            trees = decode();
            decoded = trees;
        }
        return trees;
    }

    private List<TreeEnsemble> decode() {
        List<TreeEnsemble> out = new ArrayList<>();
        for (int q = 0; q < config.quantiles().size(); q++) {
            float[][] a = new float[ARRAYS.length][];
            for (int k = 0; k < ARRAYS.length; k++) {
                a[k] = state.get(name(q, ARRAYS[k])).value().contiguous().toFloatArray();
            }
            out.add(new TreeEnsemble(a[0][0], ints(a[1]), ints(a[2]), a[3], ints(a[4]), ints(a[5]), a[6]));
        }
        return out;
    }

    /** PyTorch Forecasting's {@link QuantileLoss} over the config's quantiles (the validation loss). */
    @Override
    public Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
        return quantileLoss.forward(prediction, target, weight, decoderLengths, validSteps);
    }

    /** {@return none: trees are fitted by {@link #fit}, not by an optimiser} */
    @Override
    public List<Variable> parameters() {
        return List.of();
    }

    /**
     * {@return the trees' arrays by name, {@code trees.<quantile index>.<array>}; empty before fitting} Weights
     * loaded into them take effect when loaded before the model's first forecast, as loading a checkpoint does.
     */
    @Override
    public Map<String, Variable> stateDict() {
        return state;
    }

    /** Nothing to switch: the trees have no dropout. */
    @Override
    public void train() {
    }

    /** Nothing to switch: the trees have no dropout. */
    @Override
    public void eval() {
    }

    /** {@return the trees' nodes over all quantiles (none trainable by gradients)} */
    @Override
    public long parameterCount() {
        return config.nodeCounts().stream().mapToLong(Integer::longValue).sum();
    }

    @Override
    public Map<String, Object> configJson() {
        return config.toJson();
    }

    private static String name(int quantile, String array) {
        return "trees." + quantile + "." + array;
    }

    private static float[] floats(int[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static int[] ints(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i])) {
                throw new IllegalArgumentException("a tree index is " + v[i] + "; the checkpoint's trees are damaged");
            }
            out[i] = (int) v[i];
        }
        return out;
    }
}
