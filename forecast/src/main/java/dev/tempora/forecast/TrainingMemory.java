package dev.tempora.forecast;

import dev.tempora.data.DatasetDescription;
import dev.tempora.models.TftConfig;
import dev.tempora.models.TftSize;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.tensor.MemoryBudget;

import java.util.Locale;

/**
 * The heap a training run needs beyond its data, estimated from the settings before the model is
 * allocated: the parameters in all their copies (weights, gradients, one gradient set per shard, the
 * optimiser's state) and the activations a batch keeps for the backward pass (every shard keeps its
 * buffers for the next batch, so a whole batch's worth stays allocated).
 *
 * @param parameters          the model's parameter count
 * @param parameterCopies     float copies of the parameters training holds
 * @param batchSize           windows per batch
 * @param steps               time steps per window (max_encoder_length + max_prediction_length)
 * @param activationsPerWindow floats one window keeps between forward and backward
 * @param optimizer           the optimiser, named in the message; null for a model fitted in one pass (the trees),
 *                            whose "batch" is every training window and whose parameters are its nodes' arrays
 */
record TrainingMemory(long parameters, int parameterCopies, int batchSize, int steps, long activationsPerWindow, String optimizer) {

    /**
     * The estimate for a model configuration and the trainer's settings.
     *
     * @param config           the model that would be built
     * @param settings         the trainer's settings (shards, optimiser)
     * @param batchSize        windows per batch
     * @param encoderLength    max_encoder_length
     * @param predictionLength max_prediction_length
     * @return the estimate
     */
    static TrainingMemory estimate(TftConfig config, TrainerSettings settings, int batchSize, int encoderLength,
                                   int predictionLength) {
        return estimate(TftSize.parameters(config), TftSize.activationsPerWindow(config, encoderLength, predictionLength),
                settings, batchSize, encoderLength + predictionLength);
    }

    /**
     * The estimate for the model a kind's settings would make on a data set, and the trainer's settings.
     *
     * @param model       the model's settings, of any kind
     * @param description the training data set's description (variables and lengths)
     * @param settings    the trainer's settings (shards, optimiser)
     * @param batchSize   windows per batch
     * @param windows     the training windows (a model fitted in one pass holds all their rows)
     * @return the estimate
     */
    static TrainingMemory estimate(ModelKindSettings model, DatasetDescription description, TrainerSettings settings,
                                   int batchSize, int windows) {
        if (model instanceof TreeModelSettings) { // every window's rows at once, and the nodes' seven arrays
            return new TrainingMemory(model.parameterCount(description), 7, windows, description.maxEncoderLength()
                    + description.maxPredictionLength(), model.activationsPerWindow(description), null);
        }
        return estimate(model.parameterCount(description), model.activationsPerWindow(description), settings, batchSize,
                description.maxEncoderLength() + description.maxPredictionLength());
    }

    private static TrainingMemory estimate(long parameters, long activationsPerWindow, TrainerSettings settings,
                                           int batchSize, int steps) {
        // Weights and their gradients, a gradient set per shard, and the optimiser's moments (Ranger also keeps slow weights).
        int optimizerState = settings.optimizer().equals("ranger") ? 3 : 2;
        int copies = 2 + settings.shards() + optimizerState;
        return new TrainingMemory(parameters, copies, batchSize, steps, activationsPerWindow, settings.optimizer());
    }

    /** {@return bytes of the parameters' copies} */
    long parameterBytes() {
        return MemoryBudget.product(parameters, parameterCopies, Float.BYTES);
    }

    /** {@return bytes of one batch's activations} */
    long activationBytes() {
        return MemoryBudget.product(activationsPerWindow, batchSize, Float.BYTES);
    }

    /** {@return the total estimate in bytes} */
    long bytes() {
        long p = parameterBytes();
        long a = activationBytes();
        return p > Long.MAX_VALUE - a ? Long.MAX_VALUE : p + a;
    }

    /** {@return what needs the memory, for {@link MemoryBudget#require}'s message} */
    String describe() {
        if (optimizer == null) {
            return String.format(Locale.ROOT, "fitting's %,d tree nodes at most (%d arrays; %s) and every window's feature rows "
                    + "(%,d windows of %d steps; %s)", parameters, parameterCopies, MemoryBudget.size(parameterBytes()), batchSize,
                    steps, MemoryBudget.size(activationBytes()));
        }
        return String.format(Locale.ROOT, "training's %,d parameters (%d copies: weights, gradients, %d shard gradients and %s's "
                        + "state; %s) and a batch's activations (%d windows of %d steps; %s)", parameters, parameterCopies,
                parameterCopies - 2 - (optimizer.equals("ranger") ? 3 : 2), optimizer, MemoryBudget.size(parameterBytes()),
                batchSize, steps, MemoryBudget.size(activationBytes()));
    }

    /**
     * Throws unless the estimate fits the heap.
     *
     * @throws IllegalArgumentException saying how much is needed and how to give Java more
     */
    void require() {
        MemoryBudget.require(bytes(), describe(), optimizer == null
                ? "lower the trees' trees or max_depth, or fit on fewer windows (a shorter history or fewer series)"
                : "lower batch_size, the model's size (hidden_size for the TFT), max_encoder_length or max_prediction_length");
    }
}
