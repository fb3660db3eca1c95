package dev.tempora.cli;

import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    /** This command as picocli sees it: whether --verbose was given. */
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Learning rate (overrides the config's learning_rate).")
    Double learningRate;

    @Option(names = "--find-lr", description = "Instead of training, run Lightning's learning-rate finder as PyTorch "
            + "Forecasting's tutorials do (100 batches, the rate growing from 1e-6 to 10, on a copy of the initial model): "
            + "prints the loss curve and the suggested learning rate (for --learning-rate), writes DIR/lr-finder.csv.")
    boolean findLearningRate;

    @Option(names = "--resume", description = "Continue from DIR/last-state.safetensors.")
    boolean resume;

    @Option(names = "--json", description = "Print one JSON object at the end (best validation loss and epoch, epochs run, "
            + "output directory); progress goes to standard error.")
    boolean json;

    @Option(names = "--spark", paramLabel = "MASTER_URL", description = "Train on Apache Spark instead (spark://host:7077, "
            + "local[2], ...): a barrier stage of --spark-tasks tasks, --workers threads each; needs the spark module "
            + "(the launcher adds it and Spark's jars to the class path when this option is given).")
    String spark;

    @Option(names = "--spark-tasks", paramLabel = "N", defaultValue = "2",
            description = "Tasks (ranks) of a --spark run (default: ${DEFAULT-VALUE}).")
    int sparkTasks;

    @Override
    public void run() {
        if (spark != null) {
            SparkEntry.train(config, out != null ? out : Path.of("out", stripExtension(config.getFileName().toString())),
                    spark, sparkTasks, workers, epochs, seed);
            return;
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
        }
        if (epochs != null && epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (learningRate != null && !(learningRate > 0)) {
            throw new IllegalArgumentException("--learning-rate must be positive, got " + learningRate);
        }
        Path dir = out != null ? out : Path.of("out", stripExtension(config.getFileName().toString()));
        java.io.PrintStream log = json ? System.err : System.out;
        TrainingConfig cfg = TrainingConfig.load(config);
        InspectCommand.noteModelDefaults(cfg, log);
        log.printf(Locale.ROOT, "Loading %s ...%n", cfg.dataPath());
        ProgressBar bar = new ProgressBar(log, 0);
        TrainingJob job = TrainingJob.fromConfig(cfg)
                .trainer(t -> {
                    if (workers != null) {
                        t.workers(workers);
                    }
                    if (seed != null) {
                        t.seed(seed);
                    }
                    if (epochs != null) {
                        t.maxEpochs(epochs);
                    }
                    if (learningRate != null) {
                        t.learningRate(learningRate);
                    }
                    return t.device(device);
                })
                .listener(bar).outputDirectory(dir).resume(resume).build();
        if (findLearningRate) {
            LearningRateReport.run(job, dir, log, json);
            return;
        }
        TrainerSettings settings = job.trainerSettings();
        bar.expectEpochs(settings.maxEpochs());
        String kind = job.model().kind();
        log.printf(Locale.ROOT, "Training %s with %,d parameters on %,d windows (%d series), %d batches of %d per epoch, "
                        + "%d workers, %s lr %.3g%n", kind.equals(TemporalFusionTransformer.KIND) ? "a TFT" : "a " + kind,
                job.model().parameterCount(), job.trainingSet().size(),
                job.trainingSet().seriesCount(), job.batchesPerEpoch(),
                job.batchSize(), settings.workers(), settings.optimizer(), settings.learningRate());
        log.println(dev.tempora.parallel.Accelerator.describeChoice(device, dev.tempora.parallel.Accelerator.installed(), Main.verbose(spec)));
        TrainingJob.Result r = job.fit();
        log.printf(Locale.ROOT, "Best validation loss %.4f (epoch %d)%s. Wrote %s/model.safetensors, model.json, metrics.csv%n",
                r.bestValidationLoss(), r.bestEpoch() + 1, r.stoppedEarly() ? ", stopped early" : "", dir);
        if (json) {
            java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
            summary.put("out", dir.toString());
            summary.put("epochs", r.epochs().size());
            summary.put("best_epoch", r.bestEpoch() + 1);
            summary.put("best_validation_loss", r.bestValidationLoss());
            summary.put("stopped_early", r.stoppedEarly());
            System.out.println(dev.tempora.tensor.io.Json.write(summary));
        }
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
