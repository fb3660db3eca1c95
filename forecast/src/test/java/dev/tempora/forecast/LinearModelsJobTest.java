package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.models.DLinear;
import dev.tempora.models.NLinear;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NLinear and DLinear through the library: the config's kind, training, evaluation, saving and loading. */
class LinearModelsJobTest {

    private static final int HORIZON = 12;
    private static final int PERIOD = 12;
    private static final int STEPS = 600;
    private static Frame table;

    @TempDir
    static Path dir;

    /**
     * Three series, each a level plus a period-12 wave with a sharp peak, plus noise: the last value misses the
     * wave, a model that learns the period does not.
     */
    @BeforeAll
    static void data() {
        SplittableRandom rng = new SplittableRandom(3);
        int rows = 3 * STEPS;
        String[] series = new String[rows];
        int[] time = new int[rows];
        double[] y = new double[rows];
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < STEPS; t++) {
                int r = s * STEPS + t;
                series[r] = "s" + s;
                time[r] = t;
                double phase = 2 * Math.PI * t / PERIOD;
                y[r] = 10 * (s + 1) + 3 * Math.sin(phase) + (t % PERIOD == 3 ? 4 : 0) + 0.2 * rng.nextGaussian();
            }
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("series", series);
        columns.put("time_idx", time);
        columns.put("y", y);
        table = Frame.ofColumns("wave", columns);
    }

    private static DatasetParameters parameters() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "y", "group_ids": ["series"],
                 "min_encoder_length": 24, "max_encoder_length": 36, "max_prediction_length": %d,
                 "time_varying_unknown_reals": ["y"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["series"]}}
                """.formatted(HORIZON)));
    }

    private static TrainingJob.Builder job(String kind) {
        return TrainingJob.builder(table, parameters())
                .model(LinearModelSettings.defaults(kind))
                .trainer(t -> t.maxEpochs(6).learningRate(0.01).optimizer("adam").seed(5).workers(2).earlyStopping(0, 0))
                .batchSize(32);
    }

    @Test
    void nLinearLearnsTheWaveAndBeatsTheLastValue() {
        TrainingJob job = job(NLinear.KIND).build();
        assertInstanceOf(NLinear.class, job.model());
        TrainingJob.Result r = job.fit();
        assertTrue(r.epochs().getLast().trainLoss() < r.epochs().getFirst().trainLoss(), r.epochs().toString());
        Evaluation.Result model = r.model().evaluate(table);
        Evaluation.Result naive = Evaluation.score(model.dataset(), null, Forecaster.lastValue(), r.model().quantiles(), 64, false, null);
        assertEquals(3 * HORIZON, model.metrics().points());
        assertTrue(model.metrics().mae() < 0.5 * naive.metrics().mae(), model.metrics() + " vs last value " + naive.metrics());
    }

    @Test
    void dLinearTrainsSavesAndLoadsAndInterpretIsRefused() {
        Path out = dir.resolve("dlinear");
        TrainingJob.Result r = job(DLinear.KIND).model(new LinearModelSettings(DLinear.KIND, List.of(0.1f, 0.5f, 0.9f), 7, true))
                .trainer(t -> t.maxEpochs(2)).outputDirectory(out).build().fit();
        TrainedModel loaded = TrainedModel.load(out);
        assertEquals(DLinear.KIND, loaded.sections().get("config") instanceof Map<?, ?> c && c.get("model") instanceof Map<?, ?> m
                ? m.get("kind") : null);
        // Record equality compares the doubles bit for bit: the loaded model forecasts exactly as the trained one.
        assertEquals(r.model().evaluate(table).metrics(), loaded.evaluate(table).metrics());
        assertEquals(List.of(0.1f, 0.5f, 0.9f), loaded.quantiles());
        TrainedModel.Forecast forecast = loaded.predict(table);
        assertEquals(3, forecast.series());
        assertEquals(HORIZON, forecast.horizon());
        assertEquals(STEPS, forecast.table().rows().getFirst().timeIdx(), "the first step after each series' history");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loaded.interpret(table, InferenceOptions.defaults()));
        assertTrue(e.getMessage().contains("this model is a DLinear"), e.getMessage());
    }

    @Test
    void nHitsFromTheConfigsModelSectionLearnsTheWaveAndReloads() {
        Path out = dir.resolve("nhits");
        ModelKindSettings settings = ModelKindSettings.fromJson(Json.parseObject("""
                {"kind": "NHiTS", "hidden_size": 64, "quantiles": [0.1, 0.5, 0.9], "learning_rate": 0.01}
                """));
        assertInstanceOf(NHitsSettings.class, settings);
        TrainingJob.Result r = job(NLinear.KIND).model(settings).trainer(t -> t.maxEpochs(6)).outputDirectory(out).build().fit();
        assertInstanceOf(dev.tempora.models.NHits.class, r.model().model());
        Evaluation.Result model = r.model().evaluate(table);
        Evaluation.Result naive = Evaluation.score(model.dataset(), null, Forecaster.lastValue(), r.model().quantiles(), 64, false, null);
        assertTrue(model.metrics().mae() < 0.5 * naive.metrics().mae(), model.metrics() + " vs last value " + naive.metrics());
        assertEquals(model.metrics(), TrainedModel.load(out).evaluate(table).metrics(), "reloads bit for bit");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelKindSettings.fromJson(
                Json.parseObject("{\"kind\": \"NHiTS\", \"n_block\": [1, 1]}")));
        assertTrue(e.getMessage().contains("n_blocks"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelKindSettings.fromJson(
                Json.parseObject("{\"kind\": \"NHiTS\", \"pooling_mode\": \"median\"}")));
        assertTrue(e.getMessage().contains("pooling_mode"), e.getMessage());
    }

    @Test
    void theTargetMustBeAnUnknownRealForTheLinearModels() {
        DatasetParameters withoutTarget = DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "y", "group_ids": ["series"],
                 "max_encoder_length": 36, "max_prediction_length": 12, "time_varying_known_reals": ["time_idx"]}
                """));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingJob.builder(table, withoutTarget).model(LinearModelSettings.defaults(NLinear.KIND)).build());
        assertTrue(e.getMessage().contains("time_varying_unknown_reals"), e.getMessage());
    }
}
