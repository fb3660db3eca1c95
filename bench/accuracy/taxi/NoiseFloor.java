/*
 * The noise floor of the taxi suite: how low an MAE the demo's data allows on its validation and test weeks.
 * Run from the repository root after a build (`./tempora info` builds):
 *   java -cp data/target/classes:tensor/target/classes bench/accuracy/taxi/NoiseFloor.java
 *
 * It generates the demo's data (260 zones, 98 days, seed 42) with dev.tempora.data.TaxiDemand, which also hands
 * back what the generator knows and a model can only estimate (TaxiDemand.Latent): each zone's rate, hour-of-week
 * shape, trend and holidays ("structure"), and the daily levels (a city-wide and a per-zone AR(1) in log space).
 * It then scores, on each zone's week from an origin:
 *   - structure and the daily levels at the origin, decayed as the AR(1) expects (0.6^k, 0.5^k): a forecaster
 *     that knows more than any model can learn from the data (the latent levels are not observed);
 *   - the same, but each zone's hour-of-week shape estimated from the data before the origin instead of known: the
 *     mean over earlier weeks (holidays left out) of the count an exact multiple of 168 hours before, brought to
 *     the forecast hour's trend and season by the known structure's ratio; everything else still known. This is
 *     what a forecaster that knew the generator's form and every parameter but the zones' shapes would score;
 *   - the true expected count of every hour (future daily levels included): not reachable by any forecast.
 * The last value and the same hour a week earlier are printed too: they equal the suite's rows (29.321 / 9.721
 * on validation, 35.189 / 9.665 on the test) when the data are the suite's.
 */
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.TaxiDemand;
import java.time.LocalDate;
import java.util.Locale;

public class NoiseFloor {
    public static void main(String[] args) {
        TaxiDemand.Options options = new TaxiDemand.Options(260, 98, LocalDate.of(2023, 1, 1), 42);
        TaxiDemand.Latent latent = TaxiDemand.latentFor(options);
        DoubleColumn counts = (DoubleColumn) TaxiDemand.generate(options, latent).column("trip_quantity");
        int hours = options.days() * 24;
        java.util.Set<LocalDate> holidays = TaxiDemand.usHolidays(options.start().getYear(),
                options.start().plusDays(options.days()).getYear());
        for (int origin : new int[] {2016, 2184}) {
            int lastKnownDay = origin / 24 - 1;
            double lastValue = 0, lastWeek = 0, knownLevels = 0, estimatedShapes = 0, trueMeans = 0;
            int points = 0;
            for (int z = 0; z < options.zones(); z++) {
                int first = z * hours;
                for (int t = origin; t < origin + 168; t++) {
                    int ahead = t / 24 - lastKnownDay;
                    double actual = counts.get(first + t);
                    double logLevel = Math.pow(0.6, ahead) * latent.cityLevel()[lastKnownDay]
                            + Math.pow(0.5, ahead) * latent.zoneLevel()[z][lastKnownDay];
                    lastValue += Math.abs(actual - counts.get(first + origin - 1));
                    lastWeek += Math.abs(actual - counts.get(first + t - 168));
                    knownLevels += Math.abs(actual - latent.structure()[first + t] * Math.exp(logLevel));
                    double shape = 0;
                    int weeks = 0;
                    for (int s = t - 168; s >= 0; s -= 168) {
                        if (!holidays.contains(options.start().plusDays(s / 24))) {
                            shape += counts.get(first + s) * latent.structure()[first + t] / latent.structure()[first + s];
                            weeks++;
                        }
                    }
                    estimatedShapes += Math.abs(actual - shape / weeks * Math.exp(logLevel));
                    trueMeans += Math.abs(actual - latent.expected()[first + t]);
                    points++;
                }
            }
            System.out.printf(Locale.ROOT, "%s week (origin %d, %d points) MAE: last value %.3f, same hour last week %.3f, "
                            + "structure + levels at the origin %.3f (%.3f x the last value), the same with the shapes estimated "
                            + "%.3f (%.3f x), true expected counts %.3f%n",
                    origin == 2016 ? "validation" : "test", origin, points, lastValue / points, lastWeek / points,
                    knownLevels / points, knownLevels / lastValue, estimatedShapes / points, estimatedShapes / lastValue,
                    trueMeans / points);
        }
    }
}
