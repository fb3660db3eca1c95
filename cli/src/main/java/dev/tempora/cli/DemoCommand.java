package dev.tempora.cli;

import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.cli.plots.ForecastPlot;
import dev.tempora.cli.plots.ImportancePlot;
import dev.tempora.data.Batch;
import dev.tempora.data.TaxiDemand;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TrainingConfig;
import dev.tempora.models.Metrics;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.parallel.DataParallelInference;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code tempora demo}: the main job end to end. A global TFT with the seed's set-up learns hourly taxi
 * pickups of many zones from the built-in generator, within a time budget, and is compared with the
 * last-value baseline on each zone's last week; forecasts, metrics, the model and plots land in a folder.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The main job: trains a TFT on built-in taxi-like data, beats the baselines, writes forecasts and plots.",
                "",
                "Trains a Temporal Fusion Transformer on built-in NYC-taxi-like hourly pickups (one global model for "
                + "all zones) with the seed's set-up: 63 hours of history, 168 hours (a week) ahead, hidden size 20, 8 attention "
                + "heads, hidden_continuous_size 4, 7 quantiles, dropout 0.1, gradient clipping 0.1, Ranger at lr 0.05. It then "
                + "compares the TFT with the last-value baseline (and with the seasonal naive forecast, the same hour a week "
                + "earlier) on every zone's last week (MAE, RMSE, sMAPE, weighted quantile loss) and writes to --out: metrics.json, forecasts.csv, the model (model.safetensors, model.json), the "
                + "training log (metrics.csv), config.json (to retrain with tempora train), history.csv (the data, for tempora "
                + "evaluate), predict-input.csv (each zone's recent hours with the last week's counts left empty, for tempora "
                + "predict) and PNG plots (forecasts of a few zones with their attention; variable "
                + "importance).",
                "Time: the run fits a budget (--minutes). Before training it times a few steps on this machine and takes as many "
                + "epochs of --batches-per-epoch batches as fit, up to --epochs; a faster machine or engine simply trains longer."},
        footer = {"", "Examples:", "  ./tempora demo", "  ./tempora demo --minutes 2 --zones 40 --out out/quick",
                "  ./tempora demo --minutes 0 --epochs 10     (no budget: exactly 10 epochs)"})
final class DemoCommand implements Runnable {

    /** The demo's scale, in one place: sized so that today's engine finishes in about 5 minutes on 2 cores. */
    static final class Defaults {
        static final int ZONES = 260;
        static final int DAYS = 91;
        static final int EPOCHS = 100;
        static final int BATCHES_PER_EPOCH = 50;
        static final double MINUTES = 5;
        static final int PLOTS = 4;
    }

    /** The seasonal-naive comparison's season: the same hour one week earlier. */
    private static final int WEEK = 168;

    /** Seconds kept for the work after training: the interpreted validation pass, forecasts.csv, the plots. */
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
        long start = System.nanoTime();
        PrintStream log = json ? System.err : System.out;
        LocalDate firstDay = TaxiDemand.Options.defaults().start();
        Path configFile = out.resolve("config.json");
        AtomicFiles.writeString(configFile, config(firstDay));
        TrainingConfig cfg = TrainingConfig.load(configFile);
        log.printf(Locale.ROOT, "Generating %d zones x %d days of hourly taxi pickups (built-in data, seed %d) ...%n", zones, days, seed);
        var frame = cfg.loadFrame();
        TrainingConfig.Datasets sets = cfg.datasets(frame);
        writeExamples(frame, sets.validation().parameters());
        TimeSeriesDataSet validation = sets.validation();
        TftConfig modelConfig = Forecasting.modelConfig(sets.training().description(), cfg.model(), seed);
        TemporalFusionTransformer model = new TemporalFusionTransformer(modelConfig);
        Forecasting.DatasetTrainingData data = new Forecasting.DatasetTrainingData(sets, batchSize, seed);
        int available = data.batchesPerEpoch();
        TrainerSettings.Builder builder = Forecasting.trainerSettings(cfg)
                .limitTrainBatchCount(batchesPerEpoch)
                .outputDir(out).checkpointSections(Forecasting.checkpointSections(cfg, sets.training()));
        builder.device(device);
        if (workers != null) {
            builder.workers(workers);
        }
        TrainerSettings settings = builder.build();
        int perEpoch = settings.batchesPerEpoch(available);
        List<Float> quantiles = modelConfig.quantiles();
        Evaluation.Result baseline = Evaluation.run(validation, null, Forecaster.lastValue(), quantiles, 64, true, null);
        Evaluation.Result weekly = Evaluation.run(validation, null, Forecaster.seasonalNaive(WEEK, frame, validation), quantiles,
                64, false, null);
        log.printf(Locale.ROOT, "%,d training windows in %d zones; validation: each zone's last %d hours (%,d points). "
                        + "Last-value baseline MAE %.2f%n", sets.training().size(), sets.training().seriesCount(),
                validation.parameters().maxPredictionLength, baseline.metrics().points(), baseline.metrics().mae());

        Training training = train(log, start, model, data, settings, perEpoch);

        TrainedModel best = TrainedModel.load(out);
        Interpretation interpretation = new Interpretation(((TemporalFusionTransformer) best.model()).config);
        ForecastTable forecasts = new ForecastTable(validation, quantiles, true, "time", t -> hourMicros(firstDay, t));
        Map<Integer, float[]> forecastByWindow = new HashMap<>();
        Forecaster tftForecaster = Forecaster.model(new DataParallelInference(best.model(), settings.workers()), interpretation);
        Evaluation.Result tft = Evaluation.run(validation, null, tftForecaster, quantiles, 32, true, (batch, forecast) -> {
            forecasts.add(batch, forecast);
            keep(batch, forecast, forecastByWindow);
        });
        Tables.write(forecasts.toFrame("demo forecasts"), out.resolve("forecasts.csv"));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("baseline", baseline.metrics().toJson());
        metrics.put("seasonal_naive", weekly.metrics().toJson());
        metrics.put("tft", tft.metrics().toJson());
        metrics.put("data", Map.of("zones", zones, "days", days, "training_windows", sets.training().size(),
                "validation_points", tft.metrics().points()));
        metrics.put("training", training.toJson(perEpoch, batchSize));
        List<Path> pngs = plot(validation, quantiles, baseline, tft, interpretation, forecastByWindow, firstDay);
        double total = (System.nanoTime() - start) / 1e9;
        metrics.put("seconds", total);
        AtomicFiles.writeString(out.resolve("metrics.json"), Json.writePretty(metrics) + "\n");

        report(log, baseline.metrics(), weekly.metrics(), tft.metrics(), training, total, pngs);
        if (json) {
            System.out.println(Json.write(metrics));
        }
    }

    /** How training went: the trainer's result (the best epoch is the saved model's) and its wall time. */
    record Training(Trainer.Result result, double seconds) {
        List<EpochResult> history() {
            return result.epochs();
        }

        /** Whether the time budget ended training before --epochs. */
        boolean budgetSpent() {
            return result.stoppedOnRequest();
        }

        Map<String, Object> toJson(int batchesPerEpoch, int batchSize) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epochs", history().size());
            m.put("stopped_by_budget", budgetSpent());
            m.put("batches_per_epoch", batchesPerEpoch);
            m.put("batch_size", batchSize);
            m.put("best_epoch", result.bestEpoch() + 1);
            m.put("best_validation_loss", result.bestValidationLoss());
            m.put("seconds", seconds);
            m.put("samples_per_second", history().getLast().samplesPerSecond());
            return m;
        }
    }

    /**
     * Trains with the live progress bar: up to --epochs, or as many as fit the budget, which covers the
     * whole run (after training come the interpreted validation pass, the CSVs and the plots).
     */
    private Training train(PrintStream log, long start, TemporalFusionTransformer model, Forecasting.DatasetTrainingData data,
                           TrainerSettings settings, int perEpoch) {
        double budget = minutes * 60;
        long deadline = start + (long) ((budget - RESERVE_SECONDS - 0.05 * budget) * 1e9);
        log.printf(Locale.ROOT, "Training a TFT with %,d parameters: %s lr %.3g, gradient clip %.2g, %d batches of %d per epoch, "
                        + "%d workers, %s%n", model.parameterCount(), settings.optimizer(), settings.learningRate(),
                settings.gradientClipVal(), perEpoch, batchSize, settings.workers(),
                budget > 0 ? String.format(Locale.ROOT, "as many epochs as fit %.1f minutes (at most %d)", minutes, epochs)
                        : epochs + " epochs");
        log.println(dev.tempora.parallel.Accelerator.describeChoice(settings.device(),
                dev.tempora.parallel.Accelerator.installed()));
        ProgressBar bar = new ProgressBar(log, epochs);
        long trainStart = System.nanoTime();
        Trainer.Result result;
        try (Trainer trainer = new Trainer(model, data, settings.toBuilder().maxEpochs(epochs).build(),
                budget > 0 ? new TimeBudget(bar, deadline, epochs) : bar)) {
            result = trainer.fit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Training(result, (System.nanoTime() - trainStart) / 1e9);
    }

    private void checkOptions() {
        if (zones < 1 || days < 1) {
            throw new IllegalArgumentException("--zones and --days must be at least 1, got " + zones + " and " + days);
        }
        if (days < 12) {
            throw new IllegalArgumentException("--days " + days + " is too short: the demo needs 168 hours to validate on and "
                    + "63 + 168 before them for a training window (at least 12 days)");
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
                    "validation": {"training_cutoff": null, "predict": true}
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
     * hours with the last 168 hours' counts left empty, so that tempora predict forecasts the validation week.
     */
    private void writeExamples(dev.tempora.data.Frame frame, dev.tempora.data.DatasetParameters p) {
        Tables.write(frame, out.resolve("history.csv"));
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
        Tables.write(recent.with(new dev.tempora.data.DoubleColumn(p.target, target)), out.resolve("predict-input.csv"));
    }

    private static long hourMicros(LocalDate firstDay, long timeIdx) {
        return (firstDay.atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 3600 * timeIdx) * 1_000_000L;
    }

    /** Keeps each window's quantile forecasts (steps x quantiles) for the plots. */
    private static void keep(Batch batch, Tensor forecast, Map<Integer, float[]> byWindow) {
        int steps = forecast.size(1);
        int nq = forecast.size(2);
        float[] all = forecast.contiguous().toFloatArray();
        for (int b = 0; b < batch.size(); b++) {
            byWindow.put(batch.windowIndex(b), java.util.Arrays.copyOfRange(all, b * steps * nq, (b + 1) * steps * nq));
        }
    }

    /** Forecast plots of a few zones spread over the volume range (busiest, then quartiles), and the interpretation. */
    private List<Path> plot(TimeSeriesDataSet validation, List<Float> levels, Evaluation.Result baseline, Evaluation.Result tft,
                            Interpretation interpretation, Map<Integer, float[]> forecastByWindow, LocalDate firstDay) {
        List<Path> written = new ArrayList<>();
        int n = validation.size();
        Batch all = validation.collate(java.util.stream.IntStream.range(0, n).toArray());
        int steps = all.maxDecoderLength();
        int encoderSteps = all.maxEncoderLength();
        float[] actual = all.decoderTarget.toFloatArray();
        float[] history = all.encoderTarget.toFloatArray();
        Integer[] byVolume = new Integer[n];
        double[] volume = new double[n];
        for (int b = 0; b < n; b++) {
            byVolume[b] = b;
            for (int t = 0; t < all.decoderLength(b); t++) {
                volume[b] += actual[b * steps + t];
            }
        }
        java.util.Arrays.sort(byVolume, (a, b) -> Double.compare(volume[b], volume[a]));
        Map<Integer, Metrics> tftByWindow = new HashMap<>();
        Map<Integer, Metrics> baselineByWindow = new HashMap<>();
        tft.windows().forEach(w -> tftByWindow.put(w.window(), w.metrics()));
        baseline.windows().forEach(w -> baselineByWindow.put(w.window(), w.metrics()));
        java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
        for (int k = 0; k < Math.min(plots, n); k++) {
            chosen.add(byVolume[(int) Math.round((double) k * (n - 1) / Math.max(1, plots))]);
        }
        int rank = 0;
        for (int b : chosen) {
            rank++;
            int window = all.windowIndex(b);
            int enc = all.encoderLength(b);
            int dec = all.decoderLength(b);
            TimeSeriesDataSet.Window w = validation.window(window);
            String zone = validation.seriesGroupValues(w.series()).getFirst();
            double[] x = new double[enc + dec];
            for (int i = 0; i < enc + dec; i++) {
                x[i] = hourMicros(firstDay, w.firstTimeIdx() + i) / 1000.0;
            }
            double[] h = new double[enc];
            for (int i = 0; i < enc; i++) {
                h[i] = history[b * encoderSteps + i];
            }
            double[] a = new double[dec];
            float[] f = forecastByWindow.get(window);
            double[][] q = new double[levels.size()][dec];
            for (int t = 0; t < dec; t++) {
                a[t] = actual[b * steps + t];
                for (int k = 0; k < levels.size(); k++) {
                    q[k][t] = f[t * levels.size() + k];
                }
            }
            float[] att = interpretation.encoderAttention(window);
            double[] attention = att == null ? null : new double[enc];
            for (int i = 0; attention != null && i < enc; i++) {
                attention[i] = att[i];
            }
            String subtitle = String.format(Locale.ROOT, "next %d hours: TFT MAE %.2f, last-value baseline MAE %.2f",
                    dec, tftByWindow.get(window).mae(), baselineByWindow.get(window).mae());
            Path png = out.resolve(String.format(Locale.ROOT, "forecast-%d-zone-%s.png", rank, zone.replaceAll("[^A-Za-z0-9_-]", "_")));
            ForecastPlot.write(new ForecastPlot.Data("Zone " + zone + ": hourly pickups, forecast a week ahead", subtitle,
                    "pickups per hour", x, true, h, a, levels, q, attention), png, 1200, 520);
            written.add(png);
        }
        double[] meanAttention = new double[encoderSteps];
        int[] counts = new int[encoderSteps];
        for (int b = 0; b < n; b++) {
            float[] att = interpretation.encoderAttention(all.windowIndex(b));
            if (att == null) {
                continue;
            }
            for (int i = 0; i < att.length; i++) { // aligned at the forecast start
                meanAttention[encoderSteps - att.length + i] += att[i];
                counts[encoderSteps - att.length + i]++;
            }
        }
        for (int i = 0; i < encoderSteps; i++) {
            meanAttention[i] = counts[i] == 0 ? 0 : meanAttention[i] / counts[i];
        }
        Path importance = out.resolve("interpretation.png");
        ImportancePlot.write(interpretation.staticImportance(), interpretation.encoderImportance(),
                interpretation.decoderImportance(), meanAttention, importance);
        written.add(importance);
        return written;
    }

    private void report(PrintStream log, Metrics baseline, Metrics weekly, Metrics tft, Training training, double total,
                        List<Path> pngs) {
        log.println();
        log.printf(Locale.ROOT, "Validation: each zone's last week, %,d hourly points%n", tft.points());
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
                Math.abs(gain), gain >= 0 ? "below" : "ABOVE", training.history().size(),
                training.budgetSpent() ? ", as many as the budget allowed" : "", training.seconds(), total);
        log.printf(Locale.ROOT, "Wrote %s: metrics.json, forecasts.csv, model.safetensors, model.json, metrics.csv, config.json, "
                + "history.csv, predict-input.csv, %s%n", out, String.join(", ", pngs.stream().map(p -> p.getFileName().toString()).toList()));
    }
}
