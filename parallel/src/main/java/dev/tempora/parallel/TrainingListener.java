package dev.tempora.parallel;

/** Progress callbacks from the {@link Trainer} (the CLI's progress bar and log lines). */
public interface TrainingListener {

    default void onStart(int epochs, int batchesPerEpoch) {
    }

    /**
     * After each batch: its loss, the epoch's running samples per second and the estimated seconds left. The
     * estimate leaves out the run's first epoch, which warms up (the JIT compiles, memory is first touched)
     * and is slower than the rest: it is NaN until a batch after that epoch has been timed.
     */
    default void onBatch(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond,
                         double etaSeconds) {
    }

    default void onEpoch(EpochResult result) {
    }

    default void onWarning(String message) {
    }

    /**
     * Asked after each epoch (once it is validated and saved): true ends training there, as a time
     * budget or a user's interrupt wants. The result says the run was stopped on request.
     */
    default boolean stopRequested() {
        return false;
    }
}
