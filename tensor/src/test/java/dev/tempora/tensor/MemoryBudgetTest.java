package dev.tempora.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryBudgetTest {

    @Test
    void messageSaysTheNeedTheLimitAndAHeapThatHoldsBoth() {
        String m = MemoryBudget.message(10L << 30, "the model's weights", "lower hidden_size", 3L << 30, 4L << 30);
        assertTrue(m.startsWith("the model's weights need about 10.0 GiB, but Java may use at most 4.0 GiB (1.0 GiB of it in use)"), m);
        // In use (1 GiB) plus the need with a quarter more (12.5 GiB), rounded up.
        assertTrue(m.contains("TEMPORA_JAVA_OPTS=-Xmx14g"), m);
        assertTrue(m.endsWith("or lower hidden_size"), m);
    }

    @Test
    void requireRefusesWhatCannotFitAndPassesWhatCan() {
        long max = Runtime.getRuntime().maxMemory();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MemoryBudget.require(Long.MAX_VALUE, "a test", "ask for less"));
        assertTrue(e.getMessage().contains("Java may use at most " + MemoryBudget.size(max)), e.getMessage());
        assertDoesNotThrow(() -> MemoryBudget.require(1 << 20, "a test", "ask for less"));
    }

    @Test
    void productSaturatesInsteadOfOverflowing() {
        assertEquals(24, MemoryBudget.product(2, 3, 4));
        assertEquals(Long.MAX_VALUE, MemoryBudget.product(1L << 40, 1L << 40));
        assertEquals(0, MemoryBudget.product(0, Long.MAX_VALUE, 5));
        assertThrows(IllegalArgumentException.class, () -> MemoryBudget.product(-1, 2));
    }

    @Test
    void sizesReadAsPeopleWriteThem() {
        assertEquals("1 MiB", MemoryBudget.size(10));
        assertEquals("512 MiB", MemoryBudget.size(512L << 20));
        assertEquals("3.5 GiB", MemoryBudget.size(7L << 29));
    }
}
