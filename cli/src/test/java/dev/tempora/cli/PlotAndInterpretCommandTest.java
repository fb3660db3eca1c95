package dev.tempora.cli;

import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import dev.tempora.forecast.TrainingJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** plot and interpret work for any trained model directory, not only the demo's. */
class PlotAndInterpretCommandTest {

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() throws Exception {
        Frame table = TaxiDemand.generate(new TaxiDemand.Options(3, 8, LocalDate.of(2023, 3, 6), 9));
        TableFiles.writeCsv(table, dir.resolve("history.csv"));
        Path config = dir.resolve("small.json");
        Files.writeString(config, """
                {"data": {"path": "history.csv", "dtypes": {"pulocationid": "string", "day_hour": "string"}},
                 "dataset": {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                   "max_encoder_length": 24, "max_prediction_length": 12,
                   "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": ["day_hour"],
                   "time_varying_known_reals": ["time_idx"], "time_varying_unknown_reals": ["trip_quantity"],
                   "add_relative_time_idx": true},
                 "model": {"hidden_size": 8, "attention_head_size": 2, "hidden_continuous_size": 4},
                 "training": {"batch_size": 16, "max_epochs": 1, "limit_train_batches": 2}}
                """);
        model = dir.resolve("model");
        TrainingJob.fromConfig(config).outputDirectory(model).build().fit();
    }

    @Test
    void plotDrawsTheNamedSeriesAndTheInterpretation() throws Exception {
        Path out = dir.resolve("plots");
        Cli.Result r = Cli.run("plot", "--model", model.toString(), "--data", dir.resolve("history.csv").toString(),
                "--series", "1", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        BufferedImage png = ImageIO.read(out.resolve("forecast-1-series-1.png").toFile());
        assertEquals(1200, png.getWidth());
        assertTrue(Files.size(out.resolve("interpretation.png")) > 1000);
        Cli.Result missing = Cli.run("plot", "--model", model.toString(), "--data", dir.resolve("history.csv").toString(),
                "--series", "no-such-zone", "--out", out.toString());
        assertEquals(1, missing.status(), missing.toString());
        assertTrue(missing.err().contains("no-such-zone"), missing.toString());
    }

    @Test
    void interpretReportsImportanceThatSumsToAHundredPerPart() throws Exception {
        Path out = dir.resolve("why");
        Cli.Result r = Cli.run("interpret", "--model", model.toString(), "--data", dir.resolve("history.csv").toString(),
                "--out", out.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> importance = Cli.object(r.json(), "importance");
        for (String part : new String[] {"static", "encoder", "decoder"}) {
            double sum = Cli.object(importance, part).values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
            assertEquals(100, sum, 1e-6, part + ": " + importance);
        }
        Frame table = Frame.read(out.resolve("importance.csv"));
        assertTrue(table.rowCount() > 3 * 3, "averaged and per-series rows: " + table.rowCount());
        assertTrue(Files.exists(out.resolve("attention.csv")) && Files.exists(out.resolve("interpretation.png")));
    }
}
