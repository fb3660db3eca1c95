package dev.tempora.gpu.tft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.gpu.Devices;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.models.Adam;
import dev.tempora.models.DropoutSeeds;
import dev.tempora.models.GradientClipping;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The device TFT against the CPU model on a small config with ragged lengths: the eval prediction, the
 * training-mode loss and every parameter's gradient (dropout on, the CPU's masks), then parameters after
 * full steps (clipping and Adam), with and without a captured graph.
 */
class DeviceTftParityTest {
    private static final int BATCH = 3;
    private static final int ENCODER = 5;
    private static final int DECODER = 4;
    private static final int[] ENCODER_LENGTHS = {5, 3, 2};
    private static final int[] DECODER_LENGTHS = {4, 3, 4};
    private static final double LR = 1e-3;
    private static final float MAX_NORM = 0.1f;

    static Stream<GpuDevice> devices() {
        return Devices.each();
    }

    /**
     * Hidden 8, 2 heads, hidden_continuous 3 (reals resampled to 8), a static categorical of embedding 3
     * (resampled) and a known one of embedding 8 (not), static and time-varying reals.
     */
    static TftConfig config(int lstmLayers, String transformation) {
        return new TftConfig(8, 2, 0.1f, 3, Map.of(), lstmLayers, TftConfig.DEFAULT_QUANTILES,
                List.of("zone"), List.of("target_center", "target_scale"), List.of("phase"), List.of("phase"),
                List.of("time_idx", "target"), List.of("time_idx"), List.of("zone", "phase"),
                List.of("target_center", "target_scale", "time_idx", "target"), Map.of("zone", 5, "phase", 6),
                Map.of(), Map.of("zone", 3, "phase", 8), true, transformation, 11);
    }

    /**
     * As {@link #config}, but the encoder selects three reals whose prescaled sizes differ (time_idx 2, the
     * others 3): its single-variable GRNs run as two groups, one of them not consecutive in the variables'
     * order (their dropout slots neither).
     */
    static TftConfig mixedSizesConfig() {
        return new TftConfig(8, 2, 0.1f, 3, Map.of("time_idx", 2), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("zone"), List.of("target_center"), List.of("phase"), List.of("phase"),
                List.of("target_scale", "time_idx", "target"), List.of("time_idx"), List.of("zone", "phase"),
                List.of("target_center", "target_scale", "time_idx", "target"), Map.of("zone", 5, "phase", 6),
                Map.of(), Map.of("zone", 3, "phase", 8), true, "none", 11);
    }

    /** Columns: cat [zone, phase]; cont [center, scale, time, target]. */
    static ModelInputs batch(long seed) {
        RandomGenerator rng = Tensor.generator(seed);
        float[] ec = new float[BATCH * ENCODER * 2];
        float[] dc = new float[BATCH * DECODER * 2];
        for (int b = 0; b < BATCH; b++) {
            int zone = rng.nextInt(5);
            for (int t = 0; t < ENCODER + DECODER; t++) {
                float[] dst = t < ENCODER ? ec : dc;
                int row = t < ENCODER ? (b * ENCODER + t) * 2 : (b * DECODER + t - ENCODER) * 2;
                dst[row] = zone;
                dst[row + 1] = (t + 2 * b) % 6;
            }
        }
        return new ModelInputs(Tensor.wrap(ec, BATCH, ENCODER, 2), Tensor.randn(rng, BATCH, ENCODER, 4),
                Tensor.wrap(dc, BATCH, DECODER, 2), Tensor.randn(rng, BATCH, DECODER, 4), ENCODER_LENGTHS.clone(),
                DECODER_LENGTHS.clone(), Tensor.uniform(rng, 0.5f, 1.5f, BATCH, 2));
    }

    static Variable cpuLoss(TemporalFusionTransformer model, ModelInputs batch, Tensor target, long seed) {
        try (DropoutSeeds.Scope s = DropoutSeeds.open(seed)) {
            Variable prediction = model.forward(batch, false).prediction();
            return new QuantileLoss(model.config.quantiles()).forward(prediction, target, batch.decoderLengths());
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void predictionLossAndEveryGradientMatchTheCpu(GpuDevice device) {
        for (TftConfig config : List.of(config(1, "none"), config(2, "softplus"), mixedSizesConfig())) {
            TemporalFusionTransformer model = new TemporalFusionTransformer(config);
            ModelInputs inputs = batch(3);
            Tensor target = Tensor.randn(4, BATCH, DECODER);
            String what = config.lstmLayers() + " LSTM layers, output " + config.outputTransformation();
            try (DeviceTemporalFusionTransformer gpu = new DeviceTemporalFusionTransformer(device, model, LR, MAX_NORM, false);
                 DeviceTftBatch deviceBatch = gpu.upload(inputs, target)) {
                model.eval();
                Tensor expected;
                try (GradMode.Scope off = GradMode.noGrad()) {
                    expected = model.forward(inputs, false).prediction().value();
                }
                model.train();
                assertClose(what + ": eval prediction", expected, gpu.predict(deviceBatch), 1e-4);

                long seed = 12345;
                model.zeroGrad();
                Variable loss = cpuLoss(model, inputs, target, seed);
                loss.backward();
                double deviceLoss = gpu.computeGradients(deviceBatch, seed);
                assertEquals(loss.item(), deviceLoss, 1e-4 * (1 + Math.abs(loss.item())), what + ": training loss");
                int checked = 0;
                for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
                    Tensor cpuGrad = e.getValue().grad();
                    Tensor deviceGrad = gpu.gradient(e.getKey());
                    assertClose(what + ": gradient of " + e.getKey(),
                            cpuGrad == null ? Tensor.zeros(e.getValue().shape()) : cpuGrad, deviceGrad, 1e-3);
                    checked++;
                }
                assertTrue(checked > 60, "only " + checked + " parameters");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void trainingStepsKeepTheParametersInAgreement(GpuDevice device) {
        trainAndCompare(device, false);
    }

    /** The same steps replayed from a captured graph (each step with its own dropout seeds). */
    @ParameterizedTest
    @MethodSource("devices")
    void capturedTrainingStepsKeepTheParametersInAgreement(GpuDevice device) {
        trainAndCompare(device, true);
    }

    /**
     * Three steps (clipping by norm 0.1, Adam) on the CPU model and on a device model built from an identical
     * one; the device's parameters, copied back into its CPU model, then match the CPU-trained ones. Adam's
     * first steps are nearly the gradient's sign times lr, so a gradient element within rounding of zero may
     * move a parameter by up to 2·lr more on one side: the tolerance allows that on a few elements. The key
     * biases are left out: they shift all of a query's scores alike, so their gradient is rounding noise on
     * both sides, which Adam's normalisation turns into steps of any sign.
     */
    private void trainAndCompare(GpuDevice device, boolean capture) {
        TftConfig config = config(1, "none");
        TemporalFusionTransformer model = new TemporalFusionTransformer(config);
        TemporalFusionTransformer twin = new TemporalFusionTransformer(config);
        ModelInputs inputs = batch(5);
        Tensor target = Tensor.randn(6, BATCH, DECODER);
        List<Variable> parameters = model.parameters();
        Adam adam = new Adam(parameters, LR);
        try (DeviceTemporalFusionTransformer gpu = new DeviceTemporalFusionTransformer(device, twin, LR, MAX_NORM, capture);
             DeviceTftBatch deviceBatch = gpu.upload(inputs, target)) {
            for (int step = 1; step <= 3; step++) {
                long seed = DropoutSeeds.mix(step);
                model.zeroGrad();
                Variable loss = cpuLoss(model, inputs, target, seed);
                loss.backward();
                GradientClipping.clipByGlobalNorm(parameters, MAX_NORM);
                adam.step();
                gpu.trainStep(deviceBatch, seed);
                assertEquals(loss.item(), gpu.lastLoss(), 1e-4 * (1 + Math.abs(loss.item())), "loss of step " + step);
            }
            assertEquals(3, gpu.steps());
            gpu.copyParametersToCpu();
        }
        Map<String, Variable> trained = twin.namedParameters();
        int moved = 0;
        for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
            if (e.getKey().startsWith("multihead_attn.k_layers.") && e.getKey().endsWith(".bias")) {
                continue;
            }
            float[] want = e.getValue().value().contiguous().toFloatArray();
            float[] got = trained.get(e.getKey()).value().contiguous().toFloatArray();
            for (int i = 0; i < want.length; i++) {
                double difference = Math.abs(want[i] - got[i]);
                if (difference > 1e-5 + 1e-4 * Math.abs(want[i])) {
                    moved++;
                    assertTrue(difference <= 6 * LR, e.getKey() + "[" + i + "] after 3 steps: device " + got[i]
                            + ", CPU " + want[i]);
                }
            }
        }
        assertTrue(moved <= 5, moved + " parameters differ by more than rounding after 3 steps");
    }

    /** |device − cpu| ≤ tolerance·max|cpu| + 1e-6 element-wise: relative to the tensor's scale. */
    static void assertClose(String what, Tensor expected, Tensor actual, double tolerance) {
        float[] want = expected.contiguous().toFloatArray();
        float[] got = actual.contiguous().toFloatArray();
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + ": shape");
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            if (!(Math.abs(want[i] - got[i]) <= tolerance * scale + 1e-6)) {
                throw new AssertionError(what + ": element " + i + " of " + Arrays.toString(expected.shape()) + " is "
                        + got[i] + ", the CPU gives " + want[i] + " (largest |value| " + scale + ")");
            }
        }
    }
}
