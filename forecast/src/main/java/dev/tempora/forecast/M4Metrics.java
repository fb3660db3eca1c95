package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeSeriesDataSet;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The M4 competition's accuracy measures (Makridakis, Spiliotis and Assimakopoulos, 2020), as the
 * competition scored its entries, beside the per-point metrics of {@link dev.tempora.models.Metrics}
 * (whose sMAPE and MASE are PyTorch Forecasting's):
 * <ul>
 *   <li>sMAPE, in percent: 200·|y − ŷ| / (|y| + |ŷ|) averaged over a window's horizon, then over windows
 *       (a step where both are 0 counts as 0, a perfect forecast);</li>
 *   <li>MASE: mean |y − ŷ| over the horizon divided by the in-sample seasonal-naive error of the series'
 *       whole history before the forecast origin, mean |y_t − y_(t−m)| over its rows in time order (not only
 *       the window's encoder), then averaged over windows;</li>
 *   <li>OWA: the mean of sMAPE / sMAPE(Naive2) and MASE / MASE(Naive2) over all windows, Naive2 being the
 *       seasonally adjusted naive forecast ({@link Forecaster#naive2}): for m = 1 the naive (last value)
 *       forecast; for m &gt; 1 the naive forecast of the series adjusted by classical multiplicative
 *       decomposition when it passes the competition's 90% autocorrelation test, as M4's R code does.</li>
 * </ul>
 * The point forecast is the 0.5 quantile (a quantile model without one is refused), or a point
 * forecaster's forecast.
 *
 * @param smape       sMAPE in percent
 * @param mase        MASE
 * @param owa         the overall weighted average relative to Naive2
 * @param naive2Smape Naive2's sMAPE on the same windows
 * @param naive2Mase  Naive2's MASE on the same windows
 * @param seasonality m, the seasonal period of the MASE scaling and of Naive2
 * @param windows     the windows scored (one per series for a last-window evaluation)
 */
public record M4Metrics(double smape, double mase, double owa, double naive2Smape, double naive2Mase, int seasonality,
                        int windows) {

    /**
     * Combines a forecaster's scores with Naive2's on the same windows into the M4 metrics.
     *
     * @param model  the forecaster's scores
     * @param naive2 Naive2's scores on the same windows
     * @return the M4 metrics with OWA
     * @throws IllegalArgumentException when the two were not scored on as many windows with the same m
     */
    public static M4Metrics of(Scores model, Scores naive2) {
        if (model.windows() != naive2.windows() || model.seasonality() != naive2.seasonality()) {
            throw new IllegalArgumentException("OWA compares scores on the same windows: the forecaster has " + model.windows()
                    + " windows with m = " + model.seasonality() + ", Naive2 " + naive2.windows() + " with m = " + naive2.seasonality());
        }
        double owa = (model.smape() / naive2.smape() + model.mase() / naive2.mase()) / 2;
        return new M4Metrics(model.smape(), model.mase(), owa, naive2.smape(), naive2.mase(), model.seasonality(), model.windows());
    }

    /** {@return the metrics by name (smape, mase, owa, naive2_smape, naive2_mase, seasonality), for JSON} */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("smape", smape);
        m.put("mase", mase);
        m.put("owa", owa);
        m.put("naive2_smape", naive2Smape);
        m.put("naive2_mase", naive2Mase);
        m.put("seasonality", seasonality);
        return m;
    }

    /**
     * The option that asks {@link Evaluation#score(TimeSeriesDataSet, int[], Forecaster, List, int, boolean,
     * Evaluation.BatchSink, Options)} for the M4 metrics.
     *
     * @param history     the table the windows' data set was built from: each series' whole history, for the
     *                    MASE scaling (a window's encoder is usually shorter)
     * @param seasonality m, the seasonal period (1 for M4's weekly, yearly and daily series)
     */
    public record Options(Frame history, int seasonality) {
        /**
         * Checks the option.
         *
         * @throws IllegalArgumentException when the history is missing or m &lt; 1
         */
        public Options {
            if (history == null) {
                throw new IllegalArgumentException("M4 metrics need the history table the windows were built from");
            }
            if (seasonality < 1) {
                throw new IllegalArgumentException("--seasonality must be at least 1, got " + seasonality);
            }
        }
    }

    /**
     * A forecaster's M4 sMAPE and MASE over some windows, before the comparison with Naive2.
     *
     * @param smape       sMAPE in percent, averaged over windows
     * @param mase        MASE, averaged over windows
     * @param seasonality m of the MASE scaling
     * @param windows     the windows averaged over
     */
    public record Scores(double smape, double mase, int seasonality, int windows) {}

    /** Sums each window's sMAPE and MASE; {@link #result} averages them over the windows. */
    public static final class Accumulator {
        private final int seasonality;
        private double smape;
        private double mase;
        private int windows;

        /**
         * An empty sum.
         *
         * @param seasonality m, the lag of the in-sample seasonal-naive error that scales MASE, at least 1
         */
        public Accumulator(int seasonality) {
            if (seasonality < 1) {
                throw new IllegalArgumentException("the seasonality must be at least 1, got " + seasonality);
            }
            this.seasonality = seasonality;
        }

        /**
         * Adds one window, scaling MASE by its whole history.
         *
         * @param series   the series' name, for messages
         * @param history  the series' values before the forecast origin, in time order (more than m of them)
         * @param actual   the actual values of the forecast steps
         * @param forecast the point forecasts of the same steps
         * @throws IllegalArgumentException when the history has m values or fewer, is constant at lag m (the
         *                                  scaling is 0), or the forecast and actual lengths differ
         */
        public void add(String series, double[] history, double[] actual, double[] forecast) {
            double sum = 0;
            for (int t = seasonality; t < history.length; t++) {
                sum += Math.abs(history[t] - history[t - seasonality]);
            }
            add(series, sum, history.length - seasonality, actual, forecast);
        }

        /** Adds one window whose scaling is {@code lagErrorSum / lagErrorCount}. */
        void add(String series, double lagErrorSum, int lagErrorCount, double[] actual, double[] forecast) {
            if (actual.length != forecast.length || actual.length == 0) {
                throw new IllegalArgumentException("series " + series + ": " + actual.length + " actual values and "
                        + forecast.length + " forecasts; M4 metrics need one forecast per actual value, at least one");
            }
            if (lagErrorCount < 1) {
                throw new IllegalArgumentException("series " + series + ": MASE with m = " + seasonality + " needs more than "
                        + seasonality + " values of history before the forecast origin, it has " + (lagErrorCount + seasonality));
            }
            double scaling = lagErrorSum / lagErrorCount;
            if (!(scaling > 0) || !Double.isFinite(scaling)) {
                throw new IllegalArgumentException("series " + series + ": its in-sample seasonal-naive error (m = " + seasonality
                        + ") is " + scaling + " (a constant history, or a missing value in it), so MASE is undefined for it");
            }
            double symmetric = 0;
            double absolute = 0;
            for (int h = 0; h < actual.length; h++) {
                double error = Math.abs(actual[h] - forecast[h]);
                double denominator = Math.abs(actual[h]) + Math.abs(forecast[h]);
                symmetric += denominator == 0 ? 0 : 200 * error / denominator;
                absolute += error;
            }
            smape += symmetric / actual.length;
            mase += absolute / actual.length / scaling;
            windows++;
        }

        /**
         * {@return the averages over the windows added}
         *
         * @throws IllegalStateException when none was
         */
        public Scores result() {
            if (windows == 0) {
                throw new IllegalStateException("no windows were scored");
            }
            return new Scores(smape / windows, mase / windows, seasonality, windows);
        }
    }

    /**
     * Each series' in-sample lag-m errors |y_t − y_(t−m)| over its rows in time order, as running sums, so
     * that the MASE scaling of a window (the mean over the history before its origin) is one look-up.
     */
    static final class HistoryScaling {
        private final TimeSeriesDataSet dataset;
        private final SeriesRows rows;
        private final int seasonality;
        private final double[] target;
        private final Map<List<String>, double[]> runningSums = new HashMap<>();

        HistoryScaling(Frame history, TimeSeriesDataSet dataset, int seasonality) {
            this.dataset = dataset;
            this.seasonality = seasonality;
            this.rows = SeriesRows.of(history, dataset.parameters(), dataset.preprocessing().timeOrigin());
            Column column = history.numeric(dataset.parameters().target, "target");
            this.target = new double[history.rowCount()];
            for (int r = 0; r < target.length; r++) {
                target[r] = column.getDouble(r);
            }
        }

        /** Adds window {@code window}'s forecast to {@code sums}, scaled by its series' history before its origin. */
        void add(Accumulator sums, int window, double[] actual, double[] forecast) {
            TimeSeriesDataSet.Window w = dataset.window(window);
            List<String> key = dataset.seriesGroupValues(w.series());
            SeriesRows.Series series = rows.get(key);
            String label = series != null ? series.label(rows.groupIds) : key.toString();
            if (series == null) {
                throw new IllegalArgumentException("series " + label + " is not in the history table the M4 metrics were given");
            }
            double[] running = runningSums.computeIfAbsent(key, k -> running(series));
            int before = java.util.Arrays.binarySearch(series.time(), w.firstPredictionTimeIdx());
            int historyLength = before >= 0 ? before : -before - 1;
            int count = historyLength - seasonality;
            sums.add(label, count > 0 ? running[count] : 0, count, actual, forecast);
        }

        /** running[k] = Σ |y_t − y_(t−m)| over the first k lag pairs of the series (running[0] = 0). */
        private double[] running(SeriesRows.Series series) {
            int[] r = series.rows();
            double[] sums = new double[Math.max(1, r.length - seasonality + 1)];
            for (int t = seasonality; t < r.length; t++) {
                // a missing value makes every later scaling NaN, which add() reports for the window that meets it
                sums[t - seasonality + 1] = sums[t - seasonality] + Math.abs(target[r[t]] - target[r[t - seasonality]]);
            }
            return sums;
        }
    }
}
