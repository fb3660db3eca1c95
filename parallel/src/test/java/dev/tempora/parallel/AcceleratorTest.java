package dev.tempora.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AcceleratorTest {

    private static Accelerator fake(String reason) {
        return new Accelerator() {
            public String name() {
                return "cuda";
            }

            public Optional<String> unavailableReason() {
                return Optional.ofNullable(reason);
            }

            public String description() {
                return reason == null ? "Test GPU" : "unavailable: " + reason;
            }

            public TrainingBackend trainingBackend(dev.tempora.models.ForecastingModel model,
                                                   dev.tempora.models.Optimizer optimizer, TrainerSettings settings) {
                throw new AssertionError("not used");
            }

            public InferenceBackend inferenceBackend(dev.tempora.models.ForecastingModel model) {
                throw new AssertionError("not used");
            }
        };
    }

    @Test
    void theCpuIsTheDefaultAndTheLineSaysWhatElseThereIs() {
        assertEquals("backend: CPU (no accelerator module on the class path)", Accelerator.describeChoice(null, List.of(), true));
        assertEquals("backend: CPU (cuda unavailable: no driver)", Accelerator.describeChoice(null, List.of(fake("no driver")), true));
        assertEquals("backend: CPU (the default; cuda is available: Test GPU; --device cuda uses it)",
                Accelerator.describeChoice("cpu", List.of(fake(null)), true));
    }

    @Test
    void aPlainCpuRunNamesTheBackendWithoutTheAcceleratorsDetails() {
        String loadError = "CUDA driver library could not be loaded: libcuda.so.1: cannot open shared object file";
        assertEquals("backend: CPU", Accelerator.describeChoice("cpu", List.of(fake(loadError)), false));
        assertEquals("backend: CPU", Accelerator.describeChoice(null, List.of(), false));
        assertEquals("backend: CPU (the default; cuda is available; --device cuda uses it)",
                Accelerator.describeChoice("cpu", List.of(fake(null)), false));
        assertEquals("backend: cuda requested but unavailable: " + loadError,
                Accelerator.describeChoice("cuda", List.of(fake(loadError)), false), "asked for, the reason is the answer");
    }

    @Test
    void aRequestedAcceleratorRunsOnlyWhenAvailable() {
        assertEquals("backend: cuda (Test GPU)", Accelerator.describeChoice("cuda", List.of(fake(null)), false));
        assertEquals("backend: cuda requested but unavailable: no driver",
                Accelerator.describeChoice("cuda", List.of(fake("no driver")), false));
        assertEquals("backend: rocm requested but no such accelerator is installed",
                Accelerator.describeChoice("rocm", List.of(fake(null)), false));
    }

    @Test
    void noAcceleratorIsRegisteredInTheCoreModules() {
        assertEquals(List.of(), Accelerator.installed());
    }

    @Test
    void askingForAMissingDeviceNamesIt() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Accelerator.require("cuda"));
        assertEquals("device 'cuda': no such accelerator is installed (none is; build the gpu module)", e.getMessage());
    }
}
