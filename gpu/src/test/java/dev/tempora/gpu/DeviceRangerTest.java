package dev.tempora.gpu;

import static dev.tempora.gpu.OptimizerBuffers.concatenated;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Ranger;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
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
        int[] sizes = {1, 20, ChunkTable.CHUNK + 1, 300};
        long seed = 1;
        for (double decay : new double[] {0, 0.01}) {
            List<Variable> parameters = new ArrayList<>();
            try (GpuDevice.Scope scope = device.scope()) {
                DeviceTensor[] weights = new DeviceTensor[sizes.length];
                DeviceTensor[] grads = new DeviceTensor[sizes.length];
                long[] weightAddresses = new long[sizes.length];
                long[] gradAddresses = new long[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    Tensor w = Tensor.randn(seed++, sizes[i]);
                    parameters.add(Variable.parameter(w.copy()));
                    weights[i] = device.upload(w);
                    grads[i] = device.empty(sizes[i]);
                    weightAddresses[i] = weights[i].address();
                    gradAddresses[i] = grads[i].address();
                }
                Ranger cpu = new Ranger(parameters, 3e-2, decay);
                try (DeviceRanger ranger = new DeviceRanger(device, weightAddresses, gradAddresses, sizes, 3e-2,
                        decay)) {
                    assertArrayEquals(concatenated(cpu, "slow_buffer", sizes.length), ranger.slowWeights(),
                            "slow weights before the first step");
                    for (int step = 0; step < STEPS; step++) {
                        if (step == 7) {
                            cpu.setLearningRate(1e-2);
                            ranger.setLearningRate(1e-2);
                        }
                        for (int i = 0; i < sizes.length; i++) {
                            Tensor g = Tensor.randn(seed++, sizes[i]).mul(step + 0.5f);
                            parameters.get(i).setGrad(g);
                            grads[i].copyFrom(g);
                        }
                        cpu.step();
                        ranger.step();
                        assertEquals(cpu.steps(), ranger.steps());
                        for (int i = 0; i < sizes.length; i++) {
                            assertArrayEquals(parameters.get(i).value().toFloatArray(), weights[i].toFloatArray(),
                                    "parameter " + i + " after step " + (step + 1) + ", decay " + decay);
                        }
                    }
                    assertEquals(1e-2, ranger.learningRate());
                    assertArrayEquals(concatenated(cpu, "exp_avg", sizes.length), ranger.firstMoments());
                    assertArrayEquals(concatenated(cpu, "exp_avg_sq", sizes.length), ranger.secondMoments());
                    assertArrayEquals(concatenated(cpu, "slow_buffer", sizes.length), ranger.slowWeights());
                }
            }
        }
    }
}
