package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Adam;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
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
        int[] sizes = {1, 20, ChunkTable.CHUNK + 1, 300};
        double[][] decays = {{0, 0}, {0.01, 0}, {0.01, 1}};
        long seed = 1;
        for (double[] decay : decays) {
            boolean decoupled = decay[1] != 0;
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
                Adam cpu = new Adam(parameters, 1e-2, 0.9, 0.999, 1e-8, decay[0], decoupled);
                try (DeviceAdam adam = new DeviceAdam(device, weightAddresses, gradAddresses, sizes, 1e-2, 0.9, 0.999,
                        1e-8, decay[0], decoupled)) {
                    for (int step = 0; step < 4; step++) {
                        if (step == 2) {
                            cpu.setLearningRate(3e-3);
                            adam.setLearningRate(3e-3);
                        }
                        for (int i = 0; i < sizes.length; i++) {
                            Tensor g = Tensor.randn(seed++, sizes[i]).mul(step + 0.5f);
                            parameters.get(i).setGrad(g);
                            grads[i].copyFrom(g);
                        }
                        cpu.step();
                        adam.step();
                        assertEquals(cpu.steps(), adam.steps());
                        for (int i = 0; i < sizes.length; i++) {
                            assertArrayEquals(parameters.get(i).value().toFloatArray(), weights[i].toFloatArray(),
                                    "parameter " + i + " after step " + (step + 1) + ", decay " + decay[0]
                                            + (decoupled ? " (decoupled)" : ""));
                        }
                    }
                    assertArrayEquals(concatenated(cpu, "exp_avg", sizes.length), adam.firstMoments());
                    assertArrayEquals(concatenated(cpu, "exp_avg_sq", sizes.length), adam.secondMoments());
                }
            }
        }
    }

    private static float[] concatenated(Adam adam, String kind, int count) {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < count; i++) {
            float[] part = adam.state().buffers().get(kind + "." + i).toFloatArray();
            parts.add(part);
            total += part.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
