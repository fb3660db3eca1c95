package dev.tempora.forecast;

import dev.tempora.data.DataSplit;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** training.refit: the validated run chooses the epoch count, a fresh model trains on the validation rows too, never the test. */
class RefitTest {

    private static final int TEST_STEPS = TrainingJobTest.HORIZON;

    @BeforeAll
    static void data() {
        TrainingJobTest.data(); // the small taxi table TrainingJobTest trains on
    }

    /** A refit job on {@code table}: a held-out test, and a plateau scheduler that lowers the rate on these few epochs. */
    private static TrainingJob job(Frame table, Path out, TrainingListener listener) {
        return TrainingJob.builder(table, TrainingJobTest.parameters())
                .model(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).hiddenContinuousSize(4).build())
                .trainer(t -> t.maxEpochs(4).limitTrainBatchCount(3).learningRate(0.03).optimizer("adam").seed(5).workers(2)
                        .reduceOnPlateau(1, 0.5, 1e-5))
                .batchSize(16)
                .test(DataSplit.TestSplit.lastSteps(TEST_STEPS))
                .refit(true)
                .listener(listener)
                .outputDirectory(out)
                .build();
    }

    /** The first time index of any window's forecast, and the last time index any window reads. */
    private static int[] firstPredictionAndLastRead(TimeSeriesDataSet set) {
        int firstPrediction = Integer.MAX_VALUE;
        int lastRead = Integer.MIN_VALUE;
        int lastPrediction = Integer.MIN_VALUE;
        for (int i = 0; i < set.size(); i++) {
            TimeSeriesDataSet.Window w = set.window(i);
            firstPrediction = Math.min(firstPrediction, w.firstPredictionTimeIdx());
            lastPrediction = Math.max(lastPrediction, w.firstPredictionTimeIdx());
            lastRead = Math.max(lastRead, w.firstTimeIdx() + w.encoderLength() + w.decoderLength() - 1);
        }
        return new int[] {firstPrediction, lastPrediction, lastRead};
    }

    @Test
    void refitTrainsOnTheValidationRowsForTheBestEpochCountWithTheFirstRunsLearningRates(@TempDir Path dir) throws Exception {
        List<EpochResult> seen = new ArrayList<>();
        TrainingJob job = job(TrainingJobTest.table, dir, new TrainingListener() {
            @Override
            public void onEpoch(EpochResult result) {
                seen.add(result);
            }
        });
        int lastNonTest = TrainingJobTest.LAST - TEST_STEPS;
        // The refit's windows forecast the validation months the first run only scored, and read no test row.
        int[] first = firstPredictionAndLastRead(job.trainingSet());
        int[] refit = firstPredictionAndLastRead(job.refitTrainingSet());
        assertTrue(first[2] <= job.trainingCutoff(), "the first run reads training rows only: " + first[2]);
        assertTrue(refit[1] > job.trainingCutoff(), "refit windows forecast after the training cutoff " + job.trainingCutoff()
                + ": their last origin is " + refit[1]);
        assertEquals(lastNonTest, refit[2], "the refit reads up to the last row before the test, and no further");
        assertTrue(job.refitTrainingSet().size() > job.trainingSet().size());

        TrainingJob.Result r = job.fit();
        int epochs = r.bestEpoch() + 1;
        assertEquals(epochs, r.refitEpochs());
        assertTrue(r.refit());
        // The listener saw the first run's epochs, then the refit's: exactly the best epoch count, at the first run's rates.
        assertEquals(r.epochs().size() + epochs, seen.size());
        List<EpochResult> refitEpochs = seen.subList(r.epochs().size(), seen.size());
        for (int e = 0; e < epochs; e++) {
            assertEquals(e, refitEpochs.get(e).epoch());
            assertEquals(r.epochs().get(e).learningRate(), refitEpochs.get(e).learningRate(), "epoch " + (e + 1) + "'s rate");
        }

        TrainedModel saved = TrainedModel.load(dir);
        assertEquals(epochs, saved.refitEpochs());
        assertEquals(epochs, r.model().refitEpochs());
        Map<String, Object> section = Json.parseObject(Files.readString(dir.resolve("model.json")));
        assertEquals((long) job.refitTrainingSet().size(), ((Map<?, ?>) section.get(Refit.SECTION)).get("windows"));
        // The first run's best-epoch model stays beside it, not refit, and different.
        TrainedModel validated = TrainedModel.load(dir.resolve(Refit.VALIDATED));
        assertFalse(validated.refit());
        assertNotEquals(weightsHash(dir.resolve(Refit.VALIDATED)), weightsHash(dir));
        assertTrue(Double.isFinite(saved.evaluate(TrainingJobTest.table).metrics().mae()), "the refit model scores the test");
    }

    @Test
    void theTestRowsNeverReachTheRefitModel(@TempDir Path dir) throws Exception {
        // The same data with the test rows' target multiplied by 1000: the model, refit included, must not change by a bit.
        Frame table = TrainingJobTest.table;
        int[] time = ((IntColumn) table.column("time_idx")).toArray();
        double[] y = ((DoubleColumn) table.column("trip_quantity")).toArray();
        for (int r = 0; r < y.length; r++) {
            if (time[r] > TrainingJobTest.LAST - TEST_STEPS) {
                y[r] *= 1000;
            }
        }
        Frame changedTest = table.with(new DoubleColumn("trip_quantity", y));
        TrainingJob.Result a = job(table, dir.resolve("a"), null).fit();
        TrainingJob.Result b = job(changedTest, dir.resolve("b"), null).fit();
        assertTrue(a.refit() && b.refit());
        assertEquals(a.refitEpochs(), b.refitEpochs());
        assertEquals(weightsHash(dir.resolve("a")), weightsHash(dir.resolve("b")));
        assertNotEquals(a.model().evaluate(table).metrics().mae(), b.model().evaluate(changedTest).metrics().mae(),
                "the test itself did change");
    }

    @Test
    void withoutRefitNothingIsRefit(@TempDir Path dir) {
        TrainingJob job = TrainingJobTest.small().outputDirectory(dir).build();
        assertNull(job.refitTrainingSet());
        TrainingJob.Result r = job.fit();
        assertEquals(0, r.refitEpochs());
        assertFalse(r.model().refit());
        assertFalse(Files.exists(dir.resolve(Refit.VALIDATED)));
    }

    private static String weightsHash(Path modelDirectory) throws Exception {
        return (String) Json.parseObject(Files.readString(modelDirectory.resolve("model.json"))).get("weights_sha256");
    }
}
