package dev.tempora.gpu;

import dev.tempora.gpu.tft.DeviceTemporalFusionTransformer;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.ModelInputs;
import dev.tempora.parallel.InferenceBackend;
import dev.tempora.tensor.Tensor;

/**
 * Forecasts on the GPU (`./tempora predict --device cuda`, `evaluate --device cuda`): the model's weights
 * are copied to the device once; each batch is copied into device buffers kept per batch shape (a last,
 * smaller batch gets its own), run through the eval-mode forward, and its prediction comes back.
 */
public final class CudaInferenceBackend implements InferenceBackend {
    private final DeviceTemporalFusionTransformer gpu;
    private final DeviceBatchBuffers buffers;

    /**
     * Copies the model's current weights to the device.
     *
     * @param device the GPU
     * @param model  the model to run; the TFT only
     * @throws IllegalArgumentException if the model is not a TFT (run it with --device cpu)
     */
    public CudaInferenceBackend(GpuDevice device, ForecastingModel model) {
        // The optimiser it also builds is never stepped (a few buffers the size of the weights).
        this.gpu = new DeviceTemporalFusionTransformer(device, CudaAccelerator.tftOnly(model, "run"), 1e-3,
                Float.POSITIVE_INFINITY, false);
        this.buffers = new DeviceBatchBuffers(gpu);
    }

    @Override
    public Tensor predict(ModelInputs inputs) {
        return gpu.predict(buffers.fill(inputs, null));
    }

    @Override
    public void close() {
        buffers.close();
        gpu.close();
    }
}
