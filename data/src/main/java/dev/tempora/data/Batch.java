package dev.tempora.data;

import dev.tempora.tensor.Tensor;

/**
 * One collated batch, laid out as PTF's {@code TimeSeriesDataSet._collate_fn} lays it out. Sequences are
 * right-padded with zeros to the longest encoder (Te) and decoder (Td) in the batch; categorical codes
 * are exact integers stored as floats. Shapes:
 * <ul>
 *   <li>{@code encoderCat} (B, Te, n_cat), {@code encoderCont} (B, Te, n_real), {@code encoderTarget} (B, Te)</li>
 *   <li>{@code decoderCat} (B, Td, n_cat), {@code decoderCont} (B, Td, n_real), {@code decoderTarget} (B, Td)</li>
 *   <li>{@code encoderLengths}, {@code decoderLengths} (B)</li>
 *   <li>{@code decoderTimeIdx} (B, Td): the time index of every decoder step (padding continues the count)</li>
 *   <li>{@code groups} (B, n_group_ids): the series' group-id codes</li>
 *   <li>{@code targetScale} (B, 2): the target normaliser's center and scale for each sample</li>
 *   <li>{@code weight} (B, Td): each decoder step's weight, when the data set has a weight column (else null)</li>
 * </ul>
 * Targets are in target units (not normalised), as PTF's; the normalised target is one of the reals.
 * {@link #seriesIndex} and {@link #windowIndex} give, per sample, the dataset's series and window, for
 * writing forecasts ({@link TimeSeriesDataSet#seriesGroupValues}, {@link TimeSeriesDataSet#timestampOf}).
 */
public final class Batch {

    /** Categorical codes of the encoder steps, (B, Te, n_cat). */
    public final Tensor encoderCat;
    /** Continuous variables (reals) of the encoder steps, (B, Te, n_real). */
    public final Tensor encoderCont;
    /** The target over the encoder steps, in target units, (B, Te). */
    public final Tensor encoderTarget;
    /** Each sample's encoder length (its unpadded steps), (B). */
    public final Tensor encoderLengths;
    /** Categorical codes of the decoder steps, (B, Td, n_cat). */
    public final Tensor decoderCat;
    /** Continuous variables (reals) of the decoder steps, (B, Td, n_real). */
    public final Tensor decoderCont;
    /** The target over the decoder steps, in target units, (B, Td). */
    public final Tensor decoderTarget;
    /** Each sample's decoder length (its unpadded steps), (B). */
    public final Tensor decoderLengths;
    /** The time index of every decoder step, padding continuing the count, (B, Td). */
    public final Tensor decoderTimeIdx;
    /** The series' group-id codes, (B, n_group_ids). */
    public final Tensor groups;
    /** The target normaliser's center and scale for each sample, (B, 2). */
    public final Tensor targetScale;
    /**
     * The weight of each decoder step (B, Td) from the data set's weight column (PTF's {@code weight}), zero
     * on padding; null when the data set has no weight column.
     */
    public final Tensor weight;
    final int[] seriesIndex;
    final int[] windowIndex;
    final int[] encoderLength;
    final int[] decoderLength;

    Batch(Tensor encoderCat, Tensor encoderCont, Tensor encoderTarget, Tensor encoderLengths, Tensor decoderCat,
          Tensor decoderCont, Tensor decoderTarget, Tensor decoderLengths, Tensor decoderTimeIdx, Tensor groups,
          Tensor targetScale, Tensor weight, int[] seriesIndex, int[] windowIndex, int[] encoderLength, int[] decoderLength) {
        this.encoderCat = encoderCat;
        this.encoderCont = encoderCont;
        this.encoderTarget = encoderTarget;
        this.encoderLengths = encoderLengths;
        this.decoderCat = decoderCat;
        this.decoderCont = decoderCont;
        this.decoderTarget = decoderTarget;
        this.decoderLengths = decoderLengths;
        this.decoderTimeIdx = decoderTimeIdx;
        this.groups = groups;
        this.targetScale = targetScale;
        this.weight = weight;
        this.seriesIndex = seriesIndex;
        this.windowIndex = windowIndex;
        this.encoderLength = encoderLength;
        this.decoderLength = decoderLength;
    }

    /** Number of samples B. */
    public int size() {
        return seriesIndex.length;
    }

    /** Longest encoder in the batch (Te). */
    public int maxEncoderLength() {
        return encoderCont.size(1);
    }

    /** Longest decoder in the batch (Td). */
    public int maxDecoderLength() {
        return decoderCont.size(1);
    }

    /** The encoder length of a sample (its unpadded encoder steps). */
    public int encoderLength(int sample) {
        return encoderLength[sample];
    }

    /** The decoder length of a sample (its unpadded decoder steps). */
    public int decoderLength(int sample) {
        return decoderLength[sample];
    }

    /** The dataset's series index of a sample. */
    public int seriesIndex(int sample) {
        return seriesIndex[sample];
    }

    /** The dataset's window index of a sample. */
    public int windowIndex(int sample) {
        return windowIndex[sample];
    }
}
