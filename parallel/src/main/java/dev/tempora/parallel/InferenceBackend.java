package dev.tempora.parallel;

import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;

/**
 * Eval-mode forecasts of a trained model on an {@link Accelerator}: the weights are copied to the device
 * once, each batch goes there and its prediction comes back, as {@code model.forward(inputs, false)
 * .prediction()} gives it on the CPU (B, decoder steps, quantiles), in target units.
 */
public interface InferenceBackend extends AutoCloseable {

    Tensor predict(ModelInputs inputs);

    @Override
    default void close() {
    }
}
