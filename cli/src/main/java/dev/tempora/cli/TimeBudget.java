package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;

import java.util.function.LongSupplier;

/**
 * Fits training into a wall-clock budget by reading the speed as it trains, not by guessing it: after
 * every epoch, training stops when one more epoch (timed on the last one, validation included) would
 * end past the deadline. Meanwhile the progress bar shows how many epochs are expected to fit and the
 * time left until then. Stopping works through {@link #stopRequested}, which the trainer asks after it
 * has saved the epoch's checkpoint, metrics and last state.
 */
final class TimeBudget implements TrainingListener {

    private final ProgressBar bar;
    private final long deadline;
    private final int maxEpochs;
    private final LongSupplier clock;
    private long epochStart;
    private double epochSeconds = Double.NaN;
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
        long now = clock.getAsLong();
        double perBatch = (now - epochStart) / 1e9 / (batch + 1);
        double restOfEpoch = perBatch * (batchesPerEpoch - batch - 1);
        double epochEstimate = Double.isNaN(epochSeconds) ? perBatch * batchesPerEpoch : epochSeconds;
        int more = epochsThatFit((deadline - now) / 1e9 - restOfEpoch, epochEstimate, epoch + 1);
        bar.expectEpochs(epoch + 1 + more);
        bar.onBatch(epoch, batch, batchesPerEpoch, loss, samplesPerSecond, restOfEpoch + more * epochEstimate);
    }

    @Override
    public void onEpoch(EpochResult r) {
        long now = clock.getAsLong();
        epochSeconds = (now - epochStart) / 1e9;
        epochStart = now;
        int more = epochsThatFit((deadline - now) / 1e9, epochSeconds, r.epoch() + 1);
        bar.expectEpochs(r.epoch() + 1 + more);
        bar.onEpoch(new EpochResult(r.epoch(), r.trainLoss(), r.validationLoss(), r.learningRate(), r.samplesPerSecond(),
                r.seconds(), r.skippedBatches(), r.improved(), more * epochSeconds));
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
