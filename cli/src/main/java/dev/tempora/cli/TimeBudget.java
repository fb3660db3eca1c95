package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;

import java.util.function.LongSupplier;

/**
 * Fits training into a wall-clock budget by reading the speed as it trains, not by guessing it: after
 * every epoch, training stops when one more epoch (timed on the last one, validation included) would
 * end past the deadline. Meanwhile the progress bar shows, beside the epoch cap, how many epochs are
 * expected to fit (revised after each epoch, not during one) and the time left until then. The time
 * left leaves out the run's first epoch, which warms up and is slower than the rest: it is unknown
 * during that epoch and right after it, and then estimated from the epochs after it. Stopping works
 * through {@link #stopRequested}, which the trainer asks after it has saved the epoch's checkpoint,
 * metrics and last state.
 */
final class TimeBudget implements TrainingListener {

    private final ProgressBar bar;
    private final long deadline;
    private final int maxEpochs;
    private final LongSupplier clock;
    private long epochStart;
    private double epochSeconds = Double.NaN;
    private int epochsEnded;
    private boolean spent;

    /** @param deadline {@link System#nanoTime()} by which training must have ended */
    TimeBudget(ProgressBar bar, long deadline, int maxEpochs) {
        this(bar, deadline, maxEpochs, System::nanoTime);
    }

    /** With a clock in nanoseconds (tests pass their own). */
    TimeBudget(ProgressBar bar, long deadline, int maxEpochs, LongSupplier clock) {
        this.bar = bar;
        this.deadline = deadline;
        this.maxEpochs = maxEpochs;
        this.clock = clock;
    }

    @Override
    public void onStart(int epochs, int batchesPerEpoch) {
        epochStart = clock.getAsLong();
        bar.onStart(epochs, batchesPerEpoch);
    }

    @Override
    public void onBatch(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond, double etaSeconds) {
        double eta = Double.NaN; // in the warm-up epoch there is nothing to go on
        if (epochsEnded > 0) {
            long now = clock.getAsLong();
            double perBatch = (now - epochStart) / 1e9 / (batch + 1);
            double restOfEpoch = perBatch * (batchesPerEpoch - batch - 1);
            // The last epoch's time, unless that was the warm-up: then this epoch's pace so far.
            double epochEstimate = epochsEnded == 1 ? perBatch * batchesPerEpoch : epochSeconds;
            eta = restOfEpoch + epochsThatFit((deadline - now) / 1e9 - restOfEpoch, epochEstimate, epoch + 1) * epochEstimate;
        }
        bar.onBatch(epoch, batch, batchesPerEpoch, loss, samplesPerSecond, eta);
    }

    @Override
    public void onEpoch(EpochResult r) {
        long now = clock.getAsLong();
        epochSeconds = (now - epochStart) / 1e9;
        epochStart = now;
        boolean warmUp = epochsEnded++ == 0;
        // The warm-up epoch's time errs on the safe side for the decision to stop.
        int more = epochsThatFit((deadline - now) / 1e9, epochSeconds, r.epoch() + 1);
        bar.expectBudgetEpochs(r.epoch() + 1 + more);
        double eta = more == 0 ? 0 : warmUp ? Double.NaN : more * epochSeconds;
        bar.onEpoch(new EpochResult(r.epoch(), r.trainLoss(), r.validationLoss(), r.learningRate(), r.samplesPerSecond(),
                r.seconds(), r.skippedBatches(), r.improved(), eta));
        spent = more == 0 && r.epoch() + 1 < maxEpochs;
    }

    /** True once the budget allows no further epoch: the trainer stops after the current one. */
    @Override
    public boolean stopRequested() {
        return spent;
    }

    @Override
    public void onWarning(String message) {
        bar.onWarning(message);
    }

    private int epochsThatFit(double secondsLeft, double secondsPerEpoch, int done) {
        int fit = secondsLeft <= 0 ? 0 : (int) Math.floor(secondsLeft / secondsPerEpoch);
        return Math.max(0, Math.min(maxEpochs - done, fit));
    }
}
