package dev.tempora.forecast.plots;

import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.forecast.Evaluation;
import dev.tempora.forecast.Interpretation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongUnaryOperator;

/**
 * PTF's {@code plot_prediction} and {@code plot_interpretation} for any trained model: PNGs of chosen
 * series' forecasts (history, actuals, median and quantile bands, attention) and of the variable importance,
 * from an {@link Interpretation} ({@code TrainedModel.interpret}).
 */
public final class ForecastPlots {

    private ForecastPlots() {}

    /**
     * How the forecast plots are labelled.
     *
     * @param seriesNoun  what a series is ("series", "zone"): in titles and file names
     * @param valueLabel  the value axis' label
     * @param stepMillis  a time index's epoch milliseconds for a date axis, or null to use the data set's
     *                    timestamps when it has them, else the time index
     * @param stepNoun    what a time step is ("steps", "hours"), for the subtitle
     */
    public record Style(String seriesNoun, String valueLabel, LongUnaryOperator stepMillis, String stepNoun) {

        /** {@return "series", "value", the data set's own times, "steps"} */
        public static Style defaults() {
            return new Style("series", "value", null, "steps");
        }
    }

    /**
     * The series to plot when none are named: {@code count} spread over the range of volume (the busiest,
     * then the volume quantiles), by the sum of their actual values over the forecast.
     *
     * @param interpretation the interpreted windows, with their actual values
     * @param count          how many series to pick
     * @return the chosen series' group id values, busiest first; fewer than {@code count} when there are
     *         fewer windows
     */
    public static List<List<String>> spreadByVolume(Interpretation interpretation, int count) {
        List<Interpretation.WindowDetail> windows = new ArrayList<>(interpretation.windows().values());
        double[] volume = new double[windows.size()];
        Integer[] order = new Integer[windows.size()];
        for (int i = 0; i < windows.size(); i++) {
            order[i] = i;
            for (float v : windows.get(i).actual()) {
                volume[i] += Float.isNaN(v) ? 0 : v;
            }
        }
        Arrays.sort(order, (a, b) -> Double.compare(volume[b], volume[a]));
        Set<List<String>> chosen = new LinkedHashSet<>();
        int n = windows.size();
        for (int k = 0; k < Math.min(count, n); k++) {
            chosen.add(windows.get(order[(int) Math.round((double) k * (n - 1) / Math.max(1, count))]).series());
        }
        return new ArrayList<>(chosen);
    }

    /**
     * Writes {@code forecast-<rank>-<noun>-<series>.png} into {@code directory} for each series (its last
     * interpreted window), with the model's MAE on that window in the subtitle and, when {@code baseline}
     * holds per-window scores on the same windows, the baseline's beside it.
     *
     * @param interpretation the interpreted windows, with their forecasts
     * @param series         the series to plot, each by its group id values
     * @param baseline       a baseline's evaluation of the same windows with per-window scores, or null
     * @param style          the plots' labels and time axis
     * @param directory      an existing directory for the PNGs
     * @return the files written, in order
     * @throws IllegalArgumentException naming a series that has no interpreted window
     */
    public static List<Path> forecasts(Interpretation interpretation, List<List<String>> series, Evaluation.Result baseline,
                                       Style style, Path directory) {
        Map<List<String>, Integer> lastWindow = new HashMap<>();
        interpretation.windows().forEach((w, d) -> lastWindow.put(d.series(), w));
        Map<Integer, Double> baselineMae = new HashMap<>();
        if (baseline != null && baseline.windows() != null) {
            baseline.windows().forEach(s -> baselineMae.put(s.window(), s.metrics().mae()));
        }
        TimeSeriesDataSet dataset = interpretation.dataset();
        List<Float> levels = interpretation.quantiles();
        int median = dev.tempora.forecast.ForecastTable.pointIndex(levels);
        List<Path> written = new ArrayList<>();
        int rank = 0;
        for (List<String> key : series) {
            Integer window = lastWindow.get(key);
            if (window == null) {
                throw new IllegalArgumentException("no forecast for series " + String.join(", ", key)
                        + " (it is not in the data, or too short for a window)");
            }
            rank++;
            Interpretation.WindowDetail d = interpretation.windows().get(window);
            int enc = d.history().length;
            int dec = d.actual().length;
            boolean dates = style.stepMillis() != null || dataset.parameters().timestamp != null;
            double[] x = new double[enc + dec];
            for (int i = 0; i < enc + dec; i++) {
                long t = d.firstTimeIdx() + i;
                x[i] = style.stepMillis() != null ? style.stepMillis().applyAsLong(t)
                        : dates ? dataset.timestampOf(t) / 1000.0 : t;
            }
            double[][] q = new double[levels.size()][dec];
            double absError = 0;
            int counted = 0;
            double[] actual = new double[dec];
            for (int t = 0; t < dec; t++) {
                actual[t] = d.actual()[t];
                for (int k = 0; k < levels.size(); k++) {
                    q[k][t] = d.forecast()[t * levels.size() + k];
                }
                if (!Double.isNaN(actual[t])) {
                    absError += Math.abs(q[median][t] - actual[t]);
                    counted++;
                }
            }
            double[] attention = null;
            if (d.encoderAttention() != null) {
                attention = new double[enc];
                for (int i = 0; i < enc; i++) {
                    attention[i] = d.encoderAttention()[i];
                }
            }
            String label = String.join(", ", key);
            String subtitle = String.format(Locale.ROOT, "next %d %s: model MAE %.2f", dec, style.stepNoun(),
                    counted == 0 ? Double.NaN : absError / counted);
            if (baselineMae.containsKey(window)) {
                subtitle += String.format(Locale.ROOT, ", last-value baseline MAE %.2f", baselineMae.get(window));
            }
            String noun = style.seriesNoun();
            Path png = directory.resolve(String.format(Locale.ROOT, "forecast-%d-%s-%s.png", rank, noun,
                    label.replaceAll("[^A-Za-z0-9_-]", "_")));
            String title = Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + " " + label + ": forecast "
                    + dec + " " + style.stepNoun() + " ahead";
            ForecastPlot.write(new ForecastPlot.Data(title, subtitle, style.valueLabel(), x, dates, toDoubles(d.history()), actual,
                    levels, q, attention), png, 1200, 520);
            written.add(png);
        }
        return written;
    }

    /**
     * Writes PTF's interpretation plot: mean attention by position, and static, encoder and decoder variable importance.
     *
     * @param interpretation the interpreted windows
     * @param png            the file to write
     * @return {@code png}
     */
    public static Path interpretation(Interpretation interpretation, Path png) {
        ImportancePlot.write(interpretation.staticImportance(), interpretation.encoderImportance(),
                interpretation.decoderImportance(), interpretation.meanEncoderAttention(), png);
        return png;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
