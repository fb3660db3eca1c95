package dev.tempora.parallel.distributed;

import dev.tempora.autograd.Variable;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.SyntheticData;
import dev.tempora.parallel.CrashingTrainingData;
import dev.tempora.parallel.Trainer;
import dev.tempora.parallel.LossScale;
import dev.tempora.parallel.TrainerSettings;
import dev.tempora.parallel.TrainingBatch;
import dev.tempora.parallel.TrainingData;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.parallel.WeightedTrainingData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistributedTrainingTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** What a training run ends with: the weights, every batch's loss, the epochs. */
    private record Run(List<float[]> weights, List<Double> batchLosses, List<EpochResult> epochs) {}

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(2).learningRate(0.01).optimizer("ranger").shards(8).workers(1)
                .reduceOnPlateau(1, 0.5, 1e-5).earlyStopping(0, 0);
    }

    /**
     * Partitions of one problem with different windows, encoder/decoder lengths and numbers of batches:
     * the concatenation pads, and the epoch has the smallest partition's batches.
     */
    private static List<TrainingData> partitions(int n, int batchSize) {
        List<TrainingData> parts = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            parts.add(new SyntheticData(4 + p % 2, batchSize, 8 - p % 2, 5 - p % 2).withSalt(p));
        }
        return parts;
    }

    private static List<float[]> weights(TemporalFusionTransformer model) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : model.parameters()) {
            out.add(v.value().toFloatArray());
        }
        return out;
    }

    private static TrainingListener recording(List<Double> losses) {
        return new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batchesPerEpoch, double loss, double samplesPerSecond,
                                double etaSeconds) {
                losses.add(loss);
            }
        };
    }

    private static Run oneProcess(int workers, TrainingData data, TrainerSettings.Builder settings) throws Exception {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        List<Double> losses = new ArrayList<>();
        Trainer.Result result = new Trainer(model, data, settings.workers(workers).build(), recording(losses)).fit();
        return new Run(weights(model), losses, result.epochs());
    }

    /** Trains one rank per partition, as threads meeting over loopback; each rank resumes from {@code lastState} if given. */
    private static List<Run> distributed(List<TrainingData> partitions, IntFunction<TrainerSettings> settings,
                                         Path lastState) throws Exception {
        int n = partitions.size();
        List<RingCollective> ring = Ranks.ring(n, TIMEOUT);
        return Ranks.inParallel(n, rank -> {
            try (RingCollective collective = ring.get(rank)) {
                TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
                List<Double> losses = new ArrayList<>();
                Trainer trainer = new Trainer(model, DistributedTraining.data(partitions.get(rank), collective),
                        settings.apply(rank), DistributedTraining.listener(recording(losses), collective),
                        DistributedTraining.backends(collective));
                if (lastState != null) {
                    trainer.resume(lastState);
                }
                Trainer.Result result = trainer.fit();
                return new Run(weights(model), losses, result.epochs());
            }
        });
    }

    private static void assertSameRun(Run expected, Run actual, String what) {
        assertEquals(expected.weights().size(), actual.weights().size());
        for (int i = 0; i < expected.weights().size(); i++) {
            float[] x = expected.weights().get(i);
            float[] y = actual.weights().get(i);
            for (int j = 0; j < x.length; j++) {
                if (Float.floatToRawIntBits(x[j]) != Float.floatToRawIntBits(y[j])) {
                    throw new AssertionError(what + ": parameter " + i + " element " + j + " is " + y[j] + ", expected " + x[j]);
                }
            }
        }
        assertEquals(bits(expected.batchLosses()), bits(actual.batchLosses()), what + ": batch losses");
        assertEquals(expected.epochs().size(), actual.epochs().size(), what + ": epochs");
        for (int e = 0; e < expected.epochs().size(); e++) {
            EpochResult x = expected.epochs().get(e);
            EpochResult y = actual.epochs().get(e);
            assertEquals(Double.doubleToRawLongBits(x.trainLoss()), Double.doubleToRawLongBits(y.trainLoss()), what + ": train loss");
            assertEquals(Double.doubleToRawLongBits(x.validationLoss()), Double.doubleToRawLongBits(y.validationLoss()),
                    what + ": validation loss of epoch " + e);
            assertEquals(Double.doubleToRawLongBits(x.learningRate()), Double.doubleToRawLongBits(y.learningRate()), what);
        }
    }

    private static List<Long> bits(List<Double> values) {
        return values.stream().map(Double::doubleToRawLongBits).toList();
    }

    @ParameterizedTest(name = "{0} ranks x {1} workers vs 1 process x {2} workers")
    @CsvSource({"2, 1, 2", "2, 2, 4", "4, 1, 4"})
    void ranksTrainBitwiseAsOneProcessOnTheConcatenatedData(int ranks, int workersPerRank, int workers) throws Exception {
        List<TrainingData> partitions = partitions(ranks, 6); // 6 per rank: shards of 1 and 2 samples
        Run whole = oneProcess(workers, PartitionedTrainingData.concatenated(partitions), settings());
        List<Run> runs = distributed(partitions, rank -> settings().workers(workersPerRank).build(), null);
        for (int r = 0; r < ranks; r++) {
            assertSameRun(whole, runs.get(r), "rank " + r + " of " + ranks);
        }
        assertEquals(2 * 4, whole.batchLosses().size(), "4 batches per epoch: the smallest partition's");
        // Not vacuous: the weights moved, and the second partition changes them.
        List<float[]> initial = weights(new TemporalFusionTransformer(SyntheticData.config(0.2f)));
        assertFalse(Arrays.equals(initial.get(0), whole.weights().get(0)));
        Run firstOnly = oneProcess(workers, partitions.getFirst(), settings());
        assertFalse(Arrays.equals(firstOnly.weights().get(0), whole.weights().get(0)));
    }

    /**
     * Weights ride with their samples across ranks: one partition with a weight column, one without, on the
     * normalised loss scale, train bitwise as one process on the concatenation.
     */
    @Test
    void weightedNormalisedRanksTrainBitwiseAsOneProcess() throws Exception {
        List<TrainingData> partitions = partitions(2, 6);
        partitions.set(0, new WeightedTrainingData(partitions.getFirst()));
        TrainerSettings.Builder normalised = settings().lossScale(LossScale.NORMALISED);
        Run whole = oneProcess(2, PartitionedTrainingData.concatenated(partitions), normalised);
        List<Run> runs = distributed(partitions, rank -> settings().lossScale(LossScale.NORMALISED).build(), null);
        for (int r = 0; r < 2; r++) {
            assertSameRun(whole, runs.get(r), "weighted rank " + r + " of 2");
        }
        assertFalse(Arrays.equals(whole.weights().get(0), oneProcess(2, PartitionedTrainingData.concatenated(partitions(2, 6)),
                settings()).weights().get(0)), "the weights change the run");
    }

    @Test
    void ranksResumeFromRankZerosLastStateAndEndBitwiseEqual() throws Exception {
        List<TrainingData> partitions = partitions(2, 6);
        Run straight = oneProcess(2, PartitionedTrainingData.concatenated(partitions), settings().maxEpochs(3));

        // Interrupted in epoch 1 before batch 3 (a checkpoint was written after batch 2), on both ranks.
        Path out = dir.resolve("rank0");
        IntFunction<TrainerSettings> settings = rank -> (rank == 0 ? settings().outputDir(out) : settings())
                .maxEpochs(3).checkpointEveryBatches(2).build();
        List<TrainingData> stopping = partitions.stream().map(p -> (TrainingData) new CrashingTrainingData(p, 1, 3)).toList();
        assertThrows(CrashingTrainingData.Crash.class, () -> distributed(stopping, settings, null));
        assertTrue(Files.exists(out.resolve(Trainer.LAST_STATE_FILE)), "rank 0 writes the last state");

        List<Run> resumed = distributed(partitions, settings, out.resolve(Trainer.LAST_STATE_FILE));
        for (int r = 0; r < 2; r++) {
            Run run = resumed.get(r);
            assertEquals(3, run.epochs().size(), "the history of the first epoch was restored");
            assertEquals(2 + 4, run.batchLosses().size(), "resumed after batch 2 of epoch 1: its last 2 batches, then 4");
            // Compare what the resumed run computed: the batches after the checkpoint, epochs 1 and 2 (epoch 0's
            // row comes back from the metrics text), and the final weights.
            List<Double> tail = straight.batchLosses().subList(straight.batchLosses().size() - 6, straight.batchLosses().size());
            assertSameRun(new Run(straight.weights(), tail, straight.epochs().subList(1, 3)),
                    new Run(run.weights(), run.batchLosses(), run.epochs().subList(1, 3)), "resumed rank " + r);
        }
    }

    @Test
    void aRankThatFailsMidTrainingStopsTheOthersWithItsName() throws Exception {
        List<TrainingData> partitions = partitions(2, 6);
        List<TrainingData> secondFails = List.of(partitions.get(0), new CrashingTrainingData(partitions.get(1), 0, 2));
        List<RingCollective> ring = Ranks.ring(2, TIMEOUT);
        String second = ring.get(0).addresses().get(1);
        long started = System.nanoTime();
        List<String> outcomes = Ranks.inParallel(2, rank -> {
            try (RingCollective collective = ring.get(rank)) {
                Trainer trainer = new Trainer(new TemporalFusionTransformer(SyntheticData.config(0.2f)),
                        DistributedTraining.data(secondFails.get(rank), collective), settings().build(), null,
                        DistributedTraining.backends(collective));
                trainer.fit();
                return "finished";
            } catch (CrashingTrainingData.Crash | UncheckedIOException e) {
                return e.getClass().getSimpleName() + ": " + e.getMessage();
            }
        });
        assertTrue((System.nanoTime() - started) / 1e9 < 60, "failed within the timeout, not at it");
        assertTrue(outcomes.get(1).startsWith("Crash"), outcomes.get(1));
        assertTrue(outcomes.get(0).startsWith("UncheckedIOException") && outcomes.get(0).contains("rank 1 at " + second),
                outcomes.get(0));
    }

    @Test
    void ranksThatDisagreeAreStoppedWithAClearMessage() throws Exception {
        // Different seeds: caught when the trainers are built.
        IllegalArgumentException seeds = assertThrows(IllegalArgumentException.class, () -> distributed(partitions(2, 6),
                rank -> settings().seed(rank).build(), null));
        assertTrue(seeds.getMessage().contains("different training settings"), seeds.getMessage());
        // Different batch sizes: caught at the first step, on every rank.
        List<TrainingData> uneven = List.of(new SyntheticData(4, 6, 8, 5), new SyntheticData(4, 5, 8, 5).withSalt(1));
        IllegalArgumentException sizes = assertThrows(IllegalArgumentException.class,
                () -> distributed(uneven, rank -> settings().build(), null));
        assertTrue(sizes.getMessage().contains("same batch size"), sizes.getMessage());
        // Shards that do not split over the ranks.
        IllegalArgumentException shards = assertThrows(IllegalArgumentException.class,
                () -> distributed(partitions(2, 6), rank -> settings().shards(7).build(), null));
        assertTrue(shards.getMessage().contains("multiple of the rank count"), shards.getMessage());
    }
}
