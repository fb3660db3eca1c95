package dev.tempora.models;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The quantile booster: its histogram split search against an exhaustive one, its leaves, and what it fits. */
class QuantileBoostingTest {

    /** The exhaustive reference: every feature, every threshold between distinct values (and NaN alone). */
    private static double[] exhaustiveBest(float[][] x, int[] rows, float[] g, float[] w, boolean[] usable, int minLeaf) {
        double sumG = 0;
        double sumW = 0;
        for (int i : rows) {
            sumG += (double) w[i] * g[i];
            sumW += w[i];
        }
        double[] best = null; // {feature, threshold, gain}
        for (int f = 0; f < x[0].length; f++) {
            if (!usable[f]) {
                continue;
            }
            java.util.List<Float> thresholds = new java.util.ArrayList<>();
            thresholds.add(-Float.MAX_VALUE);
            java.util.TreeSet<Float> all = new java.util.TreeSet<>();
            for (float[] row : x) {
                if (!Float.isNaN(row[f])) {
                    all.add(row[f]);
                }
            }
            all.pollLast(); // the largest value of the whole column sends everything left
            thresholds.addAll(all);
            for (float t : thresholds) {
                double lg = 0;
                double lw = 0;
                int ln = 0;
                for (int i : rows) {
                    if (Float.isNaN(x[i][f]) || x[i][f] <= t) {
                        lg += (double) w[i] * g[i];
                        lw += w[i];
                        ln++;
                    }
                }
                int rn = rows.length - ln;
                double rw = sumW - lw;
                if (ln < minLeaf || rn < minLeaf || lw <= 0 || rw <= 0) {
                    continue;
                }
                double rg = sumG - lg;
                double gain = lg * lg / lw + rg * rg / rw - sumG * sumG / sumW;
                if (gain > 1e-12 * Math.max(1, Math.abs(sumG * sumG / sumW)) && (best == null || gain > best[2] * (1 + 1e-12))) {
                    best = new double[] {f, t, gain};
                }
            }
        }
        return best;
    }

    @Test
    void theHistogramSearchFindsTheExhaustiveSearchsSplit() {
        SplittableRandom random = new SplittableRandom(7);
        int checked = 0;
        for (int n : new int[] {7, 33, 101, 257}) {
            for (int f : new int[] {1, 3, 5}) {
                for (int minLeaf : new int[] {1, 4}) {
                    float[][] x = new float[n][f];
                    float[] g = new float[n];
                    float[] w = new float[n];
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < f; j++) {
                            // few distinct values (so 32 bins are exact), some NaN
                            x[i][j] = random.nextInt(10) == 0 ? Float.NaN : random.nextInt(12 + 3 * j) - 4;
                        }
                        g[i] = random.nextBoolean() ? 0.9f : -0.1f;
                        w[i] = (float) (0.1 + random.nextDouble() * 3);
                    }
                    boolean[] usable = new boolean[f];
                    for (int j = 0; j < f; j++) {
                        usable[j] = j != 1; // one feature left out, as a subsample would
                    }
                    int[] rows = java.util.stream.IntStream.range(0, n).filter(i -> i % 5 != 3).toArray();
                    QuantileBoosting.Bins bins = QuantileBoosting.Bins.of(x, 32);
                    QuantileBoosting.Split split = QuantileBoosting.bestSplit(bins, rows, g, w, usable, minLeaf);
                    double[] expected = exhaustiveBest(x, rows, g, w, usable, minLeaf);
                    String where = "n " + n + ", features " + f + ", min leaf " + minLeaf;
                    if (expected == null) {
                        assertNull(split, where);
                        continue;
                    }
                    assertNotNull(split, where);
                    assertEquals((int) expected[0], split.feature(), where);
                    assertEquals((float) expected[1], bins.threshold(split.feature(), split.bin()), where);
                    assertEquals(expected[2], split.gain(), 1e-9 * Math.abs(expected[2]), where);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 20, "splits compared: " + checked);
    }

    @Test
    void aLeafIsTheWeightedQuantileThatMinimisesThePinballLoss() {
        SplittableRandom random = new SplittableRandom(3);
        for (double q : new double[] {0.02, 0.1, 0.5, 0.9, 0.98}) {
            int n = 1 + random.nextInt(40);
            double[] v = new double[n];
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = Math.round(random.nextGaussian() * 10) / 2.0;
                w[i] = (float) (random.nextDouble() * 2);
            }
            double chosen = QuantileBoosting.weightedQuantile(v, w, QuantileBoosting.allRows(n), q);
            double loss = pinball(v, w, chosen, q);
            for (double other : v) {
                assertTrue(loss <= pinball(v, w, other, q) + 1e-9, "q " + q + ": " + chosen + " loses to " + other);
            }
        }
    }

    @Test
    void theRowsSortByValueStablyAsJavasObjectSortDoes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = random.nextInt(70); // 0 and odd lengths: runs with tails
            double[] values = new double[n + 5];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (random.nextInt(6)) {
                    case 0 -> 0.0;
                    case 1 -> -0.0;
                    case 2 -> Math.round(random.nextGaussian() * 3); // ties
                    default -> random.nextGaussian();
                };
            }
            int[] rows = new int[n];
            for (int k = 0; k < n; k++) {
                rows[k] = random.nextInt(values.length); // a row may repeat, as in no subsample; order arbitrary
            }
            Integer[] boxed = java.util.Arrays.stream(rows).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(boxed, (a, b) -> Double.compare(values[a], values[b])); // stable (TimSort)
            int[] expected = java.util.Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, QuantileBoosting.sortedByValue(values, rows),
                    "trial " + trial + ", " + n + " rows");
        }
    }

    private static double pinball(double[] v, float[] w, double at, double q) {
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            double e = v[i] - at;
            sum += w[i] * Math.max(q * e, (q - 1) * e);
        }
        return sum;
    }

    @Test
    void fitsEachSideOfAStepAtTheAskedQuantile() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 4000;
        float[][] x = new float[n][2];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = (float) random.nextDouble();
            x[i][1] = (float) random.nextDouble(); // noise the trees should not need
            y[i] = (x[i][0] > 0.5f ? 10 : 0) + (float) random.nextDouble();
        }
        QuantileBoosting.Settings settings = new QuantileBoosting.Settings(200, 0.1, 3, 20, 0.8, 1.0, 64, 1);
        TreeEnsemble q90 = QuantileBoosting.fit(x, y, null, 0.9f, settings);
        assertEquals(0.9, q90.predict(new float[] {0.25f, 0.5f}), 0.08);
        assertEquals(10.9, q90.predict(new float[] {0.75f, 0.5f}), 0.08);
        int below = 0;
        int fresh = 4000;
        for (int i = 0; i < fresh; i++) {
            float[] row = {(float) random.nextDouble(), (float) random.nextDouble()};
            float actual = (row[0] > 0.5f ? 10 : 0) + (float) random.nextDouble();
            below += actual <= q90.predict(row) ? 1 : 0;
        }
        assertEquals(0.9, below / (double) fresh, 0.03, "coverage on fresh rows");
    }

    @Test
    void weightsMoveTheFitTowardsTheHeavyRows() {
        float[][] x = new float[200][1];
        float[] y = new float[200];
        float[] w = new float[200];
        for (int i = 0; i < 200; i++) {
            x[i][0] = 0;
            y[i] = i < 100 ? 1 : 3;
            w[i] = i < 100 ? 1 : 4; // the median of the weighted rows is 3
        }
        QuantileBoosting.Settings settings = new QuantileBoosting.Settings(5, 0.5, 2, 5, 1.0, 1.0, 16, 1);
        assertEquals(3f, QuantileBoosting.fit(x, y, w, 0.5f, settings).predict(new float[] {0}), 1e-6);
        assertEquals(1f, QuantileBoosting.fit(x, y, null, 0.4f, settings).predict(new float[] {0}), 1e-6);
    }

    @Test
    void missingValuesGoTheSameWayInFittingAndPredicting() {
        int n = 300;
        float[][] x = new float[n][1];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            boolean missing = i % 3 == 0;
            x[i][0] = missing ? Float.NaN : i % 7;
            y[i] = missing ? 5 : 1;
        }
        TreeEnsemble model = QuantileBoosting.fit(x, y, null, 0.5f,
                new QuantileBoosting.Settings(50, 0.3, 2, 5, 1.0, 1.0, 16, 1));
        assertEquals(5f, model.predict(new float[] {Float.NaN}), 1e-3);
        assertEquals(1f, model.predict(new float[] {3}), 1e-3);
        assertEquals(1f, model.predict(new float[] {-100}), 1e-3, "below every value seen");
    }

    @Test
    void theSeedDecidesTheTrees() {
        SplittableRandom random = new SplittableRandom(5);
        float[][] x = new float[500][4];
        float[] y = new float[500];
        for (int i = 0; i < 500; i++) {
            for (int j = 0; j < 4; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i] = x[i][0] * 2 + x[i][1] * x[i][2] + (float) random.nextGaussian();
        }
        QuantileBoosting.Settings a = new QuantileBoosting.Settings(20, 0.1, 4, 10, 0.7, 0.7, 32, 42);
        QuantileBoosting.Settings b = new QuantileBoosting.Settings(20, 0.1, 4, 10, 0.7, 0.7, 32, 43);
        assertEquals(QuantileBoosting.fit(x, y, null, 0.5f, a), QuantileBoosting.fit(x, y, null, 0.5f, a));
        assertNotEquals(QuantileBoosting.fit(x, y, null, 0.5f, a), QuantileBoosting.fit(x, y, null, 0.5f, b));
    }

    @Test
    void badInputsAndSettingsAreNamed() {
        float[][] x = {{1}, {2}};
        QuantileBoosting.Settings s = new QuantileBoosting.Settings(1, 0.1, 1, 1, 1, 1, 8, 1);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> QuantileBoosting.fit(x, new float[] {1, Float.NaN}, null, 0.5f, s)).getMessage().contains("row 1's target is NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> QuantileBoosting.fit(x, new float[] {1, 2}, new float[] {1, -1}, 0.5f, s)).getMessage().contains("row 1's weight"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> QuantileBoosting.fit(x, new float[] {1, 2}, null, 1f, s)).getMessage().contains("quantile must be in (0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new QuantileBoosting.Settings(1, 0.1, 1, 1, 1, 1, 256, 1)).getMessage().contains("bins must be 2 to 255"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TreeEnsemble(0, new int[] {0}, new int[] {0, -1}, new float[2], new int[] {0, -1}, new int[] {1, -1},
                        new float[2])).getMessage().contains("node 0 has children 0 and 1"));
    }
}
