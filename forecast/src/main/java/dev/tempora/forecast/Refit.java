package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimeSplit;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;
import dev.tempora.parallel.EpochResult;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TreeTraining;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The refit after a validated run (training.refit, {@code train --refit}), as M4 entries and Darts' and sktime's
 * refit do it: the first run chose the epoch count E on validation; a fresh model with the same seed and settings
 * then trains on every row but the test (the training and the validation rows) for exactly E epochs. Nothing is
 * chosen on validation any more: early stopping is off, and ReduceLROnPlateau is replaced by the first run's
 * learning rates, epoch by epoch, so the refit follows the schedule the validation loss set in the first run.
 * The test rows stay held out: the refit's windows are made of {@link TimeSplit#visibleRows} only.
 */
final class Refit {

    /** model.json's section that says a model was refit: {"epochs": E, "learning_rates": [...], "windows": N}. */
    static final String SECTION = "refit";

    /** The subdirectory of the output directory that keeps the first run's best-epoch model. */
    static final String VALIDATED = "validated";

    private final TimeSeriesDataSet training;
    private final TimeSeriesDataSet validation;

    /**
     * The refit's windows: every non-test row of {@code table}, its preprocessing fitted on them.
     *
     * @param table      the job's table, after fill_missing
     * @param rows       the job's split of it
     * @param parameters the data set's parameters
     */
    Refit(Frame table, TimeSplit rows, DatasetParameters parameters) {
        Frame visible = rows.visibleRows(table);
        this.training = TimeSeriesDataSet.create(visible, parameters);
        // The trainer scores an epoch on validation windows; these are in-sample now and only reported, never used.
        this.validation = TimeSplit.validationSet(training.preprocessing(), visible, rows.split());
    }

    /** {@return the windows the refit trains on: those of the training and the validation rows} */
    TimeSeriesDataSet trainingSet() {
        return training;
    }

    /**
     * Trains a fresh model for the first run's best epoch count, replaying its learning rates.
     *
     * @param settings  the job's model settings
     * @param trainer   the job's trainer settings (the output directory is not used: the caller saves the model)
     * @param batchSize windows per batch
     * @param first     the first run's epochs, in order
     * @param epochs    E, the first run's best epoch count (1-based)
     * @param listener  told of the refit's progress
     * @return the refit model and its epochs
     * @throws IOException never in practice: the trainer writes nothing without an output directory
     */
    Trained train(ModelKindSettings settings, TrainerSettings trainer, int batchSize, List<EpochResult> first, int epochs,
                  TrainingListener listener) throws IOException {
        ForecastingModel model = settings.create(training.description(), trainer.seed());
        if (model instanceof GradientBoostedTrees trees) { // fitted once on every window, the same settings and seed
            DatasetTrainingData data = new DatasetTrainingData(training, validation, batchSize, trainer.seed());
            Trainer.Result result = TreeTraining.fit(trees, data, trainer.toBuilder().outputDir(null).build(), listener);
            return new Trained(trees, result.epochs(), List.of(trees.config().booster().learningRate()), false);
        }
        List<Double> rates = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            rates.add(first.get(e).learningRate());
        }
        TrainerSettings run = trainer.toBuilder().outputDir(null).maxEpochs(epochs).earlyStopping(0, 0)
                .reduceOnPlateau(0, trainer.reduceOnPlateauFactor(), trainer.reduceOnPlateauMinLr())
                .learningRate(rates.get(0)).build();
        DatasetTrainingData data = new DatasetTrainingData(training, validation, batchSize, trainer.seed());
        Trainer[] holder = new Trainer[1];
        TrainingListener replay = new TrainingListener() {
            @Override
            public void onStart(int maxEpochs, int batchesPerEpoch) {
                listener.onStart(maxEpochs, batchesPerEpoch);
            }

            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double samplesPerSecond, double etaSeconds) {
                listener.onBatch(epoch, batch, batches, loss, samplesPerSecond, etaSeconds);
            }

            @Override
            public void onEpoch(EpochResult result) {
                // The next epoch runs at the learning rate the first run's scheduler had set for it.
                if (result.epoch() + 1 < rates.size()) {
                    holder[0].optimizer().setLearningRate(rates.get(result.epoch() + 1));
                }
                listener.onEpoch(result);
            }

            @Override
            public void onWarning(String message) {
                listener.onWarning(message);
            }

            @Override
            public boolean stopRequested() {
                return listener.stopRequested();
            }
        };
        Trainer.Result result;
        try (Trainer t = new Trainer(model, data, run, replay)) {
            holder[0] = t;
            result = t.fit();
        }
        return new Trained(model, result.epochs(), rates, result.stoppedOnRequest());
    }

    /**
     * Copies the first run's best-epoch model (weights, model.json, checksums) into {@code dir}/{@value #VALIDATED}
     * before the refit model replaces it, so that the two can be compared (it loads as a model directory).
     *
     * @param dir the job's output directory, holding the first run's model
     * @throws IOException when a file cannot be copied
     */
    static void keepValidated(Path dir) throws IOException {
        Path validated = dir.resolve(VALIDATED);
        Files.createDirectories(validated);
        for (String file : List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE, Checkpoint.MANIFEST_FILE)) {
            if (Files.exists(dir.resolve(file))) {
                Files.copy(dir.resolve(file), validated.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * A refit's outcome.
     *
     * @param model         the refit model, trained for every epoch
     * @param epochs        its epochs (validation losses are in-sample: the validation rows were trained on)
     * @param learningRates the learning rate of each epoch, the first run's
     * @param cancelled     whether a stop request ended it before the last epoch
     */
    record Trained(ForecastingModel model, List<EpochResult> epochs, List<Double> learningRates, boolean cancelled) {

        /** {@return model.json's refit section} */
        Map<String, Object> section(int windows) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("epochs", epochs.size());
            s.put("learning_rates", learningRates);
            s.put("windows", windows);
            return s;
        }
    }
}
