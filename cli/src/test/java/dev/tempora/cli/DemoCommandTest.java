package dev.tempora.cli;

import dev.tempora.data.Frame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo end to end on a small data size (20 zones, 22 days, 4 short epochs: about half a minute),
 * then the other commands on what it wrote.
 */
class DemoCommandTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    static Path dir;
    static Path out;
    static Cli.Result demo;

    @BeforeAll
    static void runDemo() {
        out = dir.resolve("demo");
        demo = Cli.run("demo", "--zones", "20", "--days", "22", "--batch-size", "32", "--batches-per-epoch", "20",
                "--epochs", "4", "--optimizer", "adam", "--learning-rate", "0.03", "--minutes", "0", "--plots", "2",
                "--out", out.toString(), "--json");
    }

    @Test
    void anAbsurdSizeFailsWithoutTouchingTheModelAlreadyThere() throws Exception {
        assertEquals(0, demo.status(), demo.toString());
        byte[] config = Files.readAllBytes(out.resolve("config.json"));
        Cli.Result bad = Cli.run("demo", "--zones", "100000000", "--days", "100000", "--out", out.toString());
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.err().contains("must be at most") && !bad.err().contains("\tat "), bad.err());
        assertArrayEquals(config, Files.readAllBytes(out.resolve("config.json")), "the model's config.json must stay as it was");
    }

    @Test
    void writesEveryFileAndTheTftBeatsTheBaseline() throws Exception {
        assertEquals(0, demo.status(), demo.toString());
        for (String name : List.of("metrics.json", "forecasts.csv", "model.safetensors", "model.json", "metrics.csv",
                "config.json", "history.csv", "predict-input.csv")) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        Map<String, Object> metrics = dev.tempora.tensor.io.Json.parseObject(Files.readString(out.resolve("metrics.json")));
        assertEquals(metrics, demo.json(), "--json prints metrics.json");
        Map<String, Object> baseline = Cli.object(metrics, "baseline");
        Map<String, Object> tft = Cli.object(metrics, "tft");
        assertTrue(Cli.number(Cli.object(metrics, "seasonal_naive"), "mae") < Cli.number(baseline, "mae"));
        for (String key : List.of("mae", "rmse", "smape", "wql")) {
            assertTrue(Cli.number(baseline, key) > 0 && Cli.number(tft, key) > 0, key);
        }
        assertTrue(Cli.number(tft, "mae") < 0.9 * Cli.number(baseline, "mae"),
                "the TFT should beat the last value clearly: " + tft + " vs " + baseline);
        assertTrue(Cli.number(tft, "wql") < 0.6 * Cli.number(baseline, "wql"), tft + " vs " + baseline);
        assertEquals(4L, Cli.object(metrics, "training").get("epochs"));

        Frame forecasts = Frame.read(out.resolve("forecasts.csv"));
        assertEquals(List.of("pulocationid", "time_idx", "time", "horizon", "actual", "q0.02", "q0.1", "q0.25", "q0.5",
                "q0.75", "q0.9", "q0.98", "prediction"), forecasts.names());
        assertEquals(20 * 168, forecasts.rowCount());
        // the held-out test week: hour 528 - 168 after 2023-01-01 00:00
        assertEquals("2023-01-16 00:00:00", forecasts.column("time").format(0));
        assertTrue(String.valueOf(metrics.get("scored_on")).startsWith("test"), String.valueOf(metrics.get("scored_on")));
    }

    @Test
    void plotsArePngImages() throws Exception {
        assertEquals(0, demo.status(), demo.toString());
        List<Path> pngs;
        try (var files = Files.list(out)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertEquals(3, pngs.size(), pngs.toString()); // two zones and the interpretation
        assertTrue(pngs.get(0).getFileName().toString().startsWith("forecast-1-zone-"), pngs.toString());
        assertTrue(pngs.get(2).getFileName().toString().equals("interpretation.png"), pngs.toString());
        for (Path png : pngs) {
            byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
            assertArrayEquals(PNG_SIGNATURE, head, png.toString());
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image.getWidth() >= 1200 && image.getHeight() >= 500, png + " is " + image.getWidth() + "x" + image.getHeight());
        }
    }

    @Test
    void predictAndEvaluateAgreeWithTheDemo() throws Exception {
        assertEquals(0, demo.status(), demo.toString());
        Path predicted = dir.resolve("predicted.csv");
        Cli.Result p = Cli.run("predict", "--model", out.toString(), "--data", out.resolve("predict-input.csv").toString(),
                "--out", predicted.toString());
        assertEquals(0, p.status(), p.toString());
        Frame demoForecasts = Frame.read(out.resolve("forecasts.csv"));
        Frame predictions = Frame.read(predicted);
        assertEquals(demoForecasts.rowCount(), predictions.rowCount());
        for (String q : List.of("q0.02", "q0.5", "q0.98")) {
            for (int r = 0; r < predictions.rowCount(); r++) {
                assertEquals(demoForecasts.column(q).getDouble(r), predictions.column(q).getDouble(r), 0.0, q + " row " + r);
            }
        }
        Map<String, Object> metrics = dev.tempora.tensor.io.Json.parseObject(Files.readString(out.resolve("metrics.json")));
        Cli.Result model = Cli.run("evaluate", "--model", out.toString(), "--config", out.resolve("config.json").toString(), "--json");
        assertEquals(0, model.status(), model.toString());
        assertEquals(Cli.number(Cli.object(metrics, "tft"), "mae"), Cli.number(Cli.object(model.json(), "metrics"), "mae"), 1e-9);
        Cli.Result baseline = Cli.run("evaluate", "--config", out.resolve("config.json").toString(), "--model", "baseline", "--json");
        assertEquals(Cli.number(Cli.object(metrics, "baseline"), "mae"), Cli.number(Cli.object(baseline.json(), "metrics"), "mae"), 1e-9);
        Cli.Result backtest = Cli.run("evaluate", "--model", out.toString(), "--data", out.resolve("history.csv").toString(),
                "--backtest", "--from", "350", "--stride", "24", "--json");
        assertEquals(0, backtest.status(), backtest.toString());
        // origins 350, 374, ... up to the last full week, 528 − 168 = 360: 350 only, for each of the 20 zones
        assertEquals(20L, backtest.json().get("windows"));
    }
}
