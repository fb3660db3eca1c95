package dev.tempora.cli;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitCommandTest {

    @Test
    void writesTheConfigPrintsTheChoicesAndKeepsAnExistingFile(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("Month,Passengers\n");
        for (int i = 0; i < 96; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "%d-%02d,%d%n", 1949 + i / 12, i % 12 + 1, 100 + i));
        }
        Path data = dir.resolve("airline.csv");
        Files.writeString(data, csv);
        Path config = dir.resolve("airline.json");

        Cli.Result first = Cli.run("init", "--data", data.toString(), "--out", config.toString());
        assertEquals(0, first.status(), first.toString());
        assertTrue(first.out().contains("frequency: 1mo") && first.out().contains("target: 'Passengers'")
                && first.out().contains("./tempora train --config " + config), first.out());
        Map<String, Object> written = Json.parseObject(Files.readString(config));
        assertEquals("airline.csv", Cli.object(written, "data").get("path"));
        assertEquals("1mo", Cli.object(written, "dataset").get("frequency"));

        Files.writeString(config, "{}");
        Cli.Result again = Cli.run("init", "--data", data.toString(), "--out", config.toString(), "--horizon", "6");
        assertEquals(1, again.status(), again.toString());
        assertTrue(again.err().contains("--force"), again.err());
        assertEquals("{}", Files.readString(config), "an existing config is left alone");

        Cli.Result forced = Cli.run("init", "--data", data.toString(), "--out", config.toString(), "--horizon", "6", "--force",
                "--timestamp-format", "Month=year-month");
        assertEquals(0, forced.status(), forced.toString());
        assertEquals(6, ((Number) Cli.object(Json.parseObject(Files.readString(config)), "dataset").get("max_prediction_length"))
                .intValue());
    }

    @Test
    void takesTheSeriesColumnsAndTargetFromTheCommandLine(@TempDir Path dir) throws Exception {
        StringBuilder csv = new StringBuilder("shop,region,day,units,price\n");
        for (String shop : java.util.List.of("a", "b")) {
            for (int d = 0; d < 60; d++) {
                csv.append(shop).append(",west,").append(java.time.LocalDate.of(2024, 1, 1).plusDays(d)).append(',').append(d % 7)
                        .append(',').append(d % 3).append('\n');
            }
        }
        Path data = dir.resolve("shops.csv");
        Files.writeString(data, csv);
        Path config = dir.resolve("shops.json");
        Cli.Result r = Cli.run("init", "--data", data.toString(), "--out", config.toString(), "--group", "shop", "--group", "region",
                "--target", "units");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> dataset = Cli.object(Json.parseObject(Files.readString(config)), "dataset");
        assertEquals(java.util.List.of("shop", "region"), dataset.get("group_ids"));
        assertEquals("units", dataset.get("target"));
        assertEquals(java.util.List.of("units", "price"), dataset.get("time_varying_unknown_reals"));
    }
}
