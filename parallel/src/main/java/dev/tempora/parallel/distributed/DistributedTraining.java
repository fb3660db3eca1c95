package dev.tempora.parallel.distributed;

import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.TrainingBackend;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;
import dev.tempora.parallel.TrainingListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Data-parallel training across processes (Spark tasks, one per rank), each with its own
 * fork-join engine inside, that ends with bitwise the weights of one process training on all the data.
 *
 * <p>Each rank builds the same model and settings, wraps its partition of the data with {@link #data},
 * and runs {@code new Trainer(model, DistributedTraining.data(local, collective), settings, listener,
 * DistributedTraining.backends(collective)).fit()}. A step's global batch is every rank's batch of the
 * same index, concatenated in rank order ({@link PartitionedTrainingData#concatenated} is that data in
 * one process); with S shards and N ranks (S a multiple of N, every rank's batch the same size) rank r
 * computes shards [r·S/N, (r+1)·S/N) of it and the {@link RingCollective} sums all shards' gradients in
 * shard order, which is what one process with the same seed does. Validation sums every rank's
 * validation batches, rank after rank.
 *
 * <p>Only rank 0 should write files: give {@code settings.outputDir()} to rank 0 alone. To continue an
 * interrupted run, every rank calls {@link Trainer#resume(java.nio.file.Path)} with rank 0's last state.
 * Every rank must construct its trainer, fit, and validate together: each of these runs collective
 * operations, and the collective's timeout bounds how long a rank waits for the others (rank 0 writing
 * a checkpoint included).
 */
public final class DistributedTraining {

    private DistributedTraining() {}

    /**
     * The trainer's backends for this rank: this rank's shards on the CPU engine (the settings' workers),
     * the ordered sum over the ring, then clipping and the optimiser. Creating the trainer checks that
     * every rank has the same model size and settings (workers and output directory aside).
     *
     * @throws IllegalArgumentException (when the trainer is built) for a device other than cpu, or a
     *                                  shard count that is not a multiple of the number of ranks
     */
    public static TrainingBackend.Factory backends(RingCollective collective) {
        Objects.requireNonNull(collective, "collective");
        return (model, optimizer, settings) -> new DistributedBackend(collective, model, optimizer, settings);
    }

    /**
     * This rank's partition as the trainer's data: its own batches and validation batches, with the
     * number of batches per epoch the smallest over all ranks (so every rank runs the same steps). A
     * collective operation: every rank calls it at the same point.
     */
    public static TrainingData data(TrainingData local, RingCollective collective) throws IOException {
        Objects.requireNonNull(local, "local");
        int batches = Math.toIntExact(collective.min(local.batchesPerEpoch()));
        return new RankData(local, batches);
    }

    /**
     * {@code local} with its stop requests agreed among the ranks: training stops after an epoch when
     * any rank's listener asks (a time budget, an interrupt), on every rank at once, so no rank is left
     * waiting for the others. The other callbacks go to {@code local} unchanged.
     */
    public static TrainingListener listener(TrainingListener local, RingCollective collective) {
        TrainingListener own = local == null ? new TrainingListener() { } : local;
        Objects.requireNonNull(collective, "collective");
        return TrainingListener.withStopRequest(own, () -> {
            try {
                return collective.max(own.stopRequested() ? 1 : 0) != 0;
            } catch (IOException e) {
                throw new UncheckedIOException("rank " + collective.rank() + ": " + e.getMessage(), e);
            }
        });
    }

    /** A rank's partition with the batches per epoch agreed by all ranks. */
    private record RankData(TrainingData local, int batchesPerEpoch) implements TrainingData {
        @Override
        public TrainingBatch trainingBatch(int epoch, int index) {
            return local.trainingBatch(epoch, index);
        }

        @Override
        public List<TrainingBatch> validationBatches() {
            return local.validationBatches();
        }
    }
}
