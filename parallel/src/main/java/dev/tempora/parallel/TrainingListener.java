package dev.tempora.parallel;

/** Progress callbacks from the {@link Trainer} (the CLI's progress bar and log lines). */
public interface TrainingListener {

    /** Before the first batch: the epochs to run at most and the batches of each. */
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

    /** After each epoch is validated and saved. */
    default void onEpoch(EpochResult result) {
    }

    /** A condition worth telling the user about that does not stop training (a skipped non-finite batch, say). */
    default void onWarning(String message) {
    }

    /**
     * Asked after each epoch (once it is validated and saved): true ends training there, as a time
     * budget or a user's interrupt wants. The result says the run was stopped on request.
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * {@code inner} with its stop requests decided by {@code stop} instead: every other callback goes to
     * {@code inner} unchanged. A caller that can stop a run from outside (a cancel button, the ranks of a
     * distributed run agreeing) wraps the user's listener with it.
     *
     * @param inner the listener that receives the progress (null: none)
     * @param stop  answers {@link #stopRequested()}; it may consult {@code inner.stopRequested()}
     * @return the wrapping listener
     */
    static TrainingListener withStopRequest(TrainingListener inner, java.util.function.BooleanSupplier stop) {
        TrainingListener own = inner == null ? new TrainingListener() { } : inner;
        java.util.Objects.requireNonNull(stop, "stop");
        return new TrainingListener() {
            @Override
            public void onStart(int epochs, int batchesPerEpoch) {
                own.onStart(epochs, batchesPerEpoch);
            }

            @Override
            public void onBatch(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond,
                                double etaSeconds) {
                own.onBatch(epoch, batch, batchesPerEpoch, loss, samplesPerSecond, etaSeconds);
            }

            @Override
            public void onEpoch(EpochResult result) {
                own.onEpoch(result);
            }

            @Override
            public void onWarning(String message) {
                own.onWarning(message);
            }

            @Override
            public boolean stopRequested() {
                return stop.getAsBoolean();
            }
        };
    }
}
