package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.Evaluation;
import dev.tempora.forecast.Forecaster;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.M4Metrics;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.models.Metrics;
import dev.tempora.tensor.io.Json;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code tempora evaluate} with several model directories: {@link Evaluation#compare} on the same windows,
 * printed as one table, a row per model and per baseline.
 */
final class ModelComparison {

    private final EvaluateCommand options;
    /** Whether the models hold out a test, which the comparison then scores (without --backtest). */
    private boolean testSplit;
    private String windowsDescription;

    ModelComparison(EvaluateCommand options) {
        this.options = options;
    }

    /** The options that a comparison does not take, refused before any model loads. */
    static void checkOptions(EvaluateCommand o) {
        for (String model : o.models) {
            if (model.equals("baseline") || model.equals("seasonal-naive")) {
                throw new IllegalArgumentException("compare model directories with several --model; the last-value baseline is "
                        + "scored with them anyway (and seasonal-naive with --season N), so leave out --model " + model);
            }
        }
        if (o.season != null && o.season < 1) {
            throw new IllegalArgumentException("--season must be at least 1, got " + o.season);
        }
        if (o.windowsOut != null) {
            throw new IllegalArgumentException("--windows-out writes one model's windows; evaluate the models one by one for it");
        }
        if (o.forecastsOut != null) {
            throw new IllegalArgumentException("--forecasts-out writes one model's forecasts; evaluate the models one by one for it");
        }
        if ((o.config == null) == (o.data == null)) {
            throw new IllegalArgumentException("give the data to compare the models on: --config FILE or --data FILE (one of them)");
        }
        if (!o.backtest && (o.from != null || o.to != null || o.stride != null)) {
            throw new IllegalArgumentException("--from, --to and --stride apply to --backtest only");
        }
        if (o.backtest && o.from == null) {
            throw new IllegalArgumentException("--backtest needs --from T (the time index of the first origin)");
        }
        if (o.batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + o.batchSize);
        }
        if (o.workers != null && o.workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + o.workers);
        }
    }

    void run() {
        List<TrainedModel> trained = new ArrayList<>();
        for (String model : options.models) {
            TrainedModel loaded = TrainedModel.load(Path.of(model));
            loaded.notes().forEach(note -> System.err.println("note: " + model + ": " + note));
            trained.add(loaded);
        }
        testSplit = trained.getFirst().split().test() != null;
        windowsDescription = trained.getFirst().evaluationWindowsDescription();
        Frame frame = options.config != null ? TrainingConfig.load(options.config).loadFrame()
                : trained.getFirst().readTable(options.data);
        Evaluation.Backtest backtest = options.backtest
                ? new Evaluation.Backtest(options.from, options.to, options.stride != null ? options.stride : 1) : null;
        List<Function<TimeSeriesDataSet, Forecaster>> baselines = new ArrayList<>();
        List<String> baselineNames = new ArrayList<>();
        baselines.add(d -> Forecaster.lastValue());
        baselineNames.add("baseline (last value)");
        if (options.season != null) {
            int season = options.season;
            baselines.add(d -> Forecaster.seasonalNaive(season, frame, d));
            baselineNames.add("seasonal-naive(" + season + ")");
        }
        System.err.println(dev.tempora.parallel.Accelerator.describeChoice(options.device,
                dev.tempora.parallel.Accelerator.installed(), Main.verbose(options.spec)));
        M4Metrics.Options m4 = options.m4Option(frame);
        Evaluation.Comparison comparison = Evaluation.compare(trained, options.models, frame, backtest, baselines,
                new InferenceOptions(options.batchSize, options.workers, options.device), m4);
        List<String> names = new ArrayList<>(options.models);
        names.addAll(baselineNames);
        List<Evaluation.Result> results = new ArrayList<>(comparison.models());
        results.addAll(comparison.baselines());
        if (options.json) {
            printJson(names, results, comparison.models().size());
        } else {
            printTable(names, results);
        }
    }

    private void printJson(List<String> names, List<Evaluation.Result> results, int modelCount) {
        Evaluation.Result first = results.getFirst();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("evaluation", options.backtest ? "backtest" : testSplit ? "test" : "last_windows");
        if (options.backtest) {
            out.put("from", options.from);
            out.put("stride", options.stride != null ? options.stride : 1);
        }
        out.put("windows", first.windowCount());
        out.put("points", first.metrics().points());
        List<Object> models = new ArrayList<>();
        List<Object> baselines = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", i < modelCount ? names.get(i) : results.get(i).forecaster());
            row.put("metrics", results.get(i).metrics().toJson());
            if (results.get(i).m4() != null) {
                row.put("m4", results.get(i).m4().toJson());
            }
            (i < modelCount ? models : baselines).add(row);
        }
        out.put("models", models);
        out.put("baselines", baselines);
        System.out.println(Json.write(out));
    }

    private void printTable(List<String> names, List<Evaluation.Result> results) {
        Evaluation.Result first = results.getFirst();
        System.out.printf(Locale.ROOT, "%d models on %s, %s: %,d windows, %,d forecast points each%n",
                options.models.size(), options.config != null ? options.config : options.data,
                options.backtest ? "backtest from time_idx " + options.from + " every " + (options.stride != null ? options.stride : 1)
                        + " steps" : windowsDescription, first.windowCount(), first.metrics().points());
        int width = Math.max(8, names.stream().mapToInt(String::length).max().orElse(8));
        boolean m4 = first.m4() != null;
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s %10s %10s %9s %9s %9s %8s",
                "model", "MAE", "RMSE", "sMAPE", "MAPE", "MASE", "wQL"));
        if (m4) {
            header.append(String.format(Locale.ROOT, " %9s %8s %7s", "M4 sMAPE", "M4 MASE", "OWA"));
        }
        System.out.println(header);
        for (int i = 0; i < results.size(); i++) {
            Metrics m = results.get(i).metrics();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-" + width + "s %10.4f %10.4f %9.4f %9.4f %9.4f %8.4f",
                    names.get(i), m.mae(), m.rmse(), m.smape(), m.mape(), m.mase(), m.wql()));
            M4Metrics four = results.get(i).m4();
            if (four != null) {
                row.append(String.format(Locale.ROOT, " %9.3f %8.3f %7.3f", four.smape(), four.mase(), four.owa()));
            }
            System.out.println(row);
        }
    }
}
