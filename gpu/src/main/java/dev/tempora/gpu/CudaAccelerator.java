package dev.tempora.gpu;

import dev.tempora.parallel.Accelerator;
import java.util.Optional;

/** The CUDA backend as the engine finds it ({@link java.util.ServiceLoader}; registered in META-INF/services). */
public final class CudaAccelerator implements Accelerator {

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
}
