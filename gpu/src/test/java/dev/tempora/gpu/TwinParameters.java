package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Optimizer;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parameters of odd sizes (one spans two chunks) twice over, for the device optimisers' parity tests: CPU
 * variables for the CPU optimiser and device tensors of the same values, with gradients, for its device
 * counterpart. The tensors belong to the device's current scope.
 */
final class TwinParameters {
    static final int[] SIZES = {1, 20, ChunkTable.CHUNK + 1, 300};

    private final List<Variable> variables = new ArrayList<>();
    private final DeviceTensor[] weights = new DeviceTensor[SIZES.length];
    private final DeviceTensor[] grads = new DeviceTensor[SIZES.length];
    private long seed;

    /** Random values drawn with the seeds {@code seed}, {@code seed + 1}, ...; the gradients go on from there. */
    TwinParameters(GpuDevice device, long seed) {
        this.seed = seed;
        for (int i = 0; i < SIZES.length; i++) {
            Tensor w = Tensor.randn(this.seed++, SIZES[i]);
            variables.add(Variable.parameter(w.copy()));
            weights[i] = device.upload(w);
            grads[i] = device.empty(SIZES[i]);
        }
    }

    /** The CPU side, for the CPU optimiser. */
    List<Variable> variables() {
        return variables;
    }

    long[] weightAddresses() {
        return Arrays.stream(weights).mapToLong(DeviceTensor::address).toArray();
    }

    long[] gradientAddresses() {
        return Arrays.stream(grads).mapToLong(DeviceTensor::address).toArray();
    }

    /** The first seed not drawn with yet: where the next twins should start. */
    long nextSeed() {
        return seed;
    }

    /**
     * Steps both optimisers {@code steps} times on the same random gradients (step s's scaled by s + ½), both
     * switched to the learning rate {@code laterRate} before step {@code switchAt} (counting from 0), and checks
     * after every step that they agree on the step count and on every parameter, bit for bit.
     */
    void stepTogether(Optimizer cpu, DeviceOptimizer device, int steps, int switchAt, double laterRate,
                      String context) {
        for (int step = 0; step < steps; step++) {
            if (step == switchAt) {
                cpu.setLearningRate(laterRate);
                device.setLearningRate(laterRate);
            }
            for (int i = 0; i < SIZES.length; i++) {
                Tensor g = Tensor.randn(seed++, SIZES[i]).mul(step + 0.5f);
                variables.get(i).setGrad(g);
                grads[i].copyFrom(g);
            }
            cpu.step();
            device.step();
            assertEquals(cpu.steps(), device.steps());
            for (int i = 0; i < SIZES.length; i++) {
                assertArrayEquals(variables.get(i).value().toFloatArray(), weights[i].toFloatArray(),
                        "parameter " + i + " after step " + (step + 1) + ", " + context);
            }
        }
    }
}
