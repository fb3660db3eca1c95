package dev.tempora.models;

import dev.tempora.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Forecast accuracy over every valid (unpadded) decoder step of every sample, with PyTorch
 * Forecasting's definitions for the point metrics (the point forecast is the median quantile):
 * <ul>
 *   <li>MAE = mean |ŷ − y|; RMSE = sqrt(mean (ŷ − y)²);</li>
 *   <li>sMAPE = mean 2|ŷ − y| / (|ŷ| + |y| + 1e-8); MAPE = mean |ŷ − y| / (|y| + 1e-8);</li>
 *   <li>MASE = mean |ŷ − y| / s, with per sample s = (Σ |y_k − y_(k−1)| over the sample's encoder and
 *       decoder targets) / (their count) + 1e-6. PTF divides by the count, not the count minus one, and
 *       scales by the naive one-step error of the window itself: these are PTF's sMAPE and MASE, not the
 *       M4 competition's;</li>
 *   <li>wQL, the weighted quantile loss as GluonTS defines it ({@code mean_weighted_quantile_loss}):
 *       wQL = mean over quantiles q of 2·Σ pinball_q / Σ |y|, where pinball_q = max(q·(y − ŷ_q),
 *       (q − 1)·(y − ŷ_q)) and the sums run over all points. It is PTF's QuantileLoss divided by the
 *       mean |y|. A point forecast (a baseline) counts as every quantile, which makes its wQL
 *       Σ |ŷ − y| / Σ |y| (the weighted absolute percentage error) for any quantile set symmetric about
 *       0.5.</li>
 * </ul>
 */
public record Metrics(double mae, double rmse, double smape, double mape, double mase, double wql, long points,
                      int samples) {

    /** The metrics by name (mae, rmse, smape, mape, mase, wql); a value that is not finite becomes null. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mae", finiteOrNull(mae));
        m.put("rmse", finiteOrNull(rmse));
        m.put("smape", finiteOrNull(smape));
        m.put("mape", finiteOrNull(mape));
        m.put("mase", finiteOrNull(mase));
        m.put("wql", finiteOrNull(wql));
        return m;
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Sums per-point errors over batches; {@link #result()} divides by the number of points. Merging
     * accumulators ({@link #add(Accumulator)}) gives the same result as adding their samples to one.
     */
    public static final class Accumulator {
        private final float[] quantiles;
        private final int median;
        private double absolute;
        private double squared;
        private double symmetric;
        private double percentage;
        private double scaled;
        private double pinball;
        private double absoluteActual;
        private long points;
        private int samples;

        /** @param quantiles the quantiles of the forecasts to be added (PTF's default: 0.02 … 0.98) */
        public Accumulator(List<Float> quantiles) {
            QuantileLoss.checkLevels(quantiles);
            this.quantiles = new float[quantiles.size()];
            int best = 0;
            for (int i = 0; i < this.quantiles.length; i++) {
                float q = quantiles.get(i);
                this.quantiles[i] = q;
                if (Math.abs(q - 0.5f) < Math.abs(this.quantiles[best] - 0.5f)) {
                    best = i;
                }
            }
            this.median = best;
        }

        /**
         * Adds a batch of forecasts.
         *
         * @param encoderTarget  (B, Te) the history before each forecast, right-padded
         * @param encoderLengths valid encoder steps per sample
         * @param decoderTarget  (B, Td) the actual values, right-padded
         * @param decoderLengths valid decoder steps per sample; padded steps are ignored
         * @param forecast       (B, Td, quantiles) quantile forecasts, or (B, Td) point forecasts
         */
        public void add(Tensor encoderTarget, int[] encoderLengths, Tensor decoderTarget, int[] decoderLengths,
                        Tensor forecast) {
            int batch = decoderTarget.size(0);
            int steps = decoderTarget.size(1);
            int encoderSteps = encoderTarget.size(1);
            boolean point = forecast.dim() == 2;
            int width = point ? 1 : forecast.size(2);
            if (encoderTarget.dim() != 2 || decoderTarget.dim() != 2 || encoderTarget.size(0) != batch
                    || forecast.size(0) != batch || forecast.size(1) != steps || (!point && width != quantiles.length)
                    || forecast.dim() > 3 || encoderLengths.length != batch || decoderLengths.length != batch) {
                throw new IllegalArgumentException("metrics: encoder target " + Arrays.toString(encoderTarget.shape())
                        + ", decoder target " + Arrays.toString(decoderTarget.shape()) + ", forecast "
                        + Arrays.toString(forecast.shape()) + ", " + encoderLengths.length + " encoder and "
                        + decoderLengths.length + " decoder lengths do not fit (B, Te), (B, Td), (B, Td[, "
                        + quantiles.length + " quantiles]), B, B");
            }
            Tensor e = encoderTarget.contiguous();
            Tensor d = decoderTarget.contiguous();
            Tensor f = forecast.contiguous();
            float[] ed = e.storage();
            float[] dd = d.storage();
            float[] fd = f.storage();
            int eo = e.storageOffset();
            int dOff = d.storageOffset();
            int fo = f.storageOffset();
            for (int b = 0; b < batch; b++) {
                int enc = encoderLengths[b];
                int dec = decoderLengths[b];
                if (enc < 0 || enc > encoderSteps || dec < 0 || dec > steps) {
                    throw new IllegalArgumentException("metrics: sample " + b + " has encoder length " + enc
                            + " and decoder length " + dec + ", outside the batch's " + encoderSteps + " and " + steps + " steps");
                }
                int n = enc + dec;
                if (n < 2) {
                    throw new IllegalArgumentException("MASE needs at least 2 target values per sample, sample " + b + " has " + n);
                }
                // MASE scaling: the mean absolute one-step change over the concatenated encoder and decoder targets.
                double diffs = 0;
                double previous = 0;
                for (int k = 0; k < n; k++) {
                    double y = k < enc ? ed[eo + b * encoderSteps + k] : dd[dOff + b * steps + k - enc];
                    if (k > 0) {
                        diffs += Math.abs(y - previous);
                    }
                    previous = y;
                }
                double scaling = diffs / n + 1e-6;
                for (int t = 0; t < dec; t++) {
                    double y = dd[dOff + b * steps + t];
                    int row = fo + (b * steps + t) * width;
                    double p = fd[row + (point ? 0 : median)];
                    double error = Math.abs(p - y);
                    absolute += error;
                    squared += error * error;
                    symmetric += 2 * error / (Math.abs(p) + Math.abs(y) + 1e-8);
                    percentage += error / (Math.abs(y) + 1e-8);
                    scaled += error / scaling;
                    absoluteActual += Math.abs(y);
                    for (int k = 0; k < quantiles.length; k++) {
                        double residual = y - fd[row + (point ? 0 : k)];
                        pinball += Math.max(quantiles[k] * residual, (quantiles[k] - 1) * residual);
                    }
                }
                points += dec;
                samples++;
            }
        }

        /** Adds another accumulator's sums (its quantiles must be the same). */
        public void add(Accumulator other) {
            if (!Arrays.equals(quantiles, other.quantiles)) {
                throw new IllegalArgumentException("cannot merge metrics over quantiles " + Arrays.toString(other.quantiles)
                        + " into metrics over " + Arrays.toString(quantiles));
            }
            absolute += other.absolute;
            squared += other.squared;
            symmetric += other.symmetric;
            percentage += other.percentage;
            scaled += other.scaled;
            pinball += other.pinball;
            absoluteActual += other.absoluteActual;
            points += other.points;
            samples += other.samples;
        }

        /** The forecast points (sample × valid decoder step) added so far. */
        public long points() {
            return points;
        }

        /** The metrics of everything added; an {@link IllegalStateException} when nothing was. */
        public Metrics result() {
            if (points == 0) {
                throw new IllegalStateException("no forecast points were added");
            }
            double wql = 2 * pinball / (quantiles.length * absoluteActual);
            return new Metrics(absolute / points, Math.sqrt(squared / points), symmetric / points, percentage / points,
                    scaled / points, wql, points, samples);
        }
    }
}
