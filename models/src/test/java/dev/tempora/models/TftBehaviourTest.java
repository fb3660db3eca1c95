package dev.tempora.models;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.GradientChecker;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole-model checks on a tiny TFT: gradients, masking, and that it learns. */
class TftBehaviourTest {

    private static final int ZONES = 5;
    private static final int PERIOD = 6;

    /** A tiny seed-like model: one static zone, a known phase categorical, known time, unknown target. */
    private static TftConfig tiny(float dropout, String transformation) {
        return new TftConfig(8, 2, dropout, 3, Map.of(), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("zone"), List.of("target_center", "target_scale"),
                List.of("phase"), List.of("phase"),
                List.of("time_idx", "target"), List.of("time_idx"),
                List.of("zone", "phase"), List.of("target_center", "target_scale", "time_idx", "target"),
                Map.of("zone", ZONES, "phase", PERIOD), Map.of(), Map.of(), true, transformation, 11);
    }

    /** Random batch with ragged lengths. Columns: cat [zone, phase]; cont [center, scale, time, target]. */
    private static ModelInputs randomBatch(long seed, int batch, int te, int td, int[] encLen, int[] decLen) {
        RandomGenerator rng = Tensor.generator(seed);
        float[] ec = new float[batch * te * 2];
        float[] dc = new float[batch * td * 2];
        for (int b = 0; b < batch; b++) {
            int zone = rng.nextInt(ZONES);
            for (int t = 0; t < te + td; t++) {
                float[] dst = t < te ? ec : dc;
                int row = t < te ? (b * te + t) * 2 : (b * td + t - te) * 2;
                dst[row] = zone;
                dst[row + 1] = (t + b) % PERIOD;
            }
        }
        return new ModelInputs(Tensor.wrap(ec, batch, te, 2), Tensor.randn(rng, batch, te, 4),
                Tensor.wrap(dc, batch, td, 2), Tensor.randn(rng, batch, td, 4), encLen, decLen,
                Tensor.uniform(rng, 0.5f, 1.5f, batch, 2));
    }

    @Test
    void wholeModelGradientCheck() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(tiny(0f, "softplus"));
        int[] encLen = {5, 3, 4};
        int[] decLen = {4, 2, 1};
        ModelInputs batch = randomBatch(1, 3, 5, 4, encLen, decLen);
        Map<String, Variable> sample = new LinkedHashMap<>();
        Map<String, Variable> all = model.namedParameters();
        // A parameter from every kind of block.
        for (String name : List.of("input_embeddings.embeddings.zone.weight", "prescalers.target.weight",
                "encoder_variable_selection.flattened_grn.fc1.weight", "static_context_initial_cell_lstm.fc2.weight",
                "lstm_encoder.weight_hh_l0", "lstm_decoder.weight_ih_l0", "post_lstm_gate_encoder.fc.weight",
                "static_enrichment.context.weight", "multihead_attn.q_layers.1.weight", "multihead_attn.v_layer.bias",
                "pos_wise_ff.gate_norm.add_norm.norm.weight", "output_layer.weight",
                "static_variable_selection.single_variable_grns.zone.mask")) {
            assertTrue(all.containsKey(name), name);
            sample.put(name, all.get(name));
        }
        model.train();
        // The prediction itself is checked (projected on a random direction in double), not the loss,
        // whose float32 value would hide small gradients. A deep float32 model resolves finite
        // differences to a few percent only (rounding noise of ~1e-6 relative in the output, ELU's
        // kinked second derivative), so the tolerance is 5% of each parameter's largest gradient plus
        // the estimated finite-difference error: this catches a missing or wrong term, while the
        // PyTorch reference test (TftReferenceTest) checks every gradient to 1e-4.
        GradientChecker.Result r = new GradientChecker().step(0x1.0p-5).tolerance(5e-2, 5e-2).maxCoordinates(8)
                .checkParameters(() -> model.forward(batch, false).prediction(), sample);
        assertTrue(r.passed(), r.report());
    }

    @Test
    void paddedEncoderStepsAndLaterKnownInputsDoNotLeak() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(tiny(0.1f, "none"));
        model.eval();
        int te = 6;
        int td = 5;
        int[] encLen = {4, 6};
        int[] decLen = {5, 5};
        ModelInputs base = randomBatch(3, 2, te, td, encLen, decLen);
        Tensor before = predict(model, base);

        // Garbage in sample 0's padded encoder steps 4 and 5, in every input.
        Tensor encCont = base.encoderCont().copy();
        Tensor encCat = base.encoderCat().copy();
        for (int t = 4; t < te; t++) {
            for (int c = 0; c < 4; c++) {
                encCont.set(100f + t * c, 0, t, c);
            }
            encCat.set(3f, 0, t, 1);
        }
        Tensor padded = predict(model, new ModelInputs(encCat, encCont, base.decoderCat(), base.decoderCont(),
                encLen, decLen, base.targetScale()));
        assertEquals(0f, maxDifference(before, padded, 0, td), "padded encoder steps changed the prediction");

        // Change the known inputs at decoder steps after p = 2: predictions at steps 0..2 must not move.
        int p = 2;
        Tensor decCont = base.decoderCont().copy();
        Tensor decCat = base.decoderCat().copy();
        for (int b = 0; b < 2; b++) {
            for (int t = p + 1; t < td; t++) {
                decCont.set(-50f, b, t, 2); // time_idx, a known real
                decCat.set((decCat.get(b, t, 1) + 1) % PERIOD, b, t, 1);
            }
        }
        Tensor changed = predict(model, new ModelInputs(base.encoderCat(), base.encoderCont(), decCat, decCont,
                encLen, decLen, base.targetScale()));
        assertEquals(0f, maxDifference(before, changed, 0, p + 1), "later decoder inputs leaked into step <= p");
        assertTrue(maxDifference(before, changed, p + 1, td) > 1e-4f, "the changed steps themselves do move");
    }

    private static Tensor predict(TemporalFusionTransformer model, ModelInputs batch) {
        try (GradMode.Scope off = GradMode.noGrad()) {
            return model.forward(batch, false).prediction().value();
        }
    }

    private static float maxDifference(Tensor a, Tensor b, int fromStep, int toStep) {
        float max = 0f;
        for (int i = 0; i < a.size(0); i++) {
            for (int t = fromStep; t < toStep; t++) {
                for (int q = 0; q < a.size(2); q++) {
                    max = Math.max(max, Math.abs(a.get(i, t, q) - b.get(i, t, q)));
                }
            }
        }
        return max;
    }

    // ------------------------------------------------------------------ learning

    /** A seasonal series per zone: level·(1 + 0.5·sin(2π t / 6)) + noise. */
    private static float series(int zone, int t, RandomGenerator noise) {
        float level = 2f + zone;
        return level * (1f + 0.5f * (float) Math.sin(2 * Math.PI * t / PERIOD)) + 0.1f * (float) noise.nextGaussian();
    }

    /** Windows of (te + td) steps starting at the given times, normalised per zone (center 0, scale level). */
    private static Object[] windows(int[] starts, int[] zones, int te, int td, RandomGenerator noise) {
        int n = starts.length;
        float[] ec = new float[n * te * 2];
        float[] dc = new float[n * td * 2];
        float[] econt = new float[n * te * 4];
        float[] dcont = new float[n * td * 4];
        float[] scale = new float[n * 2];
        float[] target = new float[n * td];
        for (int i = 0; i < n; i++) {
            int zone = zones[i];
            float level = 2f + zone;
            scale[i * 2] = 0f;
            scale[i * 2 + 1] = level;
            for (int t = 0; t < te + td; t++) {
                int time = starts[i] + t;
                float y = series(zone, time, noise);
                boolean enc = t < te;
                int row = enc ? i * te + t : i * td + t - te;
                float[] cat = enc ? ec : dc;
                float[] cont = enc ? econt : dcont;
                cat[row * 2] = zone;
                cat[row * 2 + 1] = time % PERIOD;
                cont[row * 4] = 0f;                      // standardised target center
                cont[row * 4 + 1] = (level - 4f) / 1.5f;  // standardised target scale
                cont[row * 4 + 2] = time / 100f;
                cont[row * 4 + 3] = enc ? y / level : 0f; // the target is unknown in the decoder
                if (!enc) {
                    target[i * td + t - te] = y;
                }
            }
        }
        int[] el = new int[n];
        int[] dl = new int[n];
        Arrays.fill(el, te);
        Arrays.fill(dl, td);
        ModelInputs batch = new ModelInputs(Tensor.wrap(ec, n, te, 2), Tensor.wrap(econt, n, te, 4), Tensor.wrap(dc, n, td, 2),
                Tensor.wrap(dcont, n, td, 4), el, dl, Tensor.wrap(scale, n, 2));
        return new Object[] {batch, Tensor.wrap(target, n, td)};
    }

    @Test
    void learnsASeasonalMultiSeriesProblemBeyondTheLastValueBaseline() {
        int te = 12;
        int td = 6;
        TemporalFusionTransformer model = new TemporalFusionTransformer(tiny(0.05f, "none"));
        Adam adam = new Adam(model.parameters(), 0.01);
        QuantileLoss loss = new QuantileLoss();
        RandomGenerator rng = Tensor.generator(21);
        for (int step = 0; step < 200; step++) {
            int[] starts = new int[32];
            int[] zones = new int[32];
            for (int i = 0; i < 32; i++) {
                starts[i] = rng.nextInt(200);
                zones[i] = rng.nextInt(ZONES);
            }
            Object[] w = windows(starts, zones, te, td, rng);
            model.train();
            model.zeroGrad();
            try (DropoutSeeds.Scope seeds = DropoutSeeds.open(step)) {
                ModelInputs batch = (ModelInputs) w[0];
                loss.forward(model.forward(batch, false).prediction(), (Tensor) w[1], batch.decoderLengths()).backward();
            }
            GradientClipping.clipByGlobalNorm(model.parameters(), 1.0);
            adam.step();
        }
        // Validation: later times, every zone.
        int[] starts = new int[20];
        int[] zones = new int[20];
        for (int i = 0; i < 20; i++) {
            starts[i] = 220 + i * 3;
            zones[i] = i % ZONES;
        }
        Object[] w = windows(starts, zones, te, td, Tensor.generator(99));
        ModelInputs val = (ModelInputs) w[0];
        Tensor target = (Tensor) w[1];
        model.eval();
        float tft;
        try (GradMode.Scope off = GradMode.noGrad()) {
            tft = loss.forward(model.forward(val, false).prediction(), target, val.decoderLengths()).item();
        }
        // Last-value baseline: every quantile is the last encoder value (de-normalised).
        Tensor last = val.encoderCont().select(1, te - 1).select(1, 3).mul(val.targetScale().select(1, 1));
        Tensor baselinePrediction = last.reshape(20, 1, 1).expand(20, td, 7).contiguous();
        float baseline = loss.forward(Variable.constant(baselinePrediction), target, val.decoderLengths()).item();
        assertTrue(tft < 0.6f * baseline, "TFT quantile loss " + tft + " should be well below the baseline's " + baseline);
    }
}
