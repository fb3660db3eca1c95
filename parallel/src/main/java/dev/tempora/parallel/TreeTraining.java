package dev.tempora.parallel;

import dev.tempora.models.Checkpoint;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.models.ModelInputs;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.AtomicFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits a {@link GradientBoostedTrees} model where the {@link Trainer} would train a network: on every full training
 * batch of one pass (the trees see every window once; limit_train_batches, epochs, the optimiser and early stopping
 * do not apply), then scores the validation batches with the same quantile loss, on the settings' loss scale. The
 * result reads as a one-epoch run: with an output directory the model and metrics.csv are written there, as the
 * trainer writes them.
 */
public final class TreeTraining {

    private TreeTraining() {}

    /**
     * Fits the trees and scores them.
     *
     * @param model    the model to fit, in place
     * @param data     the training and validation batches (epoch 0's order)
     * @param settings the loss scale and, when set, the output directory and the checkpoint's sections
     * @param listener told of the start and of the one "epoch" (may be null)
     * @return one epoch's result; the best epoch is that one
     * @throws IOException when the output directory cannot be written
     */
    public static Trainer.Result fit(GradientBoostedTrees model, TrainingData data, TrainerSettings settings,
                                     TrainingListener listener) throws IOException {
        requireCpu(model, settings);
        TrainingListener told = listener != null ? listener : new TrainingListener() { };
        int batches = data.batchesPerEpoch();
        if (batches == 0) {
            throw new IllegalArgumentException("the training set has no full batch: fewer windows than the batch size");
        }
        told.onStart(1, batches);
        long start = System.nanoTime();
        List<TrainingBatch> training = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            training.add(settings.lossScale().apply(data.trainingBatch(0, b)));
        }
        List<ModelInputs> inputs = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        long samples = 0;
        for (TrainingBatch b : training) {
            inputs.add(b.inputs());
            targets.add(b.target());
            weights.add(b.weight());
            samples += b.size();
        }
        model.fit(inputs, targets, weights);
        double seconds = (System.nanoTime() - start) / 1e9;
        // Scored as the Trainer scores the networks: the engine's loss over all valid steps, sharded.
        DataParallelEngine engine = new DataParallelEngine(model, settings.workers(), settings.shards());
        double trainLoss = engine.validationLoss(training);
        List<TrainingBatch> validation = data.validationBatches().stream().map(settings.lossScale()::apply).toList();
        // No valid validation step (no validation rows): NaN rather than an error, as before any score exists.
        double validationLoss = validation.stream().mapToLong(TrainingBatch::validSteps).sum() == 0 ? Double.NaN
                : engine.validationLoss(validation);
        EpochResult row = new EpochResult(0, trainLoss, validationLoss, model.config().booster().learningRate(), samples / Math.max(seconds, 1e-9), seconds,
                0, true, 0);
        if (settings.outputDir() != null) {
            Checkpoint.save(settings.outputDir(), model, settings.checkpointSections());
            AtomicFiles.writeString(settings.outputDir().resolve(Trainer.METRICS_FILE),
                    EpochResult.CSV_HEADER + "\n" + row.toCsv() + "\n");
        }
        told.onEpoch(row);
        return new Trainer.Result(List.of(row), validationLoss, 0, false, false);
    }

    /**
     * Refuses a device other than the CPU: the trees have no other path.
     *
     * @param model    the model to fit
     * @param settings the trainer settings that name the device
     * @throws IllegalArgumentException naming the device to leave out
     */
    public static void requireCpu(GradientBoostedTrees model, TrainerSettings settings) {
        if (!settings.device().equals("cpu")) {
            throw new IllegalArgumentException(model.kind() + " fits on the CPU; leave out the device \"" + settings.device() + "\"");
        }
    }
}
