package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.Column;
import dev.tempora.data.FloatColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimestampColumn;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * Collects forecasts batch by batch into a {@link ForecastTable}: one row per series and forecast step,
 * in the order the batches arrive.
 */
final class ForecastCollector {

    private final TimeSeriesDataSet dataset;
    private final List<Float> quantiles;
    private final boolean withActual;
    private final String timeColumn;
    private final LongUnaryOperator timestampOf;
    private final List<List<String>> keys = new ArrayList<>();
    private final IntList time = new IntList();
    private final IntList horizon = new IntList();
    private final FloatList actual = new FloatList();
    private final List<FloatList> values = new ArrayList<>();

    /**
     * @param timeColumn  name of the timestamp column to add (null for none)
     * @param timestampOf microseconds of a time index, used when {@code timeColumn} is given
     */
    ForecastCollector(TimeSeriesDataSet dataset, List<Float> quantiles, boolean withActual, String timeColumn,
                  LongUnaryOperator timestampOf) {
        this.dataset = dataset;
        this.quantiles = List.copyOf(quantiles);
        this.withActual = withActual;
        this.timeColumn = timeColumn;
        this.timestampOf = timestampOf;
        for (int q = 0; q < quantiles.size(); q++) {
            values.add(new FloatList());
        }
    }

    /** A table with the dataset's own timestamp column when its time index comes from one. */
    static ForecastCollector of(TimeSeriesDataSet dataset, List<Float> quantiles, boolean withActual) {
        String ts = dataset.parameters().timestamp;
        return new ForecastCollector(dataset, quantiles, withActual, ts, ts == null ? null : dataset::timestampOf);
    }

    static String quantileColumn(float q) {
        return "q" + Float.toString(q); // shortest text that reads back as the same float: q0.02, q0.1, q0.5
    }

    /** Adds a batch's forecasts: (B, Td, quantiles), or (B, Td) point forecasts repeated in every quantile column. */
    void add(Batch batch, Tensor forecast) {
        Tensor f = forecast.contiguous();
        float[] fd = f.storage();
        int fo = f.storageOffset();
        int width = forecast.dim() == 3 ? forecast.size(2) : 1;
        int steps = batch.maxDecoderLength();
        float[] target = batch.decoderTarget.contiguous().toFloatArray();
        for (int b = 0; b < batch.size(); b++) {
            List<String> key = dataset.seriesGroupValues(batch.seriesIndex(b));
            int first = dataset.window(batch.windowIndex(b)).firstPredictionTimeIdx();
            for (int t = 0; t < batch.decoderLength(b); t++) {
                int row = fo + (b * steps + t) * width;
                addStep(key, first + t, t + 1, target[b * steps + t], fd, row, width == 1 ? 0 : 1);
            }
        }
    }

    /**
     * Adds one window's forecast: {@code forecast} holds steps × quantiles, row-major, and
     * {@code actual} one value per step.
     */
    void add(List<String> key, int firstPredictionTimeIdx, float[] actual, float[] forecast) {
        for (int t = 0; t < actual.length; t++) {
            addStep(key, firstPredictionTimeIdx + t, t + 1, actual[t], forecast, t * quantiles.size(), 1);
        }
    }

    private void addStep(List<String> key, int timeIdx, int step, float actualValue, float[] forecast, int at, int stride) {
        keys.add(key);
        time.add(timeIdx);
        horizon.add(step);
        actual.add(actualValue);
        for (int q = 0; q < quantiles.size(); q++) {
            values.get(q).add(forecast[at + q * stride]);
        }
    }

    int rowCount() {
        return time.size;
    }

    /** The collected rows as a table; {@code source} names it in messages. */
    ForecastTable toTable(String source) {
        return new ForecastTable(toFrame(source), dataset.parameters().groupIds, quantiles);
    }

    private Frame toFrame(String source) {
        List<Column> columns = new ArrayList<>();
        List<String> groupIds = dataset.parameters().groupIds;
        for (int g = 0; g < groupIds.size(); g++) {
            StringColumn.Builder c = new StringColumn.Builder(groupIds.get(g), rowCount());
            for (List<String> k : keys) {
                c.add(k.get(g));
            }
            columns.add(c.build());
        }
        String timeIdx = dataset.parameters().timeIdx != null ? dataset.parameters().timeIdx : "time_idx";
        columns.add(new IntColumn(timeIdx, time.toArray()));
        if (timeColumn != null) {
            long[] micros = new long[rowCount()];
            for (int r = 0; r < micros.length; r++) {
                micros[r] = timestampOf.applyAsLong(time.values[r]);
            }
            columns.add(new TimestampColumn(timeColumn, micros));
        }
        columns.add(new IntColumn("horizon", horizon.toArray()));
        if (withActual) {
            columns.add(new FloatColumn("actual", actual.toArray()));
        }
        for (int q = 0; q < quantiles.size(); q++) {
            columns.add(new FloatColumn(quantileColumn(quantiles.get(q)), values.get(q).toArray()));
        }
        columns.add(new FloatColumn(ForecastTable.POINT_COLUMN, values.get(ForecastTable.pointIndex(quantiles)).toArray()));
        return new Frame(source, columns);
    }

    /** A growable int array (a forecast table can have millions of rows). */
    private static final class IntList {
        int[] values = new int[1024];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }

    private static final class FloatList {
        float[] values = new float[1024];
        int size;

        void add(float v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        float[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
