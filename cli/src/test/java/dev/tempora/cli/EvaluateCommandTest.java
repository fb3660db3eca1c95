package dev.tempora.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Baselines and backtests on two straight lines, where every error is known by hand: series a is
 * y = 100 + t and series b is y = 200 + 2t for t = 0..19; 3 steps of history, 4 ahead.
 */
class EvaluateCommandTest {

    @TempDir
    static Path dir;
    static Path config;

    @BeforeAll
    static void writeData() throws Exception {
        StringBuilder csv = new StringBuilder("id,t,y\n");
        for (String id : List.of("a", "b")) {
            for (int t = 0; t < 20; t++) {
                csv.append(id).append(',').append(t).append(',').append(id.equals("a") ? 100 + t : 200 + 2 * t).append('\n');
            }
        }
        Files.writeString(dir.resolve("lines.csv"), csv);
        config = dir.resolve("lines.json");
        Files.writeString(config, """
                {"data": {"path": "lines.csv", "dtypes": {"id": "string"}},
                 "dataset": {"time_idx": "t", "target": "y", "group_ids": ["id"], "static_categoricals": ["id"],
                   "time_varying_unknown_reals": ["y"], "min_encoder_length": 3, "max_encoder_length": 3,
                   "max_prediction_length": 4, "target_normalizer": null}}
                """);
    }

    private static Map<String, Object> metrics(Cli.Result r) {
        assertEquals(0, r.status(), r.toString());
        return Cli.object(r.json(), "metrics");
    }

    @Test
    void lastValueBaselineOnTheLastWindows() {
        Cli.Result r = Cli.run("evaluate", "--config", config.toString(), "--model", "baseline", "--json");
        Map<String, Object> m = metrics(r);
        // forecast from t = 15: errors 1, 2, 3, 4 (a) and 2, 4, 6, 8 (b)
        assertEquals(30.0 / 8, Cli.number(m, "mae"), 1e-9);
        assertEquals(Math.sqrt(150.0 / 8), Cli.number(m, "rmse"), 1e-9);
        assertEquals(30.0 / (116 + 117 + 118 + 119 + 232 + 234 + 236 + 238), Cli.number(m, "wql"), 1e-9);
        assertEquals(List.of("mae", "rmse", "smape", "mape", "mase", "wql"), List.copyOf(m.keySet()));
        assertEquals(2L, r.json().get("windows"));
        assertEquals(8L, r.json().get("points"));
        Cli.Result text = Cli.run("evaluate", "--config", config.toString(), "--model", "baseline");
        assertTrue(text.out().contains("MAE    3.7500"), text.toString());
    }

    @Test
    void seasonalNaiveReachesBeyondTheEncoder() {
        // season 2: ŷ(15 + h) = y(15 + h − 2⌈h/2⌉): errors 2, 2, 4, 4 (a) and 4, 4, 8, 8 (b)
        Map<String, Object> m = metrics(Cli.run("evaluate", "--config", config.toString(), "--model", "seasonal-naive",
                "--season", "2", "--json"));
        assertEquals(36.0 / 8, Cli.number(m, "mae"), 1e-9);
        // season 6 is longer than the 3-step encoder: the values come from the series' history, errors 6 (a) and 12 (b)
        Cli.Result r = Cli.run("evaluate", "--config", config.toString(), "--model", "seasonal-naive", "--season", "6", "--json");
        assertEquals(9.0, Cli.number(metrics(r), "mae"), 1e-9);
        assertEquals("seasonal-naive(6)", r.json().get("model"));
        // a season longer than the history is an error that names the series
        Cli.Result tooLong = Cli.run("evaluate", "--config", config.toString(), "--model", "seasonal-naive", "--season", "30");
        assertEquals(1, tooLong.status());
        assertTrue(tooLong.err().contains("id=a") && tooLong.err().contains("30 steps of history"), tooLong.toString());
    }

    @Test
    void backtestForecastsFromEveryOriginInTheRange() throws Exception {
        Path windows = dir.resolve("windows.csv");
        Cli.Result r = Cli.run("evaluate", "--config", config.toString(), "--model", "baseline", "--backtest", "--from", "8",
                "--to", "14", "--stride", "3", "--windows-out", windows.toString(), "--json");
        Map<String, Object> m = metrics(r);
        assertEquals(30.0 / 8, Cli.number(m, "mae"), 1e-9, "a straight line gives every origin the same errors");
        assertEquals(6L, r.json().get("windows"));
        assertEquals(3L, r.json().get("origins"));
        assertEquals(14L, r.json().get("to"));
        List<String> lines = Files.readAllLines(windows);
        assertEquals("id,origin,points,mae,rmse,smape,mape,mase,wql", lines.getFirst());
        assertEquals(7, lines.size());
        assertTrue(lines.get(1).startsWith("a,8,4,2.5,") && lines.get(2).startsWith("b,8,4,5.0,")
                && lines.get(5).startsWith("a,14,4,2.5,") && lines.get(6).startsWith("b,14,4,5.0,"), String.join("\n", lines));

        // --forecasts-out: a row per window and step, the last value beside the actual (a at origin 11: y(10) = 110)
        Path forecasts = dir.resolve("forecasts.csv");
        Cli.Result written = Cli.run("evaluate", "--config", config.toString(), "--model", "baseline", "--backtest", "--from",
                "8", "--to", "14", "--stride", "3", "--forecasts-out", forecasts.toString(), "--json");
        assertEquals(forecasts.toString(), written.json().get("forecasts_out"), written.toString());
        List<String> rows = Files.readAllLines(forecasts);
        assertEquals(1 + 6 * 4, rows.size(), String.join("\n", rows));
        assertTrue(rows.getFirst().startsWith("id,t,horizon,actual,") && rows.getFirst().endsWith(",prediction"), rows.getFirst());
        List<String[]> a11 = rows.stream().skip(1).map(row -> row.split(","))
                .filter(c -> c[0].equals("a") && Integer.parseInt(c[1]) - Integer.parseInt(c[2]) == 10).toList();
        assertEquals(4, a11.size(), String.join("\n", rows));
        for (String[] cells : a11) {
            assertEquals(100 + Integer.parseInt(cells[1]), Double.parseDouble(cells[3]), 1e-9, String.join(",", cells));
            assertEquals(110.0, Double.parseDouble(cells[cells.length - 1]), 1e-9, String.join(",", cells));
        }
        Cli.Result compared = Cli.run("evaluate", "--config", config.toString(), "--model", dir.toString(), "--model",
                dir.toString(), "--forecasts-out", forecasts.toString());
        assertEquals(1, compared.status(), compared.toString());
        assertTrue(compared.err().contains("--forecasts-out writes one model's forecasts"), compared.toString());

        // without --to: every origin whose 4 steps lie in the data, t = 8 .. 16
        Cli.Result all = Cli.run("evaluate", "--config", config.toString(), "--model", "seasonal-naive", "--season", "2",
                "--backtest", "--from", "8", "--json");
        assertEquals(18L, all.json().get("windows"), all.toString());
        assertEquals(36.0 / 8, Cli.number(metrics(all), "mae"), 1e-9);
    }

    @Test
    void stallionBaselineScoresTheTutorialsMae() {
        String shared = System.getProperty("tempora.shared.dir", "../shared");
        Path stallion = Path.of(shared, "data", "stallion.parquet");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(stallion),
                "skipped: " + stallion.toAbsolutePath().normalize() + " is absent (the shared data sets live beside the project)");
        Cli.Result r = Cli.run("evaluate", "--config", Path.of("..", "examples", "stallion.json").toString(), "--model", "baseline",
                "--json");
        assertEquals(293.0089, Cli.number(metrics(r), "mae"), 0.01, "PTF's stallion tutorial baseline");
        assertEquals(350L, r.json().get("windows"));
        assertEquals(2100L, r.json().get("points"));
    }

    @Test
    void theLastValueIsAPoorForecastOfTheTaxiDemandsDailyCycle() {
        Cli.Result r = Cli.run("evaluate", "--config", Path.of("..", "examples", "taxi-small.json").toString(), "--model",
                "baseline", "--json");
        assertEquals(24.67, Cli.number(metrics(r), "mae"), 0.01, "data/README.md's figure");
        Cli.Result daily = Cli.run("evaluate", "--config", Path.of("..", "examples", "taxi-small.json").toString(), "--model",
                "seasonal-naive", "--season", "168", "--json");
        assertTrue(Cli.number(metrics(daily), "mae") < 0.7 * Cli.number(metrics(r), "mae"), daily.toString());
    }

    @Test
    void badArgumentsAreRejectedWithAReason() {
        String[][] cases = {
            {"--model seasonal-naive", "needs --season"},
            {"--model baseline --season 7", "--season applies to"},
            {"--model baseline --from 3", "apply to --backtest only"},
            {"--model baseline --backtest", "--backtest needs --from"},
            {"--model baseline --backtest --from 10 --to 5", "is before --from"},
            {"--model baseline --backtest --from 8 --stride 0", "--stride must be at least 1"},
            {"--model baseline --windows-out w.txt", "expected a .csv or .parquet"},
            {"--model out/no-such-model", "no-such-model"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("evaluate", "--config", config.toString()));
            args.addAll(List.of(c[0].split(" ")));
            Cli.Result r = Cli.run(args.toArray(String[]::new));
            assertEquals(1, r.status(), c[0] + "\n" + r);
            assertTrue(r.err().contains(c[1]), c[0] + "\n" + r);
        }
        Cli.Result data = Cli.run("evaluate", "--data", "x.csv", "--model", "baseline");
        assertEquals(1, data.status());
        assertTrue(data.err().contains("--data needs a trained --model"), data.toString());
        Cli.Result missing = Cli.run("evaluate", "--config", "absent.json", "--model", "baseline");
        assertTrue(missing.status() == 1 && missing.err().contains("absent.json") && missing.err().contains("no such config"),
                missing.toString());
        Cli.Result unknown = Cli.run("evaluate", "--config", config.toString(), "--model", "baseline", "--frobnicate");
        assertEquals(2, unknown.status(), "picocli's status for a usage error");
        Cli.Result help = Cli.run("evaluate", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Examples:") && help.out().contains("--backtest"), help.out());
    }
}
