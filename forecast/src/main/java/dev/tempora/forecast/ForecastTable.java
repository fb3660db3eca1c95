package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TimestampColumn;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecasts as a long table, one row per series and forecast step, in the columns that
 * {@code tempora predict} writes: the group id columns, the time index, the step's timestamp (when the
 * data has one), {@code horizon} (1 = the first step after the last observation), {@code actual} (only
 * when the values are known, as in an evaluation), one float32 column per quantile named
 * {@code q0.02}, {@code q0.5}, ... and {@code prediction}, the point forecast (the median quantile, as
 * PTF's {@code to_prediction} takes it). Immutable.
 */
public final class ForecastTable {

    /** The point forecast's column. */
    public static final String POINT_COLUMN = "prediction";

    private final Frame frame;
    private final List<String> groupIds;
    private final List<Float> quantiles;

    ForecastTable(Frame frame, List<String> groupIds, List<Float> quantiles) {
        this.frame = frame;
        this.groupIds = List.copyOf(groupIds);
        this.quantiles = List.copyOf(quantiles);
    }

    /**
     * The index of the point forecast among {@code quantiles}: the 0.5 quantile, else the one closest to
     * it (the lower of two equally close).
     *
     * @param quantiles quantile levels, in output order; not empty
     * @return the index into {@code quantiles}
     */
    public static int pointIndex(List<Float> quantiles) {
        int best = 0;
        for (int q = 1; q < quantiles.size(); q++) {
            if (Math.abs(quantiles.get(q) - 0.5f) < Math.abs(quantiles.get(best) - 0.5f)) {
                best = q;
            }
        }
        return best;
    }

    /** {@return the table as a columnar frame (to write, filter or join)} */
    public Frame frame() {
        return frame;
    }

    /** {@return the number of rows: series × forecast steps} */
    public int rowCount() {
        return frame.rowCount();
    }

    /** {@return the quantile levels of the {@code q...} columns, in column order} */
    public List<Float> quantiles() {
        return quantiles;
    }

    /**
     * The name of a quantile's column.
     *
     * @param level the quantile level, e.g. 0.1
     * @return the column name, e.g. {@code q0.1}
     */
    public static String quantileColumn(float level) {
        return ForecastCollector.quantileColumn(level);
    }

    /** {@return the rows as records, in table order (convenient for small tables; use {@link #frame} for large ones)} */
    public List<Row> rows() {
        List<Column> ids = groupIds.stream().map(frame::column).toList();
        Column time = frame.columns().get(groupIds.size());
        Column timestamp = frame.columns().get(groupIds.size() + 1) instanceof TimestampColumn ts ? ts : null;
        Column horizon = frame.column("horizon");
        Column actual = frame.has("actual") ? frame.column("actual") : null;
        List<Column> levels = quantiles.stream().map(q -> frame.column(quantileColumn(q))).toList();
        Column point = frame.column(POINT_COLUMN);
        List<Row> out = new ArrayList<>(frame.rowCount());
        for (int r = 0; r < frame.rowCount(); r++) {
            List<String> series = new ArrayList<>(ids.size());
            for (Column c : ids) {
                series.add(c.format(r));
            }
            float[] values = new float[levels.size()];
            for (int q = 0; q < values.length; q++) {
                values[q] = (float) levels.get(q).getDouble(r);
            }
            Instant at = timestamp == null ? null : Instant.EPOCH.plusNanos(((TimestampColumn) timestamp).micros(r) * 1000L);
            out.add(new Row(List.copyOf(series), (long) time.getDouble(r), at, (int) horizon.getDouble(r),
                    actual == null ? Float.NaN : (float) actual.getDouble(r), values, (float) point.getDouble(r)));
        }
        return out;
    }

    /**
     * Writes the table as CSV or Parquet, chosen by the file name's extension, atomically.
     *
     * @param file a {@code .csv}, {@code .parquet} or {@code .pq} path (missing folders are created)
     * @throws IllegalArgumentException     when the extension is none of those
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public void write(Path file) {
        dev.tempora.data.TableFiles.write(frame, file);
    }

    /**
     * Collects the forecasts that {@link Evaluation#score} hands its sink, batch by batch, into a table with the
     * actual values beside them (a backtest's or a test's forecasts, to study or to combine elsewhere).
     */
    public static final class Recorder implements Evaluation.BatchSink {

        private final ForecastCollector collector;

        /**
         * @param dataset   the scored windows' data set
         * @param quantiles the forecaster's quantile levels, in output order
         */
        public Recorder(dev.tempora.data.TimeSeriesDataSet dataset, List<Float> quantiles) {
            collector = ForecastCollector.of(dataset, quantiles, true);
        }

        @Override
        public void accept(dev.tempora.data.Batch batch, dev.tempora.tensor.Tensor forecast) {
            collector.add(batch, forecast);
        }

        /**
         * {@return the forecasts seen so far: one row per window and step, with the actual value}
         *
         * @param source names the table in messages
         */
        public ForecastTable table(String source) {
            return collector.toTable(source);
        }
    }

    /**
     * One forecast step of one series.
     *
     * @param series    the group id values, in the data set's {@code group_ids} order (empty for a single series)
     * @param timeIdx   the step's time index
     * @param timestamp the step's time (UTC), or null when the data has no timestamp column
     * @param horizon   1 for the first step after the last observation
     * @param actual    the observed value, or NaN when unknown
     * @param quantiles the forecast at each of {@link ForecastTable#quantiles()}, in target units
     * @param point     the point forecast (the median quantile)
     */
    public record Row(List<String> series, long timeIdx, Instant timestamp, int horizon, float actual, float[] quantiles,
                      float point) {}
}
