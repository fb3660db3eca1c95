package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.TemporalFusionTransformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    @TempDir
    Path dir;

    private static List<float[]> weights(TemporalFusionTransformer m) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : m.parameters()) {
            out.add(v.value().toFloatArray());
        }
        return out;
    }

    private static void assertBitwiseEqual(List<float[]> a, List<float[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            for (int j = 0; j < x.length; j++) {
                assertEquals(Float.floatToIntBits(x[j]), Float.floatToIntBits(y[j]),
                        what + ": parameter " + i + " element " + j + " differs: " + x[j] + " vs " + y[j]);
            }
        }
    }

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(2).learningRate(0.01).optimizer("ranger").shards(8).workers(1)
                .reduceOnPlateau(1, 0.5, 1e-5).earlyStopping(0, 0);
    }

    private static List<float[]> train(int workers, TrainingData data) throws IOException {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        new Trainer(model, data, settings().workers(workers).build(), null).fit();
        return weights(model);
    }

    @Test
    void weightsAreBitwiseIdenticalFor1248Workers() throws IOException {
        SyntheticData data = new SyntheticData(4, 19, 8, 5); // 19 samples: uneven shards, one shard of 2
        List<float[]> one = train(1, data);
        for (int w : new int[] {2, 4, 8}) {
            assertBitwiseEqual(one, train(w, data), w + " workers vs 1");
        }
        // Sanity: training did change the weights.
        List<float[]> initial = weights(new TemporalFusionTransformer(SyntheticData.config(0.2f)));
        assertFalse(java.util.Arrays.equals(initial.get(0), one.get(0)) && java.util.Arrays.equals(initial.get(5), one.get(5)));
    }

    @Test
    void emptyShardsAndUnusedParametersAreHandled() throws IOException {
        // 3 samples over 8 shards: five shards are empty and contribute no gradient at all.
        SyntheticData data = new SyntheticData(2, 3, 6, 4);
        List<float[]> a = train(1, data);
        assertBitwiseEqual(a, train(4, data), "3 samples, 4 workers vs 1");
        for (float[] w : a) {
            for (float v : w) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void resumingFromTheLastStateEndsWithTheSameWeights() throws IOException {
        SyntheticData data = new SyntheticData(5, 12, 8, 5);
        TemporalFusionTransformer straight = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        new Trainer(straight, data, settings().maxEpochs(3).build(), null).fit();

        // Interrupted: stop after epoch 1 plus 2 batches (checkpoint every 2 batches), then resume.
        Path out = dir.resolve("run");
        TemporalFusionTransformer first = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        TrainerSettings s = settings().maxEpochs(3).outputDir(out).checkpointEveryBatches(2).build();
        Trainer interrupted = new Trainer(first, new CrashingTrainingData(data, 1, 2), s, null);
        assertThrows(CrashingTrainingData.Crash.class, interrupted::fit);

        TemporalFusionTransformer resumedModel = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        Trainer resumed = new Trainer(resumedModel, data, s, null).resume();
        Trainer.Result r = resumed.fit();
        assertEquals(3, r.epochs().size(), "the history of the first epoch was restored");
        assertBitwiseEqual(weights(straight), weights(resumedModel), "resumed vs uninterrupted");
        assertTrue(Files.exists(out.resolve(Trainer.METRICS_FILE)));
        List<String> csv = Files.readAllLines(out.resolve(Trainer.METRICS_FILE));
        assertEquals(EpochResult.CSV_HEADER, csv.get(0));
        assertEquals(4, csv.size());
        // The best model was saved and loads.
        assertTrue(Checkpoint.load(out).model().parameterCount() > 0);
    }

    @Test
    void nonFiniteLossStopsWithEpochAndBatchOrIsSkipped() throws IOException {
        SyntheticData data = new SyntheticData(4, 8, 6, 4, 2);
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.1f));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new Trainer(model, data, settings().build(), null).fit());
        assertTrue(e.getMessage().contains("epoch 1, batch 3") && e.getMessage().contains("NaN"), e.getMessage());

        List<String> warnings = new ArrayList<>();
        TemporalFusionTransformer m2 = new TemporalFusionTransformer(SyntheticData.config(0.1f));
        Trainer.Result r = new Trainer(m2, data, settings().skipNonFiniteBatches(true).build(), new TrainingListener() {
            @Override
            public void onWarning(String message) {
                warnings.add(message);
            }
        }).fit();
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals(1, r.epochs().get(0).skippedBatches());
        for (Variable v : m2.parameters()) {
            for (float f : v.value().toFloatArray()) {
                assertTrue(Float.isFinite(f), "a skipped batch leaves the weights finite");
            }
        }
    }

    @Test
    void earlyStoppingAndLimitTrainBatches() throws IOException {
        SyntheticData data = new SyntheticData(10, 8, 6, 4);
        List<Integer> batchesSeen = new ArrayList<>();
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.1f));
        // A learning rate too small to move the validation loss by min_delta: stops after `patience` epochs.
        Trainer.Result r = new Trainer(model, data, settings().maxEpochs(20).learningRate(1e-9).limitTrainBatches(0.3)
                .earlyStopping(2, 1e-3).build(), new TrainingListener() {
                    @Override
                    public void onBatch(int epoch, int batch, int batches, double loss, double sps, double eta) {
                        batchesSeen.add(batch);
                    }
                }).fit();
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.epochs().size(), "first epoch sets the best, two more without improvement stop it");
        assertEquals(9, batchesSeen.size(), "0.3 of 10 batches = 3 per epoch");
    }

    @Test
    void theTimeLeftLeavesOutTheWarmUpEpoch() throws IOException {
        SyntheticData data = new SyntheticData(10, 8, 6, 4);
        List<double[]> batchEtas = new ArrayList<>(); // {epoch, batch, eta}
        List<Double> epochEtas = new ArrayList<>();
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.1f));
        new Trainer(model, data, settings().maxEpochs(3).limitTrainBatchCount(3).build(), new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int batches, double loss, double sps, double eta) {
                batchEtas.add(new double[] {epoch, batch, eta});
            }

            @Override
            public void onEpoch(EpochResult result) {
                epochEtas.add(result.etaSeconds());
            }
        }).fit();
        for (double[] b : batchEtas) {
            String where = "epoch " + (int) b[0] + " batch " + (int) b[1] + ": " + b[2];
            if (b[0] == 0) {
                assertTrue(Double.isNaN(b[2]), "unknown during the warm-up epoch, " + where);
            } else if (b[0] == 2 && b[1] == 2) {
                assertEquals(0.0, b[2], "nothing left after the last batch, " + where);
            } else {
                assertTrue(b[2] > 0 && Double.isFinite(b[2]), "estimated from the batches after the warm-up, " + where);
            }
        }
        assertTrue(Double.isNaN(epochEtas.get(0)), "the warm-up epoch alone says nothing: " + epochEtas);
        assertTrue(epochEtas.get(1) > 0 && Double.isFinite(epochEtas.get(1)), epochEtas.toString());
        assertEquals(0.0, epochEtas.get(2), epochEtas.toString());
    }
}
