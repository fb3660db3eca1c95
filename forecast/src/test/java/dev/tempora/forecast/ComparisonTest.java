package dev.tempora.forecast;

import dev.tempora.data.TimeSeriesDataSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several models, an ensemble among them, and the baselines once, on the same windows. */
class ComparisonTest {

    @TempDir
    static Path dir;

    static TrainedModel first;
    static TrainedModel second;
    static TrainedModel ensemble;

    @BeforeAll
    static void trainTwoModels() {
        TrainingJobTest.data();
        first = tiny(1, "first");
        second = tiny(2, "second");
        Ensemble.write(dir.resolve("both"), List.of(dir.resolve("first"), dir.resolve("second")), Ensemble.Combine.MEAN);
        ensemble = TrainedModel.load(dir.resolve("both"));
    }

    private static TrainedModel tiny(long seed, String name) {
        return TrainingJobTest.small().trainer(t -> t.maxEpochs(1).limitTrainBatchCount(2).seed(seed))
                .outputDirectory(dir.resolve(name)).build().fit().model();
    }

    private static final List<Function<TimeSeriesDataSet, Forecaster>> LAST_VALUE = List.of(d -> Forecaster.lastValue());

    @Test
    void everyModelAndTheBaselineAreScoredOnTheSameLastWindows() {
        Evaluation.Comparison c = Evaluation.compare(List.of(first, second, ensemble), List.of("first", "second", "both"),
                TrainingJobTest.table, null, LAST_VALUE, InferenceOptions.defaults(), null);
        assertEquals(3, c.models().size());
        assertEquals(1, c.baselines().size());
        Evaluation.Result alone = second.evaluate(TrainingJobTest.table);
        assertEquals(alone.metrics(), c.models().get(1).metrics(), "the same windows as the model's own evaluation");
        Evaluation.Result naive = Evaluation.score(alone.dataset(), null, Forecaster.lastValue(), second.quantiles(), 64, false, null);
        assertEquals(naive.metrics(), c.baselines().getFirst().metrics());
        for (Evaluation.Result r : c.models()) {
            assertEquals(4, r.windowCount());
        }
    }

    @Test
    void aBacktestComparesOnTheSameOrigins() {
        Evaluation.Backtest origins = new Evaluation.Backtest(TrainingJobTest.LAST - 3 * TrainingJobTest.HORIZON, null, 12);
        Evaluation.Comparison c = Evaluation.compare(List.of(first, ensemble), List.of("first", "both"), TrainingJobTest.table,
                origins, LAST_VALUE, InferenceOptions.defaults(), null);
        Evaluation.Result alone = first.backtest(TrainingJobTest.table, origins.from(), null, 12, InferenceOptions.defaults());
        assertEquals(alone.metrics(), c.models().getFirst().metrics());
        assertEquals(alone.windowCount(), c.models().get(1).windowCount());
        assertEquals(alone.windowCount(), c.baselines().getFirst().windowCount());
        assertTrue(alone.windowCount() > 4, "several origins: " + alone.windowCount());
    }

    @Test
    void modelsThatHoldOutATestAreComparedOnItAndNotBesideModelsWithout() {
        List<TrainedModel> held = new java.util.ArrayList<>();
        for (long seed = 3; seed <= 4; seed++) {
            long s = seed;
            held.add(TrainingJobTest.small().test(dev.tempora.data.DataSplit.TestSplit.lastSteps(TrainingJobTest.HORIZON))
                    .trainer(t -> t.maxEpochs(1).limitTrainBatchCount(2).seed(s)).build().fit().model());
        }
        Evaluation.Comparison c = Evaluation.compare(held, List.of("a", "b"), TrainingJobTest.table, null, LAST_VALUE,
                InferenceOptions.defaults(), null);
        assertEquals(held.get(1).evaluate(TrainingJobTest.table).metrics(), c.models().get(1).metrics(), "the held-out test");
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> Evaluation.compare(
                List.of(first, held.getFirst()), List.of("first", "a"), TrainingJobTest.table, null, LAST_VALUE,
                InferenceOptions.defaults(), null));
        assertTrue(mixed.getMessage().contains("different tests"), mixed.getMessage());
    }

    @Test
    void modelsOfAnotherHorizonOrTargetAreRefusedNamingTheDifference() {
        TrainedModel shorter = TrainingJob.builder(TrainingJobTest.table, TrainingJobTest.parameters().with("max_prediction_length", 6L))
                .model(ModelSettings.builder().hiddenSize(4).attentionHeadSize(1).hiddenContinuousSize(2).build())
                .trainer(t -> t.maxEpochs(1).limitTrainBatchCount(1).workers(1)).batchSize(16).build().fit().model();
        IllegalArgumentException horizon = assertThrows(IllegalArgumentException.class, () -> Evaluation.compare(
                List.of(first, shorter), List.of("first", "shorter"), TrainingJobTest.table, null, LAST_VALUE,
                InferenceOptions.defaults(), null));
        assertTrue(horizon.getMessage().contains("horizon") && horizon.getMessage().contains("12")
                && horizon.getMessage().contains("6"), horizon.getMessage());
    }
}
