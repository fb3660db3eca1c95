package dev.tempora.spark;

import dev.tempora.data.TrainingConfig;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainerSettings;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The Spark application: {@code spark-submit --class dev.tempora.spark.Main tempora-spark-VERSION.jar train|predict ...},
 * and what {@code ./tempora train --spark MASTER} calls ({@link #run}).
 */
@Command(name = "tempora-spark", mixinStandardHelpOptions = true, version = "Tempora 0.1.0",
        description = "Tempora on Apache Spark: data-parallel TFT training as a barrier stage, and batch forecasting.",
        subcommands = {Main.Train.class, Main.Predict.class, Main.Compare.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Main() {}

    /** Runs a command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command ({@code train}, {@code predict} or {@code compare}) and returns its exit status. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof IllegalArgumentException || e instanceof IOException || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("tempora-spark " + cmd.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Without a command: prints the usage. */
    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A Spark context for a command: the master from {@code --master}, else from spark-submit. */
    static JavaSparkContext spark(String appName, String master) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        }
        if (conf.get("spark.master", "").startsWith("local")) {
            // One JVM: keep Spark and the ring on loopback rather than the host's public address.
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: run through spark-submit, or pass --master URL "
                    + "(spark://host:7077, local[2], ...)");
        }
        return new JavaSparkContext(conf);
    }

    /** {@code train}: the barrier-stage training, or its one-process equivalent. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Trains a TFT as a training config describes, as one Spark barrier stage of N tasks.",
                    "The driver reads the data, fits the preprocessing, splits the series into N partitions under "
                    + "OUT/partitions; each task trains on its partition with the ring all-reduce; rank 0 writes "
                    + "OUT/model.safetensors, model.json, metrics.csv and a checkpoint (last-state.safetensors)."})
    static final class Train implements Callable<Integer> {
        @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON), read by the driver.")
        Path config;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Output directory, on storage that the driver and every executor reach.")
        Path out;

        @Option(names = "--tasks", paramLabel = "N", defaultValue = "2", description = "Tasks (ranks; default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(names = "--workers", paramLabel = "M", defaultValue = "1",
                description = "Data-parallel threads in each task (default: ${DEFAULT-VALUE}; match spark.task.cpus).")
        int workers;

        @Option(names = "--epochs", paramLabel = "E", description = "Epochs (overrides max_epochs).")
        Integer epochs;

        @Option(names = "--limit-batches", paramLabel = "B", description = "Batches per epoch (overrides limit_train_batches).")
        Integer limitBatches;

        @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, shuffling and dropout.")
        Long seed;

        @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "10",
                description = "Rank 0 saves the training state every K steps (default: ${DEFAULT-VALUE}), and at each epoch's end.")
        int checkpointEvery;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's).")
        String master;

        @Option(names = "--resume", description = "Continue from OUT/last-state.safetensors (a run stopped before its end).")
        boolean resume;

        @Option(names = "--one-process", description = "Train in this process, without Spark, on the same partitions "
                + "concatenated with N x M workers: bitwise the weights of the Spark run.")
        boolean oneProcess;

        @Override
        public Integer call() throws IOException {
            if (workers < 1 || checkpointEvery < 1) {
                throw new IllegalArgumentException("--workers and --checkpoint-every must be at least 1");
            }
            if (epochs != null && epochs < 1 || limitBatches != null && limitBatches < 1) {
                throw new IllegalArgumentException("--epochs and --limit-batches must be at least 1");
            }
            TrainingPlan plan = TrainingPlan.prepare(TrainingConfig.load(config), out, tasks, this::configure, resume);
            long started = System.nanoTime();
            if (oneProcess) {
                Trainer.Result result = OneProcessTraining.train(plan, null);
                System.out.printf(Locale.ROOT, "trained in one process (%d workers): %d epochs, best validation loss %.6f "
                        + "(epoch %d) in %.1f s; wrote %s%n", tasks * workers, result.epochs().size(),
                        result.bestValidationLoss(), result.bestEpoch() + 1, (System.nanoTime() - started) / 1e9, out);
                return 0;
            }
            try (JavaSparkContext spark = spark("tempora train " + config.getFileName(), master)) {
                List<String> ranks = SparkTraining.run(spark, plan);
                ranks.forEach(System.out::println);
                System.out.printf(Locale.ROOT, "trained on Spark (%d tasks x %d workers) in %.1f s; wrote %s%n", tasks,
                        workers, (System.nanoTime() - started) / 1e9, out);
            }
            return 0;
        }

        private TrainerSettings.Builder configure(TrainerSettings.Builder settings) {
            settings.workers(workers).checkpointEveryBatches(checkpointEvery);
            if (epochs != null) {
                settings.maxEpochs(epochs);
            }
            if (limitBatches != null) {
                settings.limitTrainBatchCount(limitBatches);
            }
            if (seed != null) {
                settings.seed(seed);
            }
            return settings;
        }
    }

    /** {@code predict}: batch forecasting. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Forecasts every series with a trained model as a Spark job; writes OUT/part-NNNNN.parquet "
                    + "with the columns of tempora predict."})
    static final class Predict implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (from train).")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "A table file (CSV or Parquet), "
                + "or a directory of Parquet files that each hold whole series (one task per file).")
        Path data;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (shared storage).")
        Path out;

        @Option(names = "--tasks", paramLabel = "N", defaultValue = "2",
                description = "Tasks for a single table file (default: ${DEFAULT-VALUE}).")
        int tasks;

        @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: spark-submit's).")
        String master;

        @Override
        public Integer call() throws IOException {
            long started = System.nanoTime();
            try (JavaSparkContext spark = spark("tempora predict " + model.getFileName(), master)) {
                List<Path> parts = BatchForecasting.run(spark, model, data, out, tasks);
                System.out.printf(Locale.ROOT, "wrote %d forecast files to %s in %.1f s%n", parts.size(), out,
                        (System.nanoTime() - started) / 1e9);
            }
            return 0;
        }
    }

    /** {@code compare}: the weights of two training outputs, bit for bit. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Compares two training output directories' model.safetensors and last-state.safetensors "
                    + "tensor by tensor, bitwise. The last line is 'weights equal: true' (exit 0) or 'weights equal: false' (exit 1)."})
    static final class Compare implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "One training output directory.")
        Path first;

        @Parameters(index = "1", paramLabel = "DIR", description = "The other.")
        Path second;

        @Override
        public Integer call() throws IOException {
            List<String> differences = WeightComparison.differences(first, second);
            differences.stream().limit(20).forEach(System.out::println);
            System.out.println("weights equal: " + differences.isEmpty());
            return differences.isEmpty() ? 0 : 1;
        }
    }
}
