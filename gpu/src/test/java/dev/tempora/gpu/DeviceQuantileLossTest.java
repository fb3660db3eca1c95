package dev.tempora.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tempora.autograd.Variable;
import dev.tempora.models.QuantileLoss;
import dev.tempora.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The device quantile loss against {@link QuantileLoss}: the value to float rounding, the gradient bit for bit. */
class DeviceQuantileLossTest {
    private static final float[] QUANTILES = {0.02f, 0.1f, 0.25f, 0.5f, 0.75f, 0.9f, 0.98f};

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /**
     * A small batch with a sample longer than the decoder, an empty one and ties (e = 0), and a batch of 360
     * rows, more than one block of partial sums; the batch's own step count and a given one.
     */
    @ParameterizedTest
    @MethodSource("devices")
    void lossAndGradientMatchTheCpu(GpuDevice device) {
        compare(device, 5, 7, new int[] {7, 3, 0, 9, 1}, 11);
        int[] lengths = new int[9];
        for (int b = 0; b < lengths.length; b++) {
            lengths[b] = (b * 17) % 41;
        }
        compare(device, 9, 40, lengths, 12);
    }

    private static void compare(GpuDevice device, int batch, int steps, int[] lengths, long seed) {
        int nq = QUANTILES.length;
        Tensor target = Tensor.randn(seed, batch, steps);
        float[] p = Tensor.randn(seed + 1, batch, steps, nq).toFloatArray();
        for (int row = 0; row < batch * steps; row += 3) { // ties: the median hits the target exactly
            p[row * nq + 3] = target.toFloatArray()[row];
        }
        Tensor prediction = Tensor.of(p, batch, steps, nq);
        List<Float> quantiles = new ArrayList<>();
        for (float q : QUANTILES) {
            quantiles.add(q);
        }
        QuantileLoss cpuLoss = new QuantileLoss(quantiles);
        float gradLoss = 0.7f;
        for (long validSteps : new long[] {0, 100}) {
            Variable cpuPrediction = Variable.parameter(prediction);
            Variable loss = cpuLoss.forward(cpuPrediction, target, lengths, validSteps);
            loss.backward(Tensor.scalar(gradLoss));
            try (GpuDevice.Scope scope = device.scope()) {
                DeviceTensor dp = device.upload(prediction);
                DeviceTensor dt = device.upload(target);
                DeviceTensor dl = device.upload(DeviceAttentionTest.floats(lengths), batch);
                DeviceTensor value = device.empty(1);
                DeviceTensor grad = device.upload(Tensor.randn(3, batch, steps, nq)); // overwritten, padding too
                if (validSteps == 0) {
                    DeviceQuantileLoss.forward(dp, dt, dl, QUANTILES, value);
                    DeviceQuantileLoss.backward(dp, dt, dl, QUANTILES, device.upload(new float[] {gradLoss}, 1), grad);
                } else {
                    DeviceQuantileLoss.forward(dp, dt, dl, QUANTILES, validSteps, value);
                    DeviceQuantileLoss.backward(dp, dt, dl, QUANTILES, validSteps,
                            device.upload(new float[] {gradLoss}, 1), grad);
                }
                String what = "B " + batch + ", Td " + steps + ", valid steps " + validSteps;
                float want = loss.item();
                assertEquals(want, value.toFloatArray()[0], 1e-6f * Math.abs(want), "loss, " + what);
                assertArrayEquals(cpuPrediction.grad().toFloatArray(), grad.toFloatArray(), "gradient, " + what);
            }
        }
    }
}
