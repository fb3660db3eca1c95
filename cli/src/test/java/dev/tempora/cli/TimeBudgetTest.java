package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget on a hand-driven clock: epochs of 10 s against a deadline at 45 s. */
class TimeBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private long now;

    private static EpochResult epoch(int e) {
        return new EpochResult(e, 1.0, 1.0, 0.05, 100, 9, 0, true, 0);
    }

    @Test
    void stopsWhenTheNextEpochWouldEndPastTheDeadline() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(text, true), 100);
        TimeBudget budget = new TimeBudget(bar, 45 * SECOND, 100, () -> now);
        budget.onStart(100, 10);
        now = 2 * SECOND;
        budget.onBatch(0, 0, 10, 1.0, 64, 0);  // 2 s a batch so far: 18 s to finish this epoch, then one 20-s epoch fits
        assertEquals(2, bar.expectedEpochs());
        long[] ends = {10, 20, 30};
        for (int e = 0; e < ends.length; e++) {
            now = ends[e] * SECOND;
            budget.onEpoch(epoch(e));           // 10 s an epoch: 35, 25, 15 s left hold 3, 2, 1 more
            assertEquals(4, bar.expectedEpochs(), "after epoch " + (e + 1));
        }
        assertFalse(budget.stopRequested());
        now = 40 * SECOND;
        budget.onEpoch(epoch(3));
        assertTrue(budget.stopRequested(), "5 s left cannot hold a 10-s epoch");
        assertTrue(text.toString().contains("epoch 4/4"), text.toString());
    }

    @Test
    void theLastAllowedEpochEndsTrainingWithoutAStop() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true), 2);
        TimeBudget budget = new TimeBudget(bar, 1000 * SECOND, 2, () -> now);
        budget.onStart(2, 10);
        now = 10 * SECOND;
        budget.onEpoch(epoch(0));
        assertEquals(2, bar.expectedEpochs(), "capped at the maximum");
        now = 20 * SECOND;
        budget.onEpoch(epoch(1));
        assertFalse(budget.stopRequested(), "the trainer ends by itself after its last epoch");
    }
}
