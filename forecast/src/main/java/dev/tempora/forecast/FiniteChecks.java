package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.TimeLabels;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.models.Metrics;
import dev.tempora.tensor.Tensor;

import java.util.List;

/**
 * Forecasts, actual values and metrics that are not finite are errors naming the series and the step,
 * never an empty cell or a {@code null} metric beside a successful exit: a NaN forecast means the
 * model or the input is broken, and the user must hear of it.
 */
final class FiniteChecks {

    private FiniteChecks() {}

    /**
     * Every forecast of the batch's valid (unpadded) steps is finite.
     *
     * @throws IllegalStateException naming the forecaster, series, time index, horizon step and quantile of the first that is not
     */
    static void forecasts(TimeSeriesDataSet dataset, Batch batch, Tensor forecast, String forecaster, List<Float> quantiles) {
        Tensor f = forecast.contiguous();
        float[] values = f.storage();
        int offset = f.storageOffset();
        int width = forecast.dim() == 3 ? forecast.size(2) : 1;
        int steps = forecast.size(1);
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.decoderLength(b); t++) {
                for (int q = 0; q < width; q++) {
                    float v = values[offset + (b * steps + t) * width + q];
                    if (!Float.isFinite(v)) {
                        String which = width == 1 ? "its point forecast" : "quantile " + quantiles.get(q);
                        throw new IllegalStateException(forecaster + " forecast " + v + " for " + where(dataset, batch, b, t)
                                + " (" + which + "): the model's weights or this series' input values are not usable "
                                + "(a diverged training run, or extreme values in the input)");
                    }
                }
            }
        }
    }

    /**
     * Every actual value of the batch's valid steps is finite (when scoring, the actuals are the horizon's known targets).
     *
     * @throws IllegalStateException naming the series and time index of the first that is not
     */
    static void actuals(TimeSeriesDataSet dataset, Batch batch) {
        Tensor d = batch.decoderTarget.contiguous();
        float[] values = d.storage();
        int offset = d.storageOffset();
        int steps = batch.decoderTarget.size(1);
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.decoderLength(b); t++) {
                float v = values[offset + b * steps + t];
                if (!Float.isFinite(v)) {
                    throw new IllegalStateException("the actual value of '" + dataset.parameters().target + "' is " + v
                            + " for " + where(dataset, batch, b, t) + ": a scored window needs a finite target at every "
                            + "forecast step");
                }
            }
        }
    }

    /**
     * Every metric is finite; the actuals and forecasts were checked, so what is left is a metric whose
     * denominator is zero or a sum that overflowed.
     *
     * @throws IllegalStateException naming the metric and why
     */
    static void metrics(Metrics m, String forecaster) {
        String[] names = {"mae", "rmse", "smape", "mape", "mase", "wql"};
        double[] values = {m.mae(), m.rmse(), m.smape(), m.mape(), m.mase(), m.wql()};
        for (int i = 0; i < names.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalStateException("the " + names[i] + " of " + forecaster + " over " + m.points()
                        + " forecast points is " + values[i] + (names[i].equals("wql")
                        ? ": every actual value is 0, and the weighted quantile loss divides by their sum"
                        : ": the errors overflow (the target's values are too large; scale them down)"));
            }
        }
    }

    private static String where(TimeSeriesDataSet dataset, Batch batch, int sample, int step) {
        TimeSeriesDataSet.Window window = dataset.window(batch.windowIndex(sample));
        return "series " + String.join(", ", dataset.parameters().groupIds) + " = "
                + String.join(", ", dataset.seriesGroupValues(batch.seriesIndex(sample)))
                + " at " + TimeLabels.timeIndex(dataset.parameters(), dataset.preprocessing().timeOrigin(),
                        window.firstPredictionTimeIdx() + step) + " (step " + (step + 1) + " of the horizon)";
    }
}
