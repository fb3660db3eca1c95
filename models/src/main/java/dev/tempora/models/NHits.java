package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * N-HiTS (Challu, Olivares, Oreshkin, Garza, Mergenthaler-Canseco, Dubrawski, "N-HiTS: Neural Hierarchical
 * Interpolation for Time Series Forecasting", AAAI 2023) as PyTorch Forecasting's {@code NHiTS} builds it
 * with a quantile loss: stacks of {@link NHitsBlock}s, each pooling the residual history at its own scale
 * and forecasting a few knots per quantile that are interpolated to the horizon; each block's backcast
 * is subtracted from the history the next block sees, and the forecasts are summed, starting from the last
 * encoder value (naive_level). The sum is de-normalised as the TFT's output (y·scale + center, then the
 * target normaliser's reverse transformation). Parameter names are PTF's
 * ({@code model.blocks.0.layers.0.weight}).
 *
 * <p>Univariate: the model reads the normalised target history alone (its column of
 * {@link ModelInputs#encoderCont}); PTF's known future covariates, static inputs, batch normalisation and
 * backcast loss are not built. PTF allows only fixed-length encoders; here a shorter encoder (a
 * right-padded sample of the batch) is right-aligned in the context_length steps and its first value
 * repeated before it, so the last encoder value stays the naive level and the pooled windows see a flat
 * history rather than padding zeros. An encoder longer than context_length is read from its last
 * context_length values; an empty one reads as all zeros (the target's normalised center).
 */
public final class NHits extends Module implements ForecastingModel {

    /** The model's {@linkplain ForecastingModel#kind() kind}: PyTorch Forecasting's class name. */
    public static final String KIND = "NHiTS";

    /** The hyper-parameters and data layout the model was built from. */
    public final NHitsConfig config;
    private final QuantileLoss loss;
    /** The blocks in the order they run; a block shared within a stack appears once per use. */
    private final List<NHitsBlock> blocks = new ArrayList<>();

    /**
     * A freshly initialised model, drawing its initial weights from {@code config.seed()}.
     *
     * @param config the hyper-parameters and data layout
     */
    public NHits(NHitsConfig config) {
        this.config = config;
        this.loss = new QuantileLoss(config.quantiles());
        RandomGenerator rng = Tensor.generator(config.seed());
        Container model = module("model", new Container("NHiTS"));
        ModuleDict<NHitsBlock> dict = model.add("blocks", new ModuleDict<>());
        for (int stack = 0; stack < config.nBlocks().size(); stack++) {
            NHitsBlock block = null;
            for (int i = 0; i < config.nBlocks().get(stack); i++) {
                if (block == null || !config.sharedWeights()) {
                    block = new NHitsBlock(config, stack, rng);
                }
                dict.put(Integer.toString(blocks.size()), block);
                blocks.add(block);
            }
        }
    }

    /** {@value #KIND}. */
    @Override
    public String kind() {
        return KIND;
    }

    /** The config's quantiles. */
    @Override
    public List<Float> quantiles() {
        return config.quantiles();
    }

    /**
     * Runs the model on a batch.
     *
     * @param batch     the batch's inputs, with the config's real columns; at most prediction_length decoder steps
     * @param interpret ignored: the model has no interpretation outputs
     * @return the prediction (B, decoder steps, quantiles) in target units
     * @throws IllegalArgumentException when the batch's reals or decoder steps do not fit the config
     */
    @Override
    public ModelOutput forward(ModelInputs batch, boolean interpret) {
        if (batch.encoderCont().size(2) != config.realCount()) {
            throw new IllegalArgumentException("the batch has " + batch.encoderCont().size(2)
                    + " real columns, the NHiTS model was built for " + config.realCount());
        }
        int steps = batch.decoderSteps();
        if (steps > config.predictionLength()) {
            throw new IllegalArgumentException("the batch has " + steps + " decoder steps, the NHiTS model forecasts "
                    + config.predictionLength() + " (its prediction_length)");
        }
        int b = batch.batchSize();
        int length = config.contextLength();
        int horizon = config.predictionLength();
        Tensor history = history(batch);
        Variable residual = Variable.constant(history);
        // The naive level (B, 1, 1), broadcast over the horizon and the quantiles by the first sum.
        Variable forecast = config.naiveLevel() ? Variable.constant(history.narrow(1, length - 1, 1).reshape(b, 1, 1)) : null;
        for (int i = 0; i < blocks.size(); i++) {
            NHitsBlock.Output out = blocks.get(i).forward(residual);
            forecast = forecast == null ? out.forecast() : forecast.add(out.forecast());
            if (i < blocks.size() - 1) {
                residual = residual.sub(out.backcast());
            }
        }
        if (steps < horizon) {
            forecast = forecast.narrow(1, 0, steps);
        }
        return new ModelOutput.Prediction(
                TargetDenormalisation.denormalise(forecast, batch.targetScale(), config.outputTransformation()));
    }

    /**
     * The normalised target history (B, context_length): each sample's last valid encoder values,
     * right-aligned, the first of them repeated before a shorter encoder (zeros for an empty one).
     */
    private Tensor history(ModelInputs batch) {
        int b = batch.batchSize();
        int length = config.contextLength();
        Tensor cont = batch.encoderCont().contiguous();
        float[] data = cont.storage();
        int offset = cont.storageOffset();
        int steps = cont.size(1);
        int reals = cont.size(2);
        float[] history = new float[b * length];
        for (int i = 0; i < b; i++) {
            int valid = batch.encoderLengths()[i];
            int taken = Math.min(valid, length);
            int first = valid - taken;
            for (int k = 0; k < taken; k++) {
                history[i * length + length - taken + k] = data[offset + (i * steps + first + k) * reals + config.targetPosition()];
            }
            if (taken > 0) {
                Arrays.fill(history, i * length, i * length + length - taken, history[i * length + length - taken]);
            }
        }
        return Tensor.wrap(history, b, length);
    }

    /** PyTorch Forecasting's {@link QuantileLoss} over the config's quantiles. */
    @Override
    public Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
        return loss.forward(prediction, target, weight, decoderLengths, validSteps);
    }

    /** The config's JSON ({@link NHitsConfig#toJson}), which {@link NHitsConfig#fromJson} reads back. */
    @Override
    public Map<String, Object> configJson() {
        return config.toJson();
    }

    @Override
    protected String describe() {
        return "NHiTS(context " + config.contextLength() + ", horizon " + config.predictionLength() + ", hidden "
                + config.hiddenSize() + ", blocks " + config.nBlocks() + ", " + config.quantiles().size() + " quantiles)";
    }

    /** A plain named container (PTF's inner {@code NHiTS} module holds the blocks under {@code blocks}). */
    private static final class Container extends Module {
        private final String title;

        Container(String title) {
            this.title = title;
        }

        <M extends Module> M add(String name, M m) {
            return module(name, m);
        }

        @Override
        protected String describe() {
            return title;
        }
    }
}
