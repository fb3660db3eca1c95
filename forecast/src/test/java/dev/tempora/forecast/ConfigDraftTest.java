package dev.tempora.forecast;

import dev.tempora.data.TrainingConfig;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tempora init}'s inference: small synthetic tables in, the config's choices out, and the config trains. */
class ConfigDraftTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(ConfigDraft.Result r, String name) {
        return (Map<String, Object>) r.config().get(name);
    }

    /** A daily series with a weekly pattern, {@code days} long, leaving out the days in {@code skipped}. */
    private static Path daily(Path dir, int days, List<Integer> skipped) throws Exception {
        StringBuilder csv = new StringBuilder("date,value\n");
        for (int d = 0; d < days; d++) {
            if (!skipped.contains(d)) {
                csv.append(LocalDate.of(2024, 1, 1).plusDays(d)).append(',')
                        .append(String.format(Locale.ROOT, "%.2f", 10 + 3 * Math.sin(2 * Math.PI * d / 7) + d * 0.01)).append('\n');
            }
        }
        Path p = dir.resolve("daily.csv");
        Files.writeString(p, csv);
        return p;
    }

    @Test
    void aSeriesTooShortToHoldOutATestIsRefusedBeforeAConfigIsWritten(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConfigDraft.infer(daily(dir, 3, List.of()), ConfigDraft.Options.defaults()));
        assertTrue(e.getMessage().contains("too short") && e.getMessage().contains("has 3 steps"), e.getMessage());
    }

    @Test
    void aSingleDailySeries(@TempDir Path dir) throws Exception {
        ConfigDraft.Result r = ConfigDraft.infer(daily(dir, 120, List.of()), ConfigDraft.Options.defaults().withConfigDirectory(dir));
        Map<String, Object> data = section(r, "data");
        Map<String, Object> dataset = section(r, "dataset");
        assertEquals("daily.csv", data.get("path"));
        assertNull(data.get("timestamp_format"), "ISO dates need no format");
        assertEquals("date", dataset.get("timestamp"));
        assertEquals("1d", dataset.get("frequency"));
        assertEquals("value", dataset.get("target"));
        assertEquals(List.of("series"), dataset.get("group_ids"));
        assertEquals(7, dataset.get("max_prediction_length"));
        assertEquals(28, dataset.get("max_encoder_length"));
        assertEquals(14, dataset.get("min_encoder_length"));
        assertEquals(List.of("day_of_week"), dataset.get("time_varying_known_categoricals"), "month needs a year of days");
        assertEquals(Map.of("day_of_week", Map.of("add_nan", true)), dataset.get("categorical_encoders"));
        assertEquals(List.of("value"), dataset.get("time_varying_unknown_reals"));
        assertNull(dataset.get("allow_missing_timesteps"));
        // 120 days: validation and test may take a third, (windows + 1) × 7 ≤ 40, so 4 windows.
        assertEquals(Map.of("windows", 4, "stride", 7), dataset.get("validation"));
        assertEquals(Map.of("last_steps", 7), dataset.get("test"));
        List<?> derived = (List<?>) data.get("derived_columns");
        assertEquals(Map.of("op", "constant", "name", "series", "value", "all"), derived.get(derived.size() - 1));
        assertTrue(r.choices().stream().anyMatch(c -> c.startsWith("target: 'value' (the only numeric column")), r.choices().toString());
    }

    @Test
    void aMonthlyAirlineSeriesWrittenYearMonth(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("Month,Passengers\n");
        for (int i = 0; i < 144; i++) {
            csv.append(String.format(Locale.ROOT, "%d-%02d,%d%n", 1949 + i / 12, i % 12 + 1, 112 + i + (i % 12 == 6 ? 60 : 0)));
        }
        Path p = dir.resolve("airline.csv");
        Files.writeString(p, csv);
        ConfigDraft.Result r = ConfigDraft.infer(p, ConfigDraft.Options.defaults());
        Map<String, Object> dataset = section(r, "dataset");
        assertEquals(Map.of("Month", "yyyy-MM"), section(r, "data").get("timestamp_format"));
        assertEquals(p.toAbsolutePath().toString(), section(r, "data").get("path"));
        assertEquals("Month", dataset.get("timestamp"));
        assertEquals("1mo", dataset.get("frequency"));
        assertEquals("Passengers", dataset.get("target"));
        assertEquals(12, dataset.get("max_prediction_length"));
        assertEquals(24, dataset.get("max_encoder_length"));
        assertEquals(List.of("month"), dataset.get("time_varying_known_categoricals"));
        assertEquals(Map.of("windows", 3, "stride", 12), dataset.get("validation"));
    }

    /** Three stations' hourly rows, interleaved by time, with a covariate whose name holds a dot. */
    private static Path hourly(Path dir, int hours) throws Exception {
        StringBuilder csv = new StringBuilder("time,station,pm2.5,temperature,demand\n");
        LocalDateTime start = LocalDateTime.of(2024, 3, 1, 0, 0);
        for (int h = 0; h < hours; h++) {
            for (String station : List.of("north", "south", "east")) {
                csv.append(start.plusHours(h).toString().replace('T', ' ')).append(',').append(station).append(',')
                        .append(String.format(Locale.ROOT, "%.1f,%.1f,%.1f%n", 20.0 + h % 7, 5 + h % 24 * 0.5,
                                100 + 30 * Math.sin(2 * Math.PI * h / 24) + station.length()));
            }
        }
        Path p = dir.resolve("stations.csv");
        Files.writeString(p, csv);
        return p;
    }

    @Test
    void hourlySeriesToldApartByAColumn(@TempDir Path dir) throws Exception {
        ConfigDraft.Result r = ConfigDraft.infer(hourly(dir, 240), ConfigDraft.Options.defaults());
        Map<String, Object> dataset = section(r, "dataset");
        assertEquals("time", dataset.get("timestamp"));
        assertEquals("1h", dataset.get("frequency"));
        assertEquals(List.of("station"), dataset.get("group_ids"));
        assertEquals("demand", dataset.get("target"), "of three numeric columns, the one named like a target");
        assertEquals(List.of("demand", "pm2.5", "temperature"), dataset.get("time_varying_unknown_reals"));
        assertEquals(List.of("hour_of_day", "day_of_week"), dataset.get("time_varying_known_categoricals"));
        assertEquals(24, dataset.get("max_prediction_length"));
        // 240 hours: 2 validation windows (the split may take a third); 240 - 72 - 48 = 120 hours left for the
        // encoder, less than a week, so 5 days.
        assertEquals(Map.of("windows", 2, "stride", 24), dataset.get("validation"));
        assertEquals(120, dataset.get("max_encoder_length"));
        assertTrue(r.choices().stream().anyMatch(c -> c.startsWith("series: by [station], 3 series")), r.choices().toString());

        ConfigDraft.Result fixed = ConfigDraft.infer(hourly(dir, 240), ConfigDraft.Options.defaults().withTarget("temperature")
                .withHorizon(12));
        assertEquals("temperature", section(fixed, "dataset").get("target"));
        assertEquals(12, section(fixed, "dataset").get("max_prediction_length"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigDraft.infer(hourly(dir, 240),
                ConfigDraft.Options.defaults().withTarget("station")));
        assertTrue(e.getMessage().contains("--target 'station'") && e.getMessage().contains("numeric"), e.getMessage());
    }

    @Test
    void gapsAreCountedAndFilled(@TempDir Path dir) throws Exception {
        ConfigDraft.Result r = ConfigDraft.infer(daily(dir, 100, List.of(10, 11, 50)), ConfigDraft.Options.defaults());
        Map<String, Object> dataset = section(r, "dataset");
        assertEquals("1d", dataset.get("frequency"), "the commonest step, not the gaps");
        assertEquals(true, dataset.get("allow_missing_timesteps"));
        assertTrue(r.choices().stream().anyMatch(c -> c.contains("3 missing steps in 1 series")), r.choices().toString());
    }

    @Test
    void ambiguousDatesNeedAFormat(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("day,sales\n");
        for (int d = 0; d < 60; d++) {
            LocalDate date = LocalDate.of(2024, 1 + d / 5, 1 + d % 5); // days 1-5 of each month: day and month both fit
            csv.append(String.format(Locale.ROOT, "%02d/%02d/%d,%d%n", date.getMonthValue(), date.getDayOfMonth(), date.getYear(), d));
        }
        Path p = dir.resolve("us.csv");
        Files.writeString(p, csv);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigDraft.infer(p, ConfigDraft.Options.defaults()));
        assertTrue(e.getMessage().contains("timestamp_format"), e.getMessage());
        ConfigDraft.Result r = ConfigDraft.infer(p, ConfigDraft.Options.defaults().withTimestampFormats(Map.of("day", "MM/dd/yyyy")));
        assertEquals(Map.of("day", "MM/dd/yyyy"), section(r, "data").get("timestamp_format"));
        assertEquals("day", section(r, "dataset").get("timestamp"));
    }

    @Test
    void anIntegerTimeIndexIsUsedAsItIs(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("id,t,y\n");
        for (String id : List.of("a", "b")) {
            for (int t = 0; t < 80; t++) {
                csv.append(id).append(',').append(t).append(',').append(t % 5).append('\n');
            }
        }
        Path p = dir.resolve("steps.csv");
        Files.writeString(p, csv);
        Map<String, Object> dataset = section(ConfigDraft.infer(p, ConfigDraft.Options.defaults()), "dataset");
        assertEquals("t", dataset.get("time_idx"));
        assertFalse(dataset.containsKey("timestamp") || dataset.containsKey("frequency")
                || dataset.containsKey("time_varying_known_categoricals"), dataset.toString());
        assertEquals(List.of("id"), dataset.get("group_ids"));
        assertEquals("y", dataset.get("target"));
        assertEquals(10, dataset.get("max_prediction_length"));
    }

    @Test
    void timesOffTheGridAreRefused(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("irregular.csv");
        StringBuilder csv = new StringBuilder("time,value\n");
        for (int h = 0; h < 48; h++) {
            csv.append(LocalDateTime.of(2024, 1, 1, 0, 0).plusHours(h).plusMinutes(h == 30 ? 20 : 0)).append(",1\n");
        }
        Files.writeString(p, csv);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigDraft.infer(p, ConfigDraft.Options.defaults()));
        assertTrue(e.getMessage().contains("2024-01-02T06:20") && e.getMessage().contains("1h"), e.getMessage());
    }

    @Test
    void aTableWithoutATimeSaysWhatToGive(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("no-time.csv");
        Files.writeString(p, "name,amount\na,1\nb,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigDraft.infer(p, ConfigDraft.Options.defaults()));
        assertTrue(e.getMessage().contains("--time"), e.getMessage());
    }

    @Test
    void parquetTextDatesBecomeTimestampsAndTheConfigSaysSo(@TempDir Path dir) throws Exception {
        Path csv = daily(dir, 60, List.of());
        Path parquet = dir.resolve("daily.parquet");
        dev.tempora.data.Frame frame = dev.tempora.data.TableFiles.read(csv, Map.of("date", dev.tempora.data.ColumnType.STRING));
        int[] rowNumbers = java.util.stream.IntStream.range(0, frame.rowCount()).toArray();
        // pandas' to_parquet keeps the row index as a column: not a covariate.
        dev.tempora.data.TableFiles.write(frame.with(new dev.tempora.data.IntColumn("__index_level_0__", rowNumbers, null)), parquet);
        ConfigDraft.Result r = ConfigDraft.infer(parquet, ConfigDraft.Options.defaults().withConfigDirectory(dir));
        assertEquals(Map.of("date", "iso"), section(r, "data").get("timestamp_format"), "Parquet's reader detects no dates");
        assertEquals("1d", section(r, "dataset").get("frequency"));
        assertEquals(List.of("value"), section(r, "dataset").get("time_varying_unknown_reals"));
        assertTrue(TrainingJob.fromConfig(written(r, dir, "parquet.json")).build().batchesPerEpoch() > 0);
    }

    /** Writes the config as {@code tempora init} does and loads it as {@code train} does. */
    private static TrainingConfig written(ConfigDraft.Result r, Path dir, String name) throws Exception {
        Path config = dir.resolve(name);
        Files.writeString(config, Json.writePretty(r.config()));
        return TrainingConfig.load(config);
    }

    @Test
    void theWrittenConfigTrains(@TempDir Path dir) throws Exception {
        ConfigDraft.Options options = ConfigDraft.Options.defaults().withConfigDirectory(dir);
        ConfigDraft.Result daily = ConfigDraft.infer(daily(dir, 60, List.of(20)), options);
        assertEquals("{last_steps=7}", String.valueOf(section(daily, "dataset").get("test")));
        TrainingJob dailyJob = TrainingJob.fromConfig(written(daily, dir, "daily.json")).trainer(t -> t.maxEpochs(1).workers(1)).build();
        assertEquals(1, dailyJob.testSet().size(), "the last week is held out");
        TrainingJob.Result fitted = dailyJob.fit();
        assertEquals(1, fitted.epochs().size());
        assertTrue(Double.isFinite(fitted.bestValidationLoss()), "validation loss " + fitted.bestValidationLoss());

        ConfigDraft.Result stations = ConfigDraft.infer(hourly(dir, 120), options);
        TrainingJob job = TrainingJob.fromConfig(written(stations, dir, "stations.json")).build();
        assertTrue(job.batchesPerEpoch() > 0);
    }
}
