package dev.tempora.forecast;

import dev.tempora.models.DLinear;
import dev.tempora.models.NLinear;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "model" section's kind and each kind's strict keys. */
class ModelKindSettingsTest {

    private static ModelKindSettings read(String json) {
        return ModelKindSettings.fromJson(Json.parseObject(json));
    }

    private static String refused(String json) {
        return assertThrows(IllegalArgumentException.class, () -> read(json)).getMessage();
    }

    @Test
    void theKindDefaultsToTheTftAndChoosesTheSettings() {
        assertEquals(ModelSettings.builder().hiddenSize(8).build(), read("{\"hidden_size\": 8}"));
        assertEquals(ModelSettings.defaults(), read("{\"kind\": \"TemporalFusionTransformer\", \"learning_rate\": 0.01}"));
        assertEquals(LinearModelSettings.defaults(NLinear.KIND), read("{\"kind\": \"NLinear\", \"learning_rate\": 0.01}"));
        assertEquals(new LinearModelSettings(DLinear.KIND, List.of(0.5f), 13, false),
                read("{\"kind\": \"DLinear\", \"quantiles\": [0.5], \"moving_average_kernel\": 13, \"monotone_quantiles\": false}"));
        assertEquals(List.of("TemporalFusionTransformer", "NLinear", "DLinear", "NHiTS", "GradientBoostedTrees"),
                ModelKindSettings.kinds());
    }

    @Test
    void everyKindReadsBackWhatItWrites() {
        for (ModelKindSettings s : List.of(ModelSettings.builder().hiddenSize(12).quantiles(List.of(0.2f, 0.8f)).build(),
                new LinearModelSettings(NLinear.KIND, List.of(0.1f, 0.5f, 0.9f), 25, true),
                new LinearModelSettings(DLinear.KIND, List.of(0.5f), 9, false),
                NHitsSettings.fromJson(Json.parseObject("{\"kind\": \"NHiTS\", \"hidden_size\": 32, \"n_blocks\": [1, 2]}")))) {
            assertEquals(s.kind(), s.toJson().get("kind"));
            assertEquals(s, ModelKindSettings.fromJson(Json.parseObject(Json.write(s.toJson()))));
        }
        assertTrue(!LinearModelSettings.defaults(NLinear.KIND).toJson().containsKey("moving_average_kernel"),
                "NLinear has no kernel to write");
    }

    @Test
    void aKeyOfAnotherKindIsRefusedSayingThisKindHasNoSuchSetting() {
        String hidden = refused("{\"kind\": \"NLinear\", \"hidden_size\": 16}");
        assertTrue(hidden.startsWith("config \"model\" section: NLinear has no setting \"hidden_size\" (it is "
                + "TemporalFusionTransformer's and NHiTS's)"), hidden);
        assertTrue(hidden.contains("quantiles"), hidden);
        String kernel = refused("{\"kind\": \"NLinear\", \"moving_average_kernel\": 25}");
        assertTrue(kernel.contains("NLinear has no setting \"moving_average_kernel\" (it is DLinear's)"), kernel);
        String tft = refused("{\"moving_average_kernel\": 25}");
        assertTrue(tft.contains("TemporalFusionTransformer has no setting \"moving_average_kernel\""), tft);
    }

    @Test
    void typosAndBadValuesNameTheClosestKeyOrKind() {
        String key = refused("{\"kind\": \"DLinear\", \"moving_averge_kernel\": 25}");
        assertTrue(key.contains("unknown key \"moving_averge_kernel\"") && key.contains("did you mean \"moving_average_kernel\"?"),
                key);
        String kind = refused("{\"kind\": \"NLiner\"}");
        assertTrue(kind.contains("unknown kind \"NLiner\"; did you mean \"NLinear\"?"), kind);
        assertTrue(refused("{\"kind\": 3}").contains("\"kind\" must be a string"));
        assertTrue(refused("{\"kind\": \"DLinear\", \"moving_average_kernel\": 24}").contains("odd"));
        assertTrue(refused("{\"kind\": \"NLinear\", \"quantiles\": [0.5], \"output_size\": 3}").contains("output_size 3"));
        assertTrue(refused("{\"kind\": \"NLinear\", \"loss\": \"MAE\"}").contains("QuantileLoss"));
    }
}
