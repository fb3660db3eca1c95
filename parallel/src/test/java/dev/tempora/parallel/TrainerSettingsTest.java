package dev.tempora.parallel;

import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrainerSettingsTest {

    private static String error(UnaryOperator<TrainerSettings.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(TrainerSettings.builder()).build()).getMessage();
    }

    @Test
    void settingsOutOfRangeNameTheKey() {
        assertEquals("gradient_clip_val must be 0 or more (the largest gradient norm; 0 turns clipping off), got -1",
                error(b -> b.gradientClipVal(-1)));
        assertEquals("reduce_on_plateau_patience must be 0 or more (epochs without improvement; 0 turns it off), got -5",
                error(b -> b.reduceOnPlateau(-5, 0.2, 1e-5)));
        assertEquals("learning_rate must be a positive number, got 0.0", error(b -> b.learningRate(0)));
        assertEquals("learning_rate must be a positive number, got NaN", error(b -> b.learningRate(Double.NaN)));
        assertEquals("weight_decay must be 0 or more (0 for none), got -0.1", error(b -> b.weightDecay(-0.1)));
        assertEquals("reduce_on_plateau_factor must be between 0 and 1 (the learning rate is multiplied by it on a plateau), got 2.0",
                error(b -> b.reduceOnPlateau(4, 2, 1e-5)));
        assertEquals("early_stopping_patience must be 0 or more (epochs without improvement; 0 turns it off), got -1",
                error(b -> b.earlyStopping(-1, 1e-4)));
        assertEquals("gradient_clip_val must be 0 or more (the largest gradient norm; 0 turns clipping off), got Infinity",
                error(b -> b.gradientClipVal(Double.POSITIVE_INFINITY)));
    }

    @Test
    void theEdgesOfEachRangeAreAllowed() {
        assertDoesNotThrow(() -> TrainerSettings.builder().gradientClipVal(0).weightDecay(0).reduceOnPlateau(0, 0.5, 0)
                .earlyStopping(0, 0).build());
    }
}
