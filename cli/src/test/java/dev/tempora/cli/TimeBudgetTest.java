package dev.tempora.cli;

import dev.tempora.parallel.EpochResult;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The budget and the progress bar on a hand-driven clock. */
class TimeBudgetTest {

    private static final long SECOND = 1_000_000_000L;
    private long now;

    private static EpochResult epoch(int e) {
        return new EpochResult(e, 1.0, 1.0, 0.05, 100, 9, 0, true, 0);
    }

    private static String text(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stopsWhenTheNextEpochWouldEndPastTheDeadline() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(text, true), 100, false);
        TimeBudget budget = new TimeBudget(bar, 45 * SECOND, 100, () -> now);
        budget.onStart(100, 10);
        long[] ends = {10, 20, 30};
        for (int e = 0; e < ends.length; e++) {
            now = ends[e] * SECOND;
            budget.onEpoch(epoch(e));           // 10 s an epoch: 35, 25, 15 s left hold 3, 2, 1 more
            assertEquals(4, bar.budgetEpochs(), "after epoch " + (e + 1));
        }
        assertFalse(budget.stopRequested());
        now = 40 * SECOND;
        budget.onEpoch(epoch(3));
        assertTrue(budget.stopRequested(), "5 s left cannot hold a 10-s epoch");
        assertEquals(100, bar.expectedEpochs(), "the total is the cap, whatever the budget expects");
        assertTrue(text(text).contains("epoch 4/100 (budget: about 4)"), text(text));
    }

    @Test
    void theTotalStaysTheCapAndTheBudgetsEstimateIsRevisedBesideIt() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(text, true), 100, false);
        TimeBudget budget = new TimeBudget(bar, 100 * SECOND, 100, () -> now);
        budget.onStart(100, 10);
        now = 30 * SECOND;
        budget.onEpoch(epoch(0));               // a slow warm-up epoch: 70 s left hold 2 more of 30 s
        now = 40 * SECOND;
        budget.onEpoch(epoch(1));               // then 10 s an epoch: 60 s left hold 6 more
        String[] lines = text(text).split("\n");
        assertTrue(lines[0].startsWith("epoch 1/100 (budget: about 3)  loss"), lines[0]);
        assertTrue(lines[1].startsWith("epoch 2/100 (budget: about 8)  loss"), lines[1]);
        assertTrue(lines[0].endsWith("ETA from epoch 2 (epoch 1 warms up; left out)"), lines[0]);
        assertTrue(lines[1].endsWith("ETA 1m00s"), "6 epochs of 10 s: " + lines[1]);
    }

    @Test
    void theLiveBarWaitsForTheWarmUpEpochBeforeItGivesAnEta() {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(text, true), 100, true);
        TimeBudget budget = new TimeBudget(bar, 1000 * SECOND, 100, () -> now);
        budget.onStart(100, 10);
        now = 50 * SECOND;
        budget.onBatch(0, 9, 10, 1.0, 64, 0);   // the last batch of the warm-up epoch is always drawn
        assertTrue(text(text).contains("epoch 1/100 ["), text(text));
        assertTrue(text(text).contains("ETA after epoch 1"), text(text));
        now = 60 * SECOND;
        budget.onEpoch(epoch(0));
        text.reset();
        now = 65 * SECOND;
        budget.onBatch(1, 9, 10, 1.0, 64, 0);   // 5 s for this epoch's 10 batches: 98 more epochs of 5 s fit
        assertTrue(text(text).contains("ETA 8m10s"), "98 epochs at this epoch's pace, not the warm-up's: " + text(text));
    }

    @Test
    void theLastAllowedEpochEndsTrainingWithoutAStop() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream(), true), 2, false);
        TimeBudget budget = new TimeBudget(bar, 1000 * SECOND, 2, () -> now);
        budget.onStart(2, 10);
        now = 10 * SECOND;
        budget.onEpoch(epoch(0));
        assertEquals(2, bar.budgetEpochs(), "capped at the maximum");
        now = 20 * SECOND;
        budget.onEpoch(epoch(1));
        assertFalse(budget.stopRequested(), "the trainer ends by itself after its last epoch");
    }
}
