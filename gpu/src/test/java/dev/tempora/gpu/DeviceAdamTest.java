package dev.tempora.gpu;

import static dev.tempora.gpu.OptimizerBuffers.concatenated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tempora.models.Adam;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Device Adam against the CPU {@link Adam}, step by step, bit for bit. */
class DeviceAdamTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /**
     * Four steps on parameters of odd sizes (one spans two chunks), a learning-rate change midway, without
     * weight decay, with L2 decay and with decoupled decay (AdamW).
     */
    @ParameterizedTest
    @MethodSource("devices")
    void stepsMatchTheCpuAdamBitForBit(GpuDevice device) {
        int[] sizes = TwinParameters.SIZES;
        double[][] decays = {{0, 0}, {0.01, 0}, {0.01, 1}};
        long seed = 1;
        for (double[] decay : decays) {
            boolean decoupled = decay[1] != 0;
            try (GpuDevice.Scope scope = device.scope()) {
                TwinParameters parameters = new TwinParameters(device, seed);
                Adam cpu = new Adam(parameters.variables(), 1e-2, 0.9, 0.999, 1e-8, decay[0], decoupled);
                try (DeviceAdam adam = new DeviceAdam(device, parameters.weightAddresses(),
                        parameters.gradientAddresses(), sizes, 1e-2, 0.9, 0.999, 1e-8, decay[0], decoupled)) {
                    parameters.stepTogether(cpu, adam, 4, 2, 3e-3,
                            "decay " + decay[0] + (decoupled ? " (decoupled)" : ""));
                    assertArrayEquals(concatenated(cpu, "exp_avg", sizes.length), adam.firstMoments());
                    assertArrayEquals(concatenated(cpu, "exp_avg_sq", sizes.length), adam.secondMoments());
                }
                seed = parameters.nextSeed();
            }
        }
    }
}
