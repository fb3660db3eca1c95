package dev.tempora.forecast;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HyperparameterSearchTest {

    private static final Map<String, List<Object>> SPACE = Map.of("hidden_size", List.of(8L, 16L, 32L),
            "learning_rate", List.of(0.003, 0.01, 0.03), "dropout", List.of(0.1, 0.2));

    @Test
    void aSmallGridIsSearchedWholeInASeededOrder() {
        var options = new HyperparameterSearch.Options(50, 1, 3, 3, 7);
        List<Map<String, Object>> drawn = HyperparameterSearch.draw(SPACE, options);
        assertEquals(18, drawn.size());
        assertEquals(18, new HashSet<>(drawn).size(), "every grid point once");
        assertEquals(drawn, HyperparameterSearch.draw(SPACE, options), "the same seed draws the same order");
        assertTrue(!drawn.equals(HyperparameterSearch.draw(SPACE, new HyperparameterSearch.Options(50, 1, 3, 3, 8))));
    }

    @Test
    void aLargeGridIsSampledWithoutRepeats() {
        List<Map<String, Object>> drawn = HyperparameterSearch.draw(SPACE, new HyperparameterSearch.Options(5, 1, 3, 3, 1));
        assertEquals(5, drawn.size());
        Set<Map<String, Object>> distinct = new HashSet<>(drawn);
        assertEquals(5, distinct.size());
        for (Map<String, Object> d : drawn) {
            assertTrue(SPACE.get("hidden_size").contains(d.get("hidden_size")) && SPACE.get("dropout").contains(d.get("dropout")), d.toString());
        }
    }

    @Test
    void settingsGoToTheirSectionAndATypoNamesTheClosestKey() {
        assertEquals("model", HyperparameterSearch.sectionOf("hidden_size"));
        assertEquals("model", HyperparameterSearch.sectionOf("learning_rate"));
        assertEquals("training", HyperparameterSearch.sectionOf("batch_size"));
        var e = assertThrows(IllegalArgumentException.class, () -> HyperparameterSearch.sectionOf("hiden_size"));
        assertTrue(e.getMessage().contains("\"hidden_size\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HyperparameterSearch.draw(Map.of("dropout", List.of()),
                new HyperparameterSearch.Options(3, 1, 3, 3, 1)));
    }
}
