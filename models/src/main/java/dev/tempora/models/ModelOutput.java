package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ForecastingModel}'s forward pass returns: at least the prediction; a model may add what
 * interpretation needs (the TFT's {@link TftOutput} adds attention and variable-selection weights).
 *
 * <p>Inference cuts a batch into sample ranges, runs each inside its own buffer pool and joins the
 * outputs ({@code DataParallelInference}); {@link #persistentCopy} and {@link #concat} are the two
 * steps of that. Their defaults keep the prediction alone, so an output that is only a prediction
 * implements {@link #prediction} and nothing else; an output with more per-sample tensors overrides
 * both to keep them.
 */
public interface ModelOutput {

    /**
     * The prediction (B, decoder steps, outputs) in target units; the outputs are the model's
     * {@linkplain ForecastingModel#quantiles() quantiles}.
     *
     * @return the prediction, on the tape when the forward ran with gradients
     */
    Variable prediction();

    /**
     * A copy whose tensors are ordinary, garbage-collected constants, so it outlives the buffer pool
     * scope the forward ran in.
     *
     * @return the copy; by default an output of the prediction alone
     */
    default ModelOutput persistentCopy() {
        return new Prediction(Variable.constant(prediction().value().persistentCopy()));
    }

    /**
     * This output's samples followed by those of {@code following}, as one output: the outputs of one
     * model on consecutive sample ranges of a batch, joined in sample order.
     *
     * @param following the outputs of the next sample ranges, in order, of the same model
     * @return the joined output; by default an output of the joined predictions alone
     */
    default ModelOutput concat(List<? extends ModelOutput> following) {
        List<Tensor> predictions = new ArrayList<>();
        predictions.add(prediction().value());
        for (ModelOutput part : following) {
            predictions.add(part.prediction().value());
        }
        return new Prediction(Variable.constant(Tensor.concat(0, predictions)));
    }

    /**
     * An output that is a prediction and nothing else.
     *
     * @param prediction the prediction (B, decoder steps, outputs) in target units
     */
    record Prediction(Variable prediction) implements ModelOutput {}
}
