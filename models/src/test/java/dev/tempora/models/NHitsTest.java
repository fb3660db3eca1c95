package dev.tempora.models;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N-HiTS's layout, its handling of short encoders, gradients, checkpoints, and that it learns. */
class NHitsTest {

    private static final List<Float> QUANTILES = List.of(0.1f, 0.5f, 0.9f);

    @TempDir
    Path dir;

    private static NHits model(Map<String, Object> hyperParameters) {
        return new NHits(NHitsConfig.fromDataset(7, 5, QUANTILES, 1, 3, "none", hyperParameters, 3));
    }

    private static Tensor predict(ForecastingModel m, ModelInputs batch) {
        m.eval();
        try (GradMode.Scope off = GradMode.noGrad()) {
            return m.forward(batch, false).prediction().value();
        }
    }

    @Test
    void parametersAreNamedAndCountedAsPtfs() {
        NHits m = model(Map.of("hidden_size", 8L));
        List<String> expected = new ArrayList<>();
        for (int block = 0; block < 3; block++) {
            for (int layer : new int[] {0, 2, 4}) {
                expected.add("model.blocks." + block + ".layers." + layer + ".weight");
                expected.add("model.blocks." + block + ".layers." + layer + ".bias");
            }
        }
        assertEquals(expected, new ArrayList<>(m.stateDict().keySet()));
        // Pooling [2, 2, 1] of 7 steps: 4, 4 and 7 inputs; knots 2, 2 and 5 per quantile after 7 backcast values.
        long count = 0;
        int[][] inputsAndKnots = {{4, 2}, {4, 2}, {7, 5}};
        for (int[] s : inputsAndKnots) {
            count += (s[0] + 1) * 8 + 9 * 8 + 9 * (7 + 3 * s[1]);
        }
        assertEquals(count, m.parameterCount());

        // With dropout, PTF's Sequential numbers the dropouts too.
        assertTrue(model(Map.of("hidden_size", 8L, "dropout", 0.1)).stateDict().containsKey("model.blocks.0.layers.6.weight"));
    }

    @Test
    void sharedBlocksOfAStackAreOneSetOfWeights() {
        NHits shared = model(Map.of("hidden_size", 8L, "n_blocks", List.of(3L)));
        assertEquals(9 * 2, shared.stateDict().size(), "three block names, three layers each");
        assertEquals(3 * 2, shared.namedParameters().size());
        assertEquals(model(Map.of("hidden_size", 8L, "n_blocks", List.of(1L))).parameterCount(), shared.parameterCount());
        NHits separate = model(Map.of("hidden_size", 8L, "n_blocks", List.of(3L), "shared_weights", false));
        assertEquals(3 * shared.parameterCount(), separate.parameterCount());
    }

    @Test
    void aShortEncoderIsRightAlignedAfterItsFirstValueRepeated() {
        NHits m = model(Map.of("hidden_size", 8L));
        // Sample 0 has 4 valid steps of 7 (the rest is noise); sample 1 holds the same values spelled out.
        Tensor cont = Tensor.randn(5, 2, 7, 3);
        float[] c = cont.toFloatArray();
        float[] values = new float[4];
        for (int t = 0; t < 4; t++) {
            values[t] = c[t * 3 + 1];
        }
        for (int t = 0; t < 7; t++) {
            c[(7 + t) * 3 + 1] = values[Math.max(0, t - 3)];
        }
        Tensor scale = Tensor.of(new float[] {0.5f, 2f, 0.5f, 2f}, 2, 2);
        ModelInputs batch = new ModelInputs(Tensor.zeros(2, 7, 0), Tensor.wrap(c, 2, 7, 3), Tensor.zeros(2, 5, 0),
                Tensor.zeros(2, 5, 3), new int[] {4, 7}, new int[] {5, 5}, scale);
        Tensor p = predict(m, batch);
        assertArrayEquals(p.narrow(0, 1, 1).toFloatArray(), p.narrow(0, 0, 1).toFloatArray());

        // What lies beyond a sample's encoder length is never read.
        float[] changed = c.clone();
        for (int t = 4; t < 7; t++) {
            changed[t * 3 + 1] = 100f;
        }
        ModelInputs padded = new ModelInputs(batch.encoderCat(), Tensor.wrap(changed, 2, 7, 3), batch.decoderCat(),
                batch.decoderCont(), batch.encoderLengths(), batch.decoderLengths(), scale);
        assertArrayEquals(p.toFloatArray(), predict(m, padded).toFloatArray());
    }

    @Test
    void batchesThatDoNotFitAreRefused() {
        NHits m = model(Map.of("hidden_size", 8L));
        ModelInputs tooLong = new ModelInputs(Tensor.zeros(1, 7, 0), Tensor.zeros(1, 7, 3), Tensor.zeros(1, 6, 0),
                Tensor.zeros(1, 6, 3), new int[] {7}, new int[] {6}, Tensor.ones(1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(tooLong, false));
        assertTrue(e.getMessage().contains("6 decoder steps, the NHiTS model forecasts 5"), e.getMessage());
        ModelInputs wrongReals = new ModelInputs(Tensor.zeros(1, 7, 0), Tensor.zeros(1, 7, 2), Tensor.zeros(1, 5, 0),
                Tensor.zeros(1, 5, 2), new int[] {7}, new int[] {5}, Tensor.ones(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(wrongReals, false));
        assertTrue(e.getMessage().contains("2 real columns, the NHiTS model was built for 3"), e.getMessage());
    }

    @Test
    void weightGradientsMatchFiniteDifferences() {
        // Tanh keeps the loss smooth in the weights; max pooling's winners stay put for small steps.
        NHits m = model(Map.of("hidden_size", 6L, "activation", "Tanh"));
        ModelInputs batch = NHitsReferenceTest.batch(7, new int[] {7, 5, 2}, 5);
        Tensor target = Tensor.randn(9, 3, 5);
        int[] lengths = {5, 4, 5};
        m.train();
        m.zeroGrad();
        Variable loss = squaredError(m, batch, target, lengths);
        loss.backward();
        SplittableRandom rng = new SplittableRandom(4);
        double step = 0x1.0p-6;
        for (Map.Entry<String, Variable> e : m.namedParameters().entrySet()) {
            float[] w = e.getValue().value().storage();
            int offset = e.getValue().value().storageOffset();
            float[] grad = e.getValue().grad().toFloatArray();
            for (int trial = 0; trial < 4; trial++) {
                int i = rng.nextInt(grad.length);
                float original = w[offset + i];
                double[] at = new double[4];
                double[] shifts = {-2 * step, -step, step, 2 * step};
                for (int s = 0; s < 4; s++) {
                    w[offset + i] = (float) (original + shifts[s]);
                    try (GradMode.Scope off = GradMode.noGrad()) {
                        at[s] = squaredError(m, batch, target, lengths).item();
                    }
                }
                w[offset + i] = original;
                double numeric = (at[0] - 8 * at[1] + 8 * at[2] - at[3]) / (12 * step);
                assertEquals(numeric, grad[i], 2e-3 + 2e-2 * Math.abs(numeric), e.getKey() + "[" + i + "]");
            }
        }
    }

    /** A smooth loss (squared error of every quantile): the quantile loss's kinks would blur the check. */
    private static Variable squaredError(NHits m, ModelInputs batch, Tensor target, int[] lengths) {
        Variable p = m.forward(batch, false).prediction();
        Tensor mask = Tensor.zeros(target.shape());
        for (int i = 0; i < lengths.length; i++) {
            for (int t = 0; t < lengths[i]; t++) {
                mask.storage()[i * target.size(1) + t] = 1f;
            }
        }
        Variable error = p.sub(Variable.constant(target.reshape(target.size(0), target.size(1), 1)));
        return error.square().mul(Variable.constant(mask.reshape(target.size(0), target.size(1), 1))).sum();
    }

    @Test
    void aCheckpointRebuildsTheSameModelBitForBit() throws IOException {
        NHits model = model(Map.of("hidden_size", 8L, "n_blocks", List.of(2L, 1L), "pooling_sizes", List.of(3L, 1L),
                "downsample_frequencies", List.of(5L, 1L), "dropout", 0.1));
        // Train a step so that the saved weights are not the freshly initialised ones a rebuild would also give.
        ModelInputs batch = NHitsReferenceTest.batch(7, new int[] {7, 6, 3, 1}, 5);
        Adam adam = new Adam(model.parameters(), 0.01);
        model.train();
        model.loss(model.forward(batch, false).prediction(), Tensor.randn(8, 4, 5), null, new int[] {5, 5, 5, 5}, 0).backward();
        adam.step();
        Checkpoint.save(dir, model, Map.of());
        NHits back = assertInstanceOf(NHits.class, Checkpoint.load(dir).model());
        assertEquals(model.config, back.config);
        assertEquals(model.stateDict().keySet(), back.stateDict().keySet());
        Tensor expected = predict(model, batch);
        Tensor actual = predict(back, batch);
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToIntBits(e[i]), Float.floatToIntBits(a[i]), "element " + i);
        }
        assertNotEquals(0f, e[0]);
    }

    @Test
    void theRegistryRebuildsItFromItsConfigJson() {
        NHits model = model(Map.of("hidden_size", 8L));
        Map<String, Object> config = Json.parseObject(Json.write(model.configJson()));
        NHits rebuilt = assertInstanceOf(NHits.class, ModelKinds.create(NHits.KIND, config));
        assertEquals(model.config, rebuilt.config);
        assertTrue(ModelKinds.kinds().contains("NHiTS"));
        // The same seed gives the same initial weights.
        assertArrayEquals(model.parameters().getFirst().value().toFloatArray(),
                rebuilt.parameters().getFirst().value().toFloatArray());
    }

    @Test
    void itLearnsASeasonalPatternBetterThanTheLastValue() {
        int period = 6;
        int length = 12;
        int horizon = 6;
        NHits m = new NHits(NHitsConfig.fromDataset(length, horizon, QUANTILES, 0, 1, "none",
                Map.of("hidden_size", 32L), 17));
        Adam adam = new Adam(m.parameters(), 3e-3);
        SplittableRandom rng = new SplittableRandom(1);
        m.train();
        for (int step = 0; step < 150; step++) {
            Seasonal batch = Seasonal.draw(rng, 32, length, horizon, period);
            adam.zeroGrad();
            m.loss(m.forward(batch.inputs, false).prediction(), batch.target, null, batch.inputs.decoderLengths(), 0).backward();
            adam.step();
        }
        Seasonal test = Seasonal.draw(new SplittableRandom(99), 200, length, horizon, period);
        Tensor p = predict(m, test.inputs);
        double model = 0;
        double lastValue = 0;
        int median = 1;
        for (int i = 0; i < 200; i++) {
            float last = test.inputs.encoderCont().get(i, length - 1, 0);
            for (int t = 0; t < horizon; t++) {
                float actual = test.target.get(i, t);
                model += Math.abs(p.get(i, t, median) - actual);
                lastValue += Math.abs(last - actual);
            }
        }
        assertTrue(model < 0.2 * lastValue, "median absolute error " + model / 1200 + ", last value's " + lastValue / 1200);
        // The quantiles are ordered where it matters: the 10% forecast below the 90% one on average.
        double spread = 0;
        for (int i = 0; i < 200; i++) {
            for (int t = 0; t < horizon; t++) {
                spread += p.get(i, t, 2) - p.get(i, t, 0);
            }
        }
        assertTrue(spread > 0, "mean 90%-10% spread " + spread / 1200);
    }

    /** Sine waves with random phase, amplitude and level plus noise; the target is not normalised (scale 1, center 0). */
    private record Seasonal(ModelInputs inputs, Tensor target) {
        static Seasonal draw(SplittableRandom rng, int n, int length, int horizon, int period) {
            float[] encoder = new float[n * length];
            float[] target = new float[n * horizon];
            float[] scale = new float[n * 2];
            for (int i = 0; i < n; i++) {
                double phase = rng.nextDouble(2 * Math.PI);
                double amplitude = 0.5 + rng.nextDouble();
                double level = rng.nextDouble(-1, 1);
                scale[i * 2 + 1] = 1f;
                for (int t = 0; t < length + horizon; t++) {
                    float y = (float) (level + amplitude * Math.sin(2 * Math.PI * t / period + phase) + 0.05 * rng.nextGaussian());
                    if (t < length) {
                        encoder[i * length + t] = y;
                    } else {
                        target[i * horizon + t - length] = y;
                    }
                }
            }
            int[] encoderLengths = new int[n];
            int[] decoderLengths = new int[n];
            java.util.Arrays.fill(encoderLengths, length);
            java.util.Arrays.fill(decoderLengths, horizon);
            ModelInputs inputs = new ModelInputs(Tensor.zeros(n, length, 0), Tensor.wrap(encoder, n, length, 1),
                    Tensor.zeros(n, horizon, 0), Tensor.zeros(n, horizon, 1), encoderLengths, decoderLengths,
                    Tensor.wrap(scale, n, 2));
            return new Seasonal(inputs, Tensor.wrap(target, n, horizon));
        }
    }
}
