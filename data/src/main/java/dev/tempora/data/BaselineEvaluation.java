package dev.tempora.data;

/**
 * PTF's {@code Baseline} model: every decoder step is forecast by the last encoder target of its
 * sample. {@link #evaluate} scores it on a dataset (usually the validation set in predict mode) with
 * {@link Metrics}.
 */
public final class BaselineEvaluation {

    private BaselineEvaluation() {}

    /** The last-value forecasts of a batch, laid out (B, Td). */
    public static float[] lastValueForecast(Batch batch) {
        int steps = batch.maxDecoderLength();
        int encoderSteps = batch.maxEncoderLength();
        float[] encoderTarget = batch.encoderTarget.contiguous().storage();
        float[] out = new float[batch.size() * steps];
        for (int b = 0; b < batch.size(); b++) {
            int enc = batch.encoderLength(b);
            if (enc < 1) {
                throw new IllegalArgumentException("the last-value baseline needs an encoder of at least one step; window "
                        + batch.windowIndex(b) + " has none");
            }
            java.util.Arrays.fill(out, b * steps, (b + 1) * steps, encoderTarget[b * encoderSteps + enc - 1]);
        }
        return out;
    }

    public static Metrics evaluate(TimeSeriesDataSet dataset) {
        Metrics.Accumulator metrics = new Metrics.Accumulator();
        for (Batch batch : dataset.predictLoader(256)) {
            metrics.add(batch, lastValueForecast(batch));
        }
        return metrics.result();
    }
}
