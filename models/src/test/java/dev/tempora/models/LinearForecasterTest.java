package dev.tempora.models;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.GradientChecker;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NLinear and DLinear: the look-back window, the decomposition, the forward by hand, gradients, checkpoints. */
class LinearForecasterTest {

    /** Reals as the data set orders them: the target sits between two other columns. */
    private static final List<String> REALS = List.of("relative_time_idx", "target", "price");

    @TempDir
    Path dir;

    private static LinearForecasterConfig config(int lookback, int horizon, List<Float> quantiles, String transformation) {
        return new LinearForecasterConfig("target", REALS, lookback, horizon, quantiles, transformation, 5);
    }

    /** A batch whose target column holds {@code targets[i]} for sample i (its valid steps), the other reals noise. */
    private static ModelInputs batch(float[][] targets, int encoderSteps, int decoderSteps, float[] center, float[] scale) {
        int b = targets.length;
        Tensor cont = Tensor.randn(11, b, encoderSteps, REALS.size());
        int[] lengths = new int[b];
        float[] targetScale = new float[b * 2];
        for (int i = 0; i < b; i++) {
            lengths[i] = targets[i].length;
            for (int t = 0; t < encoderSteps; t++) {
                // Padded steps hold a value far from the data, so a read of one shows in the result.
                cont.set(t < lengths[i] ? targets[i][t] : 1e4f, i, t, 1);
            }
            targetScale[2 * i] = center[i];
            targetScale[2 * i + 1] = scale[i];
        }
        int[] decoderLengths = new int[b];
        java.util.Arrays.fill(decoderLengths, decoderSteps);
        return new ModelInputs(Tensor.zeros(b, encoderSteps, 0), cont, Tensor.zeros(b, decoderSteps, 0),
                Tensor.randn(12, b, decoderSteps, REALS.size()), lengths, decoderLengths, Tensor.wrap(targetScale, b, 2));
    }

    private static Tensor predict(ForecastingModel model, ModelInputs inputs) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            return model.forward(inputs, false).prediction().value();
        }
    }

    @Test
    void theWindowRightAlignsTheValidStepsAndRepeatsTheFirstOneBeforeAShortHistory() {
        ModelInputs inputs = batch(new float[][] {{1, 2, 3, 4, 5}, {7, 8}, {4, 3, 2, 1, 0}}, 5, 1,
                new float[3], new float[] {1, 1, 1});
        Tensor windows = LinearForecaster.lookbackWindows(inputs, 1, 4);
        assertArrayEquals(new int[] {3, 4}, windows.shape());
        assertArrayEquals(new float[] {2, 3, 4, 5, 7, 7, 7, 8, 3, 2, 1, 0}, windows.toFloatArray());
        Tensor longer = LinearForecaster.lookbackWindows(inputs, 1, 6);
        assertArrayEquals(new float[] {1, 1, 2, 3, 4, 5, 7, 7, 7, 7, 7, 8, 4, 4, 3, 2, 1, 0}, longer.toFloatArray());

        ModelInputs empty = batch(new float[][] {{1, 2}, {}}, 2, 1, new float[2], new float[] {1, 1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LinearForecaster.lookbackWindows(empty, 1, 2));
        assertTrue(e.getMessage().contains("sample 1 has no encoder step") && e.getMessage().contains("min_encoder_length"),
                e.getMessage());
    }

    @Test
    void theMovingAverageRepeatsTheEndValuesAsPadding() {
        Tensor x = Tensor.wrap(new float[] {1, 2, 3, 4, 10}, 1, 5);
        // Kernel 3: padded 1 1 2 3 4 10 10.
        assertArrayEquals(new float[] {4f / 3, 2, 3, 17f / 3, 8}, DLinear.movingAverage(x, 3).toFloatArray(), 1e-6f);
        // Kernel 5: padded 1 1 1 2 3 4 10 10 10.
        assertArrayEquals(new float[] {8f / 5, 11f / 5, 4, 29f / 5, 37f / 5}, DLinear.movingAverage(x, 5).toFloatArray(), 1e-6f);
        // Kernel 1 is the window itself; a kernel wider than the window still averages the padded ends.
        assertArrayEquals(x.toFloatArray(), DLinear.movingAverage(x, 1).toFloatArray());
        assertArrayEquals(new float[] {(5 * 1 + 2 + 3 + 4 + 10) / 9f}, DLinear.movingAverage(x, 9).narrow(1, 0, 1)
                .contiguous().toFloatArray(), 1e-6f);
        for (int even : new int[] {0, 2, 24}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DLinear.movingAverage(x, even));
            assertTrue(e.getMessage().contains("odd"), e.getMessage());
        }
    }

    @Test
    void nLinearForecastsByHand() {
        NLinear model = new NLinear(config(3, 2, List.of(0.5f), "none"));
        model.stateDict().get("linear.weight").value().copyFrom(Tensor.wrap(new float[] {1, 0, 0, 0.5f, 0.5f, 1}, 2, 3));
        model.stateDict().get("linear.bias").value().copyFrom(Tensor.wrap(new float[] {0.1f, -0.2f}, 2));
        // Window 2 4 5: minus the last value −3 −1 0; step 0: −3 + 0.1, step 1: −1.5 − 0.5 − 0.2; plus 5 again.
        // Sample 1 has a two-step history 6 8, padded to 6 6 8: −2 −2 0 → −2 + 0.1, −2 − 0.2; plus 8.
        ModelInputs inputs = batch(new float[][] {{2, 4, 5}, {6, 8}}, 3, 2, new float[] {10, -1}, new float[] {2, 0.5f});
        float[] expected = {(2.1f) * 2 + 10, (2.8f) * 2 + 10, (6.1f) * 0.5f - 1, (5.8f) * 0.5f - 1};
        assertArrayEquals(expected, predict(model, inputs).toFloatArray(), 1e-5f);

        NLinear logged = new NLinear(config(3, 2, List.of(0.5f), "log"));
        logged.stateDict().get("linear.weight").value().copyFrom(model.stateDict().get("linear.weight").value());
        logged.stateDict().get("linear.bias").value().copyFrom(model.stateDict().get("linear.bias").value());
        float[] exp = new float[expected.length];
        for (int i = 0; i < exp.length; i++) {
            exp[i] = (float) Math.exp(expected[i]);
        }
        assertArrayEquals(exp, predict(logged, inputs).toFloatArray(), 1e-5f * exp[1]);
    }

    @Test
    void dLinearForecastsByHand() {
        DLinear model = new DLinear(config(3, 1, List.of(0.5f), "none"), 3);
        model.stateDict().get("linear_seasonal.weight").value().copyFrom(Tensor.wrap(new float[] {1, 2, 0}, 1, 3));
        model.stateDict().get("linear_seasonal.bias").value().copyFrom(Tensor.wrap(new float[] {0}, 1));
        model.stateDict().get("linear_trend.weight").value().copyFrom(Tensor.wrap(new float[] {0, 0, 1}, 1, 3));
        model.stateDict().get("linear_trend.bias").value().copyFrom(Tensor.wrap(new float[] {0.5f}, 1));
        // Window 1 2 6, padded 1 1 2 6 6: trend 4/3 3 14/3, seasonal −1/3 −1 4/3.
        // Seasonal: −1/3 − 2 = −7/3; trend: 14/3 + 0.5; sum 7/3 + 0.5.
        ModelInputs inputs = batch(new float[][] {{1, 2, 6}}, 3, 1, new float[] {1}, new float[] {3});
        assertArrayEquals(new float[] {(7f / 3 + 0.5f) * 3 + 1}, predict(model, inputs).toFloatArray(), 1e-5f);
    }

    @Test
    void predictionsKeepTheDecoderStepsAndQuantilesAndRefuseAWrongBatch() {
        NLinear model = new NLinear(config(4, 3, TftConfig.DEFAULT_QUANTILES, "none"));
        ModelInputs two = batch(new float[][] {{1, 2, 3, 4}, {1, 2}}, 4, 2, new float[2], new float[] {1, 1});
        assertArrayEquals(new int[] {2, 2, 7}, predict(model, two).shape());
        ModelInputs four = batch(new float[][] {{1, 2, 3, 4}}, 4, 4, new float[1], new float[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> predict(model, four));
        assertTrue(e.getMessage().contains("4 decoder steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LinearForecasterConfig("missing", REALS, 4, 3,
                List.of(0.5f), "none", 1));
    }

    @Test
    void gradientsOfEveryWeightMatchFiniteDifferences() {
        ModelInputs inputs = batch(new float[][] {{0.5f, -1, 2, 0.25f, 1}, {3, -2, 1}}, 5, 3,
                new float[] {0.5f, -0.25f}, new float[] {1.5f, 0.75f});
        for (ForecastingModel model : List.of(new NLinear(config(5, 3, List.of(0.1f, 0.5f, 0.9f), "softplus")),
                new DLinear(config(5, 3, List.of(0.1f, 0.5f, 0.9f), "softplus"), 3))) {
            GradientChecker.Result r = new GradientChecker().checkParameters(
                    () -> model.forward(inputs, false).prediction(), model.namedParameters());
            assertTrue(r.passed(), model.kind() + ": " + r.report());
        }
    }

    @Test
    void checkpointsRoundTripBitwiseThroughTheRegistry() throws IOException {
        ModelInputs inputs = batch(new float[][] {{1, 2, 3, 4, 5, 6}, {2, 1}}, 6, 2, new float[] {1, 2}, new float[] {2, 3});
        for (ForecastingModel model : List.of(new NLinear(config(6, 2, TftConfig.DEFAULT_QUANTILES, "none")),
                new DLinear(config(6, 2, TftConfig.DEFAULT_QUANTILES, "none"), 5))) {
            // Weights other than the initial ones, so that loading cannot pass by re-initialising.
            model.parameters().forEach(p -> p.value().copyFrom(p.value().mul(1.5f).add(0.01f)));
            Path out = dir.resolve(model.kind());
            Checkpoint.save(out, model, Map.of());
            ForecastingModel back = Checkpoint.load(out).model();
            assertInstanceOf(model.getClass(), back);
            assertEquals(model.configJson(), back.configJson());
            assertEquals(model.stateDict().keySet(), back.stateDict().keySet());
            model.stateDict().forEach((name, weight) -> assertArrayEquals(weight.value().toFloatArray(),
                    back.stateDict().get(name).value().toFloatArray(), name));
            assertArrayEquals(predict(model, inputs).toFloatArray(), predict(back, inputs).toFloatArray(), model.kind());
            assertEquals(model.kind().equals("NLinear") ? 6 * 14 + 14 : 2 * (6 * 14 + 14), model.parameterCount());
        }
    }
}
