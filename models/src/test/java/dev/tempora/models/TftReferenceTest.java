package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole TFT against the PyTorch peer (PTF's architecture, checked identical to PTF): same
 * weights loaded by state-dict name, same batch with ragged lengths, and the prediction, attention,
 * variable weights, quantile loss and every parameter gradient must agree. The reference file is
 * made by {@code models/src/test/python/make_tft_reference.py}.
 */
class TftReferenceTest {

    private static Map<String, Tensor> ref;
    private static TemporalFusionTransformer model;
    private static TftOutput output;
    private static Variable loss;

    @BeforeAll
    static void runBothModels() throws IOException, URISyntaxException {
        ref = SafeTensors.read(Path.of(TftReferenceTest.class.getResource("/tft-reference.safetensors").toURI())).tensors();
        List<String> staticReals = List.of("encoder_length", "target_center", "target_scale");
        List<String> known = List.of("time_idx", "relative_time_idx");
        TftConfig config = new TftConfig(8, 2, 0f, 3, Map.of(), 1, TftConfig.DEFAULT_QUANTILES,
                List.of("series"), staticReals, List.of("day_hour"), List.of("day_hour"),
                List.of("time_idx", "relative_time_idx", "target"), known, List.of("series", "day_hour"),
                List.of("encoder_length", "target_center", "target_scale", "time_idx", "relative_time_idx", "target"),
                Map.of("series", 7, "day_hour", 24), Map.of(), Map.of(), true, "none", 1);
        model = new TemporalFusionTransformer(config);
        for (Map.Entry<String, Variable> e : model.stateDict().entrySet()) {
            e.getValue().value().copyFrom(ref.get("param." + e.getKey()));
        }
        ModelInputs batch = new ModelInputs(ref.get("batch.encoder_cat"), ref.get("batch.encoder_cont"),
                ref.get("batch.decoder_cat"), ref.get("batch.decoder_cont"), ints(ref.get("batch.encoder_lengths")),
                ints(ref.get("batch.decoder_lengths")), ref.get("batch.target_scale"));
        model.train();
        output = model.forward(batch, true);
        loss = new QuantileLoss().forward(output.prediction(), ref.get("batch.target"), batch.decoderLengths());
        loss.backward();
    }

    private static int[] ints(Tensor t) {
        float[] f = t.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) f[i];
        }
        return out;
    }

    private static void assertClose(String what, Tensor expected, Tensor actual, float tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        float scale = 0f;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        // Tolerance relative to the tensor's largest magnitude (float32 rounding in two different orders).
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * scale + 1e-8f, what + " element " + i);
        }
    }

    @Test
    void stateDictNamesAreExactlyPtfs() {
        TreeSet<String> expected = new TreeSet<>();
        for (String k : ref.keySet()) {
            if (k.startsWith("param.")) {
                expected.add(k.substring("param.".length()));
            }
        }
        assertEquals(expected, new TreeSet<>(model.stateDict().keySet()));
    }

    @Test
    void predictionMatches() {
        assertClose("prediction", ref.get("out.prediction"), output.prediction().value(), 2e-5f);
    }

    @Test
    void interpretationOutputsMatch() {
        assertClose("encoder attention", ref.get("out.encoder_attention"), output.encoderAttention(), 2e-5f);
        assertClose("decoder attention", ref.get("out.decoder_attention"), output.decoderAttention(), 2e-5f);
        assertClose("static variables", ref.get("out.static_variables"), output.staticVariables().value(), 2e-5f);
        assertClose("encoder variables", ref.get("out.encoder_variables"), output.encoderVariables().value(), 2e-5f);
        assertClose("decoder variables", ref.get("out.decoder_variables"), output.decoderVariables().value(), 2e-5f);
    }

    @Test
    void lossAndEveryGradientMatch() {
        assertEquals(ref.get("out.loss").item(), loss.item(), 1e-5f);
        int checked = 0;
        for (Map.Entry<String, Variable> e : model.namedParameters().entrySet()) {
            Tensor expected = ref.get("grad." + e.getKey());
            assertTrue(expected != null, "the reference has a gradient for " + e.getKey());
            Tensor actual = e.getValue().grad() == null ? Tensor.zeros(e.getValue().shape()) : e.getValue().grad();
            assertClose("gradient of " + e.getKey(), expected, actual, 1e-4f);
            checked++;
        }
        assertTrue(checked > 100, "checked " + checked + " parameters");
    }
}
