package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeLabels;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.tensor.Tensor;

import java.util.List;

/**
 * A forecasting method that {@link Evaluation#score} scores on windows of a data set, beside others on the
 * same windows: a trained model ({@link TrainedModel#forecaster}) or a baseline ({@link #lastValue},
 * {@link #seasonalNaive}). Forecasts are in target units, (B, Td, quantiles) for a quantile model or
 * (B, Td) point forecasts for a baseline.
 */
public interface Forecaster {

    /** {@return a short name for tables and JSON ("tft", "baseline", "seasonal-naive(168)")} */
    String name();

    /**
     * The forecasts of a batch's windows.
     *
     * @param batch the windows, collated from a data set
     * @return (batch, decoder steps, quantiles) for a quantile model or (batch, decoder steps) for a point
     *         forecaster, in target units
     */
    Tensor forecast(Batch batch);

    /**
     * PTF's {@code Baseline}: every decoder step is forecast by the last encoder target of its sample
     * (the "last value" or naive forecast).
     *
     * @return the baseline; its forecasts throw IllegalArgumentException for a window without encoder steps
     */
    static Forecaster lastValue() {
        return new Forecaster() {
            @Override
            public String name() {
                return "baseline";
            }

            @Override
            public Tensor forecast(Batch batch) {
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
                return Tensor.wrap(out, batch.size(), steps);
            }
        };
    }

    /**
     * The seasonal naive forecast: step h (1-based) after the last observed time T is forecast by the
     * value one season earlier, y(T + h − season·⌈h / season⌉). The values come from the series'
     * whole history, not just the window's encoder (a weekly season of 168 hours is longer than the
     * taxi set-up's 63-step encoder); a time step missing in the history takes the value before it, as
     * the dataset fills gaps.
     *
     * @param season  the season's length in time steps (168 for a weekly season of hourly data), at least 1
     * @param frame   the table the data set was built from, for each series' whole history
     * @param dataset the data set whose windows will be forecast
     * @return the forecaster; its forecasts throw IllegalArgumentException when a series has no value a
     *         season before a forecast step
     */
    static Forecaster seasonalNaive(int season, Frame frame, TimeSeriesDataSet dataset) {
        if (season < 1) {
            throw new IllegalArgumentException("--season must be at least 1, got " + season);
        }
        DatasetParameters p = dataset.parameters();
        Long origin = dataset.preprocessing().timeOrigin();
        SeriesRows series = SeriesRows.of(frame, p, origin);
        Column column = frame.numeric(p.target, "target");
        double[] target = new double[frame.rowCount()];
        for (int r = 0; r < target.length; r++) {
            target[r] = column.getDouble(r);
        }
        return new Forecaster() {
            @Override
            public String name() {
                return "seasonal-naive(" + season + ")";
            }

            @Override
            public Tensor forecast(Batch batch) {
                int steps = batch.maxDecoderLength();
                float[] out = new float[batch.size() * steps];
                for (int b = 0; b < batch.size(); b++) {
                    List<String> key = dataset.seriesGroupValues(batch.seriesIndex(b));
                    SeriesRows.Series s = series.get(key);
                    long first = dataset.window(batch.windowIndex(b)).firstPredictionTimeIdx();
                    long lastObserved = first - 1;
                    for (int h = 1; h <= steps; h++) {
                        long source = lastObserved + h - (long) season * ((h + season - 1) / season);
                        int i = s == null ? -1 : lastAtOrBefore(s.time(), source);
                        if (i < 0) {
                            throw new IllegalArgumentException("seasonal naive with season " + season + ": series "
                                    + (s == null ? key.toString() : s.label(series.groupIds)) + " has no value at or before "
                                    + TimeLabels.timeIndex(p, origin, source) + " (forecasting from "
                                    + TimeLabels.timeIndex(p, origin, first) + " needs " + season + " steps of history)");
                        }
                        out[b * steps + h - 1] = (float) target[s.rows()[i]];
                    }
                }
                return Tensor.wrap(out, batch.size(), steps);
            }
        };
    }

    /**
     * The M4 competition's Naive2 benchmark: the naive forecast of the seasonally adjusted series, from each
     * series' whole history before a window's origin. A history of at least 3·m values whose lag-m
     * autocorrelation passes M4's 90% test is adjusted by R's classical multiplicative decomposition and
     * reseasonalised; any other history, and every history for m = 1, gives the last value.
     *
     * @param seasonality m, the seasonal period, at least 1
     * @param frame       the table the data set was built from, for each series' whole history
     * @param dataset     the data set whose windows will be forecast
     * @return the forecaster; its forecasts throw IllegalArgumentException when a series has no history
     *         before a window, or its multiplicative adjustment meets a zero trend or seasonal index
     */
    static Forecaster naive2(int seasonality, Frame frame, TimeSeriesDataSet dataset) {
        if (seasonality < 1) {
            throw new IllegalArgumentException("Naive2's seasonality must be at least 1, got " + seasonality);
        }
        return Naive2.forecaster(seasonality, frame, dataset);
    }

    /** Index of the last time ≤ t in a sorted array, or −1. */
    private static int lastAtOrBefore(long[] time, long t) {
        int i = java.util.Arrays.binarySearch(time, t);
        return i >= 0 ? i : -i - 2;
    }
}
