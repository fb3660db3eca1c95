package dev.tempora.gpu;

import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Optimizer;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.Accelerator;
import dev.tempora.parallel.InferenceBackend;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBackend;
import java.util.Optional;

/**
 * The CUDA backend as the engine finds it ({@link java.util.ServiceLoader}; registered in META-INF/services).
 * It runs the Temporal Fusion Transformer only: its device kernels are the TFT's layers.
 */
public final class CudaAccelerator implements Accelerator {

    /** The service instance; it probes for a device only when asked. */
    public CudaAccelerator() {}

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Optional<String> unavailableReason() {
        GpuDevice.Availability a = GpuDevice.probe();
        return a.available() ? Optional.empty() : Optional.of(a.reason());
    }

    @Override
    public String description() {
        GpuDevice.Availability a = GpuDevice.probe();
        return a.available() ? a.device().description() : "unavailable: " + a.reason();
    }

    /** A {@link CudaTrainingBackend}; a model other than the TFT is refused before the device is touched. */
    @Override
    public TrainingBackend trainingBackend(ForecastingModel model, Optimizer optimizer, TrainerSettings settings) {
        tftOnly(model, "train");
        return new CudaTrainingBackend(device(), model, optimizer, settings);
    }

    /** A {@link CudaInferenceBackend}; a model other than the TFT is refused before the device is touched. */
    @Override
    public InferenceBackend inferenceBackend(ForecastingModel model) {
        tftOnly(model, "run");
        return new CudaInferenceBackend(device(), model);
    }

    /**
     * The model as the TFT the device kernels implement.
     *
     * @param use what the caller does with it ({@code train}, {@code run}), for the error message
     * @throws IllegalArgumentException if the model is of another kind
     */
    static TemporalFusionTransformer tftOnly(ForecastingModel model, String use) {
        if (model instanceof TemporalFusionTransformer tft) {
            return tft;
        }
        throw new IllegalArgumentException("the CUDA backend supports the " + TemporalFusionTransformer.KIND
                + " only, not a " + model.kind() + "; " + use + " it with --device cpu");
    }

    private static GpuDevice device() {
        GpuDevice.Availability a = GpuDevice.probe();
        if (!a.available()) {
            throw new IllegalStateException("CUDA is unavailable: " + a.reason());
        }
        return a.device();
    }
}
