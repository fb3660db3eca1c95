package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeSeriesDataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link Evaluation#compare}: several trained models, and baselines once, scored on exactly the same windows:
 * those {@link TrainedModel#evaluate} scores (the held-out test the models record, or each series' last
 * window), or a backtest's.
 * Each model prepares the table with its own preprocessing (models may read different inputs and encoder
 * lengths), so the windows are checked to be the same forecasts: the same series and origins, in the same order.
 */
final class Comparisons {

    /** The data set parameters that say what is forecast; models that differ in one of them forecast different things. */
    static final List<String> SAME_FORECAST = List.of("target", "time_idx", "timestamp", "frequency", "group_ids",
            "max_prediction_length");

    private Comparisons() {}

    static Evaluation.Comparison compare(List<TrainedModel> models, List<String> names, Frame table, Evaluation.Backtest backtest,
                                         List<Function<TimeSeriesDataSet, Forecaster>> baselines, InferenceOptions options,
                                         M4Metrics.Options m4) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one model");
        }
        if (names.size() != models.size()) {
            throw new IllegalArgumentException(models.size() + " models but " + names.size() + " names");
        }
        for (int i = 1; i < models.size(); i++) {
            checkCompatible(names.getFirst(), models.getFirst(), names.get(i), models.get(i));
        }
        List<Evaluation.Result> results = new ArrayList<>();
        TimeSeriesDataSet firstDataset = null;
        int[] firstWindows = null;
        List<String> firstKeys = null;
        for (int i = 0; i < models.size(); i++) {
            TrainedModel model = models.get(i);
            TimeSeriesDataSet dataset = backtest == null ? model.evaluationWindows(table)
                    : TimeSeriesDataSet.fromPreprocessing(model.preprocessing(), table,
                    Evaluation.backtestParameters(model.parameters(), backtest.from()));
            int[] windows = backtest == null ? null : Evaluation.backtestWindows(dataset, backtest.from(),
                    backtest.to() != null ? backtest.to() : Long.MAX_VALUE, backtest.stride());
            List<String> keys = windowKeys(dataset, windows);
            if (firstKeys == null) {
                firstDataset = dataset;
                firstWindows = windows;
                firstKeys = keys;
            } else {
                checkSameWindows(names.getFirst(), firstKeys, names.get(i), keys);
            }
            results.add(Evaluation.score(dataset, windows, model.forecaster(options), model.quantiles(), options.batchSize(),
                    false, null, m4));
        }
        List<Evaluation.Result> baselineResults = new ArrayList<>();
        for (Function<TimeSeriesDataSet, Forecaster> baseline : baselines) {
            baselineResults.add(Evaluation.score(firstDataset, firstWindows, baseline.apply(firstDataset),
                    models.getFirst().quantiles(), options.batchSize(), false, null, m4));
        }
        return new Evaluation.Comparison(List.copyOf(results), List.copyOf(baselineResults));
    }

    /** Models must forecast the same target of the same series over the same horizon. */
    static void checkCompatible(String firstName, TrainedModel first, String name, TrainedModel model) {
        if (first.horizon() != model.horizon()) {
            throw new IllegalArgumentException("models forecast different horizons: " + firstName + " " + first.horizon() + " steps, "
                    + name + " " + model.horizon() + "; compare models of the same max_prediction_length");
        }
        Object firstTest = first.split().test() != null ? first.split().test().describe() : "none";
        Object test = model.split().test() != null ? model.split().test().describe() : "none";
        if (!firstTest.equals(test)) {
            throw new IllegalArgumentException("models hold out different tests: " + firstTest + " in " + firstName + ", " + test
                    + " in " + name + "; compare models trained with the same dataset.test (or with --backtest)");
        }
        DatasetParameters a = first.parameters();
        DatasetParameters b = model.parameters();
        for (String key : SAME_FORECAST) {
            if (!Objects.equals(a.get(key), b.get(key))) {
                throw new IllegalArgumentException("models forecast different things: dataset." + key + " is " + a.get(key) + " in "
                        + firstName + " and " + b.get(key) + " in " + name + "; compare models trained on the same data set "
                        + "(the same " + String.join(", ", SAME_FORECAST) + ")");
            }
        }
    }

    /** Each window as "series values @ origin" (the origin's timestamp when the time index comes from one), in order. */
    private static List<String> windowKeys(TimeSeriesDataSet dataset, int[] windows) {
        int count = windows != null ? windows.length : dataset.size();
        List<String> keys = new ArrayList<>(count);
        boolean timestamps = dataset.parameters().timestamp != null;
        for (int i = 0; i < count; i++) {
            TimeSeriesDataSet.Window w = dataset.window(windows != null ? windows[i] : i);
            long origin = w.firstPredictionTimeIdx();
            keys.add(dataset.seriesGroupValues(w.series()) + " @ " + (timestamps
                    ? java.time.Instant.EPOCH.plus(dataset.timestampOf(origin), java.time.temporal.ChronoUnit.MICROS).toString()
                    : "time_idx " + origin));
        }
        return keys;
    }

    private static void checkSameWindows(String firstName, List<String> first, String name, List<String> keys) {
        for (int i = 0; i < Math.min(first.size(), keys.size()); i++) {
            if (!first.get(i).equals(keys.get(i))) {
                throw new IllegalArgumentException("the models' windows differ: window " + (i + 1) + " is " + first.get(i) + " for "
                        + firstName + " but " + keys.get(i) + " for " + name + " (their encoder lengths or inputs admit "
                        + "different series); compare models that forecast the same windows of this table");
            }
        }
        if (first.size() != keys.size()) {
            throw new IllegalArgumentException("the models' windows differ: " + firstName + " forecasts " + first.size()
                    + " windows of this table, " + name + " " + keys.size() + " (their encoder lengths or inputs admit "
                    + "different series); compare models that forecast the same windows");
        }
    }
}
