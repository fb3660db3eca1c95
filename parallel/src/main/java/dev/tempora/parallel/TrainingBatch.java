package dev.tempora.parallel;

import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/**
 * A batch for training or validation: the model's inputs, the target (B, Td) in target units and the
 * weight (B, Td) of each decoder step's loss, or null when every step weighs 1. The weights are PTF's
 * data set {@code weight} column times the per-sample factor of the {@link LossScale}; the loss stays
 * averaged over the valid steps, so shards of a batch carry their samples' weights and their losses still
 * add up to the batch's.
 *
 * @param inputs the model's inputs
 * @param target the target (B, Td) in target units
 * @param weight the weight (B, Td) of each step's loss, or null for all 1
 */
public record TrainingBatch(ModelInputs inputs, Tensor target, Tensor weight) {

    /** Checks that the target and the weight are (B, Td) for the inputs' batch. */
    public TrainingBatch {
        if (target.dim() != 2 || target.size(0) != inputs.batchSize() || target.size(1) != inputs.decoderSteps()) {
            throw new IllegalArgumentException("target shape " + Arrays.toString(target.shape())
                    + " does not match the batch (" + inputs.batchSize() + ", " + inputs.decoderSteps() + ")");
        }
        if (weight != null && !Arrays.equals(weight.shape(), target.shape())) {
            throw new IllegalArgumentException("weight shape " + Arrays.toString(weight.shape())
                    + " does not match the target's " + Arrays.toString(target.shape()));
        }
    }

    /**
     * A batch whose steps all weigh 1.
     *
     * @param inputs the model's inputs
     * @param target the target (B, Td) in target units
     */
    public TrainingBatch(ModelInputs inputs, Tensor target) {
        this(inputs, target, null);
    }

    /** B, the samples in the batch. */
    public int size() {
        return inputs.batchSize();
    }

    /** Valid decoder steps over the whole batch: the loss's denominator. */
    public long validSteps() {
        long n = 0;
        for (int l : inputs.decoderLengths()) {
            n += l;
        }
        return n;
    }

    /**
     * Samples [from, to) as their own batch, padding trimmed to their longest encoder and decoder
     * (views where possible; results at valid steps do not depend on the padding).
     */
    public TrainingBatch shard(int from, int to) {
        int[] enc = Arrays.copyOfRange(inputs.encoderLengths(), from, to);
        int[] dec = Arrays.copyOfRange(inputs.decoderLengths(), from, to);
        int te = Math.max(1, Arrays.stream(enc).max().orElse(0));
        int td = Math.max(1, Arrays.stream(dec).max().orElse(0));
        te = Math.min(te, inputs.encoderSteps());
        td = Math.min(td, inputs.decoderSteps());
        int n = to - from;
        ModelInputs b = new ModelInputs(
                inputs.encoderCat().narrow(0, from, n).narrow(1, 0, te),
                inputs.encoderCont().narrow(0, from, n).narrow(1, 0, te),
                inputs.decoderCat().narrow(0, from, n).narrow(1, 0, td),
                inputs.decoderCont().narrow(0, from, n).narrow(1, 0, td),
                enc, dec, inputs.targetScale().narrow(0, from, n));
        return new TrainingBatch(b, target.narrow(0, from, n).narrow(1, 0, td),
                weight == null ? null : weight.narrow(0, from, n).narrow(1, 0, td));
    }
}
