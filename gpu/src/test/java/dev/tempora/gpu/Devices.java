package dev.tempora.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The devices the parity tests run on: the CUDA GPU when there is one, and the CPU emulation of the kernels
 * when its library was built. Tests take them as a parameter source and skip, saying why, when neither
 * exists.
 */
public final class Devices {
    private static List<GpuDevice> devices;

    private Devices() {
    }

    public static synchronized List<GpuDevice> all() {
        if (devices == null) {
            devices = new ArrayList<>();
            GpuDevice.Availability cuda = GpuDevice.probe();
            if (cuda.available()) {
                devices.add(cuda.device());
            } else {
                System.err.println("gpu tests: no CUDA device: " + cuda.reason());
            }
            GpuDevice.emulated().ifPresentOrElse(devices::add,
                    () -> System.err.println("gpu tests: no emulator library (tempora.gpu.emulator="
                            + System.getProperty("tempora.gpu.emulator") + ")"));
        }
        return devices;
    }

    /** For {@code @MethodSource}: every device, or a skip with the reasons when there is none. */
    public static Stream<GpuDevice> each() {
        Assumptions.assumeFalse(all().isEmpty(), "no CUDA device and no emulator library: GPU parity tests skipped");
        return all().stream();
    }
}
