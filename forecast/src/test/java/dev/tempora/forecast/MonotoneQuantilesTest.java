package dev.tempora.forecast;

import dev.tempora.data.Frame;
import dev.tempora.data.TaxiDemand;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** monotone_quantiles: forecasts sorted by quantile level, on by default, recorded in model.json, off on request. */
class MonotoneQuantilesTest {

    @Test
    void eachStepIsSortedByLevelWhateverOrderTheLevelsAreListedIn() {
        Tensor forecast = Tensor.wrap(new float[] {5, 1, 3, /* next step */ 2, 9, 4}, 1, 2, 3);
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 9},
                new MonotoneQuantiles(List.of(0.1f, 0.5f, 0.9f)).apply(forecast).toFloatArray());
        // Levels 0.9, 0.1, 0.5: the largest value goes to 0.9 (first), the smallest to 0.1 (second).
        assertArrayEquals(new float[] {5, 1, 3, 9, 2, 4},
                new MonotoneQuantiles(List.of(0.9f, 0.1f, 0.5f)).apply(forecast).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> new MonotoneQuantiles(List.of(0.1f, 0.9f)).apply(forecast));
    }

    @Test
    void theConfigKeyIsOnByDefaultAndReadBack() {
        assertTrue(ModelSettings.defaults().monotoneQuantiles());
        assertEquals(true, ModelSettings.defaults().toJson().get("monotone_quantiles"));
        ModelSettings off = ModelSettings.fromJson(Json.parseObject("{\"monotone_quantiles\": false}"));
        assertFalse(off.monotoneQuantiles());
        assertEquals(off, ModelSettings.fromJson(off.toJson()));
    }

    @Test
    void forecastsAreSortedAndTurningItOffGivesTheRawCrossedOutputs() {
        // One short epoch: the quantile outputs are still close to their random start and cross.
        Frame table = TaxiDemand.generate(new TaxiDemand.Options(4, 8, LocalDate.of(2023, 3, 6), 3));
        TrainedModel sorted = oneShortEpoch(table, true);
        TrainedModel raw = oneShortEpoch(table, false);
        assertTrue(sorted.monotoneQuantiles());
        assertFalse(raw.monotoneQuantiles());
        assertEquals(Boolean.TRUE, modelSection(sorted).get("monotone_quantiles"), "model.json says so");
        assertEquals(Boolean.FALSE, modelSection(raw).get("monotone_quantiles"));

        Frame input = TrainingJobTest.predictInput(table, TrainingJobTest.LAST - TrainingJobTest.HORIZON);
        List<ForecastTable.Row> sortedRows = sorted.predict(input).table().rows();
        List<ForecastTable.Row> rawRows = raw.predict(input).table().rows();
        assertEquals(rawRows.size(), sortedRows.size());
        int crossed = 0;
        for (int r = 0; r < rawRows.size(); r++) {
            float[] q = rawRows.get(r).quantiles();
            float[] expected = q.clone();
            Arrays.sort(expected);
            crossed += Arrays.equals(q, expected) ? 0 : 1;
            assertArrayEquals(expected, sortedRows.get(r).quantiles(), "row " + r + ": the same weights' outputs, sorted");
        }
        assertTrue(crossed > 0, "the raw outputs of this undertrained model cross somewhere, else the test shows nothing");
    }

    private static TrainedModel oneShortEpoch(Frame table, boolean monotone) {
        return TrainingJob.builder(table, TrainingJobTest.parameters())
                .model(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).hiddenContinuousSize(4)
                        .monotoneQuantiles(monotone).build())
                .trainer(t -> t.maxEpochs(1).limitTrainBatchCount(2).learningRate(0.03).optimizer("adam").seed(5).workers(2))
                .batchSize(16).build().fit().model();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> modelSection(TrainedModel model) {
        return (Map<String, Object>) ((Map<String, Object>) model.sections().get("config")).get("model");
    }
}
