package dev.tempora.forecast;

import dev.tempora.data.Batch;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.models.TftConfig;
import dev.tempora.models.TftOutput;
import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a TFT paid attention to on a set of windows, as PTF's {@code interpret_output} and
 * {@code plot_interpretation} compute it: each window's variable-selection weights averaged over its
 * valid encoder or decoder steps (static, encoder and decoder variables), summed over windows and given in
 * percent, for all windows together and per series; and each window's attention of the first forecast
 * step over its history, averaged over heads (PTF's {@code attention_prediction_horizon=0}, the line
 * {@code plot_prediction} draws). It also keeps each window's quantile forecasts and actual values, so
 * that {@link dev.tempora.forecast.plots.ForecastPlots} can draw them. Made by
 * {@link TrainedModel#interpret}.
 */
public final class Interpretation {

    private final TimeSeriesDataSet dataset;
    private final List<Float> quantiles;
    private final List<String> staticNames;
    private final List<String> encoderNames;
    private final List<String> decoderNames;
    /** Per window: its static, encoder and decoder importance (unnormalised weights), its attention and forecast. */
    private final Map<Integer, WindowDetail> windows = new LinkedHashMap<>();
    private Evaluation.Result evaluation;

    Interpretation(TftConfig config, TimeSeriesDataSet dataset, List<Float> quantiles) {
        this.dataset = dataset;
        this.quantiles = List.copyOf(quantiles);
        staticNames = concat(config.staticCategoricals(), config.staticReals());
        encoderNames = concat(config.timeVaryingCategoricalsEncoder(), config.timeVaryingRealsEncoder());
        decoderNames = concat(config.timeVaryingCategoricalsDecoder(), config.timeVaryingRealsDecoder());
    }

    /**
     * One window's interpretation.
     *
     * @param series          the series' group id values
     * @param firstTimeIdx    the time index of the window's first encoder step
     * @param history         the encoder's target values (oldest first), in target units
     * @param actual          the decoder's target values (NaN where unknown)
     * @param forecast        the forecast, steps × quantiles, row-major
     * @param encoderAttention the first forecast step's attention over the encoder steps (oldest first), or null
     * @param staticWeights   the static variables' selection weights
     * @param encoderWeights  the encoder variables' selection weights averaged over its steps
     * @param decoderWeights  the decoder variables' selection weights averaged over its steps
     */
    public record WindowDetail(List<String> series, long firstTimeIdx, float[] history, float[] actual, float[] forecast,
                               float[] encoderAttention, double[] staticWeights, double[] encoderWeights,
                               double[] decoderWeights) {}

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Adds a batch's weights and attention (a forward pass with interpretation on). */
    void add(Batch batch, TftOutput out) {
        int n = batch.size();
        float[] s = staticNames.isEmpty() ? null : out.staticVariables().value().contiguous().toFloatArray(); // (B, 1, n)
        float[] enc = out.encoderVariables().value().contiguous().toFloatArray();
        float[] dec = out.decoderVariables().value().contiguous().toFloatArray();
        int encSteps = out.encoderVariables().value().size(1);
        int decSteps = out.decoderVariables().value().size(1);
        Tensor attention = out.encoderAttention(); // (B, Td, heads, Te)
        float[] a = attention == null ? null : attention.contiguous().toFloatArray();
        float[] encoderTarget = batch.encoderTarget.contiguous().toFloatArray();
        float[] decoderTarget = batch.decoderTarget.contiguous().toFloatArray();
        int te = batch.maxEncoderLength();
        int td = batch.maxDecoderLength();
        for (int b = 0; b < n; b++) {
            int encLength = batch.encoderLength(b);
            int decLength = batch.decoderLength(b);
            double[] staticWeights = new double[staticNames.size()];
            for (int v = 0; s != null && v < staticWeights.length; v++) {
                staticWeights[v] = s[b * staticNames.size() + v];
            }
            float[] line = null;
            if (a != null) {
                int heads = attention.size(2);
                int width = attention.size(3);
                int steps = attention.size(1);
                line = new float[encLength];
                for (int h = 0; h < heads; h++) {
                    int base = ((b * steps) * heads + h) * width; // decoder step 0
                    for (int k = 0; k < encLength; k++) {
                        line[k] += a[base + k] / heads;
                    }
                }
            }
            int window = batch.windowIndex(b);
            float[] history = java.util.Arrays.copyOfRange(encoderTarget, b * te, b * te + encLength);
            float[] actual = java.util.Arrays.copyOfRange(decoderTarget, b * td, b * td + decLength);
            windows.put(window, new WindowDetail(dataset.seriesGroupValues(batch.seriesIndex(b)),
                    dataset.window(window).firstTimeIdx(), history, actual, null, line, staticWeights,
                    averageOverSteps(enc, b, encSteps, encLength, encoderNames.size()),
                    averageOverSteps(dec, b, decSteps, decLength, decoderNames.size())));
        }
    }

    /** Adds a batch's forecasts (B, Td, quantiles) to the windows {@link #add} saw. */
    void addForecast(Batch batch, Tensor forecast) {
        int steps = forecast.size(1);
        int nq = forecast.size(2);
        float[] all = forecast.contiguous().toFloatArray();
        for (int b = 0; b < batch.size(); b++) {
            int window = batch.windowIndex(b);
            WindowDetail d = windows.get(window);
            float[] f = java.util.Arrays.copyOfRange(all, b * steps * nq, (b * steps + d.actual().length) * nq);
            windows.put(window, new WindowDetail(d.series(), d.firstTimeIdx(), d.history(), d.actual(), f, d.encoderAttention(),
                    d.staticWeights(), d.encoderWeights(), d.decoderWeights()));
        }
    }

    /**
     * The kept forecasts with their actual values as a table, windows in the order they were seen.
     *
     * @param timeColumn  the name of a timestamp column to add (null: the data set's own, when it has one)
     * @param timestampOf a time index's microseconds since the epoch, for {@code timeColumn}
     * @return one row per window and forecast step, with the actual values
     */
    public ForecastTable forecastTable(String timeColumn, java.util.function.LongUnaryOperator timestampOf) {
        ForecastCollector table = timeColumn == null ? ForecastCollector.of(dataset, quantiles, true)
                : new ForecastCollector(dataset, quantiles, true, timeColumn, timestampOf);
        for (Map.Entry<Integer, WindowDetail> e : windows.entrySet()) {
            WindowDetail d = e.getValue();
            table.add(d.series(), dataset.window(e.getKey()).firstPredictionTimeIdx(), d.actual(), d.forecast());
        }
        return table.toTable("forecasts");
    }

    /** {@return the model's evaluation on these windows (the same pass)} */
    public Evaluation.Result evaluation() {
        return evaluation;
    }

    void setEvaluation(Evaluation.Result evaluation) {
        this.evaluation = evaluation;
    }

    /** Sample b's weights (B, T, 1, n) averaged over its valid steps. */
    private static double[] averageOverSteps(float[] w, int b, int steps, int length, int n) {
        double[] out = new double[n];
        for (int t = 0; t < length; t++) {
            int base = (b * steps + t) * n;
            for (int v = 0; v < n; v++) {
                out[v] += w[base + v] / length;
            }
        }
        return out;
    }

    /** {@return the data set whose windows were interpreted} */
    public TimeSeriesDataSet dataset() {
        return dataset;
    }

    /** {@return the quantile levels of the kept forecasts} */
    public List<Float> quantiles() {
        return quantiles;
    }

    /** {@return every interpreted window by its index in {@link #dataset()}, in the order they were seen} */
    public Map<Integer, WindowDetail> windows() {
        return java.util.Collections.unmodifiableMap(windows);
    }

    /** {@return static variables' importance in percent over all windows, by name in the model's variable order} */
    public Map<String, Double> staticImportance() {
        return percent(staticNames, sum(WindowDetail::staticWeights, staticNames.size(), null));
    }

    /** {@return encoder variables' importance in percent over all windows, by name in the model's variable order} */
    public Map<String, Double> encoderImportance() {
        return percent(encoderNames, sum(WindowDetail::encoderWeights, encoderNames.size(), null));
    }

    /** {@return decoder variables' importance in percent over all windows, by name in the model's variable order} */
    public Map<String, Double> decoderImportance() {
        return percent(decoderNames, sum(WindowDetail::decoderWeights, decoderNames.size(), null));
    }

    /**
     * One series' variable importance in percent: static, encoder and decoder, over its windows.
     *
     * @param series the series' group id values
     * @return "static", "encoder" and "decoder", each a map of variable name to percent (all 0 for a
     *         series with no interpreted window)
     */
    public Map<String, Map<String, Double>> importance(List<String> series) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("static", percent(staticNames, sum(WindowDetail::staticWeights, staticNames.size(), series)));
        out.put("encoder", percent(encoderNames, sum(WindowDetail::encoderWeights, encoderNames.size(), series)));
        out.put("decoder", percent(decoderNames, sum(WindowDetail::decoderWeights, decoderNames.size(), series)));
        return out;
    }

    /**
     * The mean attention by position before the forecast over all windows, oldest first (windows with
     * shorter histories are aligned at the forecast start), as PTF's {@code plot_interpretation} draws it.
     *
     * @return one value per encoder position, as long as the longest history (empty without attention)
     */
    public double[] meanEncoderAttention() {
        int longest = windows.values().stream().mapToInt(w -> w.encoderAttention() == null ? 0 : w.encoderAttention().length)
                .max().orElse(0);
        double[] mean = new double[longest];
        int[] counts = new int[longest];
        for (WindowDetail w : windows.values()) {
            float[] att = w.encoderAttention();
            if (att == null) {
                continue;
            }
            for (int i = 0; i < att.length; i++) {
                mean[longest - att.length + i] += att[i];
                counts[longest - att.length + i]++;
            }
        }
        for (int i = 0; i < longest; i++) {
            mean[i] = counts[i] == 0 ? 0 : mean[i] / counts[i];
        }
        return mean;
    }

    private double[] sum(java.util.function.Function<WindowDetail, double[]> part, int n, List<String> series) {
        double[] sums = new double[n];
        for (WindowDetail w : windows.values()) {
            if (series != null && !w.series().equals(series)) {
                continue;
            }
            double[] v = part.apply(w);
            for (int i = 0; i < n; i++) {
                sums[i] += v[i];
            }
        }
        return sums;
    }

    private static Map<String, Double> percent(List<String> names, double[] sums) {
        double total = 0;
        for (double s : sums) {
            total += s;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int v = 0; v < names.size(); v++) {
            out.put(names.get(v), total > 0 ? 100 * sums[v] / total : 0.0);
        }
        return out;
    }
}
