package dev.tempora.models;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tree model's features, worked out by hand, and its config's round trip. */
class GradientBoostedTreesTest {

    private static TreeForecasterConfig config(int season) {
        return new TreeForecasterConfig(0, 2, List.of(1), List.of(0), List.of(), 4, 2, season, List.of(0.5f), "none",
                new QuantileBoosting.Settings(5, 0.1, 2, 1, 1, 1, 16, 3), List.of(), List.of());
    }

    /**
     * One window: reals (target, price), the target normalised with center 1 and scale 2, three observed steps
     * y = 1, 2, 3 (normalised 0, 0.5, 1) and a padded fourth; one known categorical; two forecast steps.
     */
    private static ModelInputs window() {
        float[] encoderCont = {0f, 10f, 0.5f, 11f, 1f, 12f, -9f, -9f};
        float[] decoderCont = {-9f, 13f, -9f, 15f};
        return new ModelInputs(Tensor.wrap(new float[] {4, 4, 4, 4}, 1, 4, 1), Tensor.wrap(encoderCont, 1, 4, 2),
                Tensor.wrap(new float[] {5, 6}, 1, 2, 1), Tensor.wrap(decoderCont, 1, 2, 2), new int[] {3}, new int[] {2},
                Tensor.wrap(new float[] {1, 2}, 1, 2));
    }

    @Test
    void theFeaturesOfEachStepAreTheHistoryTheSeasonTheInputsAndTheScale() {
        GradientBoostedTrees model = new GradientBoostedTrees(config(2));
        GradientBoostedTrees.Features f = model.features(window());
        float s = 2.5f; // mean |y| of the last min(3, L = 4, season 2) = 2 observed steps: (3 + 2) / 2
        assertEquals(s, f.scale()[0], 1e-6);
        float nan = Float.NaN;
        // lags 1..4, the value 2 steps before the forecast step, the reals at the last step, the known real at the
        // step and its change, the known categorical at the step, the horizon, ln s
        assertArrayEquals(new float[] {3 / s, 2 / s, 1 / s, nan, 2 / s, 1f, 12f, 13f, 1f, 5f, 1f, (float) Math.log(s)},
                f.rows()[0], 1e-6f);
        assertArrayEquals(new float[] {3 / s, 2 / s, 1 / s, nan, 3 / s, 1f, 12f, 15f, 3f, 6f, 2f, (float) Math.log(s)},
                f.rows()[1], 1e-6f);
        assertEquals(config(2).featureCount(), f.rows()[0].length);
    }

    @Test
    void theConfigReadsBackAndAnUnfittedModelRefusesToForecast() {
        TreeForecasterConfig c = config(12);
        assertEquals(c, TreeForecasterConfig.fromJson(dev.tempora.tensor.io.Json.parseObject(
                dev.tempora.tensor.io.Json.write(c.toJson())), "test"));
        GradientBoostedTrees model = new GradientBoostedTrees(c);
        assertTrue(model.stateDict().isEmpty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.forward(window(), false));
        assertTrue(e.getMessage().contains("never fitted"), e.getMessage());
        assertEquals(GradientBoostedTrees.KIND, ModelKinds.create(GradientBoostedTrees.KIND, c.toJson()).kind());
    }
}
