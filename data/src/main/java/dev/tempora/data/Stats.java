package dev.tempora.data;

import java.util.Arrays;

/** The summary statistics the normalisers need, with numpy/pandas conventions. */
final class Stats {

    private Stats() {}

    static double mean(double[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i];
        }
        return sum / (to - from);
    }

    /** Standard deviation with {@code ddof} degrees of freedom removed (numpy's default 0, pandas' 1); NaN if n ≤ ddof. */
    static double std(double[] x, int from, int to, int ddof) {
        int n = to - from;
        if (n <= ddof) {
            return Double.NaN;
        }
        double mean = mean(x, from, to);
        double ss = 0;
        double correction = 0;
        for (int i = from; i < to; i++) {
            double d = x[i] - mean;
            ss += d * d;
            correction += d;
        }
        return Math.sqrt(Math.max(0.0, (ss - correction * correction / n) / (n - ddof)));
    }

    /** Quantile q of x[from, to) with numpy's default linear interpolation; sorts a copy. */
    static double quantile(double[] x, int from, int to, double q) {
        double[] sorted = Arrays.copyOfRange(x, from, to);
        Arrays.sort(sorted);
        return quantileSorted(sorted, q);
    }

    static double quantileSorted(double[] sorted, double q) {
        int n = sorted.length;
        if (n == 0) {
            return Double.NaN;
        }
        double position = q * (n - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, n - 1);
        double fraction = position - lower;
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
    }

    /** Median ignoring NaN (pandas' Series.median); NaN when nothing is left. */
    static double nanMedian(double[] x) {
        double[] kept = Arrays.stream(x).filter(v -> !Double.isNaN(v)).sorted().toArray();
        return quantileSorted(kept, 0.5);
    }

    /** Bias-corrected sample skewness (pandas' Series.skew). */
    static double skew(double[] x) {
        int n = x.length;
        if (n < 3) {
            return Double.NaN;
        }
        double mean = mean(x, 0, n);
        double m2 = 0;
        double m3 = 0;
        for (double v : x) {
            double d = v - mean;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= n;
        m3 /= n;
        if (m2 == 0) {
            return 0;
        }
        double g1 = m3 / Math.pow(m2, 1.5);
        return g1 * Math.sqrt((double) n * (n - 1)) / (n - 2);
    }
}
