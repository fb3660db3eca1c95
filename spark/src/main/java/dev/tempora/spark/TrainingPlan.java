package dev.tempora.spark;

import dev.tempora.data.DataSplit;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimeSplit;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.DatasetTrainingData;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingData;
import dev.tempora.tensor.io.Json;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a training task needs besides its own rows, prepared once on the driver and sent to every task
 * (a Spark broadcast): the trainer's settings, the batch size, the fitted preprocessing (target normaliser, encoders,
 * scalers: fitted on the whole training split, so every task prepares its rows as a one-process run does), where
 * the partitions and the initial model lie, and the output directory that rank 0 writes.
 *
 * <p>{@link #prepare} loads the config's table, fits the preprocessing, builds the model (its initial weights
 * follow from the seed) and writes, under {@code OUT/partitions}, each partition's training rows and all its rows
 * (for validation) as Parquet, and the initial model. Every path is on storage that the driver and every executor
 * reach (a shared file system).
 */
public final class TrainingPlan implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The folder under the output directory that holds the partitions and the initial model. */
    public static final String PARTITIONS_FOLDER = "partitions";

    /** The folder under {@link #PARTITIONS_FOLDER} that holds the model every rank starts from. */
    public static final String INITIAL_MODEL_FOLDER = "initial-model";

    private final String outputDirectory;
    private final int tasks;
    private final int batchSize;
    private final String preprocessingJson;
    /** The split as JSON (the record is not Serializable): validation windows and the held-out test. */
    private final String splitJson;
    /** The trainer's settings as their record components (the record is not Serializable); no output directory. */
    private final Object[] settings;

    private TrainingPlan(Path outputDirectory, int tasks, int batchSize, Preprocessing preprocessing, DataSplit split,
                         TrainerSettings settings) {
        this.outputDirectory = outputDirectory.toAbsolutePath().toString();
        this.tasks = tasks;
        this.batchSize = batchSize;
        this.preprocessingJson = Json.write(preprocessing.toJson());
        this.splitJson = Json.write(split.toJson());
        this.settings = components(settings.toBuilder().outputDir(null).build());
    }

    /**
     * Loads the table a config describes, fits its preprocessing, splits it by series into {@code tasks} partitions
     * and writes them with the initial model under {@code outputDirectory/partitions}.
     *
     * @param configure changes to the config's trainer settings (epochs, batch limit, checkpoints, workers per task)
     * @param resume    continue from the last state in {@code outputDirectory}; without it a last state left there by
     *                  an earlier run is deleted, so that a retried task cannot resume from another run's state
     * @throws IllegalArgumentException for a bad config (training.refit included: Spark does not refit), fewer series than tasks, or a shard count that tasks do not divide
     */
    public static TrainingPlan prepare(TrainingConfig config, Path outputDirectory, int tasks,
                                       java.util.function.UnaryOperator<TrainerSettings.Builder> configure,
                                       boolean resume) {
        if (tasks < 1) {
            throw new IllegalArgumentException("--tasks must be at least 1, got " + tasks);
        }
        if (TrainingJob.checkSections(config).refit()) {
            throw new IllegalArgumentException(config.file() + ": training.refit is not supported on Spark: set it to false, "
                    + "or train on one machine");
        }
        TrainingJob job = TrainingJob.fromConfig(config).trainer(configure).build();
        TrainerSettings settings = job.trainerSettings();
        if (settings.shards() % tasks != 0) {
            throw new IllegalArgumentException("the " + settings.shards() + " shards of a batch must divide among the " + tasks
                    + " tasks; use a number of tasks that divides " + settings.shards());
        }
        TimeSeriesDataSet training = job.trainingSet();
        Preprocessing preprocessing = training.preprocessing();
        DatasetParameters parameters = preprocessing.parameters();
        Frame table = job.table();
        TimeSplit rows = job.rows();
        int[] partition = SeriesPartitions.assign(table, parameters.groupIds, tasks);
        int[] trainingPartition = partition.clone();
        for (int r = 0; r < partition.length; r++) {
            if (rows.isTest(r)) {
                partition[r] = -1; // the held-out test: in no partition
            }
            if (!rows.isTraining(r)) {
                trainingPartition[r] = -1; // a validation row: in the partition's visible rows only
            }
        }
        Map<String, Object> sections = job.checkpointSections();
        Path folder = outputDirectory.resolve(PARTITIONS_FOLDER);
        try {
            Files.createDirectories(folder);
            if (!resume) {
                Files.deleteIfExists(outputDirectory.resolve(dev.tempora.parallel.Trainer.LAST_STATE_FILE));
            } else if (!Files.exists(outputDirectory.resolve(dev.tempora.parallel.Trainer.LAST_STATE_FILE))) {
                throw new IllegalArgumentException("--resume: no " + dev.tempora.parallel.Trainer.LAST_STATE_FILE + " in "
                        + outputDirectory);
            }
            SeriesPartitions.write(table, trainingPartition, tasks, folder, "training");
            SeriesPartitions.write(table, partition, tasks, folder, "all");
            Checkpoint.save(folder.resolve(INITIAL_MODEL_FOLDER), job.model(), sections);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the partitions to " + folder + ": " + e.getMessage(), e);
        }
        TrainerSettings run = settings.toBuilder().checkpointSections(sections).build();
        return new TrainingPlan(outputDirectory, tasks, job.batchSize(), preprocessing, job.split(), run);
    }

    /** The number of tasks (ranks) and partitions. */
    public int tasks() {
        return tasks;
    }

    /** Where rank 0 writes the model, metrics.csv and the last state (checkpoints). */
    public Path outputDirectory() {
        return Path.of(outputDirectory);
    }

    /** The rank-0 checkpoint that a retried task resumes from. */
    public Path lastState() {
        return outputDirectory().resolve(dev.tempora.parallel.Trainer.LAST_STATE_FILE);
    }

    /** The trainer's settings of one rank: {@code outputDirectory} for rank 0, null for the others. */
    public TrainerSettings settings(Path outputDirectory) {
        return rebuild(settings).toBuilder().outputDir(outputDirectory).build();
    }

    /** The model every rank starts from: the driver's, built from the config and the seed. */
    public ForecastingModel initialModel() {
        try {
            return Checkpoint.load(partitionsFolder().resolve(INITIAL_MODEL_FOLDER)).model();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the initial model: " + e.getMessage(), e);
        }
    }

    /**
     * Partition {@code rank}'s data: its training windows (shuffled with the run's seed) and its validation windows,
     * prepared with the driver's preprocessing. Reads that partition's files only.
     */
    public TrainingData partition(int rank) {
        if (rank < 0 || rank >= tasks) {
            throw new IllegalArgumentException("rank " + rank + " is not in [0, " + tasks + ")");
        }
        Preprocessing preprocessing = Preprocessing.fromJson(Json.parseObject(preprocessingJson));
        Frame trainingRows = ParquetFiles.read(SeriesPartitions.file(partitionsFolder(), "training", rank));
        Frame allRows = ParquetFiles.read(SeriesPartitions.file(partitionsFolder(), "all", rank));
        // As TrainingConfig.split builds the validation set from the training set's preprocessing.
        TimeSeriesDataSet training = TimeSeriesDataSet.fromPreprocessing(preprocessing, trainingRows, preprocessing.parameters());
        TimeSeriesDataSet validation = TimeSplit.validationSet(preprocessing, allRows,
                DataSplit.fromSplitJson(Json.parseObject(splitJson)));
        TrainerSettings s = rebuild(settings);
        return new DatasetTrainingData(training, validation, batchSize, s.seed());
    }

    private Path partitionsFolder() {
        return outputDirectory().resolve(PARTITIONS_FOLDER);
    }

    private static Object[] components(TrainerSettings settings) {
        RecordComponent[] parts = TrainerSettings.class.getRecordComponents();
        Object[] values = new Object[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                values[i] = parts[i].getAccessor().invoke(settings);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading the trainer settings: " + e, e);
        }
        return values;
    }

    private static TrainerSettings rebuild(Object[] values) {
        RecordComponent[] parts = TrainerSettings.class.getRecordComponents();
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
        }
        try {
            return TrainerSettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("rebuilding the trainer settings: " + e, e);
        }
    }
}
