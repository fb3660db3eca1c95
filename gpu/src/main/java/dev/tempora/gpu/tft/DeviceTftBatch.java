package dev.tempora.gpu.tft;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;
import java.util.Arrays;

/**
 * A batch in fixed device buffers: categoricals and reals of the encoder and decoder steps, the lengths as
 * floats, the target scale and the target. Later batches of the same shape are copied into the same buffers,
 * which is what a captured training step reads.
 */
public final class DeviceTftBatch implements AutoCloseable {
    final int batch;
    final int encoderSteps;
    final int decoderSteps;
    final DeviceTensor encoderCat;
    final DeviceTensor decoderCat;
    final DeviceTensor encoderCont;
    final DeviceTensor decoderCont;
    final DeviceTensor encoderLengths;
    final DeviceTensor decoderLengths;
    final DeviceTensor targetScale;
    final DeviceTensor target;

    /** Buffers shaped for {@code inputs} (and a target of (B, Td)), holding their values. */
    public DeviceTftBatch(GpuDevice device, ModelInputs inputs, Tensor target) {
        batch = inputs.batchSize();
        encoderSteps = inputs.encoderSteps();
        decoderSteps = inputs.decoderSteps();
        encoderCat = device.empty(inputs.encoderCat().shape());
        decoderCat = device.empty(inputs.decoderCat().shape());
        encoderCont = device.empty(inputs.encoderCont().shape());
        decoderCont = device.empty(inputs.decoderCont().shape());
        encoderLengths = device.empty(batch);
        decoderLengths = device.empty(batch);
        targetScale = device.empty(batch, 2);
        this.target = device.empty(batch, decoderSteps);
        copyFrom(inputs, target);
    }

    /** Copies a batch of this shape into the buffers; a null target leaves the target as it was. */
    public void copyFrom(ModelInputs inputs, Tensor target) {
        if (inputs.batchSize() != batch || inputs.encoderSteps() != encoderSteps || inputs.decoderSteps() != decoderSteps) {
            throw new IllegalArgumentException("a batch of " + inputs.batchSize() + " samples, " + inputs.encoderSteps()
                    + " + " + inputs.decoderSteps() + " steps, for buffers of " + batch + ", " + encoderSteps + " + "
                    + decoderSteps);
        }
        encoderCat.copyFrom(inputs.encoderCat().contiguous());
        decoderCat.copyFrom(inputs.decoderCat().contiguous());
        encoderCont.copyFrom(inputs.encoderCont().contiguous());
        decoderCont.copyFrom(inputs.decoderCont().contiguous());
        encoderLengths.copyFrom(lengths(inputs.encoderLengths()));
        decoderLengths.copyFrom(lengths(inputs.decoderLengths()));
        targetScale.copyFrom(inputs.targetScale().contiguous());
        if (target != null) {
            this.target.copyFrom(target.contiguous());
        }
    }

    private static Tensor lengths(int[] lengths) {
        float[] f = new float[lengths.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = lengths[i];
        }
        return Tensor.wrap(f, f.length);
    }

    @Override
    public void close() {
        for (DeviceTensor t : Arrays.asList(encoderCat, decoderCat, encoderCont, decoderCont, encoderLengths,
                decoderLengths, targetScale, target)) {
            t.close();
        }
    }
}
