package dev.tempora.gpu;

import static dev.tempora.gpu.OptimizerBuffers.concatenated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.models.Ranger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Device Ranger against the CPU {@link Ranger}, step by step, bit for bit. */
class DeviceRangerTest {
    /** Past two Lookahead synchronisations (steps 6 and 12), and on both sides of RAdam's rectification. */
    private static final int STEPS = 13;

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /**
     * Thirteen steps on parameters of odd sizes (one spans two chunks), a learning-rate change midway, without
     * and with weight decay: parameters after every step, and the moments and slow weights at the end.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void stepsMatchTheCpuRangerBitForBit(GpuDevice device) {
        assertFalse(Ranger.RAdamStep.at(1).rectified(), "the first steps must be plain momentum");
        assertTrue(Ranger.RAdamStep.at(STEPS).rectified(), "the last steps must be rectified");
        assertEquals(2, STEPS / Ranger.LOOKAHEAD_STEPS, "Lookahead synchronisations");
        int[] sizes = TwinParameters.SIZES;
        long seed = 1;
        for (double decay : new double[] {0, 0.01}) {
            try (GpuDevice.Scope scope = device.scope()) {
                TwinParameters parameters = new TwinParameters(device, seed);
                Ranger cpu = new Ranger(parameters.variables(), 3e-2, decay);
                try (DeviceRanger ranger = new DeviceRanger(device, parameters.weightAddresses(),
                        parameters.gradientAddresses(), sizes, 3e-2, decay)) {
                    assertArrayEquals(concatenated(cpu, "slow_buffer", sizes.length), ranger.slowWeights(),
                            "slow weights before the first step");
                    parameters.stepTogether(cpu, ranger, STEPS, 7, 1e-2, "decay " + decay);
                    assertEquals(1e-2, ranger.learningRate());
                    assertArrayEquals(concatenated(cpu, "exp_avg", sizes.length), ranger.firstMoments());
                    assertArrayEquals(concatenated(cpu, "exp_avg_sq", sizes.length), ranger.secondMoments());
                    assertArrayEquals(concatenated(cpu, "slow_buffer", sizes.length), ranger.slowWeights());
                }
                seed = parameters.nextSeed();
            }
        }
    }
}
