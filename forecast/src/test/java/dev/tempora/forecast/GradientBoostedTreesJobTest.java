package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.models.GradientBoostedTrees;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree model through the library: the config's kind, fitting, evaluation, refit, saving, loading and ensembles. */
class GradientBoostedTreesJobTest {

    private static final int HORIZON = 6;
    private static final int PERIOD = 12;
    private static final int STEPS = 240;
    private static Frame table;
    /** The same rows with each series' last HORIZON targets left empty: a history and the horizon's known inputs. */
    private static Frame future;

    @TempDir
    static Path dir;

    /**
     * Six series on levels two orders of magnitude apart, each a period-12 wave times its level, a known promotion
     * flag that doubles the value, and noise: the last value misses the wave and the promotions, trees that read the
     * season and the known flag do not.
     */
    @BeforeAll
    static void data() {
        SplittableRandom rng = new SplittableRandom(9);
        int rows = 6 * STEPS;
        String[] series = new String[rows];
        int[] time = new int[rows];
        double[] promotion = new double[rows];
        double[] y = new double[rows];
        for (int s = 0; s < 6; s++) {
            double level = Math.pow(10, s % 3);
            for (int t = 0; t < STEPS; t++) {
                int r = s * STEPS + t;
                series[r] = "s" + s;
                time[r] = t;
                promotion[r] = rng.nextInt(8) == 0 ? 1 : 0;
                double wave = 1 + 0.5 * Math.sin(2 * Math.PI * t / PERIOD);
                y[r] = level * wave * (1 + promotion[r]) * (1 + 0.05 * rng.nextGaussian());
            }
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("series", series);
        columns.put("time_idx", time);
        columns.put("promotion", promotion);
        columns.put("y", y);
        table = Frame.ofColumns("waves", columns);
        double[] unknown = y.clone();
        for (int r = 0; r < rows; r++) {
            unknown[r] = time[r] >= STEPS - HORIZON ? Double.NaN : y[r];
        }
        Map<String, Object> horizon = new LinkedHashMap<>(columns);
        horizon.put("y", unknown);
        future = Frame.ofColumns("waves-future", horizon);
    }

    private static DatasetParameters parameters() {
        return DatasetParameters.fromJson(Json.parseObject("""
                {"time_idx": "time_idx", "target": "y", "group_ids": ["series"],
                 "min_encoder_length": 12, "max_encoder_length": 24, "max_prediction_length": %d,
                 "time_varying_known_reals": ["promotion"], "time_varying_unknown_reals": ["y"],
                 "target_normalizer": {"type": "GroupNormalizer", "groups": ["series"], "transformation": "softplus"}}
                """.formatted(HORIZON)));
    }

    private static TreeModelSettings settings(String extra) {
        return (TreeModelSettings) ModelKindSettings.fromJson(Json.parseObject("""
                {"kind": "GradientBoostedTrees", "trees": 60, "learning_rate": 0.1, "max_depth": 4, "min_leaf_rows": 10,
                 "season": 12, "quantiles": [0.1, 0.5, 0.9]%s}
                """.formatted(extra)));
    }

    private static TrainingJob.Builder job(TreeModelSettings settings) {
        return TrainingJob.builder(table, parameters()).model(settings).trainer(t -> t.seed(5).workers(2)).batchSize(64);
    }

    @Test
    void theTreesLearnTheWaveAndThePromotionsAndReloadBitForBit() {
        Path out = dir.resolve("trees");
        TrainingJob.Result r = job(settings("")).outputDirectory(out).build().fit();
        assertInstanceOf(GradientBoostedTrees.class, r.model().model());
        assertEquals(1, r.epochs().size(), "a fit is one pass");
        assertTrue(Files.exists(out.resolve("metrics.csv")));
        Evaluation.Result model = r.model().evaluate(table);
        Evaluation.Result naive = Evaluation.score(model.dataset(), null, Forecaster.lastValue(), r.model().quantiles(), 64, false, null);
        assertEquals(6 * HORIZON, model.metrics().points());
        assertTrue(model.metrics().mae() < 0.4 * naive.metrics().mae(), model.metrics() + " vs last value " + naive.metrics());
        TrainedModel loaded = TrainedModel.load(out);
        assertEquals(model.metrics(), loaded.evaluate(table).metrics(), "reloads bit for bit");
        TrainedModel.Forecast forecast = loaded.predict(future);
        assertEquals(6, forecast.series());
        assertEquals(STEPS - HORIZON, forecast.table().rows().getFirst().timeIdx(), "the horizon's rows are forecast");
        for (var row : forecast.table().rows()) {
            assertTrue(row.quantiles()[0] <= row.quantiles()[1] && row.quantiles()[1] <= row.quantiles()[2], "sorted quantiles");
        }
    }

    @Test
    void theSeedDrawsOtherTreesAndARefitFitsTheValidationRowsToo() {
        TrainingJob.Result a = job(settings("")).build().fit();
        TrainingJob.Result b = job(settings("")).trainer(t -> t.seed(6)).build().fit();
        assertTrue(a.model().evaluate(table).metrics().mae() != b.model().evaluate(table).metrics().mae(), "another seed");
        Path out = dir.resolve("refit");
        TrainingJob.Result refit = job(settings("")).refit(true).outputDirectory(out).build().fit();
        assertEquals(1, refit.refitEpochs());
        TrainingJob first = job(settings("")).build();
        assertTrue(refit.model().sections().get("refit") instanceof Map<?, ?> section
                && ((Number) section.get("windows")).intValue() > first.trainingSet().size(),
                "the refit fits the validation rows' windows too: " + refit.model().sections().get("refit"));
        assertTrue(Files.exists(out.resolve("validated").resolve("model.json")), "the first fit is kept");
    }

    @Test
    void theTreesJoinAnEnsembleWithAnotherKind() {
        Path trees = dir.resolve("member-trees");
        Path linear = dir.resolve("member-nlinear");
        job(settings("")).outputDirectory(trees).build().fit();
        TrainingJob.builder(table, parameters()).model(new LinearModelSettings("NLinear", List.of(0.1f, 0.5f, 0.9f), 25, true))
                .trainer(t -> t.maxEpochs(2).seed(5).workers(2)).batchSize(64).outputDirectory(linear).build().fit();
        TrainedModel both = Ensemble.create(dir.resolve("both"), List.of(trees, linear), Ensemble.Combine.MEAN);
        assertEquals(6 * HORIZON, both.evaluate(table).metrics().points());
    }

    @Test
    void badSettingsAndGradientTrainingAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(", \"max_depht\": 3"));
        assertTrue(e.getMessage().contains("max_depth"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> settings(", \"bins\": 300"));
        assertTrue(e.getMessage().contains("bins must be 2 to 255"), e.getMessage());
        TreeModelSettings absurd = (TreeModelSettings) ModelKindSettings.fromJson(
                Json.parseObject("{\"kind\": \"GradientBoostedTrees\", \"trees\": 1000000000}"));
        e = assertThrows(IllegalArgumentException.class, () -> job(absurd).build());
        assertTrue(e.getMessage().startsWith("fitting's 889,000,000,000 tree nodes at most (7 arrays")
                && e.getMessage().contains("every window's feature rows") && e.getMessage().contains("max_depth"), e.getMessage());
        TrainingJob job = job(settings("")).build();
        e = assertThrows(IllegalArgumentException.class, () -> job.findLearningRate(1e-5, 1, 10));
        assertTrue(e.getMessage().contains("has no parameters to train by gradient steps"), e.getMessage());
    }
}
