package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
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
        double trainLoss = loss(model, training);
        double validationLoss = loss(model, data.validationBatches().stream().map(settings.lossScale()::apply).toList());
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

    /** The quantile loss over the batches' valid steps (each batch's mean weighted by its steps), NaN for none. */
    private static double loss(GradientBoostedTrees model, List<TrainingBatch> batches) {
        double sum = 0;
        long steps = 0;
        try (var off = GradMode.noGrad()) {
            for (TrainingBatch b : batches) {
                long valid = b.validSteps();
                if (valid == 0) {
                    continue;
                }
                var prediction = model.forward(b.inputs(), false).prediction();
                sum += model.loss(prediction, b.target(), b.weight(), b.inputs().decoderLengths(), valid).item() * valid;
                steps += valid;
            }
        }
        return steps == 0 ? Double.NaN : sum / steps;
    }
}
