package dev.tempora.forecast;

import dev.tempora.data.DataSplit;
import dev.tempora.data.DatasetDescription;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.MissingValues;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TrainingConfig;
import dev.tempora.models.ForecastingModel;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.LearningRateFinder;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TreeTraining;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.tensor.io.DirectoryLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * One training run, from a table to a {@link TrainedModel}, as PyTorch Forecasting's tutorial does it:
 * the data split into training and validation sets ({@code TimeSeriesDataSet} and
 * {@code from_dataset(..., predict=True)}), the model made for the data ({@code from_dataset}), trained
 * with early stopping and the best epoch kept ({@code Trainer.fit} with a checkpoint callback).
 *
 * <pre>{@code
 * TrainingJob job = TrainingJob.builder(table, parameters)
 *         .model(ModelSettings.builder().hiddenSize(16).build())
 *         .trainer(TrainerSettings.builder().maxEpochs(20).learningRate(0.03).build())
 *         .listener(progress)
 *         .outputDirectory(Path.of("out/model"))
 *         .build();              // the data sets are built here: bad data fails now
 * TrainingJob.Result result = job.fit();   // job.cancel() from another thread ends it early
 * TrainedModel model = result.model();
 * }</pre>
 *
 * <p>A job runs once. Everything that decides the result is a function of the seed, so the same
 * settings give bitwise the same model for any worker count.
 */
public final class TrainingJob {

    private final Frame table;
    private final MissingValues.FillReport fillReport;
    private final TrainingConfig.Datasets datasets;
    private final ModelKindSettings modelSettings;
    private final TrainerSettings settings;
    private final int batchSize;
    private final TrainingListener listener;
    private final Path outputDirectory;
    private final boolean resume;
    private final Map<String, Object> dataOptions;
    private final Map<String, Object> trainingSection;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();
    private final ForecastingModel model;
    private final Refit refit;

    private TrainingJob(Builder b) {
        MissingValues.Filled filled = MissingValues.apply(b.frame, b.parameters, b.fillMissing);
        this.table = filled.frame();
        this.fillReport = filled.report();
        this.datasets = TrainingConfig.split(table, b.parameters, b.split, b.where);
        this.modelSettings = b.model;
        this.settings = b.trainer;
        this.batchSize = b.batchSize;
        this.listener = b.listener != null ? b.listener : new TrainingListener() { };
        this.outputDirectory = b.outputDirectory;
        this.resume = b.resume;
        this.dataOptions = withFillMissing(b.dataOptions, b.fillMissing);
        this.trainingSection = b.trainingSection;
        for (String line : fillReport.lines()) {
            this.listener.onWarning("fill_missing: " + line);
        }
        for (String w : datasets.training().warnings()) {
            this.listener.onWarning(w);
        }
        // Size the run from the settings before allocating the model, so a model too large fails with a message, not an OOM.
        DatasetDescription description = datasets.training().description();
        TrainingMemory.estimate(modelSettings, description, settings, batchSize, datasets.training().size()).require();
        this.model = modelSettings.create(description, settings.seed());
        if (model instanceof GradientBoostedTrees trees) {
            TreeTraining.requireCpu(trees, settings); // before any file is written
        }
        this.refit = b.refit ? new Refit(table, datasets.rows(), b.parameters) : null;
    }

    /** The data options model.json keeps, with fill_missing so that predict fills new data as training did. */
    private static Map<String, Object> withFillMissing(Map<String, Object> dataOptions, MissingValues.Options fillMissing) {
        if (fillMissing.isEmpty()) {
            return dataOptions;
        }
        Map<String, Object> out = new LinkedHashMap<>(dataOptions);
        out.put("fill_missing", fillMissing.toJson());
        return out;
    }

    /**
     * A job on a table with PTF's TimeSeriesDataSet parameters, every other setting at its default.
     *
     * @param table      the rows of every series, training and validation alike (the split is by time index)
     * @param parameters PTF's TimeSeriesDataSet arguments: target, group ids, lengths, variables, normalisers
     * @return a builder to change the other settings on
     */
    public static Builder builder(Frame table, DatasetParameters parameters) {
        return new Builder(table, parameters);
    }

    /**
     * A job as a training config describes it: its data (read or generated), its "dataset" section, its
     * validation split, and its "model" and "training" sections; the builder can still change any of them.
     *
     * @param config a loaded training config
     * @return a builder holding the config's settings
     */
    public static Builder fromConfig(TrainingConfig config) {
        // The sections are checked before the data is read: a wrong setting fails at once.
        Sections sections = checkSections(config);
        return fromConfig(config, sections, config.readFrame());
    }

    /**
     * A job as a training config describes it, on a table already read with the config's data options
     * (several jobs on the same data read it once); the job fills its missing values as the config says.
     *
     * @param config a loaded training config
     * @param table  its data, as {@link TrainingConfig#readFrame} reads it (missing values not yet filled)
     * @return a builder holding the config's settings
     */
    public static Builder fromConfig(TrainingConfig config, Frame table) {
        return fromConfig(config, checkSections(config), table);
    }

    private static Builder fromConfig(TrainingConfig config, Sections sections, Frame table) {
        ModelKindSettings model = sections.model();
        TrainerSettings trainer = sections.trainer();
        int batchSize = sections.batchSize();
        Builder b = new Builder(table, config.dataset());
        b.fillMissing = config.fillMissing();
        b.where = config.file().toString();
        b.split = config.split();
        b.model = model;
        b.trainer = trainer;
        b.batchSize = batchSize;
        b.dataOptions = config.data();
        b.trainingSection = config.training();
        b.refit = sections.refit();
        return b;
    }

    /**
     * A job as the training config file {@code file} describes it (see {@link #fromConfig(TrainingConfig)}).
     *
     * @param file a training config (JSON); relative data paths in it resolve against its directory
     * @return a builder holding the config's settings
     */
    public static Builder fromConfig(Path file) {
        return fromConfig(TrainingConfig.load(file));
    }

    /**
     * A config's "model" and "training" sections, read and checked.
     *
     * @param model     the model's kind and hyper-parameters
     * @param trainer   the trainer's settings
     * @param batchSize the training batch size
     * @param refit     training.refit: whether to retrain on the training and validation rows for the best epoch count
     */
    public record Sections(ModelKindSettings model, TrainerSettings trainer, int batchSize, boolean refit) { }

    /**
     * Reads a config's "model" and "training" sections and checks that the config can train, without reading
     * the data: unknown keys (naming the closest known one), wrong types, values out of range, and a
     * "dataset" section the model cannot train on are refused. {@code inspect} and {@link #fromConfig} both call it.
     *
     * @param config a loaded training config
     * @return the sections
     * @throws IllegalArgumentException naming the config file and what to change
     */
    public static Sections checkSections(TrainingConfig config) {
        TrainingConfig.requireTrainable(config.dataset(), config.file().toString());
        try {
            ModelKindSettings model = ModelKindSettings.fromJson(config.model());
            if (model instanceof ModelSettings) {
                ModelSettings.requireDecoderInputs(config.dataset());
            }
            return new Sections(model,
                    ConfigSections.trainerSettings(config.training(), config.model()).build(),
                    ConfigSections.batchSize(config.training()), ConfigSections.refit(config.training()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(config.file() + ": " + e.getMessage(), e);
        }
    }

    /** {@return the whole table, training and validation rows, after fill_missing} */
    public Frame table() {
        return table;
    }

    /** {@return what fill_missing did: per column the method, the cells filled and the series dropped (empty without it)} */
    public MissingValues.FillReport fillReport() {
        return fillReport;
    }

    /** {@return the windows the model trains on} */
    public TimeSeriesDataSet trainingSet() {
        return datasets.training();
    }

    /** {@return the windows that score each epoch (for early stopping and the choice of the best epoch)} */
    public TimeSeriesDataSet validationSet() {
        return datasets.validation();
    }

    /**
     * {@return the windows a refit trains on (those of every training and validation row, no test row), or null
     * without {@link Builder#refit}}
     */
    public TimeSeriesDataSet refitTrainingSet() {
        return refit == null ? null : refit.trainingSet();
    }

    /** {@return the held-out test windows, or null without a test split (neither training nor model selection reads them)} */
    public TimeSeriesDataSet testSet() {
        return datasets.test();
    }

    /** {@return how the rows were split: which rows train, which validate, which are the test} */
    public dev.tempora.data.TimeSplit rows() {
        return datasets.rows();
    }

    /** {@return the split settings: validation windows and the held-out test} */
    public DataSplit split() {
        return datasets.rows().split();
    }

    /** {@return the last time index of any training row} */
    public int trainingCutoff() {
        return datasets.trainingCutoff();
    }

    /** {@return the model being trained (its weights change while {@link #fit} runs)} */
    public ForecastingModel model() {
        return model;
    }

    /** {@return the trainer's settings, output directory excepted} */
    public TrainerSettings trainerSettings() {
        return settings;
    }

    /** {@return training batches per epoch: full batches of the training set, as limit_train_batches allows} */
    public int batchesPerEpoch() {
        return settings.batchesPerEpoch(datasets.training().size() / batchSize);
    }

    /** {@return windows per training batch} */
    public int batchSize() {
        return batchSize;
    }

    /** Asks a running {@link #fit} to stop after the epoch in progress (safe from any thread; before fit, it never starts). */
    public void cancel() {
        cancelled.set(true);
    }

    /**
     * Trains, keeping the epoch with the best validation loss, and returns that model. With an output
     * directory it holds the model (model.safetensors, model.json), metrics.csv and the last state
     * (last-state.safetensors: {@code resume(true)} continues from it bitwise); without one, a temporary
     * directory is used and removed. With {@link Builder#refit}, a fresh model then trains on the training and
     * validation rows for the best epoch count and replaces the model there (the first run's is kept in
     * {@code validated/}; metrics.csv and the last state stay the first run's).
     *
     * @return the best epoch's model (or the refit model) and every epoch's losses of the first run
     * @throws IllegalStateException when called twice, when cancelled before it started, when cancelled
     *                               before the first epoch ended, or when another run writes to the output
     *                               directory (the message names it)
     * @throws UncheckedIOException  when the output directory cannot be written
     */
    public Result fit() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a TrainingJob runs once; build another for another run");
        }
        if (cancelled.get()) {
            throw new IllegalStateException("the training job was cancelled before it started: there is no model");
        }
        long start = System.nanoTime();
        // The output directory is locked for the whole run (the trainer takes the same lock again), so
        // that a second writer is refused before it changes anything.
        try (DirectoryLock lock = outputDirectory != null
                ? DirectoryLock.acquire(outputDirectory, "Tempora training", listener::onWarning) : null) {
            Path dir = outputDirectory != null ? outputDirectory : Files.createTempDirectory("tempora-training");
            try {
                Files.createDirectories(dir);
                DatasetTrainingData data = new DatasetTrainingData(datasets.training(), datasets.validation(), batchSize,
                        settings.seed());
                TrainerSettings run = settings.toBuilder().outputDir(dir).checkpointSections(checkpointSections()).build();
                Trainer.Result r;
                if (model instanceof GradientBoostedTrees trees) {
                    r = TreeTraining.fit(trees, data, run, listener); // nothing to resume: a fit is one deterministic pass
                } else {
                    try (Trainer trainer = new Trainer(model, data, run,
                            TrainingListener.withStopRequest(listener, () -> cancelled.get() || listener.stopRequested()))) {
                        if (resume) {
                            trainer.resume();
                        }
                        r = trainer.fit();
                    }
                }
                if (r.epochs().isEmpty() || !Files.exists(dir.resolve(dev.tempora.models.Checkpoint.WEIGHTS_FILE))) {
                    throw new IllegalStateException("training was cancelled before the first epoch ended: there is no model");
                }
                int refitEpochs = 0;
                boolean stopped = r.stoppedOnRequest();
                if (refit != null && !stopped) {
                    Refit.Trained refitted = refit.train(modelSettings, settings, batchSize, r.epochs(), r.bestEpoch() + 1,
                            TrainingListener.withStopRequest(listener, () -> cancelled.get() || listener.stopRequested()));
                    stopped = refitted.cancelled();
                    if (!stopped) {
                        Refit.keepValidated(dir);
                        Map<String, Object> sections = checkpointSections(refit.trainingSet());
                        sections.put(Refit.SECTION, refitted.section(refit.trainingSet().size()));
                        dev.tempora.models.Checkpoint.save(dir, refitted.model(), sections);
                        refitEpochs = refitted.epochs().size();
                    }
                }
                TrainedModel best = TrainedModel.load(dir);
                return new Result(outputDirectory != null ? best : best.detached(), r.epochs(), r.bestEpoch(),
                        r.bestValidationLoss(), r.stoppedEarly(), stopped, (System.nanoTime() - start) / 1e9, refitEpochs);
            } finally {
                if (outputDirectory == null) {
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("training output: " + e.getMessage(), e);
        }
    }

    /**
     * Lightning's learning-rate finder, as PTF's tutorials run it before training ({@code Tuner.lr_find}):
     * {@code steps} training batches with the learning rate growing exponentially from {@code min} to
     * {@code max}, on a fresh copy of this job's initial model (the job's own model is untouched, so
     * {@link #fit} afterwards starts from the same weights). See {@link LearningRateFinder}.
     *
     * @param min   the first learning rate (PTF's tutorial: 1e-6)
     * @param max   the learning rate the sweep grows towards (PTF's tutorial: 10)
     * @param steps sweep steps (Lightning's default: 100)
     * @return every step's learning rate and loss, and the suggested learning rate
     */
    public LearningRateFinder.Result findLearningRate(double min, double max, int steps) {
        ForecastingModel copy = dev.tempora.models.ModelKinds.create(model.kind(), model.configJson());
        DatasetTrainingData data = new DatasetTrainingData(datasets.training(), datasets.validation(), batchSize, settings.seed());
        return LearningRateFinder.run(copy, data, settings, min, max, steps);
    }

    /**
     * What model.json keeps beside the weights: the data set's description, the fitted preprocessing and the
     * config sections (data options, model settings, training section) that predict needs to prepare new
     * data as the training data was. Other trainers of the same job (the spark module's) save it too.
     *
     * @return the sections, in a fixed order
     */
    public Map<String, Object> checkpointSections() {
        return checkpointSections(datasets.training());
    }

    /** The sections of a model trained on {@code trainedOn}'s windows (the job's training set, or a refit's). */
    private Map<String, Object> checkpointSections(TimeSeriesDataSet trainedOn) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("dataset", trainedOn.description().toJson());
        s.put("preprocessing", trainedOn.preprocessing().toJson());
        s.put(TrainedModel.SPLIT_SECTION, split().toJson());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("data", dataOptions);
        config.put("model", modelSettings.toJson());
        // The loss scale is recorded even when the config left it at its default, so a checkpoint says how it was trained.
        Map<String, Object> training = new LinkedHashMap<>(trainingSection == null ? Map.of() : trainingSection);
        training.put("loss_scale", settings.lossScale().configName());
        config.put("training", training);
        s.put("config", config);
        return s;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * How a run went.
     *
     * @param model              the best epoch's model (by validation loss), or with a refit the refit model
     * @param epochs             every epoch's losses, learning rate and speed, in order
     * @param bestEpoch          the best epoch (0-based)
     * @param bestValidationLoss its validation loss
     * @param stoppedEarly       whether early stopping ended the run
     * @param cancelled          whether {@link #cancel} or the listener ended it
     * @param seconds            the run's wall time, data preparation included
     * @param refitEpochs        the epochs the refit trained on the training and validation rows ({@code bestEpoch + 1});
     *                           0 without a refit (none asked for, or the run was cancelled before it ended)
     */
    public record Result(TrainedModel model, List<EpochResult> epochs, int bestEpoch, double bestValidationLoss,
                         boolean stoppedEarly, boolean cancelled, double seconds, int refitEpochs) {

        /** {@return whether the model was refit on the training and validation rows} */
        public boolean refit() {
            return refitEpochs > 0;
        }
    }

    /** Builds a {@link TrainingJob}; every setting starts at PTF's default. */
    public static final class Builder {
        private final Frame frame;
        private final DatasetParameters parameters;
        private String where = "TrainingJob";
        private DataSplit split = DataSplit.defaults();
        private ModelKindSettings model = ModelSettings.defaults();
        private TrainerSettings trainer = TrainerSettings.builder().build();
        private int batchSize = 128;
        private TrainingListener listener;
        private Path outputDirectory;
        private boolean resume;
        private Map<String, Object> dataOptions = Map.of();
        private Map<String, Object> trainingSection = Map.of();
        private MissingValues.Options fillMissing = MissingValues.Options.none();
        private boolean refit;

        private Builder(Frame frame, DatasetParameters parameters) {
            this.frame = java.util.Objects.requireNonNull(frame, "table");
            this.parameters = java.util.Objects.requireNonNull(parameters, "parameters");
        }

        /**
         * The model's kind and hyper-parameters (default: the TFT with PTF's): {@link ModelSettings} for the TFT,
         * {@link LinearModelSettings} for NLinear and DLinear.
         *
         * @param settings the settings of one kind, not null
         * @return this builder
         */
        public Builder model(ModelKindSettings settings) {
            this.model = java.util.Objects.requireNonNull(settings, "model settings");
            return this;
        }

        /**
         * The trainer's settings: epochs, optimiser, clipping, early stopping, workers, device, seed.
         *
         * @param settings the trainer's settings, not null (its output directory is replaced by the job's)
         * @return this builder
         */
        public Builder trainer(TrainerSettings settings) {
            this.trainer = java.util.Objects.requireNonNull(settings, "trainer settings");
            return this;
        }

        /**
         * Changes the trainer's settings in place, e.g. {@code .trainer(t -> t.maxEpochs(5).seed(7))}.
         *
         * @param change applied to a builder holding the current trainer settings
         * @return this builder
         */
        public Builder trainer(java.util.function.UnaryOperator<TrainerSettings.Builder> change) {
            this.trainer = change.apply(trainer.toBuilder()).build();
            return this;
        }

        /**
         * Windows per training batch (default 128).
         *
         * @param windows at least 1
         * @return this builder
         */
        public Builder batchSize(int windows) {
            if (windows < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + windows);
            }
            this.batchSize = windows;
            return this;
        }

        /**
         * How the rows are split by time (default: each series' last horizon validates, no test): several
         * validation windows per series, a held-out test, or PTF's one training cutoff.
         *
         * @param split the split, not null
         * @return this builder
         */
        public Builder split(DataSplit split) {
            this.split = java.util.Objects.requireNonNull(split, "split");
            return this;
        }

        /**
         * Holds out a test that training, validation and the choice of the best epoch never see.
         *
         * @param test e.g. {@code DataSplit.TestSplit.lastSteps(168)}; null for none
         * @return this builder
         */
        public Builder test(DataSplit.TestSplit test) {
            this.split = split.withTest(test);
            return this;
        }

        /**
         * Validates on each series' last {@code windows} forecast windows, {@code stride} steps apart, so that
         * early stopping follows an average over windows rather than one noisy window.
         *
         * @param windows at least 1 (default 1)
         * @param stride  steps between their origins, or null for the horizon
         * @return this builder
         */
        public Builder validationWindows(int windows, Integer stride) {
            this.split = split.withValidationWindows(windows, stride);
            return this;
        }

        /**
         * PTF's training cutoff: the last time index of the training rows of every series (default: each
         * series' own, before its validation windows).
         *
         * @param timeIdx the cutoff on the time index column, or null for the default
         * @return this builder
         */
        public Builder trainingCutoff(Integer timeIdx) {
            this.split = split.withTrainingCutoff(timeIdx, split.predictValidation());
            return this;
        }

        /**
         * With a training cutoff: validate on each series' last window (true, PTF's predict=True and the
         * default) or on every window after the cutoff.
         *
         * @param lastWindowOnly true for each series' last window only, false for every window after the cutoff
         * @return this builder
         */
        public Builder predictValidation(boolean lastWindowOnly) {
            this.split = split.withTrainingCutoff(split.trainingCutoff(), lastWindowOnly);
            return this;
        }

        /**
         * After the validated run, retrain a fresh model (same seed and settings) on the training and validation rows
         * for the best epoch count, with no validation-based choice, and keep it as the model (training.refit; see
         * docs/config.md). The first run's learning rates are replayed epoch by epoch in place of ReduceLROnPlateau.
         * The test rows stay held out.
         *
         * @param refit true to refit (default false)
         * @return this builder
         */
        public Builder refit(boolean refit) {
            this.refit = refit;
            return this;
        }

        /**
         * Receives progress: batches, epochs (losses, samples/s, ETA) and warnings.
         *
         * @param listener the listener, or null for none
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * Where the model, metrics.csv and the last state go (default: a temporary directory, removed after fit).
         *
         * @param directory created when missing; null for a temporary directory
         * @return this builder
         */
        public Builder outputDirectory(Path directory) {
            this.outputDirectory = directory;
            return this;
        }

        /**
         * Continue from the output directory's last state (bitwise as if never stopped).
         *
         * @param resume true to continue; needs an {@link #outputDirectory} holding last-state.safetensors
         * @return this builder
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * How to read new tables for this model (a config's "data" options: dtypes, csv, derived_columns),
         * saved in model.json so that {@link TrainedModel#readTable} reads them as the training data was.
         *
         * @param options the "data" options, copied
         * @return this builder
         */
        public Builder dataOptions(Map<String, Object> options) {
            this.dataOptions = new LinkedHashMap<>(options);
            return this;
        }

        /**
         * How to fill missing values before the data sets are built (a config's data.fill_missing): per series
         * in time order, e.g. {@code .fillMissing(MissingValues.Options.of(Method.LINEAR, Method.FORWARD))}.
         * The options are saved in model.json, so that predict fills the history of new data the same way.
         *
         * @param options the methods for the target, the other numeric inputs and single columns; not null
         *                ({@link MissingValues.Options#none()}: a missing value stays an error, the default)
         * @return this builder
         */
        public Builder fillMissing(MissingValues.Options options) {
            this.fillMissing = java.util.Objects.requireNonNull(options, "fill_missing options");
            return this;
        }

        /**
         * Builds the training and validation data sets and the model.
         *
         * @return the job, ready to {@link TrainingJob#fit}
         * @throws IllegalArgumentException naming what is wrong with the data or the settings
         */
        public TrainingJob build() {
            if (resume && outputDirectory == null) {
                throw new IllegalArgumentException("resume needs the output directory that holds the last state");
            }
            if (resume && !Files.isRegularFile(outputDirectory.resolve(Trainer.LAST_STATE_FILE))) {
                throw new IllegalArgumentException("no last state in " + outputDirectory + " (no " + Trainer.LAST_STATE_FILE
                        + "): train without --resume (resume(false)) first");
            }
            return new TrainingJob(this);
        }
    }
}
