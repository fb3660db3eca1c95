package dev.tempora.parallel;

import dev.tempora.models.TftConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lightning's learning-rate finder: its schedule, smoothing, divergence stop and suggestion. */
class LearningRateFinderTest {

    private static TrainerSettings settings() {
        return TrainerSettings.builder().maxEpochs(1).learningRate(0.05).optimizer("adam").shards(4).workers(1)
                .earlyStopping(0, 0).build();
    }

    @Test
    void theScheduleIsExponentialAndTheLossIsSmoothedAsLightningDoes() {
        SyntheticData data = new SyntheticData(4, 19, 8, 5);
        LearningRateFinder.Result r = LearningRateFinder.run(new LastValuesLinear(8, 5, 3, TftConfig.DEFAULT_QUANTILES, 7), data,
                settings(), 1e-5, 1, 40);
        assertTrue(r.points().size() >= 2);
        double average = 0;
        for (int i = 0; i < r.points().size(); i++) {
            LearningRateFinder.Point p = r.points().get(i);
            assertEquals(1e-5 * Math.pow(1e5, i / 40.0), p.learningRate(), 1e-12 * p.learningRate() + 1e-18, "step " + i);
            average = 0.98 * average + 0.02 * p.loss();
            assertEquals(average / (1 - Math.pow(0.98, i + 1)), p.smoothedLoss(), 1e-9 * Math.abs(p.smoothedLoss()));
        }
        if (!r.diverged()) {
            assertEquals(40, r.points().size());
        }
    }

    @Test
    void aLearningRateFarTooHighStopsTheSweepAndTheSuggestionIsBelowIt() {
        SyntheticData data = new SyntheticData(4, 19, 8, 5);
        LearningRateFinder.Result r = LearningRateFinder.run(new LastValuesLinear(8, 5, 3, TftConfig.DEFAULT_QUANTILES, 7), data,
                settings(), 1e-4, 1e6, 100);
        assertTrue(r.diverged(), "a rate of 1e6 must diverge: " + r.points().getLast());
        assertTrue(r.points().size() < 100);
        assertTrue(r.suggestion() > 1e-4 && r.suggestion() < r.points().getLast().learningRate(), "suggestion " + r.suggestion());
    }

    @Test
    void theSuggestionIsTheSteepestDescentPastTheFirstTenPoints() {
        // smoothed loss: flat, then falling fastest between points 29 and 31, then rising; a steep
        // fall inside the first ten points is skipped, as Lightning skips them
        List<LearningRateFinder.Point> points = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            double loss = i < 5 ? 100 - 10 * i : i < 28 ? 10 - 0.01 * i : i < 33 ? 9.7 - 2 * (i - 28) : 0.1 * i;
            points.add(new LearningRateFinder.Point(i, loss, loss));
        }
        double s = LearningRateFinder.suggestion(points);
        assertTrue(s >= 29 && s <= 32, "suggestion at point " + s);
        assertTrue(Double.isNaN(LearningRateFinder.suggestion(points.subList(0, 12))));
        assertFalse(Double.isNaN(LearningRateFinder.suggestion(points.subList(0, 13))));
    }
}
