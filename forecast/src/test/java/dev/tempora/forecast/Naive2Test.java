package dev.tempora.forecast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** M4's Naive2: the seasonality test, R's multiplicative decomposition and the reseasonalised last value. */
class Naive2Test {

    /** level × pattern[t mod m] for t = 0 .. n−1. */
    private static double[] seasonal(double level, double[] pattern, int n) {
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = level * pattern[t % pattern.length];
        }
        return x;
    }

    @Test
    void aFlatLevelTimesAPatternIsContinuedExactly() {
        double[] even = {0.8, 1.2, 1.1, 0.9};
        double[] x = seasonal(100, even, 22); // ends at phase 1, so the forecast starts at phase 2
        assertTrue(Naive2.seasonal(x, 4));
        assertArrayEquals(even, Naive2.seasonalIndices(x, 4), 1e-12, "the 2x4 moving average of a full period is the level");
        assertArrayEquals(new double[] {110, 90, 80, 120, 110, 90}, Naive2.forecast(x, 4, 6), 1e-9);

        double[] odd = {0.5, 1.5, 1.0};
        double[] y = seasonal(10, odd, 13);
        assertTrue(Naive2.seasonal(y, 3));
        assertArrayEquals(odd, Naive2.seasonalIndices(y, 3), 1e-12, "the 3-term moving average of a full period is the level");
        assertArrayEquals(new double[] {15, 10, 5}, Naive2.forecast(y, 3, 3), 1e-9);
    }

    @Test
    void theIndicesAverageTheRatiosToTheCentredTrendAndHaveMeanOne() {
        double[] x = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120};
        double[] figure = Naive2.seasonalIndices(x, 4);
        // a linear series: the 2x4 trend is the series itself, every ratio 1
        assertArrayEquals(new double[] {1, 1, 1, 1}, figure, 1e-12);
        double[] z = {4, 1, 2, 3, 5, 1, 2, 4};
        // m = 2: trend_t = (z_(t−1) / 2 + z_t + z_(t+1) / 2) / 2 for t = 1 .. 6
        double[] ratio = new double[2];
        int[] count = new int[2];
        for (int t = 1; t <= 6; t++) {
            ratio[t % 2] += z[t] / ((z[t - 1] / 2 + z[t] + z[t + 1] / 2) / 2);
            count[t % 2]++;
        }
        double even = ratio[0] / count[0];
        double odd = ratio[1] / count[1];
        double mean = (even + odd) / 2;
        assertArrayEquals(new double[] {even / mean, odd / mean}, Naive2.seasonalIndices(z, 2), 1e-12);
    }

    @Test
    void shortNonSeasonalAndLagOneHistoriesGiveTheLastValue() {
        double[] pattern = {0.8, 1.2, 1.1, 0.9};
        double[] tooShort = seasonal(100, pattern, 11);
        assertFalse(Naive2.seasonal(tooShort, 4), "fewer than 3m values");
        assertArrayEquals(new double[] {tooShort[10], tooShort[10]}, Naive2.forecast(tooShort, 4, 2), "its last value");
        double[] periodSix = new double[40];
        for (int t = 0; t < periodSix.length; t++) {
            periodSix[t] = 100 + Math.sin(2 * Math.PI * t / 6);
        }
        // |acf_4| = 0.460 below the limit 1.645 / sqrt(40) * sqrt(1 + 2 (acf_1² + acf_2² + acf_3²)) = 0.496
        assertFalse(Naive2.seasonal(periodSix, 4), "a cycle of 6 is not seasonal at lag 4 by M4's test");
        assertEquals(periodSix[39], Naive2.forecast(periodSix, 4, 1)[0]);
        assertTrue(Naive2.seasonal(periodSix, 6), "but it is at lag 6");
        assertArrayEquals(new double[] {periodSix[39], periodSix[39]}, Naive2.forecast(periodSix, 1, 2));
        assertFalse(Naive2.seasonal(seasonal(5, new double[] {1}, 20), 4), "a constant series");
    }
}
