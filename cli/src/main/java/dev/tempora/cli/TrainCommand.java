package dev.tempora.cli;

import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.Ensemble;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.TrainerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code tempora train}: trains a TFT as a config describes and saves it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a TFT as a training config describes and saves the model.",
                "",
                "Trains a Temporal Fusion Transformer as a training config describes, on all cores, and writes "
                + "DIR/model.safetensors and DIR/model.json (the best model by validation loss), DIR/metrics.csv and "
                + "DIR/last-state.safetensors (to resume with --resume).",
                "With --ensemble K: trains K models one after the other with seeds S, S+1, ... (S = --seed or the config's "
                + "seed) into DIR/member-1 ... DIR/member-K, each keeping its own best epoch, then writes DIR/ensemble.json "
                + "(last, atomically: until it exists DIR is not loadable as an ensemble). predict, evaluate and backtest "
                + "take DIR like any model directory and combine the members' quantile forecasts by their median (or "
                + "--ensemble-combine mean)."},
        footer = {"", "Examples:", "  ./tempora train --config examples/taxi-small.json --out out/taxi-small",
                "  ./tempora train --config examples/stallion.json --epochs 10 --workers 2 --seed 7",
                "  ./tempora train --config examples/taxi-small.json --epochs 1 --json",
                "  ./tempora train --config examples/taxi-small.json --out out/taxi-5 --ensemble 5"})
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

    @Option(names = "--refit", description = "After training with validation and early stopping, retrain a fresh model "
            + "(same seed and settings) on the training and validation rows for the best epoch count, replaying the first "
            + "run's learning rates, and keep it as DIR's model (the test stays held out; the config's training.refit). "
            + "With --ensemble, each member is refit.")
    boolean refit;

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

    @Option(names = "--ensemble", paramLabel = "K", description = "Train K members with seeds S, S+1, ... into DIR/member-i "
            + "and write DIR/ensemble.json, one model directory that combines them.")
    Integer ensemble;

    @Option(names = "--ensemble-combine", paramLabel = "HOW", defaultValue = "median",
            description = "How an --ensemble combines its members' forecasts: median (default) or mean.")
    String ensembleCombine;

    @Override
    public void run() {
        if (ensemble != null) {
            checkEnsembleOptions();
        }
        if (spark != null) {
            if (refit) {
                throw new IllegalArgumentException("--spark does not refit: leave out --refit, or train on this machine");
            }
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
        if (ensemble != null) {
            trainEnsemble(cfg, dir, log);
            return;
        }
        ProgressBar bar = new ProgressBar(log, 0);
        TrainingJob job = job(cfg, seed, dir, bar);
        if (findLearningRate) {
            LearningRateReport.run(job, dir, log, json);
            return;
        }
        logSetUp(job, bar, log);
        TrainingJob.Result r = job.fit();
        log.printf(Locale.ROOT, "Best validation loss %.4f (epoch %d)%s%s. Wrote %s/model.safetensors, model.json, metrics.csv%n",
                r.bestValidationLoss(), r.bestEpoch() + 1, r.stoppedEarly() ? ", stopped early" : "", refitNote(r), dir);
        if (json) {
            java.util.Map<String, Object> summary = new java.util.LinkedHashMap<>();
            summary.put("out", dir.toString());
            summary.put("epochs", r.epochs().size());
            summary.put("best_epoch", r.bestEpoch() + 1);
            summary.put("best_validation_loss", r.bestValidationLoss());
            summary.put("stopped_early", r.stoppedEarly());
            summary.put("refit_epochs", r.refitEpochs());
            System.out.println(dev.tempora.tensor.io.Json.write(summary));
        }
    }

    /** The job of one model (or ensemble member) with this command's options; {@code memberSeed} may be null. */
    private TrainingJob job(TrainingConfig cfg, Long memberSeed, Path dir, ProgressBar bar) {
        TrainingJob.Builder builder = TrainingJob.fromConfig(cfg);
        if (refit) {
            builder.refit(true); // the config's training.refit is already in the builder
        }
        return builder
                .trainer(t -> {
                    if (workers != null) {
                        t.workers(workers);
                    }
                    if (memberSeed != null) {
                        t.seed(memberSeed);
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
    }

    /** Logs what the job will train, and on which backend. */
    private void logSetUp(TrainingJob job, ProgressBar bar, java.io.PrintStream log) {
        TrainerSettings settings = job.trainerSettings();
        String kind = job.model().kind();
        if (job.model() instanceof dev.tempora.models.GradientBoostedTrees trees) {
            bar.expectEpochs(1);
            var b = trees.config().booster();
            log.printf(Locale.ROOT, "Fitting %s on %,d windows (%d series): %d quantiles × %d trees of depth %d, learning rate "
                            + "%.3g, at least %d rows a leaf%n", kind, job.trainingSet().size(), job.trainingSet().seriesCount(),
                    trees.quantiles().size(), b.trees(), b.maxDepth(), b.learningRate(), b.minLeafRows());
            return;
        }
        bar.expectEpochs(settings.maxEpochs());
        log.printf(Locale.ROOT, "Training %s with %,d parameters on %,d windows (%d series), %d batches of %d per epoch, "
                        + "%d workers, %s lr %.3g%n", kind.equals(TemporalFusionTransformer.KIND) ? "a TFT" : "a " + kind,
                job.model().parameterCount(), job.trainingSet().size(),
                job.trainingSet().seriesCount(), job.batchesPerEpoch(),
                job.batchSize(), settings.workers(), settings.optimizer(), settings.learningRate());
        log.println(dev.tempora.parallel.Accelerator.describeChoice(device, dev.tempora.parallel.Accelerator.installed(), Main.verbose(spec)));
    }

    private void checkEnsembleOptions() {
        if (ensemble < 1) {
            throw new IllegalArgumentException("--ensemble must be at least 1, got " + ensemble);
        }
        if (spark != null) {
            throw new IllegalArgumentException("--ensemble trains its members on this machine; leave out --spark");
        }
        if (findLearningRate) {
            throw new IllegalArgumentException("--find-lr runs the learning-rate finder on one model; leave out --ensemble (the "
                    + "members share the config, so the suggestion holds for each)");
        }
        if (resume) {
            throw new IllegalArgumentException("--ensemble cannot --resume: train the ensemble again (each member is a few epochs "
                    + "of the config), or resume a member on its own with --out DIR/member-i --resume");
        }
        Ensemble.Combine.parse(ensembleCombine);
    }

    /** Trains the members with seeds S, S+1, ... and writes ensemble.json last. */
    private void trainEnsemble(TrainingConfig cfg, Path dir, java.io.PrintStream log) {
        long firstSeed = seed != null ? seed : TrainingJob.checkSections(cfg).trainer().seed();
        Ensemble.Trained trained = Ensemble.train(dir, ensemble, Ensemble.Combine.parse(ensembleCombine), (index, member) -> {
            long memberSeed = firstSeed + index - 1;
            log.printf(Locale.ROOT, "Member %d of %d (seed %d) into %s%n", index, ensemble, memberSeed, member);
            ProgressBar bar = new ProgressBar(log, 0);
            TrainingJob job = job(cfg, memberSeed, member, bar);
            logSetUp(job, bar, log);
            return job;
        });
        List<Map<String, Object>> members = new ArrayList<>();
        for (int i = 0; i < trained.members().size(); i++) {
            TrainingJob.Result r = trained.members().get(i);
            log.printf(Locale.ROOT, "  member-%d: best validation loss %.4f (epoch %d)%s%s%n", i + 1, r.bestValidationLoss(),
                    r.bestEpoch() + 1, r.stoppedEarly() ? ", stopped early" : "", refitNote(r));
            Map<String, Object> member = new LinkedHashMap<>();
            member.put("out", Ensemble.memberDirectory(dir, i + 1).toString());
            member.put("seed", firstSeed + i);
            member.put("epochs", r.epochs().size());
            member.put("best_epoch", r.bestEpoch() + 1);
            member.put("best_validation_loss", r.bestValidationLoss());
            member.put("refit_epochs", r.refitEpochs());
            members.add(member);
        }
        log.printf(Locale.ROOT, "Wrote an ensemble of %d members (%s) to %s/%s%n", ensemble, ensembleCombine, dir, Ensemble.FILE);
        if (json) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("out", dir.toString());
            summary.put("combine", Ensemble.Combine.parse(ensembleCombine).jsonName());
            summary.put("members", members);
            System.out.println(dev.tempora.tensor.io.Json.write(summary));
        }
    }

    /** How the kept model was made, after the best epoch: refit on the training and validation rows, or not. */
    private static String refitNote(TrainingJob.Result r) {
        return r.refit() ? String.format(Locale.ROOT, "; refit on the training and validation rows for %d epochs",
                r.refitEpochs()) : "";
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
