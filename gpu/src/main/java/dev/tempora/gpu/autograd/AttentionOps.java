package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceAttention;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;

/**
 * The TFT's interpretable attention core ({@link DeviceAttention}, as the CPU's
 * {@code InterpretableAttention.apply}) on the tape: masked per-head attention of the decoder queries, head
 * dropout and the mean over heads. A training tape keeps, for the backward, the per-row statistics (head
 * output and log-sum-exp, {@link DeviceAttention#statsShape}) when the sizes allow it, so that neither pass
 * touches a (B, Td, heads, T) tensor; otherwise the probabilities.
 */
public final class AttentionOps {
    private AttentionOps() {
    }

    /**
     * @param queries (B, Td, heads, d); keys (B, T, heads, d); values (B, T, d)
     * @param encoderLengths, decoderLengths (B) floats holding whole numbers
     * @param seeds, slot where the head dropout's seed is (read on a training tape when dropout > 0: in
     *                device memory, so a captured step replays with each step's seed)
     * @return the mean head output (B, Td, d)
     */
    public static DeviceVariable interpretable(Tape tape, DeviceVariable queries, DeviceVariable keys,
                                               DeviceVariable values, DeviceTensor encoderLengths,
                                               DeviceTensor decoderLengths, boolean causal, float dropout,
                                               DeviceDropoutSeeds seeds, int slot) {
        int batch = queries.size(0);
        int td = queries.size(1);
        int heads = queries.size(2);
        int steps = keys.size(1);
        boolean training = tape.isTraining();
        DeviceTensor out = tape.empty(batch, td, values.size(2));
        boolean flash = DeviceAttention.statsSupported(steps, heads, queries.size(3));
        DeviceTensor stats = training && flash ? tape.empty(DeviceAttention.statsShape(batch, td, heads, queries.size(3)))
                : null;
        DeviceTensor weights = training && !flash ? tape.empty(batch, td, heads, steps) : null;
        long seedsAddress = seeds.address();
        DeviceAttention.forward(queries.value(), keys.value(), values.value(), encoderLengths, decoderLengths, causal,
                dropout, training, seedsAddress, slot, out, weights, stats);
        return tape.result(out, g -> {
            // The kernels overwrite their gradients: an input whose gradient already holds another part gets a
            // scratch buffer, added afterwards.
            GpuDevice device = tape.device();
            DeviceVariable[] inputs = {queries, keys, values};
            DeviceTensor[] targets = new DeviceTensor[3];
            boolean[] scratch = new boolean[3];
            for (int i = 0; i < 3; i++) {
                DeviceVariable v = inputs[i];
                scratch[i] = !v.requiresGrad() || v.gradWritten();
                targets[i] = scratch[i] ? device.empty(v.shape()) : v.gradientTarget().tensor();
            }
            DeviceAttention.backward(g, queries.value(), keys.value(), values.value(), weights, stats, encoderLengths,
                    decoderLengths, causal, dropout, true, seedsAddress, slot, targets[0], targets[1], targets[2]);
            for (int i = 0; i < 3; i++) {
                if (scratch[i]) {
                    inputs[i].addGradient(targets[i]);
                    targets[i].close();
                }
            }
        }, queries, keys, values);
    }
}
