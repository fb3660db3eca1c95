/*
 * The noise floor of the taxi suite: how low an MAE the demo's data allows on its validation and test weeks.
 * Run with `java bench/accuracy/taxi/NoiseFloor.java` (JDK only, about a second).
 *
 * It repeats the arithmetic of dev.tempora.data.TaxiDemand.generate (260 zones, 98 days, seed 42: the demo's
 * data), drawing the same random numbers in the same order, and keeps what the generator knows and a model can
 * only estimate: each zone's rate, hour-of-week shape, trend and holidays ("structure"), and the daily levels
 * (a city-wide and a per-zone AR(1) in log space). It then scores, on each zone's week from an origin:
 *   - structure and the daily levels at the origin, decayed as the AR(1) expects (0.6^k, 0.5^k): a forecaster
 *     that knows more than any model can learn from the data (the latent levels are not observed);
 *   - the true expected count of every hour (future daily levels included): not reachable by any forecast.
 * The last value and the same hour a week earlier are printed too: they must equal the suite's rows (29.321 /
 * 9.721 on validation, 35.189 / 9.665 on the test), which checks that this copy still matches the generator.
 */
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

public class NoiseFloor {
    static final int ZONES = 260;
    static final int DAYS = 98;
    static final LocalDate START = LocalDate.of(2023, 1, 1);

    public static void main(String[] args) {
        int hours = DAYS * 24;
        SplittableRandom root = new SplittableRandom(42);
        Set<LocalDate> holidays = usHolidays(START.getYear(), START.plusDays(DAYS).getYear());
        double[] cityLevel = new double[DAYS];
        SplittableRandom cityRng = root.split();
        double level = 0;
        for (int d = 0; d < DAYS; d++) {
            level = 0.6 * level + 0.07 * cityRng.nextGaussian();
            cityLevel[d] = level;
        }
        double[][] profiles = profiles();
        double[][] count = new double[ZONES][hours];
        double[][] expected = new double[ZONES][hours];
        double[][] structure = new double[ZONES][hours];
        double[][] zoneLevels = new double[ZONES][DAYS];
        for (int z = 0; z < ZONES; z++) {
            SplittableRandom rng = root.split();
            double rate = Math.exp(2.65 + 1.55 * rng.nextGaussian());
            double[] weights = new double[profiles.length];
            double total = 0;
            for (int k = 0; k < weights.length; k++) {
                weights[k] = Math.pow(rng.nextDouble(), 3) + (k == 2 ? 0.3 : 0.02);
                total += weights[k];
            }
            double[] shape = new double[168];
            for (int h = 0; h < 168; h++) {
                for (int k = 0; k < weights.length; k++) {
                    shape[h] += weights[k] / total * profiles[k][h];
                }
            }
            double trend = 0.15 * rng.nextGaussian() / 365.0;
            double dispersion = 60 + 140 * rng.nextDouble();
            double zoneLevel = 0;
            for (int d = 0; d < DAYS; d++) {
                LocalDate date = START.plusDays(d);
                boolean holiday = holidays.contains(date);
                zoneLevel = 0.5 * zoneLevel + 0.05 * rng.nextGaussian();
                zoneLevels[z][d] = zoneLevel;
                double seasonal = 1 + 0.06 * Math.sin(2 * Math.PI * (date.getDayOfYear() - 60) / 365.25);
                double known = Math.exp(trend * d) * seasonal * (holiday ? 0.62 : 1.0);
                int weekday = date.getDayOfWeek().getValue() - 1;
                for (int h = 0; h < 24; h++) {
                    int t = d * 24 + h;
                    int shapeHour = holiday ? 6 * 24 + h : weekday * 24 + h;
                    structure[z][t] = rate * shape[shapeHour] * known;
                    expected[z][t] = structure[z][t] * Math.exp(cityLevel[d] + zoneLevel);
                    double gammaRate = expected[z][t] * gamma(rng, dispersion) / dispersion;
                    count[z][t] = poisson(rng, gammaRate);
                }
            }
        }
        for (int origin : new int[] {2016, 2184}) {
            int lastKnownDay = origin / 24 - 1;
            double lastValue = 0, lastWeek = 0, knownLevels = 0, trueMeans = 0;
            int points = 0;
            for (int z = 0; z < ZONES; z++) {
                for (int t = origin; t < origin + 168; t++) {
                    int ahead = t / 24 - lastKnownDay;
                    double actual = count[z][t];
                    double logLevel = Math.pow(0.6, ahead) * cityLevel[lastKnownDay] + Math.pow(0.5, ahead) * zoneLevels[z][lastKnownDay];
                    lastValue += Math.abs(actual - count[z][origin - 1]);
                    lastWeek += Math.abs(actual - count[z][t - 168]);
                    knownLevels += Math.abs(actual - structure[z][t] * Math.exp(logLevel));
                    trueMeans += Math.abs(actual - expected[z][t]);
                    points++;
                }
            }
            System.out.printf(Locale.ROOT, "%s week (origin %d, %d points) MAE: last value %.3f, same hour last week %.3f, "
                            + "structure + levels at the origin %.3f (%.3f x the last value), true expected counts %.3f%n",
                    origin == 2016 ? "validation" : "test", origin, points, lastValue / points, lastWeek / points,
                    knownLevels / points, knownLevels / lastValue, trueMeans / points);
        }
    }

    /**
     * Four hour-of-week profiles (mean about 1): business (weekday rush hours), night life (late evenings,
     * Friday and Saturday nights), residential (morning and evening, busier weekends), airport (flat
     * with afternoon and evening arrival peaks).
     */
    static double[][] profiles() {
        double[][] p = new double[4][168];
        for (int d = 0; d < 7; d++) {
            boolean weekend = d >= 5;
            for (int h = 0; h < 24; h++) {
                int i = d * 24 + h;
                double business = weekend ? 0.25 + 0.45 * bump(h, 14, 4) : 0.08 + 1.6 * bump(h, 8.5, 1.6) + 1.2 * bump(h, 13, 2.5)
                        + 2.0 * bump(h, 18.5, 2.0) + 0.3 * bump(h, 22, 2);
                double night = 0.15 + 0.4 * bump(h, 13, 4) + (d == 4 || d == 5 ? 2.6 : 1.3) * (bump(h, 23, 2.5) + bump(h, -1, 2.5))
                        + (d == 5 || d == 6 ? 1.2 * bump(h, 1.5, 1.5) : 0);
                double residential = 0.1 + (weekend ? 0.9 * bump(h, 11, 3) + 0.8 * bump(h, 19, 3)
                        : 0.9 * bump(h, 7.5, 1.5) + 0.7 * bump(h, 18, 2.5));
                double airport = 0.35 + 0.8 * bump(h, 15, 3) + 0.9 * bump(h, 21, 2.5) + (d == 6 || d == 4 ? 0.3 : 0);
                p[0][i] = business;
                p[1][i] = night;
                p[2][i] = residential;
                p[3][i] = airport;
            }
        }
        for (double[] profile : p) {
            double mean = java.util.Arrays.stream(profile).average().orElse(1);
            for (int i = 0; i < profile.length; i++) {
                profile[i] /= mean;
            }
        }
        return p;
    }

    static double bump(double hour, double center, double width) {
        double d = hour - center;
        return Math.exp(-0.5 * d * d / (width * width));
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1). */
    static double gamma(SplittableRandom rng, double shape) {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = rng.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }

    /** Poisson(lambda): inversion below 30, a continuity-corrected normal above (ample for counts here). */
    static double poisson(SplittableRandom rng, double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda < 30) {
            double l = Math.exp(-lambda);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= rng.nextDouble();
            } while (p > l);
            return k - 1;
        }
        return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.nextGaussian()));
    }

    /** US federal holidays (observed dates not shifted) for the years given. */
    static Set<LocalDate> usHolidays(int fromYear, int toYear) {
        Set<LocalDate> out = new HashSet<>();
        for (int y = fromYear; y <= toYear; y++) {
            out.add(LocalDate.of(y, 1, 1));
            out.add(nth(y, 1, DayOfWeek.MONDAY, 3));   // Martin Luther King Jr. Day
            out.add(nth(y, 2, DayOfWeek.MONDAY, 3));   // Presidents' Day
            out.add(LocalDate.of(y, 5, 31).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))); // Memorial Day
            out.add(LocalDate.of(y, 6, 19));           // Juneteenth
            out.add(LocalDate.of(y, 7, 4));
            out.add(nth(y, 9, DayOfWeek.MONDAY, 1));   // Labor Day
            out.add(nth(y, 10, DayOfWeek.MONDAY, 2));  // Columbus Day
            out.add(LocalDate.of(y, 11, 11));          // Veterans Day
            out.add(nth(y, 11, DayOfWeek.THURSDAY, 4)); // Thanksgiving
            out.add(LocalDate.of(y, 12, 25));
        }
        return out;
    }

    static LocalDate nth(int year, int month, DayOfWeek day, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
    }
}
