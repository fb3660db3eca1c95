package dev.tempora.tensor.io;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonKeysTest {

    private static final List<String> MODEL = List.of("hidden_size", "hidden_continuous_size", "dropout", "lstm_layers");

    @Test
    void aTypoNamesTheClosestKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonKeys.requireKnown(Map.of("hiden_size", 64), MODEL, "model"));
        assertEquals("unknown key \"hiden_size\" in \"model\"; did you mean \"hidden_size\"?", e.getMessage());
    }

    @Test
    void aKeyFarFromEveryKnownOneListsThemAll() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JsonKeys.requireKnown(Map.of("colour", "red"), MODEL, "model"));
        assertEquals("unknown key \"colour\" in \"model\"; the known keys are dropout, hidden_continuous_size, hidden_size, "
                + "lstm_layers", e.getMessage());
    }

    @Test
    void knownKeysPass() {
        assertDoesNotThrow(() -> JsonKeys.requireKnown(Map.of("dropout", 0.1, "lstm_layers", 2), MODEL, "model"));
    }

    @Test
    void closestIgnoresCaseAndPrefersTheNearest() {
        assertEquals("hidden_continuous_size", JsonKeys.closest("Hidden_Continous_Size", MODEL));
        assertEquals("dropout", JsonKeys.closest("dropot", MODEL));
        assertNull(JsonKeys.closest("xy", MODEL));
    }

    @Test
    void editDistanceCountsInsertionsDeletionsSubstitutionsAndSwaps() {
        assertEquals(0, JsonKeys.editDistance("abc", "abc"));
        assertEquals(1, JsonKeys.editDistance("hiden", "hidden"));
        assertEquals(3, JsonKeys.editDistance("kitten", "sitting"));
        assertEquals(4, JsonKeys.editDistance("", "abcd"));
        assertEquals(1, JsonKeys.editDistance("feild", "field"));
    }
}
