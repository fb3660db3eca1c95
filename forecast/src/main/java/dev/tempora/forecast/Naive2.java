package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The M4 competition's Naive2 benchmark, as its R code computes it ({@code Benchmarks} in the M4 repository's
 * benchmark script): when a series of at least 3·m values passes the seasonality test (the lag-m
 * autocorrelation exceeds 1.645·sqrt((1 + 2·Σ_(k&lt;m) acf_k²) / n), a 90% test), it is seasonally adjusted
 * by R's classical multiplicative {@code decompose} and the last adjusted value is carried forward and
 * reseasonalised; otherwise (and always for m = 1) Naive2 is the naive forecast, the last value.
 */
final class Naive2 {

    /** The one-sided 95% (two-sided 90%) normal quantile of M4's seasonality test. */
    private static final double CRITICAL = 1.645;

    private Naive2() {}

    /**
     * Naive2's forecasts of the {@code horizon} steps after {@code history}.
     *
     * @param history the series' values in time order, at least one
     * @param m       the seasonal period, at least 1
     * @param horizon the steps to forecast
     * @return the forecasts; not finite when the multiplicative adjustment meets a zero trend or season
     */
    static double[] forecast(double[] history, int m, int horizon) {
        int n = history.length;
        double last = history[n - 1];
        double[] out = new double[horizon];
        if (m == 1 || !seasonal(history, m)) {
            Arrays.fill(out, last);
            return out;
        }
        double[] figure = seasonalIndices(history, m);
        // the position t (0-based) of the series has the index figure[t mod m]; step h lies at n − 1 + h
        double adjusted = last / figure[(n - 1) % m];
        for (int h = 1; h <= horizon; h++) {
            out[h - 1] = adjusted * figure[(n - 1 + h) % m];
        }
        return out;
    }

    /** M4's seasonality test: n ≥ 3m and |acf_m| above the 90% limit of the autocorrelations before it. */
    static boolean seasonal(double[] x, int m) {
        int n = x.length;
        if (n < 3 * m) {
            return false;
        }
        double mean = 0;
        for (double v : x) {
            mean += v;
        }
        mean /= n;
        double variance = 0;
        for (double v : x) {
            variance += (v - mean) * (v - mean);
        }
        if (variance == 0) {
            return false;
        }
        double squares = 0;
        for (int k = 1; k < m; k++) {
            double r = autocorrelation(x, mean, variance, k);
            squares += r * r;
        }
        double limit = CRITICAL / Math.sqrt(n) * Math.sqrt(1 + 2 * squares);
        return Math.abs(autocorrelation(x, mean, variance, m)) > limit;
    }

    /** R's acf at lag k: Σ (x_t − x̄)(x_(t+k) − x̄) / Σ (x_t − x̄)². */
    private static double autocorrelation(double[] x, double mean, double variance, int k) {
        double sum = 0;
        for (int t = 0; t + k < x.length; t++) {
            sum += (x[t] - mean) * (x[t + k] - mean);
        }
        return sum / variance;
    }

    /**
     * R's {@code decompose(x, type = "multiplicative")} seasonal figure: the centred moving average of
     * order m (2×m for an even m) is the trend; the figure at phase i is the mean of x/trend over the
     * positions i, i + m, ... where the trend exists, normalised to mean 1.
     *
     * @return m indices, phase 0 being the series' first position
     */
    static double[] seasonalIndices(double[] x, int m) {
        int n = x.length;
        int half = m / 2;
        double[] weights = new double[2 * half + 1];
        Arrays.fill(weights, 1.0 / m);
        if (m % 2 == 0) {
            weights[0] = 0.5 / m;
            weights[2 * half] = 0.5 / m;
        }
        double[] sums = new double[m];
        int[] counts = new int[m];
        for (int t = half; t < n - half; t++) {
            double trend = 0;
            for (int j = 0; j < weights.length; j++) {
                trend += weights[j] * x[t - half + j];
            }
            sums[t % m] += x[t] / trend;
            counts[t % m]++;
        }
        double[] figure = new double[m];
        double total = 0;
        for (int i = 0; i < m; i++) {
            figure[i] = sums[i] / counts[i];
            total += figure[i];
        }
        for (int i = 0; i < m; i++) {
            figure[i] /= total / m;
        }
        return figure;
    }

    /**
     * Naive2 as a point {@link Forecaster} on a data set's windows, from each series' whole history before
     * the window's origin (its rows in time order in {@code frame}).
     *
     * @throws IllegalArgumentException when a window's series has no history in {@code frame}, or its
     *                                  multiplicative adjustment is undefined (a zero trend or season)
     */
    static Forecaster forecaster(int m, Frame frame, TimeSeriesDataSet dataset) {
        SeriesRows rows = SeriesRows.of(frame, dataset.parameters(), dataset.preprocessing().timeOrigin());
        Column column = frame.numeric(dataset.parameters().target, "target");
        return new Forecaster() {
            @Override
            public String name() {
                return "naive2(" + m + ")";
            }

            @Override
            public Tensor forecast(Batch batch) {
                int steps = batch.maxDecoderLength();
                float[] out = new float[batch.size() * steps];
                for (int b = 0; b < batch.size(); b++) {
                    TimeSeriesDataSet.Window window = dataset.window(batch.windowIndex(b));
                    List<String> key = dataset.seriesGroupValues(window.series());
                    SeriesRows.Series series = rows.get(key);
                    int before = series == null ? -1 : Arrays.binarySearch(series.time(), window.firstPredictionTimeIdx());
                    int length = before >= 0 ? before : -before - 1;
                    String label = series != null ? series.label(rows.groupIds) : key.toString();
                    if (series == null || length == 0) {
                        throw new IllegalArgumentException("Naive2: series " + label + " has no history before time_idx "
                                + window.firstPredictionTimeIdx());
                    }
                    double[] history = new double[length];
                    for (int t = 0; t < length; t++) {
                        history[t] = column.getDouble(series.rows()[t]);
                    }
                    double[] forecast = Naive2.forecast(history, m, steps);
                    for (int h = 0; h < steps; h++) {
                        if (!Double.isFinite(forecast[h])) {
                            throw new IllegalArgumentException("Naive2 (m = " + m + ") forecasts " + forecast[h] + " for series "
                                    + label + ": its multiplicative seasonal adjustment needs a positive trend and seasonal "
                                    + "index (and no missing value) in the history before time_idx " + window.firstPredictionTimeIdx());
                        }
                        out[b * steps + h] = (float) forecast[h];
                    }
                }
                return Tensor.wrap(out, batch.size(), steps);
            }
        };
    }
}
