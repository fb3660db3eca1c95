package dev.tempora.data;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A generator of NYC-taxi-like hourly pickup counts per zone, the demo data of Tempora's main job, with
 * the seed's columns: {@code time_idx} (hours since the start), {@code pulocationid} (the zone, a string
 * category), {@code day_hour} (hour of the week 0..167, Monday 00:00 = 0, a string category),
 * {@code trip_quantity} (the count, as a double) and {@code pickup_hour} (the hour's timestamp).
 *
 * <p>What makes it realistic enough for a forecaster to beat the last value by far:
 * <ul>
 *   <li>heavy-tailed zone volumes: each zone's mean rate is log-normal (median about 14 trips an hour,
 *       the busiest zones above a thousand);</li>
 *   <li>zone-specific daily and weekly shapes: each zone mixes four profiles (business rush hours,
 *       night life, residential, airport) with its own weights;</li>
 *   <li>US federal holidays run at a reduced, Sunday-like pattern; a mild trend and annual swing;</li>
 *   <li>noise: a city-wide daily factor (weather), a small per-zone daily factor, and negative-binomial
 *       counts (Poisson with a gamma-distributed rate).</li>
 * </ul>
 * The same options and seed always give the same values.
 */
public final class TaxiDemand {

    private TaxiDemand() {}

    /**
     * @param zones  number of pickup zones (260 by default)
     * @param days   number of days (243, eight months, by default)
     * @param start  first day (2023-01-01 by default)
     * @param seed   random seed
     */
    public record Options(int zones, int days, LocalDate start, long seed) {
        /** Checks that there is at least one zone and one day. */
        public Options {
            if (zones < 1 || days < 1) {
                throw new IllegalArgumentException("the taxi generator needs at least one zone and one day, got " + zones
                        + " zones and " + days + " days");
            }
            // Every column is one Java array, so the rows (zones × days × 24 hours) must fit an int.
            if ((long) zones * days * 24 > MAX_ROWS) {
                throw new IllegalArgumentException("the taxi generator's zones × days × 24 hours must be at most " + MAX_ROWS
                        + " rows (a Java array's limit), got " + zones + " zones × " + days + " days = "
                        + String.format(java.util.Locale.ROOT, "%,d", (long) zones * days * 24) + " rows");
            }
        }

        /** {@return the rows the generator makes: one per zone and hour} */
        public long rows() {
            return (long) zones * days * 24;
        }

        /** The main job's default data: 260 zones, eight months hourly (about 1.5 million rows). */
        public static Options defaults() {
            return new Options(260, 243, LocalDate.of(2023, 1, 1), 42);
        }

        /** A small set that trains in about a minute: 24 zones, four weeks. */
        public static Options small() {
            return new Options(24, 28, LocalDate.of(2023, 1, 2), 42);
        }
    }

    /** The most rows the generator makes: a column is one Java array. */
    public static final int MAX_ROWS = Integer.MAX_VALUE - 8;

    /** Bytes per generated row: time index, zone and day-hour codes (ints), quantity (double), pickup hour (long). */
    private static final int BYTES_PER_ROW = 3 * Integer.BYTES + Double.BYTES + Long.BYTES;

    /** The generated table, with the columns the class comment lists, one row per zone and hour. */
    public static Frame generate(Options o) {
        return generate(o, null);
    }

    /**
     * What the generator knows and a forecaster can only estimate, row by row in the table's order (zone-major,
     * then hour): for measuring how low an error the data allows (bench/accuracy/taxi/NoiseFloor.java).
     *
     * @param structure   each hour's expected count without the daily levels: the zone's rate, hour-of-week shape,
     *                    trend, annual swing and holiday factor
     * @param expected    each hour's expected count: the structure times both daily levels (the gamma-Poisson
     *                    draw's mean)
     * @param cityLevel   the city-wide daily level, log scale, per day (an AR(1) with coefficient 0.6)
     * @param zoneLevel   each zone's daily level, log scale, per zone and day (an AR(1) with coefficient 0.5)
     */
    public record Latent(double[] structure, double[] expected, double[] cityLevel, double[][] zoneLevel) { }

    /**
     * The generated table and, filled in as it is drawn, what the generator knows of it ({@link Latent}): the same
     * table as {@link #generate(Options)}.
     *
     * @param o      the options
     * @param latent where to record the latent values, sized for {@code o} ({@link #latentFor}); null records nothing
     * @return the table
     */
    public static Frame generate(Options o, Latent latent) {
        // The data set built from the table takes about as much again; refuse early what cannot fit.
        dev.tempora.tensor.MemoryBudget.require(dev.tempora.tensor.MemoryBudget.product(o.rows(), BYTES_PER_ROW, 2),
                String.format(java.util.Locale.ROOT, "the taxi generator's %,d rows (%d zones × %d days × 24 hours) and their data set",
                        o.rows(), o.zones(), o.days()), "give fewer zones or days in data.generator");
        int hours = o.days() * 24;
        int rows = o.zones() * hours;
        if (latent != null && (latent.structure().length != rows || latent.expected().length != rows
                || latent.cityLevel().length != o.days() || latent.zoneLevel().length != o.zones())) {
            throw new IllegalArgumentException("the latent arrays are not sized for " + o + ": make them with TaxiDemand.latentFor");
        }
        int[] timeIdx = new int[rows];
        int[] zoneCode = new int[rows];
        int[] dayHourCode = new int[rows];
        double[] quantity = new double[rows];
        long[] pickupHour = new long[rows];
        SplittableRandom root = new SplittableRandom(o.seed());
        Set<LocalDate> holidays = usHolidays(o.start().getYear(), o.start().plusDays(o.days()).getYear());

        // City-wide daily factor: weather and events, an AR(1) in log space.
        double[] cityDay = new double[o.days()];
        SplittableRandom cityRng = root.split();
        double level = 0;
        for (int d = 0; d < o.days(); d++) {
            level = 0.6 * level + 0.07 * cityRng.nextGaussian();
            cityDay[d] = Math.exp(level);
            if (latent != null) {
                latent.cityLevel()[d] = level;
            }
        }
        double[][] profiles = profiles();
        String[] zoneNames = new String[o.zones()];
        for (int z = 0; z < o.zones(); z++) {
            zoneNames[z] = Integer.toString(z + 1);
        }
        String[] dayHourNames = new String[168];
        for (int h = 0; h < 168; h++) {
            dayHourNames[h] = Integer.toString(h);
        }
        for (int z = 0; z < o.zones(); z++) {
            SplittableRandom rng = root.split();
            double rate = Math.exp(2.65 + 1.55 * rng.nextGaussian());
            double[] weights = new double[profiles.length];
            double total = 0;
            for (int k = 0; k < weights.length; k++) {
                weights[k] = Math.pow(rng.nextDouble(), 3) + (k == 2 ? 0.3 : 0.02); // residential is the common base
                total += weights[k];
            }
            double[] shape = new double[168];
            for (int h = 0; h < 168; h++) {
                for (int k = 0; k < weights.length; k++) {
                    shape[h] += weights[k] / total * profiles[k][h];
                }
            }
            double trend = 0.15 * rng.nextGaussian() / 365.0;
            // Negative-binomial shape r (variance = mu + mu^2 / r): hourly zone counts vary by about
            // 7-13% around their expectation at high volume, as real taxi pickups do.
            double dispersion = 60 + 140 * rng.nextDouble();
            double zoneLevel = 0;
            for (int d = 0; d < o.days(); d++) {
                LocalDate date = o.start().plusDays(d);
                boolean holiday = holidays.contains(date);
                zoneLevel = 0.5 * zoneLevel + 0.05 * rng.nextGaussian();
                double seasonal = 1 + 0.06 * Math.sin(2 * Math.PI * (date.getDayOfYear() - 60) / 365.25);
                double dayFactor = cityDay[d] * Math.exp(zoneLevel + trend * d) * seasonal * (holiday ? 0.62 : 1.0);
                int weekday = date.getDayOfWeek().getValue() - 1;
                if (latent != null) {
                    latent.zoneLevel()[z][d] = zoneLevel;
                }
                for (int h = 0; h < 24; h++) {
                    int row = z * hours + d * 24 + h;
                    int hourOfWeek = weekday * 24 + h;
                    int shapeHour = holiday ? 6 * 24 + h : hourOfWeek; // holidays run like a Sunday
                    double mean = rate * shape[shapeHour] * dayFactor;
                    if (latent != null) {
                        latent.structure()[row] = rate * shape[shapeHour] * Math.exp(trend * d) * seasonal * (holiday ? 0.62 : 1.0);
                        latent.expected()[row] = mean;
                    }
                    double gammaRate = mean * gamma(rng, dispersion) / dispersion;
                    timeIdx[row] = d * 24 + h;
                    zoneCode[row] = z;
                    dayHourCode[row] = hourOfWeek;
                    quantity[row] = poisson(rng, gammaRate);
                    pickupHour[row] = TimestampColumn.toMicros(LocalDateTime.of(date, java.time.LocalTime.of(h, 0)));
                }
            }
        }
        String source = "builtin:taxi(zones=" + o.zones() + ", days=" + o.days() + ", seed=" + o.seed() + ")";
        return new Frame(source, List.of(
                new IntColumn("time_idx", timeIdx),
                new StringColumn("pulocationid", zoneCode, zoneNames),
                new StringColumn("day_hour", dayHourCode, dayHourNames),
                new DoubleColumn("trip_quantity", quantity),
                new TimestampColumn("pickup_hour", pickupHour)));
    }

    /** {@return empty latent arrays sized for {@code o}, for {@link #generate(Options, Latent)} to fill} */
    public static Latent latentFor(Options o) {
        int rows = Math.toIntExact(o.rows());
        return new Latent(new double[rows], new double[rows], new double[o.days()], new double[o.zones()][o.days()]);
    }

    /** Generates and writes Parquet (atomically). */
    public static Frame writeParquet(Options o, Path path) {
        Frame f = generate(o);
        ParquetFiles.write(f, path);
        return f;
    }

    /**
     * Four hour-of-week profiles (mean about 1): business (weekday rush hours), night life (late evenings,
     * Friday and Saturday nights), residential (morning and evening, busier weekends), airport (flat
     * with afternoon and evening arrival peaks).
     */
    private static double[][] profiles() {
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

    private static double bump(double hour, double center, double width) {
        double d = hour - center;
        return Math.exp(-0.5 * d * d / (width * width));
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (shape ≥ 1). */
    private static double gamma(SplittableRandom rng, double shape) {
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
    private static double poisson(SplittableRandom rng, double lambda) {
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

    /**
     * The US federal holidays the generator runs at a reduced, Sunday-like pattern (observed dates not shifted).
     *
     * @param fromYear the first year
     * @param toYear   the last year (inclusive)
     * @return the holidays of those years
     */
    public static Set<LocalDate> usHolidays(int fromYear, int toYear) {
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

    private static LocalDate nth(int year, int month, DayOfWeek day, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
    }
}
