package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.GradientClipping;
import dev.tempora.models.Optimizer;
import java.util.List;

/**
 * Where the {@link Trainer}'s steps run. The trainer keeps the schedule (epochs, batches, seeds), the
 * decisions (skip or stop on a non-finite step, early stopping, the learning rate) and the files; a
 * backend computes. {@link #cpu} is the data-parallel engine on this machine's cores; an
 * {@link Accelerator} supplies another (the CUDA backend keeps the weights and the optimiser's state on the
 * GPU and hands them back through {@link #copyToHost} before every checkpoint).
 */
public interface TrainingBackend extends AutoCloseable {

    /** Makes a backend for a model, the CPU optimiser the trainer schedules, and the settings. */
    @FunctionalInterface
    interface Factory {
        /**
         * A backend that trains {@code model}.
         *
         * @param model     the model, which the backend starts from and trains on its own loss
         * @param optimizer the CPU optimiser the trainer schedules and saves
         * @param settings  the training settings
         * @return the backend
         * @throws IllegalArgumentException if the backend cannot train this model or these settings
         */
        TrainingBackend create(ForecastingModel model, Optimizer optimizer, TrainerSettings settings);
    }

    /**
     * What one step computed.
     *
     * @param loss         the batch's loss
     * @param gradientNorm the gradients' global norm before clipping
     */
    record Step(double loss, double gradientNorm) {}

    /**
     * Forward, loss and backward on {@code batch} with the dropout seed {@code seed}, then clipping to
     * {@code maxNorm} (infinite: none). The optimiser has not moved yet.
     *
     * @param batch   the batch
     * @param seed    the step's dropout seed
     * @param maxNorm the global norm to clip the gradients to
     * @return the loss and the gradient norm before clipping
     */
    Step computeGradients(TrainingBatch batch, long seed, double maxNorm);

    /** Applies the optimiser's update to the gradients of the last step. */
    void applyUpdate();

    /**
     * The mean validation loss of the current weights (eval mode).
     *
     * @param batches the validation batches
     * @return the loss averaged over their valid decoder steps
     */
    double validationLoss(List<TrainingBatch> batches);

    /** Makes the CPU model and optimiser hold the backend's weights and state (before a checkpoint). */
    void copyToHost();

    /** Loads the CPU model's and optimiser's weights and state into the backend (after a resume). */
    void copyFromHost();

    /** Releases what the backend holds (device memory); nothing by default. */
    @Override
    default void close() {
    }

    /**
     * The CPU backend: {@link DataParallelEngine}, {@code GradientClipping}, the CPU optimiser.
     *
     * @param engine     the engine that computes the gradients
     * @param parameters the parameters to clip, the engine's model's
     * @param optimizer  the optimiser that updates them
     * @return the backend
     */
    static TrainingBackend cpu(DataParallelEngine engine, List<Variable> parameters, Optimizer optimizer) {
        return new TrainingBackend() {
            @Override
            public Step computeGradients(TrainingBatch batch, long seed, double maxNorm) {
                double loss = engine.trainStep(batch, seed);
                double norm = GradientClipping.clipByGlobalNorm(parameters, maxNorm);
                return new Step(loss, norm);
            }

            @Override
            public void applyUpdate() {
                optimizer.step();
            }

            @Override
            public double validationLoss(List<TrainingBatch> batches) {
                return engine.validationLoss(batches);
            }

            @Override
            public void copyToHost() {
            }

            @Override
            public void copyFromHost() {
            }
        };
    }
}
