package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.autograd.Variable;
import dev.tempora.models.GradientClipping;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Device clipping by global norm against {@link GradientClipping#clipByGlobalNorm}. */
class DeviceGradientClippingTest {

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /** Gradients of odd sizes (one spans two chunks), with a norm of about 64: clipped to 10, untouched at 100. */
    @ParameterizedTest
    @MethodSource("devices")
    void clipsAboveTheThresholdAndNotBelow(GpuDevice device) {
        int[] sizes = {3, ChunkTable.CHUNK + 4, 17};
        for (float maxNorm : new float[] {10f, 100f}) {
            List<Variable> parameters = new ArrayList<>();
            try (GpuDevice.Scope scope = device.scope()) {
                DeviceTensor[] grads = new DeviceTensor[sizes.length];
                long[] addresses = new long[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    Tensor g = Tensor.randn(20 + i, sizes[i]);
                    Variable p = Variable.parameter(Tensor.zeros(sizes[i]));
                    p.setGrad(g.copy());
                    parameters.add(p);
                    grads[i] = device.upload(g);
                    addresses[i] = grads[i].address();
                }
                double cpuNorm = GradientClipping.clipByGlobalNorm(parameters, maxNorm);
                DeviceTensor norm = device.empty(1);
                DeviceGradientClipping clipping = new DeviceGradientClipping(device, addresses, sizes);
                clipping.clip(maxNorm, norm);
                assertEquals((float) cpuNorm, norm.toFloatArray()[0], 1e-6f * cpuNorm, "norm");
                for (int i = 0; i < sizes.length; i++) {
                    float[] want = parameters.get(i).grad().toFloatArray();
                    float[] got = grads[i].toFloatArray();
                    if (cpuNorm <= maxNorm) {
                        assertArrayEquals(want, got, "below the threshold the gradients stay as they are");
                    } else {
                        DeviceAttentionTest.assertClose(want, got, 0f, 3e-7f, "gradient " + i + " clipped to " + maxNorm);
                    }
                }
                // Again, through the same table and without asking for the norm: the same bits.
                float[] clipped = grads[1].toFloatArray();
                for (int i = 0; i < sizes.length; i++) {
                    grads[i].copyFrom(Tensor.randn(20 + i, sizes[i]));
                }
                clipping.clip(maxNorm, null);
                assertArrayEquals(clipped, grads[1].toFloatArray());
                clipping.close();
            }
        }
    }
}
