package dev.tempora.parallel;

import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/** A batch for training or validation: the model's inputs and the target (B, Td) in target units. */
public record TrainingBatch(ModelInputs inputs, Tensor target) {

    /** Checks that the target is (B, Td) for the inputs' batch. */
    public TrainingBatch {
        if (target.dim() != 2 || target.size(0) != inputs.batchSize() || target.size(1) != inputs.decoderSteps()) {
            throw new IllegalArgumentException("target shape " + Arrays.toString(target.shape())
                    + " does not match the batch (" + inputs.batchSize() + ", " + inputs.decoderSteps() + ")");
        }
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
        return new TrainingBatch(b, target.narrow(0, from, n).narrow(1, 0, td));
    }
}
