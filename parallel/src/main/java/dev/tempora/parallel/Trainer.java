package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Adam;
import dev.tempora.models.AdamW;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.Optimizer;
import dev.tempora.models.Ranger;
import dev.tempora.models.ReduceLROnPlateau;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.DirectoryLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a {@link ForecastingModel} on its own loss as PyTorch Forecasting's Lightning set-up does:
 * epochs of shuffled batches (limited by limit_train_batches), each step on the
 * {@link DataParallelEngine} (or an {@link Accelerator}'s {@link TrainingBackend} when the settings name
 * a device), global-norm gradient clipping, the optimiser; validation after every epoch,
 * ReduceLROnPlateau and early stopping on the validation loss; the best model and the last training
 * state saved, and a metrics CSV.
 *
 * <p>Everything that decides the result — the batches, each step's dropout seed, the shard layout
 * — is a function of (seed, epoch, batch), and the last state holds the weights, optimiser and
 * scheduler state and the position, so a run resumed from it ends with bitwise the same weights as
 * one that never stopped.
 */
public final class Trainer implements AutoCloseable {

    /** The per-epoch metrics' file name in the output directory. */
    public static final String METRICS_FILE = "metrics.csv";
    /** The last training state's file name in the output directory, what {@link #resume} reads. */
    public static final String LAST_STATE_FILE = "last-state.safetensors";

    private final ForecastingModel model;
    private final TrainingData data;
    private final TrainerSettings settings;
    private final TrainingListener listener;
    private final Optimizer optimizer;
    private final ReduceLROnPlateau plateau;
    private final TrainingBackend backend;
    private TrainingState state = new TrainingState();

    /**
     * A trainer whose steps run on the settings' device: the CPU engine, or the installed
     * {@link Accelerator} of that name.
     *
     * @param model    the model to train, in place: afterwards it holds the last epoch's weights
     * @param data     the training and validation batches
     * @param settings the hyper-parameters of training, the device and the output directory
     * @param listener told of progress (may be null)
     */
    public Trainer(ForecastingModel model, TrainingData data, TrainerSettings settings, TrainingListener listener) {
        this(model, data, settings, listener, null);
    }

    /**
     * A trainer with {@code backends} choosing where steps run.
     *
     * @param model    the model to train, in place: afterwards it holds the last epoch's weights
     * @param data     the training and validation batches
     * @param settings the hyper-parameters of training, the device and the output directory
     * @param listener told of progress (may be null)
     * @param backends makes the backend the steps run on; null: the settings' device, the CPU engine or
     *                 the installed {@link Accelerator} of that name
     * @throws IllegalArgumentException if the backend cannot train this model with these settings
     */
    public Trainer(ForecastingModel model, TrainingData data, TrainerSettings settings, TrainingListener listener,
                   TrainingBackend.Factory backends) {
        if (model.parameters().isEmpty()) { // GradientBoostedTrees: fitted by TreeTraining
            throw new IllegalArgumentException(model.kind() + " has no parameters to train by gradient steps (it is fitted "
                    + "in one pass): train it with tempora train on one machine, without --find-lr or --spark");
        }
        this.model = model;
        this.data = data;
        this.settings = settings;
        this.listener = listener == null ? new TrainingListener() { } : listener;
        List<Variable> parameters = model.parameters();
        this.optimizer = switch (settings.optimizer()) {
            case "adam" -> new Adam(parameters, settings.learningRate(), 0.9, 0.999, 1e-8, settings.weightDecay(), false);
            case "adamw" -> new AdamW(parameters, settings.learningRate(), settings.weightDecay());
            default -> new Ranger(parameters, settings.learningRate(), settings.weightDecay());
        };
        this.plateau = settings.reduceOnPlateauPatience() > 0
                ? new ReduceLROnPlateau(optimizer, settings.reduceOnPlateauFactor(), settings.reduceOnPlateauPatience(),
                        settings.reduceOnPlateauPatience(), settings.reduceOnPlateauMinLr())
                : null;
        if (backends != null) {
            this.backend = backends.create(model, optimizer, settings);
        } else if (settings.device().equals("cpu")) {
            this.backend = TrainingBackend.cpu(new DataParallelEngine(model, settings.workers(), settings.shards()),
                    parameters, optimizer);
        } else {
            this.backend = Accelerator.require(settings.device()).trainingBackend(model, optimizer, settings);
        }
    }

    /**
     * The outcome of {@link #fit}: {@code stoppedEarly} by early stopping, {@code stoppedOnRequest}
     * by the listener.
     */
    public record Result(List<EpochResult> epochs, double bestValidationLoss, int bestEpoch, boolean stoppedEarly,
                         boolean stoppedOnRequest) {}

    /** Restores the last state saved in {@code settings.outputDir()} so {@link #fit} continues from it. */
    public Trainer resume() throws IOException {
        if (settings.outputDir() == null) {
            throw new IllegalStateException("resume needs an output directory holding " + LAST_STATE_FILE);
        }
        return resume(settings.outputDir().resolve(LAST_STATE_FILE));
    }

    /**
     * Restores the training state saved in {@code lastState} (a {@link #LAST_STATE_FILE} written by this
     * or another trainer of the same model and settings) so {@link #fit} continues from it. Distributed
     * ranks resume this way from the file only rank 0 writes.
     */
    public Trainer resume(Path lastState) throws IOException {
        state = TrainingState.load(lastState, model, optimizer, plateau);
        state.restoreTimings(lastState.resolveSibling(METRICS_FILE));
        backend.copyFromHost();
        return this;
    }

    /**
     * Trains from the current state to the last epoch, early stopping or the listener's request. With an
     * output directory, the directory is locked for the run ({@link DirectoryLock}: a second writer gets
     * an error naming this one) and temporary files that killed runs left in it are removed first.
     *
     * @return the epochs' results and how the run ended
     * @throws IOException if an output file cannot be written
     * @throws IllegalStateException if another run writes to the output directory, or training diverged
     */
    public Result fit() throws IOException {
        if (settings.outputDir() == null) {
            return train();
        }
        try (DirectoryLock lock = DirectoryLock.acquire(settings.outputDir(), "Tempora training", listener::onWarning)) {
            for (String file : List.of(LAST_STATE_FILE, METRICS_FILE)) {
                AtomicFiles.removeLeftovers(settings.outputDir(), file);
            }
            return train();
        }
    }

    private Result train() throws IOException {
        int available = data.batchesPerEpoch();
        int perEpoch = settings.batchesPerEpoch(available);
        if (perEpoch == 0) {
            throw new IllegalArgumentException("the training set has no full batch: fewer windows than the batch size");
        }
        List<TrainingBatch> validation = weighted(data.validationBatches());
        listener.onStart(settings.maxEpochs(), perEpoch);
        RemainingTime eta = new RemainingTime((long) settings.maxEpochs() * perEpoch);
        boolean requested = false;
        while (state.epoch < settings.maxEpochs() && !state.stopped && !requested) {
            int epoch = state.epoch;
            long epochStart = System.nanoTime();
            long samples = 0;
            for (int b = state.nextBatch; b < perEpoch; b++) {
                TrainingBatch batch = settings.lossScale().apply(data.trainingBatch(epoch, b));
                double batchLoss = step(batch, epoch, b);
                samples += batch.size();
                state.nextBatch = b + 1;
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                listener.onBatch(epoch, b, perEpoch, batchLoss, samples / Math.max(seconds, 1e-9),
                        eta.seconds((long) epoch * perEpoch + b + 1));
                if (settings.checkpointEveryBatches() > 0 && (b + 1) % settings.checkpointEveryBatches() == 0
                        && b + 1 < perEpoch) {
                    saveLastState();
                }
            }
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double trainLoss = state.trainLossCount == 0 ? Double.NaN : state.trainLossSum / state.trainLossCount;
            double valLoss = backend.validationLoss(validation);
            double lr = optimizer.learningRate();
            boolean improved = valLoss < state.bestValidationLoss;
            if (improved) {
                state.bestValidationLoss = valLoss;
                state.bestEpoch = epoch;
                saveBestModel();
            }
            // Lightning's EarlyStopping: an improvement must beat the best by more than min_delta.
            if (valLoss < state.earlyStoppingBest - settings.earlyStoppingMinDelta()) {
                state.earlyStoppingBest = valLoss;
                state.earlyStoppingWait = 0;
            } else {
                state.earlyStoppingWait++;
                if (settings.earlyStoppingPatience() > 0 && state.earlyStoppingWait >= settings.earlyStoppingPatience()) {
                    state.stopped = true;
                }
            }
            if (plateau != null) {
                plateau.step(valLoss);
            }
            double left = state.stopped ? 0 : eta.seconds((long) (epoch + 1) * perEpoch);
            eta.warmedUp((long) (epoch + 1) * perEpoch); // this run's first epoch is its warm-up; the clock starts now
            EpochResult row = new EpochResult(epoch, trainLoss, valLoss, lr, samples / Math.max(seconds, 1e-9), seconds,
                    state.skippedBatches, improved, left);
            state.history.add(row);
            state.epoch = epoch + 1;
            state.nextBatch = 0;
            state.trainLossSum = 0;
            state.trainLossCount = 0;
            state.skippedBatches = 0;
            writeMetrics();
            saveLastState();
            listener.onEpoch(row);
            requested = listener.stopRequested();
        }
        backend.copyToHost(); // the model object holds the trained weights, wherever they were trained
        return new Result(List.copyOf(state.history), state.bestValidationLoss, state.bestEpoch, state.stopped,
                requested && state.epoch < settings.maxEpochs() && !state.stopped);
    }

    /**
     * One optimisation step at learning rate {@code learningRate} (the learning-rate finder's sweep).
     *
     * @return the batch loss; a non-finite loss or gradient throws {@link IllegalStateException} unless the
     *         settings skip such batches
     */
    double stepAt(TrainingBatch batch, int index, double learningRate) {
        optimizer.setLearningRate(learningRate);
        return step(batch, 0, index);
    }

    /** One optimisation step; returns the batch loss. */
    private double step(TrainingBatch batch, int epoch, int index) {
        long seed = DropoutSeeds.mix(DropoutSeeds.mix(settings.seed() * 1_000_003L + epoch) + index);
        TrainingBackend.Step computed = backend.computeGradients(batch, seed,
                settings.gradientClipVal() > 0 ? settings.gradientClipVal() : Double.POSITIVE_INFINITY);
        double batchLoss = computed.loss();
        double norm = computed.gradientNorm();
        if (!Double.isFinite(batchLoss) || !Double.isFinite(norm)) {
            String what = !Double.isFinite(batchLoss) ? "the loss is " + batchLoss : "the gradient norm is " + norm;
            String where = "epoch " + (epoch + 1) + ", batch " + (index + 1);
            if (!settings.skipNonFiniteBatches()) {
                throw new IllegalStateException("training diverged at " + where + ": " + what
                        + " (lower the learning rate, check the data for extreme values, or set skip_non_finite_batches)");
            }
            listener.onWarning("skipping " + where + ": " + what);
            state.skippedBatches++;
            return batchLoss;
        }
        backend.applyUpdate();
        state.trainLossSum += batchLoss;
        state.trainLossCount++;
        return batchLoss;
    }

    private void saveBestModel() throws IOException {
        if (settings.outputDir() != null) {
            backend.copyToHost();
            Checkpoint.save(settings.outputDir(), model, settings.checkpointSections());
        }
    }

    private void saveLastState() throws IOException {
        if (settings.outputDir() != null) {
            backend.copyToHost();
            state.save(settings.outputDir().resolve(LAST_STATE_FILE), model, optimizer, plateau);
        }
    }

    private void writeMetrics() throws IOException {
        if (settings.outputDir() == null) {
            return;
        }
        StringBuilder csv = new StringBuilder(EpochResult.CSV_HEADER).append('\n');
        for (EpochResult r : state.history) {
            csv.append(r.toCsv()).append('\n');
        }
        AtomicFiles.writeString(settings.outputDir().resolve(METRICS_FILE), csv.toString());
    }

    /** Releases what the backend holds (an accelerator's device memory). */
    @Override
    public void close() {
        backend.close();
    }

    /**
     * The CPU optimiser the trainer schedules and saves (a device backend copies its state into it before each
     * save).
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The epochs recorded so far (including those restored by {@link #resume}). */
    public List<EpochResult> history() {
        return new ArrayList<>(state.history);
    }

    /** Validation loss of the current weights, on the settings' loss scale (as early stopping sees it). */
    public double validationLoss() {
        return backend.validationLoss(weighted(data.validationBatches()));
    }

    /** The validation batches with the loss scale's weights: early stopping follows the loss training minimises. */
    private List<TrainingBatch> weighted(List<TrainingBatch> batches) {
        return batches.stream().map(settings.lossScale()::apply).toList();
    }

    static Path lastStatePath(Path dir) {
        return dir.resolve(LAST_STATE_FILE);
    }

    /**
     * The estimate of the time left, from the batches after the warm-up: a run's first epoch is slower than the
     * rest (the JIT compiles the kernels, buffers and pages are first touched, validation sets up), so an estimate
     * that counted it would say several times the real time. The clock starts when the first epoch has ended
     * (validation and saving included); until then the time left is unknown (NaN).
     */
    private static final class RemainingTime {
        private final long totalBatches;
        private long clockStart;
        private long batchesAtStart = -1;

        RemainingTime(long totalBatches) {
            this.totalBatches = totalBatches;
        }

        /** Starts the clock at the end of the warm-up epoch, after {@code batchesDone} batches of the whole run. */
        void warmedUp(long batchesDone) {
            if (batchesAtStart < 0) {
                clockStart = System.nanoTime();
                batchesAtStart = batchesDone;
            }
        }

        /** Seconds left after {@code batchesDone} batches: 0 at the end, NaN while the warm-up epoch runs or just ended. */
        double seconds(long batchesDone) {
            if (batchesDone >= totalBatches) {
                return 0;
            }
            if (batchesAtStart < 0 || batchesDone <= batchesAtStart) {
                return Double.NaN;
            }
            return (System.nanoTime() - clockStart) / 1e9 / (batchesDone - batchesAtStart) * (totalBatches - batchesDone);
        }
    }
}
