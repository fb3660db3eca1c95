package dev.tempora.models;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TftSizeTest {

    /** The taxi set-up with other hyper-parameters and per-variable widths. */
    private static TftConfig taxi(int hidden, int heads, int hiddenContinuous, int lstmLayers, Map<String, Integer> continuousSizes,
                                  Map<String, Integer> embeddingSizes) {
        TftConfig base = TftConfigs.taxiSeed(30, 0.1f);
        return new TftConfig(hidden, heads, 0.1f, hiddenContinuous, continuousSizes, lstmLayers, List.of(0.1f, 0.5f, 0.9f),
                base.staticCategoricals(), base.staticReals(), base.timeVaryingCategoricalsEncoder(),
                base.timeVaryingCategoricalsDecoder(), base.timeVaryingRealsEncoder(), base.timeVaryingRealsDecoder(),
                base.xCategoricals(), base.xReals(), base.categoricalCardinalities(), Map.of(), embeddingSizes, true, "softplus", 7);
    }

    @Test
    void parameterCountMatchesTheBuiltModelLayerForLayer() {
        List<TftConfig> configs = List.of(TftConfigs.taxiSeed(260, 0.1f), TftConfigs.stallion(),
                taxi(16, 4, 8, 1, Map.of(), Map.of()),
                taxi(24, 3, 5, 3, Map.of("trip_quantity", 2, "time_idx", 11), Map.of("day_hour", 40)),
                taxi(5, 5, 1, 2, Map.of(), Map.of("pulocationid", 1)));
        for (TftConfig config : configs) {
            assertEquals(new TemporalFusionTransformer(config).parameterCount(), TftSize.parameters(config), config.toString());
        }
    }

    @Test
    void parameterCountOfTheLargestBoundedModelFitsALong() {
        TftConfig largest = taxi(TftConfig.MAX_HIDDEN_SIZE, 64, TftConfig.MAX_HIDDEN_SIZE, TftConfig.MAX_LSTM_LAYERS, Map.of(), Map.of());
        long p = TftSize.parameters(largest);
        // The LSTMs alone hold 2 · layers · 8 · hidden² weights.
        assertTrue(p > 2L * 16 * 8 * 4096 * 4096, "" + p);
    }

    @Test
    void activationsGrowWithTheSequenceTheWidthAndTheHeads() {
        TftConfig small = taxi(16, 4, 8, 1, Map.of(), Map.of());
        long base = TftSize.activationsPerWindow(small, 24, 12);
        assertTrue(base > 16L * 36, "at least one hidden-wide vector per step: " + base);
        assertTrue(TftSize.activationsPerWindow(small, 48, 12) > base);
        assertTrue(TftSize.activationsPerWindow(small, 24, 24) > base);
        assertTrue(TftSize.activationsPerWindow(taxi(32, 4, 8, 1, Map.of(), Map.of()), 24, 12) > base);
        assertTrue(TftSize.activationsPerWindow(taxi(16, 8, 8, 1, Map.of(), Map.of()), 24, 12) > base);
        assertTrue(TftSize.activationsPerWindow(taxi(16, 4, 8, 3, Map.of(), Map.of()), 24, 12) > base);
    }

    @Test
    void sizesOutOfBoundsNameTheKeyAndTheBound() {
        IllegalArgumentException hidden = assertThrows(IllegalArgumentException.class,
                () -> taxi(1_000_000_000, 4, 8, 1, Map.of(), Map.of()));
        assertTrue(hidden.getMessage().contains("hidden_size must be between 1 and 4096, got 1000000000"), hidden.getMessage());
        IllegalArgumentException layers = assertThrows(IllegalArgumentException.class,
                () -> taxi(16, 4, 8, 1_000_000, Map.of(), Map.of()));
        assertTrue(layers.getMessage().contains("lstm_layers must be between 1 and 16"), layers.getMessage());
        IllegalArgumentException heads = assertThrows(IllegalArgumentException.class, () -> taxi(16, 17, 8, 1, Map.of(), Map.of()));
        assertTrue(heads.getMessage().contains("attention_head_size must be between 1 and 16"), heads.getMessage());
        IllegalArgumentException continuous = assertThrows(IllegalArgumentException.class,
                () -> taxi(16, 4, 1_000_000_000, 1, Map.of(), Map.of()));
        assertTrue(continuous.getMessage().contains("hidden_continuous_size must be between 1 and 4096"), continuous.getMessage());
        IllegalArgumentException embedding = assertThrows(IllegalArgumentException.class,
                () -> taxi(16, 4, 8, 1, Map.of(), Map.of("day_hour", 0)));
        assertTrue(embedding.getMessage().contains("embedding_sizes.day_hour must be between 1 and 4096, got 0"), embedding.getMessage());
        assertEquals(16, taxi(TftConfig.MAX_HIDDEN_SIZE, 16, 8, TftConfig.MAX_LSTM_LAYERS, Map.of(), Map.of()).lstmLayers(),
                "the bounds themselves are allowed");
    }

    @Test
    void modelJsonWithAHugeHiddenSizeIsRefusedBeforeAnyAllocation() {
        Map<String, Object> json = new java.util.LinkedHashMap<>(TftConfigs.taxiSeed(30, 0.1f).toJson());
        json.put("hidden_size", 1_000_000_000L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TftConfig.fromJson(json));
        assertTrue(e.getMessage().contains("hidden_size must be between 1 and 4096"), e.getMessage());
    }
}
