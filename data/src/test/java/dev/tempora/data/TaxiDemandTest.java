package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaxiDemandTest {

    private static final TaxiDemand.Options SMALL = new TaxiDemand.Options(30, 21, LocalDate.of(2023, 1, 2), 5);

    @Test
    void isDeterministicForASeed() {
        Frame a = TaxiDemand.generate(SMALL);
        Frame b = TaxiDemand.generate(SMALL);
        Frame c = TaxiDemand.generate(new TaxiDemand.Options(30, 21, LocalDate.of(2023, 1, 2), 6));
        assertArrayEquals(a.column("trip_quantity", DoubleColumn.class).toArray(), b.column("trip_quantity", DoubleColumn.class).toArray());
        assertFalse(Arrays.equals(a.column("trip_quantity", DoubleColumn.class).toArray(), c.column("trip_quantity", DoubleColumn.class).toArray()));
        assertEquals(30 * 21 * 24, a.rowCount());
        assertEquals(java.util.List.of("time_idx", "pulocationid", "day_hour", "trip_quantity", "pickup_hour"), a.names());
    }

    @Test
    void writesParquetAndReadsBackTheSameValues(@TempDir Path dir) {
        Path file = dir.resolve("taxi.parquet");
        Frame written = TaxiDemand.writeParquet(SMALL, file);
        Frame read = ParquetFiles.read(file);
        assertEquals(written.names(), read.names());
        for (Column c : written.columns()) {
            Column r = read.column(c.name());
            assertEquals(c.type(), r.type());
            for (int i = 0; i < c.size(); i++) {
                assertEquals(c.format(i), r.format(i), c.name() + " row " + i);
            }
        }
    }

    @Test
    void hasHeavyTailedZonesAndDailySeasonality() {
        Frame f = TaxiDemand.generate(new TaxiDemand.Options(200, 28, LocalDate.of(2023, 1, 2), 1));
        double[] q = f.column("trip_quantity", DoubleColumn.class).toArray();
        int hours = 28 * 24;
        double[] zoneMean = new double[200];
        double[] byHourOfDay = new double[24];
        for (int z = 0; z < 200; z++) {
            for (int h = 0; h < hours; h++) {
                zoneMean[z] += q[z * hours + h] / hours;
                byHourOfDay[h % 24] += q[z * hours + h];
            }
        }
        double[] sorted = zoneMean.clone();
        Arrays.sort(sorted);
        double median = sorted[100];
        assertTrue(sorted[199] > 20 * median, "the busiest zone is far above the median: " + sorted[199] + " vs " + median);
        assertTrue(Arrays.stream(q).allMatch(v -> v >= 0 && v == Math.rint(v)), "counts");
        double night = byHourOfDay[4];
        double evening = byHourOfDay[18];
        assertTrue(evening > 3 * night, "evenings are busier than 4 a.m.: " + evening + " vs " + night);
        assertEquals(10, TaxiDemand.usHolidays(2023, 2023).stream().filter(d -> d.getYear() == 2023 && d.getMonthValue() != 6).count());
    }

    @Test
    void recordsWhatItKnowsWithoutChangingTheDraw() {
        TaxiDemand.Latent latent = TaxiDemand.latentFor(SMALL);
        double[] recorded = TaxiDemand.generate(SMALL, latent).column("trip_quantity", DoubleColumn.class).toArray();
        double[] plain = TaxiDemand.generate(SMALL).column("trip_quantity", DoubleColumn.class).toArray();
        assertArrayEquals(plain, recorded, "recording the latent values must not change the random draws");
        int hours = SMALL.days() * 24;
        double counts = 0;
        double means = 0;
        for (int z = 0; z < SMALL.zones(); z++) {
            for (int t = 0; t < hours; t++) {
                int row = z * hours + t;
                int day = t / 24;
                // expected = structure x both daily levels, as the class comment and the record say.
                double fromLevels = latent.structure()[row] * Math.exp(latent.cityLevel()[day] + latent.zoneLevel()[z][day]);
                assertEquals(fromLevels, latent.expected()[row], 1e-9 * fromLevels, "row " + row);
                assertTrue(latent.structure()[row] > 0, "row " + row);
                counts += plain[row];
                means += latent.expected()[row];
            }
        }
        // The counts are drawn around the expected values: their totals agree within the noise (the busiest
        // zones dominate the total, and their hourly counts vary by 7-13 %), 0.7 % here.
        assertEquals(means, counts, 0.02 * means);
        assertTrue(Arrays.stream(latent.cityLevel()).anyMatch(v -> v != 0), "the city level was recorded");
    }

    @Test
    void refusesLatentArraysOfTheWrongSize() {
        TaxiDemand.Latent other = TaxiDemand.latentFor(new TaxiDemand.Options(3, 21, LocalDate.of(2023, 1, 2), 5));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TaxiDemand.generate(SMALL, other));
        assertTrue(e.getMessage().contains("latentFor"), e.getMessage());
    }
}
