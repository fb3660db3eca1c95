package dev.tempora.cli;

import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train --ensemble, ensemble, evaluate of several models in one table, and evaluate --metrics m4. */
class EnsembleAndComparisonTest {

    @TempDir
    static Path dir;
    static Path csv;
    /** The table with the target left empty in each series' last 6 steps: what predict forecasts. */
    static Path history;
    static Path ensemble;
    static Cli.Result trained;

    @BeforeAll
    static void trainAnEnsembleOfTwo() throws Exception {
        csv = dir.resolve("taxi.csv");
        Frame table = TaxiDemand.generate(new TaxiDemand.Options(3, 9, LocalDate.of(2023, 3, 6), 5));
        TableFiles.writeCsv(table, csv);
        int[] time = ((IntColumn) table.column("time_idx")).toArray();
        double[] target = ((DoubleColumn) table.column("trip_quantity")).toArray();
        for (int r = 0; r < target.length; r++) {
            target[r] = time[r] >= 9 * 24 - 6 ? Double.NaN : target[r];
        }
        history = dir.resolve("history.csv");
        TableFiles.writeCsv(table.with(new DoubleColumn("trip_quantity", target)), history);
        // the same table as taxi.csv above (3 zones, 9 days, seed 5), rewritten by the shared tiny config
        Path config = TrainCommandTest.tinyConfig(dir, 9, ", \"time_varying_known_categoricals\": [\"day_hour\"]",
                "{\"batch_size\": 16, \"max_epochs\": 2, \"limit_train_batches\": 2}");
        ensemble = dir.resolve("ensemble");
        trained = Cli.run("train", "--config", config.toString(), "--out", ensemble.toString(), "--ensemble", "2", "--seed", "7",
                "--json");
    }

    @Test
    void trainWritesTheMembersAndEnsembleJsonWithConsecutiveSeeds() throws Exception {
        assertEquals(0, trained.status(), trained.toString());
        assertTrue(Files.isRegularFile(ensemble.resolve("member-1/model.json")), trained.toString());
        assertTrue(Files.isRegularFile(ensemble.resolve("member-2/model.json")), trained.toString());
        Map<String, Object> file = dev.tempora.tensor.io.Json.parseObject(Files.readString(ensemble.resolve("ensemble.json")));
        assertEquals(List.of("member-1", "member-2"), file.get("members"));
        assertEquals("median", file.get("combine"));
        List<?> members = (List<?>) trained.json().get("members");
        assertEquals(7L, ((Map<?, ?>) members.get(0)).get("seed"));
        assertEquals(8L, ((Map<?, ?>) members.get(1)).get("seed"));
    }

    @Test
    void predictAndEvaluateTakeTheEnsembleDirectory() {
        Cli.Result evaluated = Cli.run("evaluate", "--model", ensemble.toString(), "--data", csv.toString(), "--json");
        assertEquals(0, evaluated.status(), evaluated.toString());
        assertEquals(3L, evaluated.json().get("windows"));
        Cli.Result predicted = Cli.run("predict", "--model", ensemble.toString(), "--data", history.toString(), "--out",
                dir.resolve("forecast.csv").toString());
        assertEquals(0, predicted.status(), predicted.toString());
        assertTrue(Files.isRegularFile(dir.resolve("forecast.csv")), predicted.toString());
    }

    @Test
    void severalModelsAreOneTableOnTheSameWindows() {
        String models = ensemble.resolve("member-1") + "," + ensemble.resolve("member-2") + "," + ensemble;
        Cli.Result r = Cli.run("evaluate", "--models", models, "--data", csv.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        List<?> rows = (List<?>) r.json().get("models");
        assertEquals(3, rows.size());
        assertEquals(1, ((List<?>) r.json().get("baselines")).size());
        Map<?, ?> first = (Map<?, ?>) ((Map<?, ?>) rows.get(0)).get("metrics");
        Map<?, ?> second = (Map<?, ?>) ((Map<?, ?>) rows.get(1)).get("metrics");
        assertNotEquals(first.get("mae"), second.get("mae"), "two seeds, two models: " + r);
        // the first row is the member scored on its own
        Cli.Result alone = Cli.run("evaluate", "--model", ensemble.resolve("member-1").toString(), "--data", csv.toString(), "--json");
        assertEquals(Cli.object(alone.json(), "metrics").get("mae"), first.get("mae"));

        Cli.Result table = Cli.run("evaluate", "--model", ensemble.resolve("member-1").toString(), "--model", ensemble.toString(),
                "--data", csv.toString(), "--metrics", "m4");
        assertEquals(0, table.status(), table.toString());
        assertTrue(table.out().contains("baseline (last value)") && table.out().contains("OWA"), table.toString());
        assertEquals(5, table.out().lines().count(), "a title, a header and three rows: " + table);
    }

    @Test
    void ensembleCombinesTrainedModelsIntoOneDirectory() throws Exception {
        Path both = dir.resolve("both");
        Cli.Result made = Cli.run("ensemble", "--out", both.toString(), "--combine", "mean", ensemble.resolve("member-1").toString(),
                ensemble.resolve("member-2").toString(), "--json");
        assertEquals(0, made.status(), made.toString());
        assertEquals("mean", made.json().get("combine"));
        List<?> members = (List<?>) made.json().get("members");
        assertEquals(2, members.size());
        assertEquals("TemporalFusionTransformer", ((Map<?, ?>) members.getFirst()).get("kind"));
        // the mean of two is their median: the same scores as the ensemble train --ensemble wrote
        Cli.Result scored = Cli.run("evaluate", "--model", both.toString(), "--data", csv.toString(), "--json");
        Cli.Result trainedOne = Cli.run("evaluate", "--model", ensemble.toString(), "--data", csv.toString(), "--json");
        assertEquals(0, scored.status(), scored.toString());
        assertEquals(Cli.object(trainedOne.json(), "metrics").get("mae"), Cli.object(scored.json(), "metrics").get("mae"));

        // an ensemble given as a model gives its members; the text output names the count and kinds
        Cli.Result expanded = Cli.run("ensemble", "--out", dir.resolve("three").toString(), ensemble.toString(),
                ensemble.resolve("member-1").toString());
        assertEquals(0, expanded.status(), expanded.toString());
        assertTrue(expanded.out().contains("3 members (median; TemporalFusionTransformer: 3)"), expanded.toString());

        Cli.Result missing = Cli.run("ensemble", "--out", dir.resolve("none").toString(), dir.resolve("no-model").toString());
        assertEquals(1, missing.status(), missing.toString());
        assertTrue(missing.err().contains("no-model") && missing.err().contains("not found"), missing.toString());
        assertTrue(Files.notExists(dir.resolve("none").resolve("ensemble.json")), missing.toString());
    }

    @Test
    void m4MetricsWithAndWithoutSeasonality() {
        Cli.Result r = Cli.run("evaluate", "--model", ensemble.resolve("member-1").toString(), "--data", csv.toString(),
                "--metrics", "m4", "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> m4 = Cli.object(r.json(), "m4");
        assertEquals(1L, m4.get("seasonality"));
        double owa = Cli.number(m4, "owa");
        double expected = (Cli.number(m4, "smape") / Cli.number(m4, "naive2_smape") + Cli.number(m4, "mase")
                / Cli.number(m4, "naive2_mase")) / 2;
        assertEquals(expected, owa, 1e-12);

        // hourly demand with a daily cycle: Naive2 adjusts for it, and scores better than the last value
        Cli.Result daily = Cli.run("evaluate", "--model", ensemble.resolve("member-1").toString(), "--data", csv.toString(),
                "--metrics", "m4", "--seasonality", "24", "--json");
        assertEquals(0, daily.status(), daily.toString());
        Map<String, Object> seasonal = Cli.object(daily.json(), "m4");
        assertEquals(24L, seasonal.get("seasonality"));
        assertTrue(Cli.number(seasonal, "naive2_smape") < Cli.number(m4, "naive2_smape"), daily + " vs " + r);
        assertEquals(Cli.number(m4, "smape"), Cli.number(seasonal, "smape"), 1e-12, "the model's sMAPE does not depend on m");

        Cli.Result zero = Cli.run("evaluate", "--model", ensemble.resolve("member-1").toString(), "--data", csv.toString(),
                "--metrics", "m4", "--seasonality", "0");
        assertEquals(1, zero.status(), zero.toString());
        assertTrue(zero.err().contains("--seasonality must be at least 1"), zero.toString());
    }
}
