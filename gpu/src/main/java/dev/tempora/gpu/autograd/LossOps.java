package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceQuantileLoss;
import dev.tempora.gpu.DeviceTensor;

/** Losses on the tape. */
public final class LossOps {
    private LossOps() {
    }

    /**
     * PyTorch Forecasting's quantile loss ({@link DeviceQuantileLoss}, as the CPU's {@code QuantileLoss}): the
     * mean over quantiles and valid decoder steps of 2·max((q − 1)·e, q·e), e = target − prediction.
     *
     * @param prediction (B, Td, Q); target (B, Td); decoderLengths (B) floats holding whole numbers
     */
    public static DeviceVariable quantile(Tape tape, DeviceVariable prediction, DeviceTensor target,
                                          DeviceTensor decoderLengths, float[] quantiles) {
        DeviceTensor loss = tape.empty(1);
        DeviceQuantileLoss.forward(prediction.value(), target, decoderLengths, quantiles, loss);
        return tape.result(loss, g -> {
            if (prediction.gradWritten()) { // the kernel overwrites: add a scratch
                try (DeviceTensor scratch = tape.device().empty(prediction.shape())) {
                    DeviceQuantileLoss.backward(prediction.value(), target, decoderLengths, quantiles, g, scratch);
                    prediction.addGradient(scratch);
                }
            } else {
                DeviceQuantileLoss.backward(prediction.value(), target, decoderLengths, quantiles, g,
                        prediction.gradientTarget().tensor());
            }
        }, prediction);
    }
}
