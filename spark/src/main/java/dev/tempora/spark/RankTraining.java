package dev.tempora.spark;

import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainingData;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.parallel.distributed.DistributedTraining;
import dev.tempora.parallel.distributed.RingCollective;
import dev.tempora.tensor.io.SafeTensors;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * One rank's training, given its ring: the rank's partition, the plan's model and settings, the distributed
 * backend. Rank 0 alone writes files (checkpoints every {@code checkpointEveryBatches} steps, the best model,
 * metrics); a rank that starts while a checkpoint exists resumes from it.
 *
 * <p>Which checkpoint: rank 0 copies the current last state to a snapshot named after the attempt before any rank
 * reads it, tells the others over the ring whether there is one, and every rank resumes from that snapshot. A task of a failed attempt that is still running (Spark
 * stops a failed barrier stage's tasks without interrupting them) could otherwise rewrite the last state between
 * two ranks' reads and leave the ranks in different states.
 */
public final class RankTraining {

    /** How long a rank waits for the others in a collective operation before it gives up and fails its task. */
    public static final Duration COLLECTIVE_TIMEOUT = Duration.ofMinutes(5);

    private RankTraining() {}

    /**
     * Trains rank {@code collective.rank()} of the plan.
     *
     * @param attempt the stage attempt (0 first), which names the snapshot resumed from
     * @param log     where the rank reports its steps (an executor's standard error)
     * @return the epochs run and the best validation loss, as rank 0's trainer saw them
     */
    public static Trainer.Result train(TrainingPlan plan, RingCollective collective, int attempt, PrintStream log)
            throws IOException {
        int rank = collective.rank();
        String who = String.format(Locale.ROOT, "rank %d of %d, attempt %d", rank, collective.size(), attempt);
        Path snapshot = plan.outputDirectory().resolve(String.format(Locale.ROOT, "resume-attempt-%d.safetensors", attempt));
        boolean snapshotted = false;
        if (rank == 0) {
            Files.createDirectories(plan.outputDirectory());
            Files.deleteIfExists(snapshot);
            if (Files.exists(plan.lastState())) {
                Path temporary = Files.createTempFile(plan.outputDirectory(), "resume-", ".tmp");
                Files.copy(plan.lastState(), temporary, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temporary, snapshot, StandardCopyOption.ATOMIC_MOVE);
                snapshotted = true;
            }
        }
        // Rank 0's decision, over the ring: every rank waits here until the snapshot is in place, and none relies on
        // its own view of the shared directory (a network file system may show it late).
        boolean resume = collective.max(snapshotted ? 1 : 0) == 1;
        TrainingData data = DistributedTraining.data(plan.partition(rank), collective);
        TrainingListener listener = DistributedTraining.listener(new StepLog(log, who), collective);
        try (Trainer trainer = new Trainer(plan.initialModel(), data, plan.settings(rank == 0 ? plan.outputDirectory() : null),
                listener, DistributedTraining.backends(collective))) {
            if (resume) {
                Map<String, String> position = SafeTensors.read(snapshot).metadata();
                log.printf(Locale.ROOT, "tempora: %s: resuming from epoch %d, batch %d (%s)%n", who,
                        Integer.parseInt(position.get("epoch")) + 1, Integer.parseInt(position.get("next_batch")) + 1, snapshot);
                trainer.resume(snapshot);
            }
            Trainer.Result result = trainer.fit();
            if (rank == 0) {
                Files.deleteIfExists(snapshot); // the last state now holds the end of the run
            }
            log.printf(Locale.ROOT, "tempora: %s: done, best validation loss %.6f (epoch %d)%n", who,
                    result.bestValidationLoss(), result.bestEpoch() + 1);
            return result;
        }
    }

    /** The rank's steps, one line each, on the executor's standard error (cluster-check.sh reads them). */
    private record StepLog(PrintStream log, String who) implements TrainingListener {
        @Override
        public void onBatch(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond, double etaSeconds) {
            log.printf(Locale.ROOT, "tempora: %s: epoch %d, batch %d of %d, loss %.5f, %.1f samples/s%n", who, epoch + 1,
                    batch + 1, batchesPerEpoch, loss, samplesPerSecond);
        }

        @Override
        public void onEpoch(EpochResult result) {
            log.printf(Locale.ROOT, "tempora: %s: epoch %d: train loss %.5f, validation loss %.5f, %.1f samples/s, %.1f s%n",
                    who, result.epoch() + 1, result.trainLoss(), result.validationLoss(), result.samplesPerSecond(),
                    result.seconds());
        }

        @Override
        public void onWarning(String message) {
            log.println("tempora: " + who + ": warning: " + message);
        }
    }
}
