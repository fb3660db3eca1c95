package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.TaxiDemand;
import dev.tempora.parallel.EpochResult;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library's front door: a table and PTF's parameters in, a trained model that forecasts, evaluates and saves out. */
class TrainingJobTest {

    static final int HORIZON = 12;
    static Frame table;

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        table = TaxiDemand.generate(new TaxiDemand.Options(4, 8, LocalDate.of(2023, 3, 6), 3));
    }

    /** The table with the target left empty after {@code lastObserved}: history, then the known inputs of the horizon. */
    static Frame predictInput(Frame full, int lastObserved) {
        int[] time = ((dev.tempora.data.IntColumn) full.column("time_idx")).toArray();
        double[] y = ((dev.tempora.data.DoubleColumn) full.column("trip_quantity")).toArray();
        for (int r = 0; r < y.length; r++) {
            if (time[r] > lastObserved) {
                y[r] = Double.NaN;
            }
        }
        return full.with(new dev.tempora.data.DoubleColumn("trip_quantity", y));
    }

    static final int LAST = 8 * 24 - 1;

    static DatasetParameters parameters() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                 "min_encoder_length": 24, "max_encoder_length": 24, "max_prediction_length": %d,
                 "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": ["day_hour"],
                 "time_varying_known_reals": ["time_idx"], "time_varying_unknown_reals": ["trip_quantity"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                 "add_relative_time_idx": true, "add_target_scales": true}
                """.formatted(HORIZON)));
    }

    static TrainingJob.Builder small() {
        return TrainingJob.builder(table, parameters())
                .model(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).hiddenContinuousSize(4).build())
                .trainer(t -> t.maxEpochs(3).limitTrainBatchCount(4).learningRate(0.03).optimizer("adam").seed(5).workers(2))
                .batchSize(16);
    }

    @Test
    void trainsFromAnInMemoryTableAndBeatsTheLastValue() {
        List<EpochResult> seen = new ArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        TrainingJob.Result r = small().trainer(t -> t.maxEpochs(6)).listener(new TrainingListener() {
            @Override
            public void onBatch(int epoch, int batch, int perEpoch, double loss, double samplesPerSecond, double eta) {
                batches.incrementAndGet();
                assertTrue(Double.isFinite(loss) && samplesPerSecond > 0, "loss " + loss + ", " + samplesPerSecond + " samples/s");
            }

            @Override
            public void onEpoch(EpochResult result) {
                seen.add(result);
            }
        }).build().fit();
        assertEquals(6, r.epochs().size());
        assertEquals(r.epochs(), seen);
        assertEquals(24, batches.get());
        assertEquals(r.epochs().stream().mapToDouble(EpochResult::validationLoss).min().orElseThrow(), r.bestValidationLoss());
        assertTrue(r.epochs().getLast().trainLoss() < r.epochs().getFirst().trainLoss(), "training loss should fall: " + r.epochs());
        assertEquals(null, r.model().directory(), "trained without an output directory");

        Evaluation.Result model = r.model().evaluate(table);
        Evaluation.Result naive = Evaluation.score(model.dataset(), null, Forecaster.lastValue(), r.model().quantiles(), 64, false, null);
        assertEquals(4, model.windowCount());
        assertEquals(4 * HORIZON, model.metrics().points());
        assertTrue(model.metrics().mae() < naive.metrics().mae(), model.metrics() + " vs last value " + naive.metrics());
        // evaluate's last windows hold each zone's last encoder and horizon rows only, and score as those over every row
        dev.tempora.data.TimeSeriesDataSet everyRow = dev.tempora.data.TimeSeriesDataSet.fromPreprocessing(
                r.model().preprocessing(), table, true);
        assertEquals(4 * (24 + HORIZON), model.dataset().rowCount());
        assertEquals(table.rowCount(), everyRow.rowCount());
        assertEquals(Evaluation.score(everyRow, null, r.model().forecaster(InferenceOptions.defaults()), r.model().quantiles(), 64,
                false, null).metrics(), model.metrics());
    }

    @Test
    void aHeldOutTestIsNeverSeenAndIsWhatEvaluateScores(@TempDir Path out) {
        // ten days, so that training still sees every hour of the week (day_hour) before validation and test
        Frame days = TaxiDemand.generate(new TaxiDemand.Options(4, 10, LocalDate.of(2023, 3, 6), 3));
        int last = 10 * 24 - 1;
        TrainingJob job = TrainingJob.builder(days, parameters())
                .model(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).hiddenContinuousSize(4).build())
                .trainer(t -> t.maxEpochs(2).limitTrainBatchCount(4).learningRate(0.03).optimizer("adam").seed(5).workers(2))
                .batchSize(16)
                .test(dev.tempora.data.DataSplit.TestSplit.lastSteps(HORIZON)).validationWindows(2, 6)
                .outputDirectory(out).build();
        // test: each zone's last 12 hours; validation: two windows 6 apart before them; training before those
        assertEquals(4, job.testSet().size());
        assertEquals(8, job.validationSet().size());
        assertEquals(last - HORIZON - HORIZON - 6, job.trainingCutoff());
        for (int w = 0; w < job.testSet().size(); w++) {
            assertEquals(last - HORIZON + 1, job.testSet().window(w).firstPredictionTimeIdx());
        }
        for (int w = 0; w < job.validationSet().size(); w++) {
            var window = job.validationSet().window(w);
            assertTrue(window.firstPredictionTimeIdx() + window.decoderLength() - 1 <= last - HORIZON,
                    "a validation window reaches into the test: " + window);
        }
        TrainedModel model = job.fit().model();
        TrainedModel loaded = TrainedModel.load(out);
        assertEquals(job.split(), loaded.split());
        assertTrue(loaded.evaluationWindowsDescription().contains("the last 12 steps of each series"),
                loaded.evaluationWindowsDescription());
        Evaluation.Result test = loaded.evaluate(days);
        assertEquals(4, test.windowCount());
        Evaluation.Result again = Evaluation.score(job.testSet(), null, model.forecaster(InferenceOptions.defaults()),
                model.quantiles(), 64, false, null);
        assertEquals(again.metrics().mae(), test.metrics().mae(), 1e-9, "evaluate scores the job's test windows");
    }

    @Test
    void theLearningRateFinderSweepsACopyAndLeavesTheJobsModelAsItWas() {
        TrainingJob job = small().build();
        List<float[]> before = job.model().parameters().stream().map(v -> v.value().toFloatArray()).toList();
        var sweep = job.findLearningRate(1e-6, 10, 30);
        assertTrue(sweep.points().size() >= 2 && Double.isFinite(sweep.points().getFirst().loss()), sweep.toString());
        assertTrue(sweep.suggestion() > 1e-6 && sweep.suggestion() < 10, "suggestion " + sweep.suggestion());
        List<float[]> after = job.model().parameters().stream().map(v -> v.value().toFloatArray()).toList();
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed");
        }
    }

    @Test
    void predictGivesEverySeriesAHorizonOfQuantilesAndAPointForecast() {
        TrainedModel model = small().build().fit().model();
        TrainedModel.Forecast forecast = model.predict(predictInput(table, LAST - HORIZON));
        assertEquals(4, forecast.series());
        assertEquals(HORIZON, forecast.horizon());
        List<ForecastTable.Row> rows = forecast.table().rows();
        assertEquals(4 * HORIZON, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            ForecastTable.Row row = rows.get(i);
            assertEquals(i % HORIZON + 1, row.horizon());
            assertEquals(LAST - HORIZON + row.horizon(), row.timeIdx());
            assertEquals(7, row.quantiles().length);
            assertEquals(row.quantiles()[3], row.point(), "the point forecast is the median");
            assertTrue(Float.isNaN(row.actual()));
        }
        assertEquals(List.of("pulocationid", "time_idx", "horizon", "q0.02", "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.98",
                "prediction"), forecast.table().frame().names());
        assertEquals(List.of(), forecast.notes());
    }

    @Test
    void savedModelsLoadAndForecastTheSameBits() {
        Path out = dir.resolve("saved");
        TrainingJob.Result r = small().outputDirectory(out).build().fit();
        assertTrue(Files.exists(out.resolve("model.safetensors")) && Files.exists(out.resolve("metrics.csv")));
        TrainedModel loaded = TrainedModel.load(out);
        assertEquals(out, loaded.directory());
        float[] trained = column(r.model().predict(predictInput(table, LAST - HORIZON)).table(), "prediction");
        assertArrayEquals(trained, column(loaded.predict(predictInput(table, LAST - HORIZON)).table(), "prediction"));
        Path copy = dir.resolve("copy");
        loaded.save(copy);
        assertArrayEquals(trained, column(TrainedModel.load(copy).predict(predictInput(table, LAST - HORIZON)).table(), "prediction"));
    }

    @Test
    void theSameSeedGivesTheSameModelForAnyWorkerCount() {
        float[] one = column(small().trainer(t -> t.workers(1)).build().fit().model().predict(predictInput(table, LAST - HORIZON)).table(), "q0.9");
        float[] two = column(small().trainer(t -> t.workers(2)).build().fit().model().predict(predictInput(table, LAST - HORIZON)).table(), "q0.9");
        assertArrayEquals(one, two);
    }

    @Test
    void cancelFromAnotherThreadEndsTheRunAfterTheEpochInProgress() throws Exception {
        TrainingJob job = small().build();
        AtomicInteger epochs = new AtomicInteger();
        TrainingJob cancelling = small().trainer(t -> t.maxEpochs(50).earlyStopping(0, 0)).listener(new TrainingListener() {
            @Override
            public void onEpoch(EpochResult result) {
                epochs.incrementAndGet();
            }
        }).build();
        Thread canceller = new Thread(() -> {
            while (epochs.get() < 2) {
                Thread.onSpinWait();
            }
            cancelling.cancel();
        });
        canceller.start();
        TrainingJob.Result r = cancelling.fit();
        canceller.join();
        assertTrue(r.cancelled());
        assertTrue(r.epochs().size() < 50 && r.epochs().size() >= 2, r.epochs().size() + " epochs");
        assertThrows(IllegalStateException.class, cancelling::fit, "a job runs once");
        job.cancel();
        assertThrows(IllegalStateException.class, job::fit, "cancelled before it started: no epoch, no model");
    }

    @Test
    void badSetUpsFailWhenTheJobIsBuiltWithTheReason() {
        IllegalArgumentException cutoff = assertThrows(IllegalArgumentException.class,
                () -> small().trainingCutoff(-100).build());
        assertTrue(cutoff.getMessage().contains("training_cutoff"), cutoff.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class, () -> small().batchSize(0));
        assertTrue(size.getMessage().contains("batch size"), size.getMessage());
        IllegalArgumentException resume = assertThrows(IllegalArgumentException.class, () -> small().resume(true).build());
        assertTrue(resume.getMessage().contains("output directory"), resume.getMessage());
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> ModelSettings.builder().hiddenSize(0).build());
        assertTrue(hidden.getMessage().contains("hidden_size"), hidden.getMessage());
        assertFalse(small().build().trainingSet().size() == 0);
    }

    static float[] column(ForecastTable table, String name) {
        var c = table.frame().column(name);
        float[] out = new float[table.rowCount()];
        for (int r = 0; r < out.length; r++) {
            out[r] = (float) c.getDouble(r);
        }
        return out;
    }
}
