package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * PyTorch Forecasting's quantile loss on the device ({@code src/main/cuda/loss.cuh}); the CPU reference is
 * {@link dev.tempora.models.QuantileLoss#forward}: 2·max((q − 1)·e, q·e) for e = y − ŷ_q, averaged over the
 * quantiles and the valid decoder steps (those below each sample's decoder length). The forward sums in double
 * in a fixed order (per-block partials, then one block adds them in order); the gradient matches the CPU's bit
 * for bit. Decoder lengths are floats on the device, so a captured step reads no host array.
 */
public final class DeviceQuantileLoss {
    /** Quantiles passed by value (the kernels' {@code struct Quantiles}). */
    static final int MAX_QUANTILES = 16;
    /** (b, t) rows per block of {@code quantile_loss_partial} (its QUANTILE_ROWS_PER_BLOCK). */
    private static final int ROWS_PER_BLOCK = 256;

    private DeviceQuantileLoss() {
    }

    /**
     * loss (one element) = the mean quantile loss over the valid steps.
     *
     * @param prediction     (B, Td, Q)
     * @param target         (B, Td)
     * @param decoderLengths (B), whole numbers as floats; steps at or beyond a sample's length are ignored
     * @param quantiles      the Q quantiles, each in (0, 1)
     */
    public static void forward(DeviceTensor prediction, DeviceTensor target, DeviceTensor decoderLengths,
                               float[] quantiles, DeviceTensor loss) {
        forward(prediction, target, decoderLengths, quantiles, 0, loss);
    }

    /**
     * As {@link #forward(DeviceTensor, DeviceTensor, DeviceTensor, float[], DeviceTensor)}, averaged over
     * {@code validSteps} steps when positive instead of this batch's count (shards of a batch pass the whole
     * batch's count), as {@link dev.tempora.models.QuantileLoss#forward(dev.tempora.autograd.Variable,
     * dev.tempora.tensor.Tensor, int[], long)}. Without a valid step the loss is NaN (the CPU throws).
     */
    public static void forward(DeviceTensor prediction, DeviceTensor target, DeviceTensor decoderLengths,
                               float[] quantiles, long validSteps, DeviceTensor loss) {
        check(prediction, target, decoderLengths, quantiles, loss, "loss");
        GpuDevice device = prediction.device();
        int batch = prediction.size(0);
        int steps = prediction.size(1);
        int blocks = Math.max(1, (batch * steps + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK);
        int[] block = {GpuDevice.BLOCK, 1, 1};
        try (DeviceTensor partial = device.empty(2 * blocks)) { // doubles
            device.launch("quantile_loss_partial", new int[] {blocks, 1, 1}, block, 0, new KernelArguments()
                    .pointer(prediction.address()).pointer(target.address()).pointer(decoderLengths.address())
                    .i32(batch).i32(steps).i32(quantiles.length).struct(quantileStruct(quantiles))
                    .pointer(partial.address()));
            device.launch("quantile_loss_total", new int[] {1, 1, 1}, block, 0, new KernelArguments()
                    .pointer(partial.address()).i32(blocks).pointer(decoderLengths.address()).i32(batch).i32(steps)
                    .i32(quantiles.length).i64(validSteps).pointer(loss.address()));
        }
    }

    /** gradPrediction (overwritten) = the loss's gradient times gradLoss (one element on the device). */
    public static void backward(DeviceTensor prediction, DeviceTensor target, DeviceTensor decoderLengths,
                                float[] quantiles, DeviceTensor gradLoss, DeviceTensor gradPrediction) {
        backward(prediction, target, decoderLengths, quantiles, 0, gradLoss, gradPrediction);
    }

    /** As {@link #backward(DeviceTensor, DeviceTensor, DeviceTensor, float[], DeviceTensor, DeviceTensor)}, with
     * the forward's {@code validSteps}. */
    public static void backward(DeviceTensor prediction, DeviceTensor target, DeviceTensor decoderLengths,
                                float[] quantiles, long validSteps, DeviceTensor gradLoss, DeviceTensor gradPrediction) {
        check(prediction, target, decoderLengths, quantiles, gradLoss, "gradLoss");
        if (!Arrays.equals(gradPrediction.shape(), prediction.shape())) {
            throw new IllegalArgumentException("quantile loss: gradient " + gradPrediction + " for prediction " + prediction);
        }
        int batch = prediction.size(0);
        int steps = prediction.size(1);
        prediction.device().launch("quantile_loss_backward", prediction.numel(), new KernelArguments()
                .pointer(prediction.address()).pointer(target.address()).pointer(decoderLengths.address())
                .i32(batch).i32(steps).i32(quantiles.length).struct(quantileStruct(quantiles)).i64(validSteps)
                .pointer(gradLoss.address()).pointer(gradPrediction.address()));
    }

    private static void check(DeviceTensor prediction, DeviceTensor target, DeviceTensor lengths, float[] quantiles,
                              DeviceTensor scalar, String scalarName) {
        int[] ps = prediction.shape();
        int nq = quantiles.length;
        if (ps.length != 3 || ps[2] != nq || !Arrays.equals(target.shape(), new int[] {ps[0], ps[1]})
                || lengths.numel() != ps[0] || scalar.numel() != 1) {
            throw new IllegalArgumentException("quantile loss: prediction " + prediction + ", target " + target + ", "
                    + lengths.numel() + " lengths and " + scalarName + " " + scalar + " do not fit (B, Td, " + nq
                    + "), (B, Td), B and one element");
        }
        if (nq == 0 || nq > MAX_QUANTILES) {
            throw new IllegalArgumentException("quantile loss on the device takes 1 to " + MAX_QUANTILES
                    + " quantiles, got " + nq);
        }
        for (float q : quantiles) {
            if (!(q > 0f && q < 1f)) {
                throw new IllegalArgumentException("quantiles must lie in (0, 1), got " + q);
            }
        }
        for (DeviceTensor t : new DeviceTensor[] {target, lengths, scalar}) {
            if (t.device() != prediction.device()) {
                throw new IllegalArgumentException("quantile loss: " + t + " is on another device than " + prediction);
            }
        }
    }

    private static byte[] quantileStruct(float[] quantiles) {
        ByteBuffer b = ByteBuffer.allocate(4 * MAX_QUANTILES).order(ByteOrder.LITTLE_ENDIAN);
        for (float q : quantiles) {
            b.putFloat(q);
        }
        return b.array();
    }
}
