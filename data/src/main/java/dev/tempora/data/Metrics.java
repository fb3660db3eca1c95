package dev.tempora.data;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Point-forecast metrics with PyTorch Forecasting's definitions, averaged over every valid (unpadded)
 * decoder step of every sample:
 * MAE |ŷ - y|; RMSE sqrt(mean (ŷ - y)^2); sMAPE 2|ŷ - y| / (|ŷ| + |y| + 1e-8); MASE |ŷ - y| / s,
 * where per sample s = (sum of |y_k - y_(k-1)| over the sample's encoder and decoder targets) / (their
 * count) + 1e-6 (PTF divides by the count, not the count minus one). These are PTF's MASE and sMAPE, not
 * the M4 competition's. (The models module will own losses and metrics; this is the data module's
 * evaluation helper until then.)
 */
public record Metrics(double mae, double rmse, double smape, double mase, long points, int samples) {

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mae", mae);
        m.put("rmse", rmse);
        m.put("smape", smape);
        m.put("mase", mase);
        return m;
    }

    /** Sums the per-point losses over batches; {@link #result()} divides by the number of points. */
    public static final class Accumulator {
        private double absolute;
        private double squared;
        private double symmetric;
        private double scaled;
        private long points;
        private int samples;

        /** Adds a batch's point forecasts, {@code prediction[b * Td + t]} for sample b and decoder step t. */
        public void add(Batch batch, float[] prediction) {
            int steps = batch.maxDecoderLength();
            int encoderSteps = batch.maxEncoderLength();
            float[] decoderTarget = batch.decoderTarget.contiguous().storage();
            float[] encoderTarget = batch.encoderTarget.contiguous().storage();
            if (prediction.length != batch.size() * steps) {
                throw new IllegalArgumentException("prediction has " + prediction.length + " values, the batch needs "
                        + batch.size() + " x " + steps);
            }
            for (int b = 0; b < batch.size(); b++) {
                int enc = batch.encoderLength(b);
                int dec = batch.decoderLength(b);
                // MASE scaling over the concatenated encoder and decoder targets
                double diffs = 0;
                double previous = 0;
                int n = enc + dec;
                if (n < 2) {
                    throw new IllegalArgumentException("MASE needs at least 2 target values per sample, sample " + b + " has " + n);
                }
                for (int k = 0; k < n; k++) {
                    double y = k < enc ? encoderTarget[b * encoderSteps + k] : decoderTarget[b * steps + k - enc];
                    if (k > 0) {
                        diffs += Math.abs(y - previous);
                    }
                    previous = y;
                }
                double scaling = diffs / n + 1e-6;
                for (int t = 0; t < dec; t++) {
                    double y = decoderTarget[b * steps + t];
                    double p = prediction[b * steps + t];
                    double error = Math.abs(p - y);
                    absolute += error;
                    squared += error * error;
                    symmetric += 2 * error / (Math.abs(p) + Math.abs(y) + 1e-8);
                    scaled += error / scaling;
                }
                points += dec;
                samples++;
            }
        }

        public Metrics result() {
            if (points == 0) {
                throw new IllegalStateException("no forecast points were added");
            }
            return new Metrics(absolute / points, Math.sqrt(squared / points), symmetric / points, scaled / points, points, samples);
        }
    }
}
