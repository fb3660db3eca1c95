package dev.tempora.gpu;

import dev.tempora.models.Optimizer;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.Accelerator;
import dev.tempora.parallel.InferenceBackend;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBackend;
import java.util.Optional;

/** The CUDA backend as the engine finds it ({@link java.util.ServiceLoader}; registered in META-INF/services). */
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

    @Override
    public TrainingBackend trainingBackend(TemporalFusionTransformer model, Optimizer optimizer, TrainerSettings settings) {
        return new CudaTrainingBackend(device(), model, optimizer, settings);
    }

    @Override
    public InferenceBackend inferenceBackend(TemporalFusionTransformer model) {
        return new CudaInferenceBackend(device(), model);
    }

    private static GpuDevice device() {
        GpuDevice.Availability a = GpuDevice.probe();
        if (!a.available()) {
            throw new IllegalStateException("CUDA is unavailable: " + a.reason());
        }
        return a.device();
    }
}
