package dev.tempora.models;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NHitsConfigTest {

    private static NHitsConfig fromDataset(int horizon, Map<String, Object> hyperParameters) {
        return NHitsConfig.fromDataset(24, horizon, TftConfig.DEFAULT_QUANTILES, 3, 4, "softplus", hyperParameters, 5);
    }

    private static void assertRefused(String expectedPart, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(expectedPart), e.getMessage());
    }

    @Test
    void ptfDefaultsWhenNoHyperParameterIsGiven() {
        NHitsConfig c = fromDataset(24, Map.of());
        assertEquals(512, c.hiddenSize());
        assertEquals(List.of(1, 1, 1), c.nBlocks());
        assertEquals(List.of(2, 2, 2), c.nLayers());
        // numpy: exp2(round(linspace(0.49, log2(12), 3))) = [1, 4, 16], reversed; min(24, int(p ** 1.5)).
        assertEquals(List.of(16, 4, 1), c.poolingSizes());
        assertEquals(List.of(24, 8, 1), c.downsampleFrequencies());
        assertEquals(List.of(1, 3, 24), List.of(c.knots(0), c.knots(1), c.knots(2)));
        assertEquals("max", c.poolingMode());
        assertEquals("linear", c.interpolationMode());
        assertEquals(0f, c.dropout());
        assertEquals("ReLU", c.activation());
        assertTrue(c.sharedWeights());
        assertTrue(c.naiveLevel());
        assertEquals(24, c.contextLength());
        assertEquals(3, c.targetPosition());
    }

    @Test
    void defaultPoolingFollowsPtfsHeuristicForShortHorizons() {
        // log2(H / 2) below 0.49: the exponents round to 0 or below, and every size is at least 1.
        assertEquals(List.of(1, 1, 1), NHitsConfig.defaultPoolingSizes(1, 3));
        assertEquals(List.of(1, 1, 1), NHitsConfig.defaultPoolingSizes(2, 3));
        assertEquals(List.of(2, 2, 1), NHitsConfig.defaultPoolingSizes(5, 3));
        assertEquals(List.of(1), NHitsConfig.defaultPoolingSizes(48, 1));
        assertEquals(List.of(32, 8, 4, 1), NHitsConfig.defaultPoolingSizes(48, 4));
        assertEquals(List.of(1, 1, 1), NHitsConfig.defaultDownsampleFrequencies(List.of(1, 1, 1), 1));
        assertEquals(List.of(5, 2, 1), NHitsConfig.defaultDownsampleFrequencies(List.of(4, 2, 1), 5));
    }

    @Test
    void hyperParametersTakePtfsNamesAndNLayersIsANumberOrAList() {
        NHitsConfig c = fromDataset(6, Map.of("hidden_size", 32L, "n_blocks", List.of(2L, 1L), "n_layers", 3L,
                "pooling_sizes", List.of(4L, 1L), "pooling_mode", "average", "interpolation_mode", "nearest", "dropout", 0.25,
                "activation", "Tanh", "shared_weights", false, "naive_level", false));
        assertEquals(32, c.hiddenSize());
        assertEquals(List.of(3, 3), c.nLayers());
        assertEquals(List.of(6, 1), c.downsampleFrequencies(), "min(6, int(4 ** 1.5)) and 1");
        assertEquals("average", c.poolingMode());
        assertEquals(0.25f, c.dropout());
        assertEquals(List.of(1, 4), fromDataset(6, Map.of("n_blocks", List.of(1L, 1L), "n_layers", List.of(1L, 4L))).nLayers());
    }

    @Test
    void theJsonRoundTripsThroughText() {
        NHitsConfig c = fromDataset(6, Map.of("hidden_size", 32L, "n_blocks", List.of(2L, 1L), "dropout", 0.1));
        Map<String, Object> json = Json.parseObject(Json.write(c.toJson()));
        assertEquals(c, NHitsConfig.fromJson(json));
        assertEquals(c.toJson(), NHitsConfig.fromJson(json).toJson());
    }

    @Test
    void anUnknownKeyNamesTheClosestKnownOne() {
        assertRefused("unknown key \"hiden_size\" in \"model\"; did you mean \"hidden_size\"?",
                () -> fromDataset(6, Map.of("hiden_size", 32L)));
        Map<String, Object> json = new LinkedHashMap<>(fromDataset(6, Map.of()).toJson());
        json.put("pooling_size", json.remove("pooling_sizes"));
        assertRefused("did you mean \"pooling_sizes\"?", () -> NHitsConfig.fromJson(json));
    }

    @Test
    void aMissingKeyInTheModelJsonIsNamed() {
        Map<String, Object> json = new LinkedHashMap<>(fromDataset(6, Map.of()).toJson());
        json.remove("naive_level");
        assertRefused("missing \"naive_level\"", () -> NHitsConfig.fromJson(json));
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertRefused("hidden_size must be between 1 and 4096", () -> fromDataset(6, Map.of("hidden_size", 0L)));
        assertRefused("n_layers needs one value per stack (3", () -> fromDataset(6, Map.of("n_layers", List.of(2L))));
        assertRefused("pooling_sizes values must be between 1", () -> fromDataset(6, Map.of("pooling_sizes", List.of(2L, 0L, 1L))));
        assertRefused("pooling_mode must be max or average", () -> fromDataset(6, Map.of("pooling_mode", "MaxPool1d")));
        assertRefused("cubic-x is not built here", () -> fromDataset(6, Map.of("interpolation_mode", "cubic-32")));
        assertRefused("activation must be one of [ReLU", () -> fromDataset(6, Map.of("activation", "SELU")));
        assertRefused("dropout must be in [0, 1)", () -> fromDataset(6, Map.of("dropout", 1.0)));
        assertRefused("\"n_blocks\" must be an array of integers", () -> fromDataset(6, Map.of("n_blocks", "3")));
        assertRefused("\"n_blocks\" must hold integers", () -> fromDataset(6, Map.of("n_blocks", List.of(1.5))));
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("n_blocks", null);
        assertRefused("\"n_blocks\" is null", () -> fromDataset(6, withNull));
        assertRefused("target_position 4 is not one of the 4 real columns", () -> NHitsConfig.fromDataset(8, 6,
                TftConfig.DEFAULT_QUANTILES, 4, 4, "none", Map.of(), 1));
        assertRefused("unknown output transformation 'box-cox'", () -> NHitsConfig.fromDataset(8, 6,
                TftConfig.DEFAULT_QUANTILES, 0, 4, "box-cox", Map.of(), 1));
        assertRefused("quantiles must lie in (0, 1)", () -> NHitsConfig.fromDataset(8, 6, List.of(0.5f, 1f), 0, 4, "none",
                Map.of(), 1));
        assertRefused("prediction_length must be at least 1", () -> NHitsConfig.fromDataset(8, 0,
                TftConfig.DEFAULT_QUANTILES, 0, 4, "none", Map.of(), 1));
    }
}
