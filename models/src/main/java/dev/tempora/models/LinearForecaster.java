package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * What the LTSF-Linear models (Zeng, Chen, Zhang, Xu, "Are Transformers Effective for Time Series
 * Forecasting?", AAAI 2023) share: they read the normalised target's last L encoder steps, map them linearly
 * to H steps × quantiles, and de-normalise the result as the TFT does ({@code y·scale + center}, then the
 * target normaliser's reverse transformation). No dropout, so training and evaluation mode compute the same.
 *
 * <p>The look-back window: a sample's valid encoder values (the first {@code encoderLengths[i]} steps of
 * the right-padded batch) are right-aligned in a window of L, so that the last value sits at L − 1; a shorter
 * history is left-padded with its first valid value (the replicate padding the paper's moving average uses
 * at the ends), so that the padding adds no level change. A sample without an encoder step is refused.
 */
public abstract sealed class LinearForecaster extends Module implements ForecastingModel permits NLinear, DLinear {

    /** The look-back, horizon, target column, quantiles, transformation and seed the model was built from. */
    public final LinearForecasterConfig config;
    private final QuantileLoss quantileLoss;

    LinearForecaster(LinearForecasterConfig config) {
        this.config = config;
        this.quantileLoss = new QuantileLoss(config.quantiles());
    }

    /**
     * The normalised forecast of look-back windows, before the reshape to steps × quantiles.
     *
     * @param windows the windows (B, L), in the normalised target's units
     * @return (B, H · quantiles), step-major: output h · quantiles + q is step h's quantile q
     */
    abstract Variable forecast(Tensor windows);

    /** The config's quantiles. */
    @Override
    public final List<Float> quantiles() {
        return config.quantiles();
    }

    /**
     * Forecasts the batch's decoder steps from the target's look-back windows.
     *
     * @param inputs    the batch; its real columns must be the config's, its decoder at most H steps
     * @param interpret ignored: the model has no attention or variable selection to report
     * @return the prediction (B, decoder steps, quantiles) in target units
     * @throws IllegalArgumentException when the batch's reals, decoder steps or encoder lengths do not fit
     */
    @Override
    public final ModelOutput forward(ModelInputs inputs, boolean interpret) {
        int reals = inputs.encoderCont().size(2);
        if (reals != config.xReals().size()) {
            throw new IllegalArgumentException("the batch has " + reals + " real columns, the model expects "
                    + config.xReals().size() + " " + config.xReals());
        }
        int steps = inputs.decoderSteps();
        if (steps > config.predictionLength()) {
            throw new IllegalArgumentException("the batch has " + steps + " decoder steps, the model forecasts "
                    + config.predictionLength() + " (max_prediction_length)");
        }
        int b = inputs.batchSize();
        Tensor windows = lookbackWindows(inputs, config.targetColumn(), config.encoderLength());
        Variable out = forecast(windows).reshape(b, config.predictionLength(), config.quantiles().size())
                .narrow(1, 0, steps);
        return new ModelOutput.Prediction(TargetDenormalisation.denormalise(out, inputs.targetScale(),
                config.outputTransformation()));
    }

    /**
     * Each sample's look-back window of one real column: its valid encoder values right-aligned in
     * {@code length} steps (the last {@code length} of them when there are more), left-padded with the first
     * valid value when there are fewer.
     *
     * @param inputs the batch (right-padded, as {@link ModelInputs} holds it)
     * @param column the real column, e.g. the normalised target's
     * @param length L, the window's length
     * @return the windows (B, L)
     * @throws IllegalArgumentException naming a sample without any encoder step
     */
    static Tensor lookbackWindows(ModelInputs inputs, int column, int length) {
        Tensor cont = inputs.encoderCont().contiguous();
        float[] data = cont.storage();
        int offset = cont.storageOffset();
        int te = cont.size(1);
        int reals = cont.size(2);
        int b = inputs.batchSize();
        float[] windows = new float[b * length];
        for (int i = 0; i < b; i++) {
            int valid = inputs.encoderLengths()[i];
            if (valid < 1) {
                throw new IllegalArgumentException("sample " + i + " has no encoder step; the linear models forecast "
                        + "from the target's history, so min_encoder_length must be at least 1");
            }
            int used = Math.min(valid, length);
            int first = valid - used;        // the first encoder step read
            int start = length - used;       // where it lands in the window
            for (int k = 0; k < used; k++) {
                windows[i * length + start + k] = data[offset + (i * te + first + k) * reals + column];
            }
            Arrays.fill(windows, i * length, i * length + start, windows[i * length + start]);
        }
        return Tensor.wrap(windows, b, length);
    }

    /** PyTorch Forecasting's {@link QuantileLoss} over the config's quantiles, as the TFT's. */
    @Override
    public final Variable loss(Variable prediction, Tensor target, Tensor weight, int[] decoderLengths, long validSteps) {
        return quantileLoss.forward(prediction, target, weight, decoderLengths, validSteps);
    }
}
