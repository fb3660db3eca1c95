package dev.tempora.cli;

import dev.tempora.data.TrainingConfig;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** {@code tempora train}: trains a TFT as a config describes and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a TFT as a training config describes and saves the model.",
                "",
                "Trains a Temporal Fusion Transformer as a training config describes, on all cores, and writes "
                + "DIR/model.safetensors and DIR/model.json (the best model by validation loss), DIR/metrics.csv and "
                + "DIR/last-state.safetensors (to resume with --resume)."},
        footer = {"", "Examples:", "  ./tempora train --config examples/taxi-small.json --out out/taxi-small",
                "  ./tempora train --config examples/stallion.json --epochs 10 --workers 2 --seed 7",
                "  ./tempora train --config examples/taxi-small.json --epochs 1 --json"})
final class TrainCommand implements Runnable {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/<config name>).")
    Path out;

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers (default: the cores, at most 8).")
    Integer workers;

    @Option(names = "--device", paramLabel = "D", defaultValue = "cpu",
            description = "Where training steps run: cpu (the default) or cuda (an NVIDIA GPU through the gpu module).")
    String device;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, shuffling and dropout.")
    Long seed;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs (overrides max_epochs).")
    Integer epochs;

    @Option(names = "--resume", description = "Continue from DIR/last-state.safetensors.")
    boolean resume;

    @Option(names = "--json", description = "Print one JSON object at the end (best validation loss and epoch, epochs run, "
            + "output directory); progress goes to standard error.")
    boolean json;

    @Override
    public void run() {
        TrainingConfig cfg = TrainingConfig.load(config);
        Path dir = out != null ? out : Path.of("out", stripExtension(config.getFileName().toString()));
        TrainerSettings.Builder settings = Forecasting.trainerSettings(cfg);
        if (workers != null) {
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
            }
            settings.workers(workers);
        }
        if (seed != null) {
            settings.seed(seed);
        }
        if (epochs != null) {
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
            }
            settings.maxEpochs(epochs);
        }
        settings.device(device);
        TrainerSettings built = settings.build();
        java.io.PrintStream log = json ? System.err : System.out;
        log.printf(Locale.ROOT, "Loading %s ...%n", cfg.dataPath());
        TrainingConfig.Datasets sets = cfg.datasets();
        for (String w : sets.training().warnings()) {
            System.err.println("tempora train: warning: " + w);
        }
        TemporalFusionTransformer model = new TemporalFusionTransformer(
                Forecasting.modelConfig(sets.training().description(), cfg.model(), built.seed()));
        Forecasting.DatasetTrainingData data = new Forecasting.DatasetTrainingData(sets, Forecasting.batchSize(cfg), built.seed());
        TrainerSettings finalSettings = built.toBuilder().outputDir(dir)
                .checkpointSections(Forecasting.checkpointSections(cfg, sets.training())).build();
        log.printf(Locale.ROOT, "Training a TFT with %,d parameters on %,d windows (%d series), %d batches of %d per epoch, "
                        + "%d workers, %s lr %.3g%n", model.parameterCount(), sets.training().size(),
                sets.training().seriesCount(), finalSettings.batchesPerEpoch(data.batchesPerEpoch()),
                Forecasting.batchSize(cfg), finalSettings.workers(), finalSettings.optimizer(), finalSettings.learningRate());
        log.println(dev.tempora.parallel.Accelerator.describeChoice(device, dev.tempora.parallel.Accelerator.installed()));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Trainer trainer = new Trainer(model, data, finalSettings, new ProgressBar(log, finalSettings.maxEpochs()))) {
            if (resume) {
                trainer.resume();
            }
            Trainer.Result r = trainer.fit();
            log.printf(Locale.ROOT, "Best validation loss %.4f (epoch %d)%s. Wrote %s/model.safetensors, model.json, metrics.csv%n",
                    r.bestValidationLoss(), r.bestEpoch() + 1, r.stoppedEarly() ? ", stopped early" : "", dir);
            if (json) {
                java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
                out.put("out", dir.toString());
                out.put("epochs", r.epochs().size());
                out.put("best_epoch", r.bestEpoch() + 1);
                out.put("best_validation_loss", r.bestValidationLoss());
                out.put("stopped_early", r.stoppedEarly());
                System.out.println(dev.tempora.tensor.io.Json.write(out));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
