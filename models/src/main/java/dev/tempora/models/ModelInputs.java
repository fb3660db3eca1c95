package dev.tempora.models;

import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/**
 * A forecasting model's input: PyTorch Forecasting's {@code x} dict, the collate output every PTF model
 * takes whatever its architecture. Categoricals carry class ids as exact floats, reals are in the model
 * config's column order, and both are right-padded per sample to the batch's longest encoder and decoder.
 *
 * @param encoderCat     encoder categoricals (B, Te, columns)
 * @param encoderCont    encoder reals (B, Te, reals)
 * @param decoderCat     decoder categoricals (B, Td, columns)
 * @param decoderCont    decoder reals (B, Td, reals)
 * @param encoderLengths each sample's true encoder length
 * @param decoderLengths each sample's true decoder length
 * @param targetScale    the target normaliser's (center, scale) per sample (B, 2), to de-normalise the output
 */
public record ModelInputs(Tensor encoderCat, Tensor encoderCont, Tensor decoderCat, Tensor decoderCont,
                          int[] encoderLengths, int[] decoderLengths, Tensor targetScale) {

    /** Checks that the parts agree on the batch size and time steps and that the lengths fit the steps. */
    public ModelInputs {
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

    /**
     * The number of samples.
     *
     * @return B
     */
    public int batchSize() {
        return encoderCont.size(0);
    }

    /**
     * The encoder's time steps: the longest encoder of the batch.
     *
     * @return Te
     */
    public int encoderSteps() {
        return encoderCont.size(1);
    }

    /**
     * The decoder's time steps: the longest decoder of the batch.
     *
     * @return Td
     */
    public int decoderSteps() {
        return decoderCont.size(1);
    }

    /**
     * Samples [from, to) as their own batch with this batch's padding kept (views), so each sample has
     * the same input shapes as here and the model computes exactly what it computes in the whole batch.
     *
     * @param from the first sample
     * @param to   one past the last sample
     * @return the samples' inputs
     * @throws IllegalArgumentException if the range is not within the batch
     */
    public ModelInputs samples(int from, int to) {
        if (from < 0 || to > batchSize() || from > to) {
            throw new IllegalArgumentException("samples [" + from + ", " + to + ") of a batch of " + batchSize());
        }
        int n = to - from;
        return new ModelInputs(encoderCat.narrow(0, from, n), encoderCont.narrow(0, from, n), decoderCat.narrow(0, from, n),
                decoderCont.narrow(0, from, n), Arrays.copyOfRange(encoderLengths, from, to),
                Arrays.copyOfRange(decoderLengths, from, to), targetScale.narrow(0, from, n));
    }
}
