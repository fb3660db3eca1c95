package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimeLabels;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.WindowRows;
import dev.tempora.models.Metrics;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Scores {@link Forecaster}s on windows of a data set with {@link Metrics}: each series' last window with
 * a full horizon ({@link #lastWindows}, PTF's predict mode) or a rolling-origin backtest's windows
 * ({@link #backtestWindows}). Every forecaster sees the same windows, so their metrics compare:
 *
 * <pre>{@code
 * TimeSeriesDataSet windows = Evaluation.lastWindows(history, model.preprocessing());
 * Evaluation.Result tft = Evaluation.score(windows, null, model.forecaster(options), model.quantiles(), 64, false, null);
 * Evaluation.Result naive = Evaluation.score(windows, null, Forecaster.lastValue(), model.quantiles(), 64, false, null);
 * }</pre>
 */
public final class Evaluation {

    /** Receives each batch with its forecasts (to write them out or plot them). */
    public interface BatchSink {
        /**
         * One batch's windows and their forecasts.
         *
         * @param batch    the batch's windows, as collated from the data set
         * @param forecast the forecasts in the target's scale: (batch, decoder steps, quantiles), or
         *                 (batch, decoder steps) for a point forecaster
         */
        void accept(Batch batch, Tensor forecast);
    }

    /**
     * The metrics of one window.
     *
     * @param window  the window's index in the data set
     * @param metrics its metrics over its forecast steps
     */
    public record WindowScore(int window, Metrics metrics) {}

    /**
     * The metrics over all windows, and per window when asked for.
     *
     * @param forecaster  the forecaster's name
     * @param metrics     the metrics over every forecast step of every window
     * @param windows     each window's own metrics (null unless asked for)
     * @param dataset     the data set the windows belong to
     * @param windowCount the number of windows scored
     * @param m4          the M4 competition's sMAPE, MASE and OWA (null unless asked for with {@link M4Metrics.Options})
     */
    public record Result(String forecaster, Metrics metrics, List<WindowScore> windows, TimeSeriesDataSet dataset,
                         int windowCount, M4Metrics m4) {

        /**
         * One row per window: series ids, origin (and its timestamp), points, mae, rmse, smape, mape, mase, wql.
         *
         * @return the per-window metrics as a table
         * @throws IllegalStateException when the evaluation kept no per-window metrics
         */
        public Frame windowTable() {
            if (windows == null) {
                throw new IllegalStateException("the evaluation kept no per-window metrics");
            }
            return WindowTable.of(dataset, windows);
        }
    }

    /**
     * A rolling-origin backtest's origins, for {@link #compare}.
     *
     * @param from   the first origin: the time index of the first forecast step
     * @param to     the last origin (inclusive), or null for the last with a full horizon
     * @param stride time steps between origins, at least 1
     */
    public record Backtest(long from, Long to, int stride) {
        /**
         * Checks the origins.
         *
         * @throws IllegalArgumentException when {@code stride} is below 1 or {@code to} is before {@code from}
         */
        public Backtest {
            if (stride < 1) {
                throw new IllegalArgumentException("--stride must be at least 1, got " + stride);
            }
            if (to != null && to < from) {
                throw new IllegalArgumentException("--to " + to + " is before --from " + from);
            }
        }
    }

    /**
     * What {@link #compare} scored: each model's and each baseline's metrics on the same windows.
     *
     * @param models    one result per model, in the order given
     * @param baselines one result per baseline, in the order given
     */
    public record Comparison(List<Result> models, List<Result> baselines) {}

    private Evaluation() {}

    /**
     * Scores several trained models (single or ensembles), and baselines once, on exactly the same windows of
     * {@code table}: those {@link TrainedModel#evaluate} scores (the held-out test the models record, or each
     * series' last window with a full horizon), or a backtest's. Each model prepares the
     * table with its own preprocessing, so the models may read different inputs; the windows they forecast
     * must be the same series and origins, which is checked.
     *
     * @param models    the models to compare, at least one
     * @param names     each model's name, for messages (its directory, say)
     * @param table     each series' history with known targets over the windows' horizons
     * @param backtest  the backtest's origins, or null for the windows {@link TrainedModel#evaluate} scores
     * @param baselines builds each baseline from the windows' data set (for example
     *                  {@code d -> Forecaster.lastValue()} or {@code d -> Forecaster.seasonalNaive(168, table, d)});
     *                  they are scored on the first model's windows with its quantiles
     * @param options   workers, batch size and device
     * @param m4        the M4 metrics' option, or null for none
     * @return each model's and baseline's scores
     * @throws IllegalArgumentException naming the difference when the models forecast different horizons,
     *                                  targets, series or time indices, hold out different tests, or their
     *                                  windows are not the same
     */
    public static Comparison compare(List<TrainedModel> models, List<String> names, Frame table, Backtest backtest,
                                     List<java.util.function.Function<TimeSeriesDataSet, Forecaster>> baselines,
                                     InferenceOptions options, M4Metrics.Options m4) {
        return Comparisons.compare(models, names, table, backtest, baselines, options, m4);
    }

    /**
     * Scores a forecaster. A forecast, an actual value or a metric that is not finite is an error naming
     * where it is, never a NaN in the result.
     *
     * @param dataset    the windows' data set
     * @param windows    window indices of {@code dataset} (all windows when null)
     * @param forecaster what to score
     * @param quantiles  the quantile levels of its forecasts (for the weighted quantile loss)
     * @param batchSize  windows per batch
     * @param perWindow  also score each window on its own
     * @param sink       sees every batch and its forecasts (may be null)
     * @return the metrics over all the windows, and per window when {@code perWindow}
     * @throws IllegalStateException naming the series and step of a forecast or actual value that is not
     *                               finite, or the metric that is not
     */
    public static Result score(TimeSeriesDataSet dataset, int[] windows, Forecaster forecaster, List<Float> quantiles,
                               int batchSize, boolean perWindow, BatchSink sink) {
        return score(dataset, windows, forecaster, quantiles, batchSize, perWindow, sink, null);
    }

    /**
     * {@link #score(TimeSeriesDataSet, int[], Forecaster, List, int, boolean, BatchSink)}, and with {@code m4}
     * also the M4 competition's metrics ({@link Result#m4}): sMAPE and MASE of the point forecast (the 0.5
     * quantile), and OWA against Naive2 forecast on the same windows.
     *
     * @param dataset    the windows' data set
     * @param windows    window indices of {@code dataset} (all windows when null)
     * @param forecaster what to score
     * @param quantiles  the quantile levels of its forecasts
     * @param batchSize  windows per batch
     * @param perWindow  also score each window on its own
     * @param sink       sees every batch and its forecasts (may be null)
     * @param m4         the history table and seasonality for the M4 metrics, or null for none
     * @return the metrics over all the windows, per window when {@code perWindow}, and M4's when asked for
     * @throws IllegalArgumentException when M4 metrics are asked of quantile forecasts without a 0.5 quantile,
     *                                  or a series' history cannot scale MASE (the message names it)
     * @throws IllegalStateException    naming the series and step of a forecast or actual value that is not finite
     */
    public static Result score(TimeSeriesDataSet dataset, int[] windows, Forecaster forecaster, List<Float> quantiles,
                               int batchSize, boolean perWindow, BatchSink sink, M4Metrics.Options m4) {
        if (m4 == null) {
            Result result = run(dataset, windows, forecaster, quantiles, batchSize, perWindow, sink, true);
            FiniteChecks.metrics(result.metrics(), forecaster.name());
            return result;
        }
        M4Metrics.HistoryScaling scaling = new M4Metrics.HistoryScaling(m4.history(), dataset, m4.seasonality());
        M4Metrics.Accumulator model = new M4Metrics.Accumulator(m4.seasonality());
        BatchSink both = (batch, forecast) -> {
            addM4(scaling, model, batch, forecast, quantiles, forecaster.name());
            if (sink != null) {
                sink.accept(batch, forecast);
            }
        };
        Result result = run(dataset, windows, forecaster, quantiles, batchSize, perWindow, both, true);
        FiniteChecks.metrics(result.metrics(), forecaster.name());
        M4Metrics.Accumulator naive2 = new M4Metrics.Accumulator(m4.seasonality());
        run(dataset, windows, Forecaster.naive2(m4.seasonality(), m4.history(), dataset), quantiles, batchSize, false,
                (batch, forecast) -> addM4(scaling, naive2, batch, forecast, quantiles, "Naive2"), false);
        return new Result(result.forecaster(), result.metrics(), result.windows(), dataset, result.windowCount(),
                M4Metrics.of(model.result(), naive2.result()));
    }

    /** Adds each window of a batch to {@code sums}, its point forecast being the 0.5 quantile. */
    private static void addM4(M4Metrics.HistoryScaling scaling, M4Metrics.Accumulator sums, Batch batch, Tensor forecast,
                              List<Float> quantiles, String forecaster) {
        boolean point = forecast.dim() == 2;
        int median = point ? 0 : quantiles.indexOf(0.5f);
        if (median < 0) {
            throw new IllegalArgumentException("M4 metrics score the median forecast, and " + forecaster + " forecasts the quantiles "
                    + quantiles + " without 0.5; train with a 0.5 quantile to score it with M4's metrics");
        }
        Tensor f = forecast.contiguous();
        float[] values = f.storage();
        int offset = f.storageOffset();
        int width = point ? 1 : forecast.size(2);
        int steps = forecast.size(1);
        float[] target = batch.decoderTarget.contiguous().toFloatArray();
        for (int b = 0; b < batch.size(); b++) {
            int length = batch.decoderLength(b);
            double[] actual = new double[length];
            double[] predicted = new double[length];
            for (int t = 0; t < length; t++) {
                actual[t] = target[b * batch.maxDecoderLength() + t];
                predicted[t] = values[offset + (b * steps + t) * width + median];
            }
            scaling.add(sums, batch.windowIndex(b), actual, predicted);
        }
    }

    /**
     * Forecasts every window for {@code sink} alone, as {@link #score} does, without checking actual
     * values or metrics (a forecast's horizon has no actual values); a forecast that is not finite is still an error.
     */
    static void forecast(TimeSeriesDataSet dataset, Forecaster forecaster, List<Float> quantiles, int batchSize,
                         BatchSink sink) {
        run(dataset, null, forecaster, quantiles, batchSize, false, sink, false);
    }

    private static Result run(TimeSeriesDataSet dataset, int[] windows, Forecaster forecaster, List<Float> quantiles,
                              int batchSize, boolean perWindow, BatchSink sink, boolean scoring) {
        int[] all = windows != null ? windows : java.util.stream.IntStream.range(0, dataset.size()).toArray();
        Metrics.Accumulator total = new Metrics.Accumulator(quantiles);
        List<WindowScore> scores = perWindow ? new ArrayList<>() : null;
        for (int from = 0; from < all.length; from += batchSize) {
            Batch batch = dataset.collate(java.util.Arrays.copyOfRange(all, from, Math.min(all.length, from + batchSize)));
            Tensor forecast = forecaster.forecast(batch);
            FiniteChecks.forecasts(dataset, batch, forecast, forecaster.name(), quantiles);
            if (scoring) {
                FiniteChecks.actuals(dataset, batch);
            }
            int[] encoderLengths = ConfigSections.ints(batch.encoderLengths);
            int[] decoderLengths = ConfigSections.ints(batch.decoderLengths);
            total.add(batch.encoderTarget, encoderLengths, batch.decoderTarget, decoderLengths, forecast);
            if (perWindow) {
                for (int b = 0; b < batch.size(); b++) {
                    Metrics.Accumulator one = new Metrics.Accumulator(quantiles);
                    one.add(batch.encoderTarget.narrow(0, b, 1), new int[] {encoderLengths[b]},
                            batch.decoderTarget.narrow(0, b, 1), new int[] {decoderLengths[b]}, forecast.narrow(0, b, 1));
                    scores.add(new WindowScore(batch.windowIndex(b), one.result()));
                }
            }
            if (sink != null) {
                sink.accept(batch, forecast);
            }
        }
        return new Result(forecaster.name(), scoring ? total.result() : null, scores, dataset, all.length, null);
    }

    /**
     * Each series' last window with a full horizon (PTF's predict mode) in {@code table}, prepared with a
     * trained model's preprocessing.
     *
     * @param table         each series' history, its last max_prediction_length rows with known targets
     * @param preprocessing the model's fitted encoders and normalisers, and its data set parameters
     * @return one window per series long enough for a full horizon
     */
    public static TimeSeriesDataSet lastWindows(Frame table, Preprocessing preprocessing) {
        DatasetParameters p = preprocessing.parameters();
        return TimeSeriesDataSet.fromPreprocessing(preprocessing, WindowRows.lastWindow(table, preprocessing),
                p.with("min_prediction_length", (long) p.maxPredictionLength).with("predict_mode", true));
    }

    /**
     * Each series' last window with a full horizon in {@code table}, with preprocessing fitted on the table (for baselines).
     *
     * @param table      each series' history, its last max_prediction_length rows with known targets
     * @param parameters PTF's TimeSeriesDataSet arguments
     * @return one window per series long enough for a full horizon
     */
    public static TimeSeriesDataSet lastWindows(Frame table, DatasetParameters parameters) {
        return TimeSeriesDataSet.create(table, parameters.with("min_prediction_length", (long) parameters.maxPredictionLength)
                .with("predict_mode", true));
    }

    /**
     * A rolling-origin backtest's windows: for every origin o = from, from + stride, ... ≤ to and every
     * series, the window whose first forecast step is time index o, with the full prediction length.
     * {@code dataset} must be built with min_prediction_idx = from and min_prediction_length =
     * max_prediction_length ({@link #backtestParameters}), so that it holds exactly those candidates.
     *
     * @param dataset the candidates, built with {@link #backtestParameters}
     * @param from    the first origin, a time index
     * @param to      the last origin (inclusive), a time index; {@link Long#MAX_VALUE} for no limit
     * @param stride  time steps between origins, at least 1
     * @return window indices of {@code dataset}, all series at the first origin, then all at the next
     * @throws IllegalArgumentException when no window has a full horizon from such an origin
     */
    public static int[] backtestWindows(TimeSeriesDataSet dataset, long from, long to, int stride) {
        int horizon = dataset.parameters().maxPredictionLength;
        int[] chosen = dataset.fullHorizonWindows((series, origin, last) -> origin >= from && origin <= to
                && (origin - from) % stride == 0);
        if (chosen.length == 0) {
            int[] any = dataset.fullHorizonWindows((series, origin, last) -> true);
            long lastAvailable = java.util.Arrays.stream(any).mapToLong(w -> dataset.window(w).firstPredictionTimeIdx()).max()
                    .orElse(Long.MIN_VALUE);
            DatasetParameters p = dataset.parameters();
            Long origin = dataset.preprocessing().timeOrigin();
            throw new IllegalArgumentException("no backtest window from " + TimeLabels.timeIndex(p, origin, from) + " to "
                    + (to == Long.MAX_VALUE ? "the end" : TimeLabels.timeIndex(p, origin, to)) + " with stride " + stride
                    + ": forecasts of " + horizon + " steps can start at " + TimeLabels.timeIndex(p, origin, from) + " to "
                    + (lastAvailable == Long.MIN_VALUE ? "(none: every series ends less than " + horizon + " steps after --from)"
                    : TimeLabels.timeIndex(p, origin, lastAvailable)));
        }
        // origin-major order: all series at the first origin, then the next (a stable sort keeps series order)
        return java.util.Arrays.stream(chosen).boxed()
                .sorted(java.util.Comparator.comparingInt(w -> dataset.window(w).firstPredictionTimeIdx()))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Dataset parameters whose windows are a backtest's candidates: full-horizon forecasts starting at or after {@code from}.
     *
     * @param p    the model's (or the baselines') data set parameters
     * @param from the first origin, a time index
     * @return {@code p} with min_prediction_idx, min_prediction_length and predict_mode set for the backtest
     */
    public static DatasetParameters backtestParameters(dev.tempora.data.DatasetParameters p, long from) {
        return p.with("min_prediction_idx", from).with("min_prediction_length", (long) p.maxPredictionLength)
                .with("predict_mode", false);
    }
}
