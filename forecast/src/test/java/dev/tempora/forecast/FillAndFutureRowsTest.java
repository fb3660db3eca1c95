package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.MissingValues;
import dev.tempora.data.MissingValues.Method;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimestampColumn;
import dev.tempora.data.TrainingConfig;
import dev.tempora.parallel.TrainingListener;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fill_missing from training to predict, and the horizon rows predict adds for calendar inputs: one tiny
 * model (one epoch) on two daily series whose only known input is the day of the week derived from the date.
 */
class FillAndFutureRowsTest {

    static final LocalDate START = LocalDate.of(2024, 1, 1);
    static final int DAYS = 60;
    static final int HORIZON = 7;

    @TempDir
    static Path dir;
    static Path modelDirectory;
    static List<String> trainingWarnings = new ArrayList<>();

    /** Two daily series (a, b) with a weekly pattern, as CSV text; {@code gap} days of series a have no value. */
    static String csv(int days, java.util.function.IntPredicate gap) {
        StringBuilder sb = new StringBuilder("date,series,value\n");
        for (String series : List.of("a", "b")) {
            for (int d = 0; d < days; d++) {
                double value = 10 + 3 * Math.sin(2 * Math.PI * d / 7.0) + (series.equals("b") ? 5 : 0) + 0.01 * d;
                boolean missing = series.equals("a") && gap.test(d);
                sb.append(START.plusDays(d)).append(',').append(series).append(',').append(missing ? "" : String.format(
                        java.util.Locale.ROOT, "%.4f", value)).append('\n');
            }
        }
        return sb.toString();
    }

    /** A config for {@code dataFile}; {@code fillMissing} is the data section's last entry (or empty). */
    static String config(String dataFile, String fillMissing) {
        return """
                {"data": {"path": "%s", "dtypes": {"series": "string"},
                          "derived_columns": [{"op": "calendar", "name": "day_of_week", "column": "date", "field": "day_of_week"}]%s},
                 "dataset": {"time_idx": "time_idx", "timestamp": "date", "frequency": "1d", "target": "value",
                             "group_ids": ["series"], "max_encoder_length": 14, "max_prediction_length": %d,
                             "time_varying_known_categoricals": ["day_of_week"], "time_varying_unknown_reals": ["value"]},
                 "model": {"hidden_size": 8, "attention_head_size": 1, "hidden_continuous_size": 4},
                 "training": {"max_epochs": 1, "batch_size": 16, "limit_train_batches": 2, "seed": 3, "workers": 1}}
                """.formatted(dataFile, fillMissing, HORIZON);
    }

    @BeforeAll
    static void train() throws Exception {
        // three missing days in series a: one alone (day 20), two together (days 30, 31)
        Files.writeString(dir.resolve("daily.csv"), csv(DAYS, d -> d == 20 || d == 30 || d == 31));
        Path config = dir.resolve("daily.json");
        Files.writeString(config, config("daily.csv", ", \"fill_missing\": {\"target\": \"linear\"}"));
        modelDirectory = dir.resolve("model");
        TrainingJob job = TrainingJob.fromConfig(config).outputDirectory(modelDirectory).listener(new TrainingListener() {
            @Override
            public void onWarning(String message) {
                trainingWarnings.add(message);
            }
        }).build();
        assertEquals(List.of(new MissingValues.ColumnFill("value", Method.LINEAR, 3, 0, List.of())), job.fillReport().columns());
        job.fit();
    }

    @Test
    void trainingReportsTheFillsAndModelJsonKeepsTheOption() {
        assertTrue(trainingWarnings.contains("fill_missing: value: 3 missing values filled (linear)"), trainingWarnings.toString());
        TrainedModel model = TrainedModel.load(modelDirectory);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) model.sections().get("config")).get("data");
        assertEquals(Map.of("target", "linear"), data.get("fill_missing"));
    }

    @Test
    void predictFromHistoryOnlyAddsTheHorizonWithItsDatesAndCalendar() throws Exception {
        Path history = dir.resolve("history.csv");
        Files.writeString(history, csv(DAYS, d -> false));
        TrainedModel model = TrainedModel.load(modelDirectory);
        TrainedModel.Forecast forecast = model.predict(model.readTable(history));
        assertEquals(2, forecast.series());
        List<ForecastTable.Row> rows = forecast.table().rows();
        assertEquals(2 * HORIZON, rows.size());
        for (ForecastTable.Row row : rows) {
            LocalDate expected = START.plusDays(DAYS - 1 + row.horizon());
            assertEquals(expected.atStartOfDay().toInstant(ZoneOffset.UTC), row.timestamp(), row.toString());
            assertTrue(Float.isFinite(row.point()));
        }
        assertTrue(forecast.notes().stream().anyMatch(n -> n.contains("14 horizon rows were added") && n.contains("[day_of_week]")),
                forecast.notes().toString());

        // the added rows' day_of_week is their own date's, computed as in training (Monday 0)
        FutureRows.Prepared prepared = FutureRows.prepare(model.readTable(history), model.preprocessing(), derivedSteps(model));
        Frame f = prepared.frame();
        TimestampColumn date = f.column("date", TimestampColumn.class);
        StringColumn dayOfWeek = f.column("day_of_week", StringColumn.class);
        assertEquals(2 * (DAYS + HORIZON), f.rowCount());
        for (int r = 0; r < f.rowCount(); r++) {
            assertEquals(Integer.toString(date.dateTime(r).getDayOfWeek().getValue() - 1), dayOfWeek.format(r), "row " + r);
        }
    }

    @Test
    void predictFillsTheHistoryAsTrainingDidAndLeavesTheHorizonAlone() throws Exception {
        TrainedModel model = TrainedModel.load(modelDirectory);
        Path gappy = dir.resolve("gappy.csv");
        Files.writeString(gappy, csv(DAYS, d -> d == 50));
        TrainedModel.Forecast filled = model.predict(model.readTable(gappy));
        assertTrue(filled.notes().contains("fill_missing: value: 1 missing value filled (linear)"), filled.notes().toString());

        // by hand: day 50 of series a (row 50) halfway between days 49 and 51
        Frame table = model.readTable(gappy);
        double[] values = ((DoubleColumn) table.column("value")).toArray();
        values[50] = values[49] + 0.5 * (values[51] - values[49]);
        TrainedModel.Forecast byHand = model.predict(table.with(new DoubleColumn("value", values)));
        assertEquals(byHand.table().frame().rowCount(), filled.table().frame().rowCount());
        for (int i = 0; i < byHand.table().rows().size(); i++) {
            assertArrayEquals(byHand.table().rows().get(i).quantiles(), filled.table().rows().get(i).quantiles());
        }

        // the horizon's empty targets are not gaps: a file with its horizon rows forecasts the same
        Path withHorizon = dir.resolve("with-horizon.csv");
        Files.writeString(withHorizon, blankTail(csv(DAYS + HORIZON, d -> d == 50)));
        TrainedModel.Forecast given = model.predict(model.readTable(withHorizon));
        assertEquals(List.of("fill_missing: value: 1 missing value filled (linear)"), given.notes());
        for (int i = 0; i < given.table().rows().size(); i++) {
            assertArrayEquals(filled.table().rows().get(i).quantiles(), given.table().rows().get(i).quantiles());
        }
    }

    /** The rows from day DAYS on with the value left empty: the horizon rows of both series. */
    private static String blankTail(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n")) {
            String[] f = line.split(",", -1);
            if (f[0].matches("\\d{4}-\\d\\d-\\d\\d") && !LocalDate.parse(f[0]).isBefore(START.plusDays(DAYS))) {
                line = f[0] + "," + f[1] + ",";
            }
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Test
    void aKnownInputOnlyTheUserKnowsNamesTheColumnsAndTheDates() throws Exception {
        Files.writeString(dir.resolve("priced.csv"), csv(30, d -> false));
        Path config = dir.resolve("priced.json");
        Files.writeString(config, config("priced.csv", "").replace("\"time_varying_unknown_reals\"",
                "\"time_varying_known_reals\": [\"price\"], \"time_varying_unknown_reals\"").replace(
                "\"field\": \"day_of_week\"}]", "\"field\": \"day_of_week\"}, {\"op\": \"group_mean\", \"name\": \"price\", "
                        + "\"column\": \"value\", \"by\": [\"series\"]}]"));
        TrainingConfig cfg = TrainingConfig.load(config);
        Frame frame = cfg.loadFrame();
        Preprocessing preprocessing = TimeSeriesDataSet.create(frame, cfg.dataset()).preprocessing();
        var e = assertThrows(IllegalArgumentException.class,
                () -> FutureRows.prepare(frame, preprocessing, steps(cfg.data())));
        assertTrue(e.getMessage().contains("series series=a has 0 future rows") && e.getMessage().contains("(2024-01-30)")
                && e.getMessage().contains("[price]") && e.getMessage().contains("'date' 2024-01-31 to 2024-02-06")
                && e.getMessage().contains("[day_of_week] are computed from the timestamp"), e.getMessage());
    }

    @Test
    void theLibraryPathFillsAndSavesTheOption() throws Exception {
        Files.writeString(dir.resolve("lib.csv"), csv(40, d -> d == 0 || d == 39));
        Path config = dir.resolve("lib.json");
        Files.writeString(config, config("lib.csv", ""));
        TrainingConfig cfg = TrainingConfig.load(config);
        Frame raw = cfg.readFrame();
        DatasetParameters p = cfg.dataset();
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingJob.builder(raw, p).build());
        assertTrue(e.getMessage().contains("'value'") && e.getMessage().contains("fill_missing")
                && e.getMessage().contains("(2024-01-01)"), e.getMessage());
        TrainingJob job = TrainingJob.builder(raw, p).fillMissing(MissingValues.Options.of(Method.FORWARD, null)).build();
        assertEquals(new MissingValues.ColumnFill("value", Method.FORWARD, 2, 1, List.of()), job.fillReport().columns().get(0));
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) job.checkpointSections().get("config")).get("data");
        assertEquals(Json.parseObject("{\"target\": \"forward\"}"), data.get("fill_missing"));
    }

    private static List<Object> derivedSteps(TrainedModel model) {
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) model.sections().get("config")).get("data");
        return steps(data);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> steps(Map<String, Object> data) {
        return (List<Object>) data.get("derived_columns");
    }
}
