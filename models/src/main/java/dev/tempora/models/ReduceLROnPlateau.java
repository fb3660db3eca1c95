package dev.tempora.models;

/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau in "min" mode with a relative threshold: when the
 * monitored value has not improved on the best by more than {@code threshold} (relative) for
 * {@code patience} epochs, the learning rate is multiplied by {@code factor} (not below
 * {@code minLr}), then {@code cooldown} epochs pass before counting again. PTF uses patience =
 * cooldown = reduce_on_plateau_patience and min lr 1e-5.
 */
public final class ReduceLROnPlateau {

    private final Optimizer optimizer;
    private final double factor;
    private final int patience;
    private final int cooldown;
    private final double minLr;
    private final double threshold;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownLeft;

    /** A scheduler of {@code optimizer}'s learning rate, with a relative threshold of 1e-4 as torch's default. */
    public ReduceLROnPlateau(Optimizer optimizer, double factor, int patience, int cooldown, double minLr) {
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau factor must be in (0, 1), got " + factor);
        }
        this.optimizer = optimizer;
        this.factor = factor;
        this.patience = patience;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.threshold = 1e-4;
    }

    /** Records an epoch's value; returns true when the learning rate was reduced. */
    public boolean step(double value) {
        if (value < best * (1 - threshold)) {
            best = value;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double old = optimizer.learningRate();
            double next = Math.max(old * factor, minLr);
            badEpochs = 0;
            cooldownLeft = cooldown;
            if (old - next > 1e-8) {
                optimizer.setLearningRate(next);
                return true;
            }
        }
        return false;
    }

    /** Best value seen, bad-epoch count and cooldown left, for checkpoints. */
    public double[] state() {
        return new double[] {best, badEpochs, cooldownLeft};
    }

    /** Restores what {@link #state()} returned. */
    public void loadState(double[] s) {
        best = s[0];
        badEpochs = (int) s[1];
        cooldownLeft = (int) s[2];
    }
}
