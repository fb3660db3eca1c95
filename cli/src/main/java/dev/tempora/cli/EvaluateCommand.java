package dev.tempora.cli;

import dev.tempora.data.DataSplit;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimeSplit;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.Evaluation;
import dev.tempora.forecast.ForecastTable;
import dev.tempora.forecast.Forecaster;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.M4Metrics;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.models.Metrics;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora evaluate}: scores a trained model or a baseline on the held-out test, each series' last window, or in a rolling-origin backtest. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Scores a trained model or a baseline on the held-out test or in a backtest.",
                "",
                "Scores a forecaster: MAE, RMSE, sMAPE, MAPE and MASE of the point forecast (PyTorch Forecasting's "
                + "definitions; MASE scales by the window's own one-step changes) and the weighted quantile loss wQL (GluonTS's: "
                + "2·Σ pinball loss / Σ|actual|, averaged over the quantiles; for a point forecast, Σ|error| / Σ|actual|).",
                "Windows: by default the held-out test that the model (or the config) records in dataset.test, which neither "
                + "training nor the choice of the best epoch saw; without one, each series' last max_prediction_length steps, "
                + "forecast from the history before them (PyTorch Forecasting's predict mode). With --backtest: rolling-origin backtesting, the "
                + "model fixed, a full-horizon forecast from every origin (the time index of the first forecast step) from "
                + "--from to --to every --stride steps, for every series; metrics over all those windows.",
                "Models: a model directory (from train or demo, a single model or an ensemble); baseline (repeat the last "
                + "observed value, PyTorch Forecasting's Baseline); seasonal-naive with --season N (the value N steps earlier, "
                + "from the whole history). Several model directories (--model A --model B, or --models A,B) are compared on "
                + "exactly the same windows in one table, with the last-value baseline (and seasonal-naive with --season) once.",
                "With --metrics m4 also the M4 competition's measures: sMAPE in percent, MASE scaled by each series' whole "
                + "history before the forecast origin (lag --seasonality, default 1) and OWA against Naive2 (for m = 1 the "
                + "last value; for m > 1 M4's seasonally adjusted naive); the point forecast is the 0.5 quantile."},
        footer = {"", "Examples:",
                "  ./tempora evaluate --config examples/taxi-small.json --model baseline",
                "  ./tempora evaluate --config examples/taxi-small.json \\",
                "      --model seasonal-naive --season 168 --json",
                "  ./tempora evaluate --config examples/taxi-small.json --model out/taxi-small",
                "  ./tempora evaluate --model out/demo --data out/demo/history.csv \\",
                "      --backtest --from 1500 --stride 24 --windows-out windows.csv",
                "  ./tempora evaluate --models out/a,out/b,out/ensemble --data history.csv --metrics m4"})
final class EvaluateCommand implements Runnable {

    /** This command as picocli sees it: whether --verbose was given. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Training config whose data to evaluate on.")
    Path config;

    @Option(names = "--data", paramLabel = "FILE", description = "A table to evaluate a trained model on (read as its "
            + "training data was), instead of --config.")
    Path data;

    @Option(names = {"--model", "--models"}, required = true, paramLabel = "MODEL", split = ",",
            description = "A model directory, baseline, or seasonal-naive; several model directories (repeated, or "
                    + "comma-separated) to compare them on the same windows.")
    List<String> models;

    @Option(names = "--metrics", paramLabel = "SET", defaultValue = "default",
            description = "default (MAE, RMSE, sMAPE, MAPE, MASE, wQL) or m4 (those and M4's sMAPE, MASE and OWA).")
    String metrics;

    @Option(names = "--seasonality", paramLabel = "M", description = "The seasonal period m of --metrics m4's MASE "
            + "scaling and Naive2 (default: 1, as M4 for weekly, daily and yearly data; 12 monthly, 4 quarterly).")
    Integer seasonality;

    /** The one model of a single evaluation. */
    private String model;

    @Option(names = "--season", paramLabel = "N", description = "Season length of seasonal-naive, in time steps (168: a week of hours).")
    Integer season;

    @Option(names = "--backtest", description = "Rolling-origin backtest instead of the last window of each series.")
    boolean backtest;

    @Option(names = "--from", paramLabel = "T", description = "First origin: time index of the first forecast step.")
    Long from;

    @Option(names = "--to", paramLabel = "T2", description = "Last origin (default: the last one with a full horizon).")
    Long to;

    @Option(names = "--stride", paramLabel = "S", description = "Steps between origins (default: 1).")
    Integer stride;

    @Option(names = "--windows-out", paramLabel = "FILE", description = "Also write each window's metrics (.csv or .parquet).")
    Path windowsOut;

    @Option(names = "--forecasts-out", paramLabel = "FILE",
            description = "Also write every window's forecasts beside the actual values: one row per window and step, with "
                    + "the series, time index, horizon, actual and each quantile (.csv or .parquet).")
    Path forecastsOut;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "Where the model runs: cpu (the default) or cuda (an NVIDIA GPU through the gpu module).")
    String device;

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers on the CPU, each forecasting a shard "
            + "of every batch (default: the cores, at most 8).")
    Integer workers;

    @Option(names = "--json", description = "Print one JSON object: the model, the windows and {\"metrics\": {\"mae\": ..., ...}}.")
    boolean json;

    /** What the default windows are, in words (set by run). */
    private String scoredOn;

    @Override
    public void run() {
        checkOptions();
        if (models.size() > 1) {
            new ModelComparison(this).run();
            return;
        }
        model = models.getFirst();
        boolean isBaseline = model.equals("baseline") || model.equals("seasonal-naive");
        TrainedModel trained = isBaseline ? null : TrainedModel.load(Path.of(model));
        if (trained != null) {
            trained.notes().forEach(note -> System.err.println("note: " + note));
        }
        Frame frame;
        DatasetParameters parameters;
        Preprocessing preprocessing = null;
        DataSplit split = trained != null ? trained.split() : DataSplit.defaults();
        if (config != null) {
            TrainingConfig cfg = TrainingConfig.load(config);
            frame = cfg.loadFrame();
            parameters = cfg.dataset();
            split = trained != null ? split : cfg.split();
        } else {
            // the history is filled as the training data was (its fill_missing), as TrainedModel.evaluate does
            dev.tempora.data.MissingValues.Filled filled = trained.fillMissing(trained.readTable(data));
            filled.report().lines().forEach(line -> System.err.println("tempora evaluate: note: fill_missing: " + line));
            frame = filled.frame();
            parameters = null;
        }
        if (trained != null) {
            preprocessing = trained.preprocessing();
            parameters = preprocessing.parameters();
        }
        TimeSeriesDataSet dataset;
        if (backtest) {
            DatasetParameters windowParameters = Evaluation.backtestParameters(parameters, from);
            dataset = preprocessing != null ? TimeSeriesDataSet.fromPreprocessing(preprocessing, frame, windowParameters)
                    : TimeSeriesDataSet.create(frame, windowParameters);
        } else if (split.test() != null) {
            // the held-out test: what neither training nor the choice of the best epoch saw
            Preprocessing windows = preprocessing != null ? preprocessing : TimeSeriesDataSet.create(frame, parameters).preprocessing();
            dataset = TimeSplit.testSet(windows, frame, split, config != null ? config.toString() : data.toString());
            scoredOn = "test: " + split.test().describe() + ", held out from training and model selection";
        } else {
            dataset = preprocessing != null ? Evaluation.lastWindows(frame, preprocessing) : Evaluation.lastWindows(frame, parameters);
            scoredOn = "each series' last " + parameters.maxPredictionLength + " steps (no held-out test in "
                    + (trained != null ? "the model" : "the config") + ": these may be the steps that chose the best epoch)";
        }
        for (String warning : dataset.warnings()) {
            System.err.println("tempora evaluate: warning: " + warning);
        }
        long last = to != null ? to : Long.MAX_VALUE;
        int[] windows = backtest ? Evaluation.backtestWindows(dataset, from, last, stride != null ? stride : 1) : null;
        List<Float> quantiles = trained != null ? trained.quantiles() : TftConfig.DEFAULT_QUANTILES;
        Forecaster forecaster = switch (model) {
            case "baseline" -> Forecaster.lastValue();
            case "seasonal-naive" -> Forecaster.seasonalNaive(season, frame, dataset);
            default -> {
                System.err.println(dev.tempora.parallel.Accelerator.describeChoice(device,
                        dev.tempora.parallel.Accelerator.installed(), Main.verbose(spec)));
                yield trained.forecaster(new InferenceOptions(batchSize, workers, device));
            }
        };
        ForecastTable.Recorder recorder = forecastsOut != null ? new ForecastTable.Recorder(dataset, quantiles) : null;
        Evaluation.Result result = Evaluation.score(dataset, windows, forecaster, quantiles, batchSize, windowsOut != null,
                recorder, m4Option(frame));
        if (windowsOut != null) {
            TableFiles.write(result.windowTable(), windowsOut);
        }
        if (recorder != null) {
            recorder.table(forecaster.name()).write(forecastsOut);
        }
        report(result, dataset, windows);
    }

    /** The M4 metrics' option for --metrics m4, or null. */
    M4Metrics.Options m4Option(Frame history) {
        return metrics.equals("m4") ? new M4Metrics.Options(history, seasonality != null ? seasonality : 1) : null;
    }

    private void checkOptions() {
        if (!metrics.equals("default") && !metrics.equals("m4")) {
            throw new IllegalArgumentException("--metrics is default or m4, got " + metrics);
        }
        if (seasonality != null && !metrics.equals("m4")) {
            throw new IllegalArgumentException("--seasonality applies to --metrics m4 only");
        }
        if (models.size() > 1) {
            ModelComparison.checkOptions(this);
            return;
        }
        String model = models.getFirst();
        boolean seasonal = model.equals("seasonal-naive");
        if (seasonal && season == null) {
            throw new IllegalArgumentException("--model seasonal-naive needs --season N (the season length in time steps)");
        }
        if (!seasonal && season != null) {
            throw new IllegalArgumentException("--season applies to --model seasonal-naive only");
        }
        if (seasonal && season < 1) {
            throw new IllegalArgumentException("--season must be at least 1, got " + season);
        }
        if (!backtest && (from != null || to != null || stride != null)) {
            throw new IllegalArgumentException("--from, --to and --stride apply to --backtest only");
        }
        if (backtest && from == null) {
            throw new IllegalArgumentException("--backtest needs --from T (the time index of the first origin)");
        }
        if (backtest && to != null && to < from) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        if (stride != null && stride < 1) {
            throw new IllegalArgumentException("--stride must be at least 1, got " + stride);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be at least 1, got " + batchSize);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        boolean isBaseline = seasonal || model.equals("baseline");
        if (config == null && data == null) {
            throw new IllegalArgumentException("give the data to evaluate on: --config FILE (a training config)"
                    + (isBaseline ? "" : " or --data FILE"));
        }
        if (config != null && data != null) {
            throw new IllegalArgumentException("give --config or --data, not both");
        }
        if (data != null && isBaseline) {
            throw new IllegalArgumentException("--data needs a trained --model (its saved dataset parameters say how to read the "
                    + "table); for a baseline give --config FILE");
        }
        if (windowsOut != null) {
            TableFiles.checkExtension(windowsOut, "--windows-out");
        }
        if (forecastsOut != null) {
            TableFiles.checkExtension(forecastsOut, "--forecasts-out");
        }
    }

    private void report(Evaluation.Result result, TimeSeriesDataSet dataset, int[] windows) {
        Metrics m = result.metrics();
        int windowCount = windows != null ? windows.length : dataset.size();
        long origins = windows == null ? 1 : java.util.Arrays.stream(windows)
                .mapToLong(w -> dataset.window(w).firstPredictionTimeIdx()).distinct().count();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", model.equals("seasonal-naive") ? result.forecaster() : model);
            out.put("evaluation", backtest ? "backtest" : scoredOn.startsWith("test") ? "test" : "last_windows");
            if (backtest) {
                out.put("from", from);
                out.put("to", windows == null ? null : java.util.Arrays.stream(windows)
                        .mapToLong(w -> dataset.window(w).firstPredictionTimeIdx()).max().orElse(from));
                out.put("stride", stride != null ? stride : 1);
                out.put("origins", origins);
            }
            out.put("windows", windowCount);
            out.put("points", m.points());
            out.put("metrics", m.toJson());
            if (result.m4() != null) {
                out.put("m4", result.m4().toJson());
            }
            if (windowsOut != null) {
                out.put("windows_out", windowsOut.toString());
            }
            if (forecastsOut != null) {
                out.put("forecasts_out", forecastsOut.toString());
            }
            System.out.println(Json.write(out));
            return;
        }
        String what = switch (model) {
            case "baseline" -> "Baseline (last value)";
            case "seasonal-naive" -> "Seasonal naive (season " + season + ")";
            default -> "Model " + model;
        };
        System.out.printf(Locale.ROOT, "%s on %s%n", what, config != null ? config : data);
        if (backtest) {
            System.out.printf(Locale.ROOT, "  backtest: %d origins from time_idx %d every %d steps, %,d windows, %,d forecast points%n",
                    origins, from, stride != null ? stride : 1, windowCount, m.points());
        } else {
            System.out.printf(Locale.ROOT, "  %s: %,d window%s, %,d forecast points%n", scoredOn, windowCount,
                    windowCount == 1 ? "" : "s", m.points());
        }
        System.out.printf(Locale.ROOT, "  MAE    %.4f%n  RMSE   %.4f%n  sMAPE  %.4f%n  MAPE   %.4f%n  MASE   %.4f%n  wQL    %.4f%n",
                m.mae(), m.rmse(), m.smape(), m.mape(), m.mase(), m.wql());
        if (result.m4() != null) {
            M4Metrics m4 = result.m4();
            System.out.printf(Locale.ROOT, "  M4 (m = %d): sMAPE %.3f%%, MASE %.3f, OWA %.3f (Naive2: sMAPE %.3f%%, MASE %.3f)%n",
                    m4.seasonality(), m4.smape(), m4.mase(), m4.owa(), m4.naive2Smape(), m4.naive2Mase());
        }
        if (windowsOut != null) {
            System.out.printf(Locale.ROOT, "  per-window metrics: %s%n", windowsOut);
        }
        if (forecastsOut != null) {
            System.out.printf(Locale.ROOT, "  forecasts: %s%n", forecastsOut);
        }
    }
}
