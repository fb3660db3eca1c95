package dev.tempora.models;

import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/**
 * The model's input, laid out as PyTorch Forecasting's collate output: encoder and decoder
 * categoricals (B, Te, columns) / (B, Td, columns) with class ids as exact floats, reals
 * (B, Te, reals) / (B, Td, reals) in the config's column order, right-padded per sample to the
 * batch's longest encoder and decoder; the true lengths; and the target's (center, scale) per
 * sample (B, 2) for de-normalising the output.
 */
public record TftBatch(Tensor encoderCat, Tensor encoderCont, Tensor decoderCat, Tensor decoderCont,
                       int[] encoderLengths, int[] decoderLengths, Tensor targetScale) {

    public TftBatch {
        int b = encoderCont.size(0);
        if (encoderCat.size(0) != b || decoderCat.size(0) != b || decoderCont.size(0) != b
                || encoderLengths.length != b || decoderLengths.length != b || targetScale.size(0) != b) {
            throw new IllegalArgumentException("batch parts disagree on the batch size: encoder_cont "
                    + Arrays.toString(encoderCont.shape()) + ", decoder_cont " + Arrays.toString(decoderCont.shape())
                    + ", " + encoderLengths.length + " encoder lengths, target_scale " + Arrays.toString(targetScale.shape()));
        }
        if (encoderCat.size(1) != encoderCont.size(1) || decoderCat.size(1) != decoderCont.size(1)) {
            throw new IllegalArgumentException("categorical and real inputs disagree on time steps: "
                    + Arrays.toString(encoderCat.shape()) + " vs " + Arrays.toString(encoderCont.shape()));
        }
        for (int i = 0; i < b; i++) {
            if (encoderLengths[i] < 0 || encoderLengths[i] > encoderCont.size(1)
                    || decoderLengths[i] < 0 || decoderLengths[i] > decoderCont.size(1)) {
                throw new IllegalArgumentException("sample " + i + " has encoder length " + encoderLengths[i]
                        + " and decoder length " + decoderLengths[i] + ", outside the batch's "
                        + encoderCont.size(1) + " and " + decoderCont.size(1) + " steps");
            }
        }
    }

    public int batchSize() {
        return encoderCont.size(0);
    }

    public int encoderSteps() {
        return encoderCont.size(1);
    }

    public int decoderSteps() {
        return decoderCont.size(1);
    }

    /**
     * Samples [from, to) as their own batch with this batch's padding kept (views), so each sample has
     * the same input shapes as here and the model computes exactly what it computes in the whole batch.
     */
    public TftBatch samples(int from, int to) {
        if (from < 0 || to > batchSize() || from > to) {
            throw new IllegalArgumentException("samples [" + from + ", " + to + ") of a batch of " + batchSize());
        }
        int n = to - from;
        return new TftBatch(encoderCat.narrow(0, from, n), encoderCont.narrow(0, from, n), decoderCat.narrow(0, from, n),
                decoderCont.narrow(0, from, n), Arrays.copyOfRange(encoderLengths, from, to),
                Arrays.copyOfRange(decoderLengths, from, to), targetScale.narrow(0, from, n));
    }
}
