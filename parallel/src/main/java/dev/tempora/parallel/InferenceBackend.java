package dev.tempora.parallel;

import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;

/**
 * Eval-mode forecasts of a trained model, on the CPU's cores ({@link DataParallelInference}) or on an
 * {@link Accelerator} (which copies the weights to the device once; each batch goes there and its
 * prediction comes back).
 */
public interface InferenceBackend extends AutoCloseable {

    /**
     * The model's prediction for a batch, as {@code model.forward(inputs, false).prediction()} gives it on
     * the CPU.
     *
     * @param inputs the batch
     * @return the prediction (B, decoder steps, quantiles) in target units
     */
    Tensor predict(ModelInputs inputs);

    /** Releases what the backend holds (device memory); nothing by default. */
    @Override
    default void close() {
    }
}
