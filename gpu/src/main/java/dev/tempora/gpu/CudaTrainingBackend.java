package dev.tempora.gpu;

import dev.tempora.autograd.Variable;
import dev.tempora.gpu.tft.DeviceTemporalFusionTransformer;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Optimizer;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.LossScale;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBackend;
import dev.tempora.parallel.TrainingBatch;
import java.util.List;

/**
 * The {@link dev.tempora.parallel.Trainer}'s steps on a GPU: the weights, gradients and the optimiser's state
 * stay on the device; each step copies the batch into fixed device buffers (one set per batch shape, each
 * with its captured CUDA graph of forward, backward and clipping), reads back the loss and the gradient norm
 * so the trainer can skip or stop on a non-finite step as on the CPU, and only then applies the update at the
 * trainer's current learning rate. Weights and optimiser state come back to the CPU model and optimiser
 * before every checkpoint, so checkpoints and resumed runs are the same files as on the CPU.
 */
public final class CudaTrainingBackend implements TrainingBackend {
    private final DeviceTemporalFusionTransformer gpu;
    private final Optimizer cpuOptimizer;
    /** The clipping norm the captured graphs were recorded with (kernel arguments of the graph). */
    private final float clip;
    private final List<Variable> cpuParameters;
    private final DeviceBatchBuffers buffers;
    // The device's loss kernels take no weights yet.
    private static final String UNWEIGHTED_ONLY = "the CUDA backend trains on the loss in target units only: "
            + "loss_scale \"normalised\" and a data set weight column train on the CPU for now (--device cpu), "
            + "or set \"training\": {\"loss_scale\": \"target\"} and leave the weight column out";

    /**
     * Copies the model's weights to the device and captures its steps as the settings ask.
     *
     * @param device       the GPU
     * @param model        the model to train; the TFT only
     * @param cpuOptimizer the CPU optimiser the trainer schedules and saves
     * @param settings     the training settings (optimiser, learning rate, weight decay, clipping)
     * @throws IllegalArgumentException if the model is not a TFT (train it with --device cpu) or the
     *                                  settings are ones the device cannot run (a loss on the normalised scale)
     */
    public CudaTrainingBackend(GpuDevice device, ForecastingModel model, Optimizer cpuOptimizer,
                               TrainerSettings settings) {
        if (settings.lossScale() != LossScale.TARGET) {
            throw new IllegalArgumentException(UNWEIGHTED_ONLY);
        }
        TemporalFusionTransformer tft = CudaAccelerator.tftOnly(model, "train");
        this.cpuOptimizer = cpuOptimizer;
        this.cpuParameters = model.parameters();
        this.clip = settings.gradientClipVal() > 0 ? (float) settings.gradientClipVal() : Float.POSITIVE_INFINITY;
        this.gpu = new DeviceTemporalFusionTransformer(device, tft, settings.optimizer(), settings.learningRate(),
                settings.weightDecay(), clip, true);
        this.buffers = new DeviceBatchBuffers(gpu);
    }

    @Override
    public Step computeGradients(TrainingBatch batch, long seed, double maxNorm) {
        if ((float) maxNorm != clip) {
            throw new IllegalArgumentException("the device's steps were captured clipping to " + clip
                    + "; asked to clip to " + maxNorm);
        }
        requireUnweighted(batch);
        gpu.computeClippedGradients(buffers.fill(batch.inputs(), batch.target()), seed);
        return new Step(gpu.lastLoss(), gpu.lastGradientNorm());
    }

    private static void requireUnweighted(TrainingBatch batch) {
        if (batch.weight() != null) {
            throw new IllegalArgumentException(UNWEIGHTED_ONLY);
        }
    }

    @Override
    public void applyUpdate() {
        gpu.applyUpdate(cpuOptimizer.learningRate());
    }

    @Override
    public double validationLoss(List<TrainingBatch> batches) {
        long validSteps = 0;
        for (TrainingBatch b : batches) {
            requireUnweighted(b);
            validSteps += b.validSteps();
        }
        if (validSteps == 0) {
            throw new IllegalArgumentException("the validation set has no valid decoder step");
        }
        double sum = 0;
        for (TrainingBatch b : batches) {
            sum += gpu.validationLoss(buffers.fill(b.inputs(), b.target()), validSteps);
        }
        return sum;
    }

    @Override
    public void copyToHost() {
        gpu.copyParametersToCpu();
        cpuOptimizer.loadState(gpu.optimizerState(cpuParameters));
    }

    @Override
    public void copyFromHost() {
        gpu.copyParametersFromCpu();
        gpu.loadOptimizerState(cpuOptimizer.state(), cpuParameters);
    }

    @Override
    public void close() {
        buffers.close();
        gpu.close();
    }
}
