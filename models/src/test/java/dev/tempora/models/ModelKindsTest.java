package dev.tempora.models;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelKindsTest {

    @Test
    void theTftIsRebuiltFromItsConfigJson() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        // Through JSON text, as model.json hands it back: integers as Long, floats as Double.
        Map<String, Object> config = Json.parseObject(Json.write(model.configJson()));
        ForecastingModel rebuilt = ModelKinds.create(model.kind(), config);
        TemporalFusionTransformer tft = assertInstanceOf(TemporalFusionTransformer.class, rebuilt);
        assertEquals(model.config, tft.config);
        assertEquals(model.parameterCount(), rebuilt.parameterCount());
        assertEquals(model.stateDict().keySet(), rebuilt.stateDict().keySet());
        assertTrue(ModelKinds.kinds().contains(TemporalFusionTransformer.KIND));
    }

    @Test
    void anUnknownKindNamesTheKnownKinds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKinds.create("DeepAR", Map.of()));
        assertTrue(e.getMessage().startsWith("unknown model kind 'DeepAR'; known kinds: TemporalFusionTransformer"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ModelKinds.register"), e.getMessage());
    }

    @Test
    void aKindIsRegisteredOnce() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKinds.register(TemporalFusionTransformer.KIND, config -> null));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelKinds.register(" ", config -> null));
    }

    @Test
    void aBadConfigIsNamedByTheFactory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelKinds.create(TemporalFusionTransformer.KIND, Map.of("hidden_size", 20L)));
        assertTrue(e.getMessage().contains("model config: missing"), e.getMessage());
    }

    @Test
    void aFactoryMustMakeItsOwnKind() {
        ModelKinds.register("MislabelledKind", config -> new TemporalFusionTransformer(TftConfig.fromJson(config)));
        Map<String, Object> config = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)).configJson();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ModelKinds.create("MislabelledKind", config));
        assertTrue(e.getMessage().contains("made a model of kind 'TemporalFusionTransformer'"), e.getMessage());
    }
}
