package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.Evaluation;
import dev.tempora.forecast.Forecaster;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.Interpretation;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.forecast.plots.ForecastPlots;
import dev.tempora.models.Metrics;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.DirectoryLock;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tempora demo}: the main job end to end. A global TFT with the seed's set-up learns hourly taxi
 * pickups of many zones from the built-in generator, within a time budget, and is compared with the
 * last-value baseline on each zone's last week, a test week that neither training nor the choice of the
 * best epoch saw; forecasts, metrics, the model and plots land in a folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job: trains a TFT on built-in taxi-like data, beats the baselines, writes forecasts and plots.",
                "",
                "Trains a Temporal Fusion Transformer on built-in NYC-taxi-like hourly pickups (one global model for "
                + "all zones) with the seed's set-up: 63 hours of history, 168 hours (a week) ahead, hidden size 20, 8 attention "
                + "heads, hidden_continuous_size 4, 7 quantiles, dropout 0.1, gradient clipping 0.1, Ranger at lr 0.05. It then "
                + "compares the TFT with the last-value baseline (and with the seasonal naive forecast, the same hour a week "
                + "earlier) on every zone's last week, held out as a test that neither training nor the choice of the best epoch sees (the week before it validates each epoch): MAE, RMSE, sMAPE, weighted quantile loss; and writes to --out: metrics.json, forecasts.csv, the model (model.safetensors, model.json), the "
                + "training log (metrics.csv), config.json (to retrain with tempora train), history.csv (the data, for tempora "
                + "evaluate), predict-input.csv (each zone's recent hours with the last week's counts left empty, for tempora "
                + "predict) and PNG plots (forecasts of a few zones with their attention; variable "
                + "importance).",
                "Time: the run fits a budget (--minutes). Before training it times a few steps on this machine and takes as many "
                + "epochs of --batches-per-epoch batches as fit, up to --epochs; a faster machine or engine simply trains longer."},
        footer = {"", "Examples:", "  ./tempora demo", "  ./tempora demo --minutes 2 --zones 40 --out out/quick",
                "  ./tempora demo --minutes 0 --epochs 10     (no budget: exactly 10 epochs)"})
final class DemoCommand implements Runnable {

    /** This command as picocli sees it: whether --verbose was given. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The demo's scale, in one place: sized so that today's engine finishes in about 5 minutes on 2 cores. */
    static final class Defaults {
        static final int ZONES = 260;
        static final int DAYS = 98;
        static final int EPOCHS = 100;
        static final int BATCHES_PER_EPOCH = 50;
        static final double MINUTES = 5;
        static final int PLOTS = 4;
    }

    /** The seasonal-naive comparison's season: the same hour one week earlier. */
    private static final int WEEK = 168;

    /** Seconds kept for the work after training: the interpreted test pass, forecasts.csv, the plots. */
    private static final double RESERVE_SECONDS = 10;

    @Option(names = "--zones", paramLabel = "N", description = "Pickup zones (series); default " + Defaults.ZONES + ".")
    int zones = Defaults.ZONES;

    @Option(names = "--days", paramLabel = "N", description = "Days of hourly data per zone; default " + Defaults.DAYS + ".")
    int days = Defaults.DAYS;

    @Option(names = "--minutes", paramLabel = "M", description = "Time budget for the whole run, in minutes (0: none); "
            + "default " + Defaults.MINUTES + ".")
    double minutes = Defaults.MINUTES;

    @Option(names = "--epochs", paramLabel = "E", description = "Most epochs to train (the budget may allow fewer); default "
            + Defaults.EPOCHS + ".")
    int epochs = Defaults.EPOCHS;

    @Option(names = "--batches-per-epoch", paramLabel = "B", description = "Training batches per epoch (PTF's "
            + "limit_train_batches); default " + Defaults.BATCHES_PER_EPOCH + ".")
    int batchesPerEpoch = Defaults.BATCHES_PER_EPOCH;

    @Option(names = "--batch-size", paramLabel = "N", description = "Windows per batch; default 128 (the seed's).")
    int batchSize = 128;

    @Option(names = "--optimizer", paramLabel = "NAME", description = "ranger (the seed's), adam or adamw.")
    String optimizer = "ranger";

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Default 0.05 (the seed's).")
    double learningRate = 0.05;

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers (default: the cores, at most 8).")
    Integer workers;

    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "Where training steps run: cpu (the default) or cuda (an NVIDIA GPU through the gpu module).")
    String device;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the data, the initialisation and the batches; default 42.")
    long seed = 42;

    @Option(names = "--plots", paramLabel = "N", description = "Zones to plot; default " + Defaults.PLOTS + ".")
    int plots = Defaults.PLOTS;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory; default out/demo.")
    Path out = Path.of("out", "demo");

    @Option(names = "--json", description = "Print metrics.json's content at the end (progress goes to standard error).")
    boolean json;

    @Override
    public void run() {
        checkOptions();
        // One writer at a time in --out: a second demo or train there is refused, naming this one.
        try (DirectoryLock lock = DirectoryLock.acquire(out, "tempora demo", message -> System.err.println("note: " + message))) {
            runDemo();
        }
    }

    private void runDemo() {
        long start = System.nanoTime();
        PrintStream log = json ? System.err : System.out;
        LocalDate firstDay = TaxiDemand.Options.defaults().start();
        Path configFile = out.resolve("config.json");
        String configText = config(firstDay);
        // Checked, and the job built (the generator's sizes included), before config.json is written: a bad option
        // must not replace the config of a model already in --out.
        TrainingConfig cfg = TrainingConfig.of(configFile, Json.parseObject(configText));
        log.printf(Locale.ROOT, "Generating %d zones x %d days of hourly taxi pickups (built-in data, seed %d) ...%n", zones, days, seed);
        double budget = minutes * 60;
        long deadline = start + (long) ((budget - RESERVE_SECONDS - 0.05 * budget) * 1e9);
        ProgressBar bar = new ProgressBar(log, epochs);
        TrainingJob job = TrainingJob.fromConfig(cfg)
                .trainer(t -> {
                    if (workers != null) {
                        t.workers(workers);
                    }
                    return t.limitTrainBatchCount(batchesPerEpoch).maxEpochs(epochs).device(device);
                })
                .listener(budget > 0 ? new TimeBudget(bar, deadline, epochs) : bar)
                .outputDirectory(out).build();
        AtomicFiles.writeString(configFile, configText);
        TimeSeriesDataSet test = job.testSet();
        Frame frame = job.table();
        writeExamples(frame, test.parameters());
        TrainerSettings settings = job.trainerSettings();
        int perEpoch = job.batchesPerEpoch();
        List<Float> quantiles = job.model().quantiles();
        Evaluation.Result baseline = Evaluation.score(test, null, Forecaster.lastValue(), quantiles, 64, true, null);
        Evaluation.Result weekly = Evaluation.score(test, null, Forecaster.seasonalNaive(WEEK, frame, test), quantiles,
                64, false, null);
        int horizon = test.parameters().maxPredictionLength;
        log.printf(Locale.ROOT, "%,d training windows in %d zones; validation (early stopping, best epoch): each zone's "
                        + "week before the last; test: each zone's last %d hours (%,d points), held out. Last-value baseline "
                        + "test MAE %.2f%n", job.trainingSet().size(), job.trainingSet().seriesCount(), horizon,
                baseline.metrics().points(), baseline.metrics().mae());
        log.printf(Locale.ROOT, "Training a TFT with %,d parameters: %s lr %.3g, gradient clip %.2g, %d batches of %d per epoch, "
                        + "%d workers, %s%n", job.model().parameterCount(), settings.optimizer(), settings.learningRate(),
                settings.gradientClipVal(), perEpoch, batchSize, settings.workers(),
                budget > 0 ? String.format(Locale.ROOT, "as many epochs as fit %.1f minutes (at most %d)", minutes, epochs)
                        : epochs + " epochs");
        log.println(dev.tempora.parallel.Accelerator.describeChoice(settings.device(),
                dev.tempora.parallel.Accelerator.installed(), Main.verbose(spec)));

        TrainingJob.Result training = job.fit();

        TrainedModel best = training.model();
        Interpretation interpretation = best.interpret(test,
                InferenceOptions.defaults().withBatchSize(32).withWorkers(settings.workers()));
        Evaluation.Result tft = interpretation.evaluation();
        interpretation.forecastTable("time", t -> hourMicros(firstDay, t)).write(out.resolve("forecasts.csv"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("baseline", baseline.metrics().toJson());
        metrics.put("seasonal_naive", weekly.metrics().toJson());
        metrics.put("tft", tft.metrics().toJson());
        metrics.put("scored_on", "test: each zone's last " + horizon + " hours, held out from training, validation and the "
                + "choice of the best epoch");
        metrics.put("data", Map.of("zones", zones, "days", days, "training_windows", job.trainingSet().size(),
                "validation_windows", job.validationSet().size(), "test_points", tft.metrics().points()));
        metrics.put("training", trainingJson(training, perEpoch));
        List<Path> pngs = new ArrayList<>(ForecastPlots.forecasts(interpretation, ForecastPlots.spreadByVolume(interpretation, plots),
                baseline, new ForecastPlots.Style("zone", "pickups per hour", t -> hourMicros(firstDay, t) / 1000, "hours"), out));
        pngs.add(ForecastPlots.interpretation(interpretation, out.resolve("interpretation.png")));
        double total = (System.nanoTime() - start) / 1e9;
        metrics.put("seconds", total);
        AtomicFiles.writeString(out.resolve("metrics.json"), Json.writePretty(metrics) + "\n");

        report(log, baseline.metrics(), weekly.metrics(), tft.metrics(), training, total, pngs);
        if (json) {
            System.out.println(Json.write(metrics));
        }
    }

    private Map<String, Object> trainingJson(TrainingJob.Result training, int perEpoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", training.epochs().size());
        m.put("stopped_by_budget", training.cancelled());
        m.put("batches_per_epoch", perEpoch);
        m.put("batch_size", batchSize);
        m.put("best_epoch", training.bestEpoch() + 1);
        m.put("best_validation_loss", training.bestValidationLoss());
        m.put("seconds", training.seconds());
        m.put("samples_per_second", training.epochs().getLast().samplesPerSecond());
        return m;
    }

    private void checkOptions() {
        if (zones < 1 || days < 1) {
            throw new IllegalArgumentException("--zones and --days must be at least 1, got " + zones + " and " + days);
        }
        if (days < 21) {
            throw new IllegalArgumentException("--days " + days + " is too short: the demo holds out the last week to test on and "
                    + "the week before it to validate on, and trains on at least a week before those, so that it sees every hour "
                    + "of the week (its day_hour input): at least 21 days");
        }
        if (epochs < 1 || batchesPerEpoch < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs, --batches-per-epoch and --batch-size must be at least 1, got "
                    + epochs + ", " + batchesPerEpoch + " and " + batchSize);
        }
        if (!List.of("ranger", "adam", "adamw").contains(optimizer.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--optimizer " + optimizer + ": expected ranger, adam or adamw");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("--learning-rate must be positive, got " + learningRate);
        }
        if (minutes < 0 || plots < 0) {
            throw new IllegalArgumentException("--minutes and --plots must not be negative");
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
    }

    /** The seed's set-up as a training config (also written to DIR/config.json so tempora train can repeat it). */
    private String config(LocalDate firstDay) {
        return """
                {
                  "data": {"path": "builtin:taxi", "generator": {"zones": %d, "days": %d, "seed": %d, "start": "%s"},
                           "dtypes": {"pulocationid": "string", "day_hour": "string"}},
                  "dataset": {
                    "time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                    "min_encoder_length": 5, "max_encoder_length": 63, "min_prediction_length": 1, "max_prediction_length": 168,
                    "static_categoricals": ["pulocationid"], "static_reals": [],
                    "time_varying_known_categoricals": ["day_hour"], "time_varying_known_reals": ["time_idx"],
                    "time_varying_unknown_categoricals": [], "time_varying_unknown_reals": ["trip_quantity"],
                    "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                    "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true,
                    "validation": {"windows": 1},
                    "test": {"last_steps": 168}
                  },
                  "model": {
                    "hidden_size": 20, "attention_head_size": 8, "dropout": 0.1, "hidden_continuous_size": 4, "output_size": 7,
                    "loss": "QuantileLoss", "learning_rate": %s, "optimizer": "%s", "reduce_on_plateau_patience": 4, "lstm_layers": 1
                  },
                  "training": {"batch_size": %d, "max_epochs": %d, "gradient_clip_val": 0.1, "limit_train_batches": %d, "seed": %d}
                }
                """.formatted(zones, days, seed, firstDay, Double.toString(learningRate), optimizer.toLowerCase(Locale.ROOT),
                batchSize, epochs, batchesPerEpoch, seed);
    }

    /**
     * history.csv: the whole table (for evaluate and backtests); predict-input.csv: each zone's last 63 + 168
     * hours with the last 168 hours' counts left empty, so that tempora predict forecasts the test week.
     */
    private void writeExamples(Frame frame, dev.tempora.data.DatasetParameters p) {
        TableFiles.write(frame, out.resolve("history.csv"));
        int[] time = ((dev.tempora.data.IntColumn) frame.column(p.timeIdx)).toArray();
        int last = java.util.Arrays.stream(time).max().orElseThrow();
        int firstKept = last - p.maxPredictionLength - p.maxEncoderLength + 1;
        dev.tempora.data.Frame recent = frame.filter(r -> time[r] >= firstKept);
        int[] recentTime = ((dev.tempora.data.IntColumn) recent.column(p.timeIdx)).toArray();
        double[] target = ((dev.tempora.data.DoubleColumn) recent.column(p.target)).toArray();
        for (int r = 0; r < target.length; r++) {
            if (recentTime[r] > last - p.maxPredictionLength) {
                target[r] = Double.NaN;
            }
        }
        TableFiles.write(recent.with(new dev.tempora.data.DoubleColumn(p.target, target)), out.resolve("predict-input.csv"));
    }

    private static long hourMicros(LocalDate firstDay, long timeIdx) {
        return (firstDay.atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 3600 * timeIdx) * 1_000_000L;
    }

    private void report(PrintStream log, Metrics baseline, Metrics weekly, Metrics tft, TrainingJob.Result training, double total,
                        List<Path> pngs) {
        log.println();
        log.printf(Locale.ROOT, "Test: each zone's last week, %,d hourly points that neither training nor the choice of the "
                + "best epoch saw%n", tft.points());
        log.printf(Locale.ROOT, "  %-8s %12s %14s %12s%n", "", "last value", "same hour of", "TFT");
        log.printf(Locale.ROOT, "  %-8s %12s %14s %12s%n", "", "(baseline)", "last week", "");
        String row = "  %-8s %12.3f %14.3f %12.3f%n";
        log.printf(Locale.ROOT, row, "MAE", baseline.mae(), weekly.mae(), tft.mae());
        log.printf(Locale.ROOT, row, "RMSE", baseline.rmse(), weekly.rmse(), tft.rmse());
        log.printf(Locale.ROOT, row, "sMAPE", baseline.smape(), weekly.smape(), tft.smape());
        log.printf(Locale.ROOT, row, "wQL", baseline.wql(), weekly.wql(), tft.wql());
        log.printf(Locale.ROOT, row, "MASE", baseline.mase(), weekly.mase(), tft.mase());
        double gain = 100 * (1 - tft.mae() / baseline.mae());
        log.printf(Locale.ROOT, "The TFT's MAE is %.0f%% %s the last-value baseline's (%d epochs%s, %.0f s of training, %.0f s in all).%n",
                Math.abs(gain), gain >= 0 ? "below" : "ABOVE", training.epochs().size(),
                training.cancelled() ? ", as many as the budget allowed" : "", training.seconds(), total);
        log.printf(Locale.ROOT, "Wrote %s: metrics.json, forecasts.csv, model.safetensors, model.json, metrics.csv, config.json, "
                + "history.csv, predict-input.csv, %s%n", out, String.join(", ", pngs.stream().map(p -> p.getFileName().toString()).toList()));
    }
}
