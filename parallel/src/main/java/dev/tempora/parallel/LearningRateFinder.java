package dev.tempora.parallel;

import dev.tempora.models.ForecastingModel;

import java.util.ArrayList;
import java.util.List;

/**
 * Lightning's learning-rate finder ({@code Tuner.lr_find}, which PyTorch Forecasting's tutorials run before
 * training): a short run whose learning rate grows exponentially from {@code min} to {@code max}, one
 * training batch per step, recording the loss smoothed as Lightning smooths it (an exponential moving
 * average, β = 0.98, bias-corrected). The sweep stops early when the smoothed loss exceeds four times
 * its best. The suggestion is Lightning's: the learning rate where the smoothed loss falls fastest
 * (the most negative numerical gradient, skipping the first 10 points and the last).
 *
 * <p>The sweep trains the model it is given: pass a fresh copy, not the model to be trained.
 */
public final class LearningRateFinder {

    /** Lightning's smoothing factor of the loss. */
    private static final double BETA = 0.98;
    /** Lightning's early_stop_threshold: stop when the smoothed loss exceeds this multiple of its best. */
    private static final double DIVERGENCE = 4.0;
    /** Lightning's suggestion skips this many points at the start of the curve... */
    private static final int SKIP_BEGIN = 10;
    /** ...and this many at its end. */
    private static final int SKIP_END = 1;

    private LearningRateFinder() {}

    /**
     * One point of the sweep.
     *
     * @param learningRate the step's learning rate
     * @param loss         the batch loss
     * @param smoothedLoss the bias-corrected moving average of the losses so far
     */
    public record Point(double learningRate, double loss, double smoothedLoss) {}

    /**
     * The sweep's outcome.
     *
     * @param points     every step taken, in order
     * @param suggestion the suggested learning rate, or NaN when the sweep is too short to suggest one
     * @param diverged   whether the sweep stopped early because the loss diverged
     */
    public record Result(List<Point> points, double suggestion, boolean diverged) {}

    /**
     * Runs the sweep.
     *
     * @param model    a freshly initialised model, trained in place by the sweep (not the model to train afterwards)
     * @param data     the training batches (batch i of the sweep is batch i mod batchesPerEpoch of epoch i / batchesPerEpoch)
     * @param settings the trainer's settings (optimiser, clipping, workers, device); the learning rate is the sweep's
     * @param min      the first learning rate, positive
     * @param max      the learning rate the sweep grows towards, above {@code min}
     * @param steps    the number of steps, at least {@code SKIP_BEGIN + SKIP_END + 2} for a suggestion
     * @return the points and the suggestion
     */
    public static Result run(ForecastingModel model, TrainingData data, TrainerSettings settings, double min, double max, int steps) {
        if (!(min > 0) || !(max > min)) {
            throw new IllegalArgumentException("the learning-rate sweep needs 0 < min < max, got min " + min + ", max " + max);
        }
        if (steps < 2) {
            throw new IllegalArgumentException("the learning-rate sweep needs at least 2 steps, got " + steps);
        }
        int perEpoch = data.batchesPerEpoch();
        if (perEpoch == 0) {
            throw new IllegalArgumentException("the training set has no full batch: fewer windows than the batch size");
        }
        List<Point> points = new ArrayList<>();
        boolean diverged = false;
        try (Trainer trainer = new Trainer(model, data, settings.toBuilder().outputDir(null).skipNonFiniteBatches(false).build(),
                null)) {
            double average = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; i < steps; i++) {
                // Lightning's _ExponentialLR: base · (end / base)^(i / num_iter)
                double lr = min * Math.pow(max / min, (double) i / steps);
                double loss;
                try {
                    loss = trainer.stepAt(data.trainingBatch(i / perEpoch, i % perEpoch), i % perEpoch, lr);
                } catch (IllegalStateException e) {
                    diverged = true; // a non-finite loss or gradient: the rate is far too high
                    break;
                }
                average = BETA * average + (1 - BETA) * loss;
                double smoothed = average / (1 - Math.pow(BETA, i + 1));
                points.add(new Point(lr, loss, smoothed));
                if (i > 0 && smoothed > DIVERGENCE * best) {
                    diverged = true;
                    break;
                }
                if (smoothed < best || i == 0) {
                    best = smoothed;
                }
            }
        }
        return new Result(List.copyOf(points), suggestion(points), diverged);
    }

    /**
     * Lightning's suggestion: the learning rate at the most negative numerical gradient ({@code numpy.gradient}:
     * central differences inside, one-sided at the ends) of the smoothed losses, the first 10 and the last
     * point left out.
     *
     * @param points the sweep's points
     * @return the suggested learning rate, or NaN when fewer than two points remain
     */
    static double suggestion(List<Point> points) {
        List<Point> kept = new ArrayList<>();
        for (int i = SKIP_BEGIN; i < points.size() - SKIP_END; i++) {
            if (Double.isFinite(points.get(i).smoothedLoss())) {
                kept.add(points.get(i));
            }
        }
        int n = kept.size();
        if (n < 2) {
            return Double.NaN;
        }
        int steepest = 0;
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double gradient = i == 0 ? kept.get(1).smoothedLoss() - kept.get(0).smoothedLoss()
                    : i == n - 1 ? kept.get(n - 1).smoothedLoss() - kept.get(n - 2).smoothedLoss()
                    : (kept.get(i + 1).smoothedLoss() - kept.get(i - 1).smoothedLoss()) / 2;
            if (gradient < lowest) {
                lowest = gradient;
                steepest = i;
            }
        }
        return kept.get(steepest).learningRate();
    }
}
