package dev.tempora.cli;

import dev.tempora.data.TableFiles;
import dev.tempora.data.Column;
import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.forecast.InferenceOptions;
import dev.tempora.forecast.TrainedModel;
import dev.tempora.forecast.TrainingJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * predict against the model run directly on the same windows: a table whose last 12 hours per zone
 * have empty counts must give exactly the forecasts of the predict-mode validation windows of the
 * complete table (the target never enters the decoder).
 */
class PredictCommandTest {

    private static final int HORIZON = 12;

    @TempDir
    static Path dir;
    static Frame full;
    static int last;

    @BeforeAll
    static void writeData() {
        full = TaxiDemand.generate(new TaxiDemand.Options(3, 10, LocalDate.of(2023, 3, 6), 5));
        TableFiles.writeCsv(full, dir.resolve("history.csv"));
        last = 10 * 24 - 1;
    }

    /** A model (untrained: its weights are as good as any for comparing two routes to its forecasts) saved as train saves one. */
    private static Path model(String name, String knownCategoricals) throws Exception {
        Path config = dir.resolve(name + ".json");
        Files.writeString(config, """
                {"data": {"path": "history.csv", "dtypes": {"pulocationid": "string", "day_hour": "string"}},
                 "dataset": {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                   "min_encoder_length": 5, "max_encoder_length": 24, "max_prediction_length": %d,
                   "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": %s,
                   "time_varying_known_reals": ["time_idx"], "time_varying_unknown_reals": ["trip_quantity"],
                   "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"},
                   "add_relative_time_idx": true, "add_target_scales": true, "add_encoder_length": true},
                 "model": {"hidden_size": 8, "attention_head_size": 2, "hidden_continuous_size": 4}}
                """.formatted(HORIZON, knownCategoricals));
        Path out = dir.resolve(name);
        TrainingJob.fromConfig(config).trainer(t -> t.seed(11).maxEpochs(1).limitTrainBatchCount(1)).batchSize(4)
                .outputDirectory(out).build().fit();
        return out;
    }

    /** The model's forecasts of each zone's last 12 hours, computed on the complete table. */
    private static Frame expected(Path modelDir) {
        TrainedModel trained = TrainedModel.load(modelDir);
        Frame table = trained.readTable(dir.resolve("history.csv"));
        TimeSeriesDataSet ds = TimeSeriesDataSet.fromPreprocessing(trained.preprocessing(), table, true);
        return trained.interpret(ds, new InferenceOptions(64, 1, "cpu")).forecastTable(null, null).frame().without("actual");
    }

    /** The rows kept, with the target emptied after {@code lastObserved}. */
    private static Path input(String name, IntPredicate keepTime, int lastObserved) {
        int[] time = ((dev.tempora.data.IntColumn) full.column("time_idx")).toArray();
        Frame kept = full.filter(r -> keepTime.test(time[r]));
        int[] t = ((dev.tempora.data.IntColumn) kept.column("time_idx")).toArray();
        double[] y = ((DoubleColumn) kept.column("trip_quantity")).toArray();
        for (int r = 0; r < y.length; r++) {
            if (t[r] > lastObserved) {
                y[r] = Double.NaN;
            }
        }
        Path path = dir.resolve(name);
        TableFiles.write(kept.with(new DoubleColumn("trip_quantity", y)), path);
        return path;
    }

    private static void assertSameForecasts(Frame expected, Frame actual) {
        assertEquals(expected.rowCount(), actual.rowCount());
        assertEquals(List.of("pulocationid", "time_idx", "horizon", "q0.02", "q0.1", "q0.25", "q0.5", "q0.75", "q0.9", "q0.98",
                        "prediction"),
                actual.names());
        for (String name : expected.names()) {
            Column e = expected.column(name);
            Column a = actual.column(name);
            for (int r = 0; r < expected.rowCount(); r++) {
                assertEquals(e.format(r), a.format(r), name + " row " + r);
            }
        }
    }

    @Test
    void evaluateShardsEachBatchOverTheWorkersWithoutChangingABit() throws Exception {
        // 48 backtest windows in batches of 10 (the last one 8): 1 or 3 workers forecast each batch in shards
        // of 2; batches of 2 are forecast whole. Every route gives the same bits, so the same metrics.
        Path model = model("sharded", "[\"day_hour\"]");
        String[] common = {"evaluate", "--model", model.toString(), "--data", dir.resolve("history.csv").toString(),
                "--backtest", "--from", "150", "--stride", "5", "--json"};
        List<String> runs = new java.util.ArrayList<>();
        for (String[] route : new String[][] {{"--batch-size", "10", "--workers", "1"}, {"--batch-size", "10", "--workers", "3"},
                {"--batch-size", "2", "--workers", "1"}}) {
            Path windows = dir.resolve("windows-" + String.join("", route) + ".csv");
            List<String> args = new java.util.ArrayList<>(List.of(common));
            args.addAll(List.of(route));
            args.addAll(List.of("--windows-out", windows.toString()));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.status(), r.toString());
            assertEquals(48L, r.json().get("windows"), r.toString());
            runs.add(r.json().get("metrics") + "\n" + Files.readString(windows));
        }
        assertEquals(runs.get(0), runs.get(1), "1 vs 3 workers");
        assertEquals(runs.get(0), runs.get(2), "sharded batches of 10 vs whole batches of 2");
        Cli.Result none = Cli.run("evaluate", "--model", model.toString(), "--data", "x.csv", "--workers", "0");
        assertEquals(1, none.status(), none.toString());
        assertTrue(none.err().contains("--workers must be at least 1"), none.toString());
    }

    @Test
    void forecastsAfterTheLastObservationAsTheModelDoesOnTheCompleteTable() throws Exception {
        Path model = model("calendar", "[\"day_hour\"]");
        Path in = input("input.csv", t -> t > last - HORIZON - 30, last - HORIZON);
        Path out = dir.resolve("forecasts.csv");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", in.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Forecast 3 series, 12 steps each"), r.toString());
        assertSameForecasts(expected(model), Frame.read(out));

        Path parquet = dir.resolve("forecasts.parquet");
        Cli.Result p = Cli.run("predict", "--model", model.toString(), "--data", in.toString(), "--out", parquet.toString(), "--json");
        assertEquals(0, p.status(), p.toString());
        assertEquals(36L, p.json().get("rows"));
        assertSameForecasts(expected(model), Frame.read(parquet));

        Cli.Result inline = Cli.run("predict", "--model", model.toString(), "--data", in.toString(), "--json");
        assertEquals(36, ((List<?>) inline.json().get("forecasts")).size(), inline.toString());
    }

    @Test
    void addsTheHorizonWhenTheModelNeedsNoKnownFutureInput() throws Exception {
        Path model = model("plain", "[]");
        Path history = input("history-only.csv", t -> t <= last - HORIZON, last - HORIZON);
        Path out = dir.resolve("plain.csv");
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", history.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("36 horizon rows were added"), r.toString());
        assertSameForecasts(expected(model), Frame.read(out));
    }

    @Test
    void missingFutureRowsAndEmptyHistoryAreErrors() throws Exception {
        Path model = model("strict", "[\"day_hour\"]");
        Path short_ = input("short.csv", t -> t <= last - 3, last - HORIZON);
        Cli.Result r = Cli.run("predict", "--model", model.toString(), "--data", short_.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("series pulocationid=1 has 9 future rows") && r.err().contains("[day_hour]")
                && r.err().contains("add rows for time_idx 237 to 239"), r.toString());

        Frame table = Frame.read(input("hole.csv", t -> true, last - HORIZON));
        double[] y = ((DoubleColumn) table.column("trip_quantity")).toArray();
        y[5] = Double.NaN;
        Path hole = dir.resolve("hole.csv");
        TableFiles.write(table.with(new DoubleColumn("trip_quantity", y)), hole);
        Cli.Result h = Cli.run("predict", "--model", model.toString(), "--data", hole.toString());
        assertEquals(1, h.status());
        assertTrue(h.err().contains("is empty at time_idx 5, inside the history"), h.toString());

        Cli.Result noModel = Cli.run("predict", "--model", dir.resolve("nothing").toString(), "--data", hole.toString());
        assertEquals(1, noModel.status());
        assertTrue(noModel.err().contains("nothing") && noModel.err().contains("a model directory is written by tempora train"), noModel.toString());
        Cli.Result badOut = Cli.run("predict", "--model", model.toString(), "--data", hole.toString(), "--out", "f.xlsx");
        assertEquals(1, badOut.status());
        assertTrue(badOut.err().contains("expected a .csv or .parquet"), badOut.toString());
        Cli.Result noData = Cli.run("predict", "--model", model.toString(), "--data", dir.resolve("none.csv").toString());
        assertEquals(1, noData.status());
        assertTrue(noData.err().contains("none.csv: no such file"), noData.toString());
    }
}
