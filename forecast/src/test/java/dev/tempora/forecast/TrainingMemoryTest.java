package dev.tempora.forecast;

import dev.tempora.models.TftConfig;
import dev.tempora.models.TftSize;
import dev.tempora.parallel.TrainerSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingMemoryTest {

    @org.junit.jupiter.api.BeforeAll
    static void data() {
        TrainingJobTest.data();
    }

    private static TftConfig config(ModelSettings model) {
        return model.tftConfig(TrainingJobTest.small().build().trainingSet().description(), 1);
    }

    @Test
    void countsEveryParameterCopyAndABatchOfActivations() {
        TftConfig config = config(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).build());
        TrainerSettings ranger = TrainerSettings.builder().optimizer("ranger").shards(8).build();
        TrainingMemory m = TrainingMemory.estimate(config, ranger, 64, 24, 12);
        // Weights, gradients, 8 shard gradients, Ranger's two moments and slow weights.
        assertEquals(13, m.parameterCopies());
        assertEquals(TftSize.parameters(config) * 13 * 4, m.parameterBytes());
        assertEquals(TftSize.activationsPerWindow(config, 24, 12) * 64 * 4, m.activationBytes());
        assertEquals(m.parameterBytes() + m.activationBytes(), m.bytes());
        assertEquals(12, TrainingMemory.estimate(config, ranger.toBuilder().optimizer("adam").build(), 64, 24, 12).parameterCopies());
        assertEquals(2 * m.activationBytes(), TrainingMemory.estimate(config, ranger, 128, 24, 12).activationBytes());
        assertDoesNotThrow(m::require);
    }

    @Test
    void aModelThatCannotFitTheHeapIsRefusedWithTheNeedAndTheFlag() {
        TftConfig huge = config(ModelSettings.builder().hiddenSize(TftConfig.MAX_HIDDEN_SIZE).attentionHeadSize(4)
                .lstmLayers(TftConfig.MAX_LSTM_LAYERS).build());
        TrainingMemory m = TrainingMemory.estimate(huge, TrainerSettings.builder().build(), 4096, 24, 12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, m::require);
        assertTrue(e.getMessage().startsWith("training's " + String.format(java.util.Locale.ROOT, "%,d", TftSize.parameters(huge))
                + " parameters (13 copies"), e.getMessage());
        assertTrue(e.getMessage().contains("a batch's activations (4096 windows of 36 steps;"), e.getMessage());
        assertTrue(e.getMessage().contains("TEMPORA_JAVA_OPTS=-Xmx"), e.getMessage());
    }

    @Test
    void trainingJobChecksTheMemoryBeforeBuildingTheModel() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingJobTest.small()
                .model(ModelSettings.builder().hiddenSize(TftConfig.MAX_HIDDEN_SIZE).lstmLayers(TftConfig.MAX_LSTM_LAYERS).build())
                .build());
        assertTrue(e.getMessage().contains("need about") && e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    void modelSectionErrorsNameTheSectionAndTheKey() {
        IllegalArgumentException nul = assertThrows(IllegalArgumentException.class,
                () -> ModelSettings.fromJson(new java.util.HashMap<>(java.util.Collections.singletonMap("hidden_size", null))));
        assertEquals("config \"model\" section: \"hidden_size\" is null; give a value or leave the key out for the default",
                nul.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> ModelSettings.fromJson(Map.of("hidden_size", 1_000_000_000L)));
        assertTrue(big.getMessage().startsWith("config \"model\" section: hidden_size must be between 1 and 4096"), big.getMessage());
    }

    @Test
    void limitTrainBatchesFollowsLightningAndRefusesZeroAndOverflow() {
        Map<String, Object> none = Map.of();
        assertEquals(30, ConfigSections.trainerSettings(Map.of("limit_train_batches", 30L), none).build().limitTrainBatchCount());
        assertEquals(0.5, ConfigSections.trainerSettings(Map.of("limit_train_batches", 0.5), none).build().limitTrainBatches());
        assertEquals(1.0, ConfigSections.trainerSettings(new java.util.HashMap<>(java.util.Collections.singletonMap(
                "limit_train_batches", null)), none).build().limitTrainBatches(), "null: every batch, as Lightning's None");
        for (Object bad : new Object[] {0L, 1_000_000_000_000L, 1e12, 0.0, -0.5}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ConfigSections.trainerSettings(Map.of("limit_train_batches", bad), none));
            assertTrue(e.getMessage().contains("\"limit_train_batches\""), e.getMessage());
        }
        assertEquals(0.0, ConfigSections.trainerSettings(new java.util.HashMap<>(java.util.Collections.singletonMap(
                "gradient_clip_val", null)), none).build().gradientClipVal(), "null: no clipping, as Lightning's None");
    }
}
