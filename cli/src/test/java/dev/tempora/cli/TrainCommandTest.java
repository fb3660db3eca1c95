package dev.tempora.cli;

import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainCommandTest {

    /**
     * A tiny taxi table of {@code days} days in {@code dir} and a config on it with {@code datasetExtra} added to its
     * dataset section and {@code training} as its training section.
     */
    static Path tinyConfig(Path dir, int days, String datasetExtra, String training) throws Exception {
        TableFiles.writeCsv(TaxiDemand.generate(new TaxiDemand.Options(3, days, LocalDate.of(2023, 3, 6), 5)), dir.resolve("taxi.csv"));
        Path config = dir.resolve("tiny.json");
        Files.writeString(config, """
                {"data": {"path": "taxi.csv", "dtypes": {"pulocationid": "string", "day_hour": "string"}},
                 "dataset": {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                   "min_encoder_length": 4, "max_encoder_length": 12, "max_prediction_length": 6,
                   "static_categoricals": ["pulocationid"], "time_varying_unknown_reals": ["trip_quantity"]%s},
                 "model": {"hidden_size": 8, "attention_head_size": 2, "hidden_continuous_size": 4},
                 "training": %s}
                """.formatted(datasetExtra, training));
        return config;
    }

    @Test
    void jsonReportsTheRunAndTheModelSavesItsDataOptions(@TempDir Path dir) throws Exception {
        Path config = tinyConfig(dir, 9, ", \"time_varying_known_categoricals\": [\"day_hour\"]",
                "{\"batch_size\": 16, \"max_epochs\": 1, \"limit_train_batches\": 3}");
        Path out = dir.resolve("model");
        Cli.Result r = Cli.run("train", "--config", config.toString(), "--out", out.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> json = r.json();
        assertEquals(1L, json.get("epochs"));
        assertEquals(1L, json.get("best_epoch"));
        assertEquals(out.toString(), json.get("out"));
        assertTrue(r.err().contains("epoch 1/1"), "progress goes to standard error: " + r);
        assertTrue(r.err().lines().anyMatch("backend: CPU"::equals), "a plain CPU run names the backend, no more: " + r);
        Map<String, Object> model = dev.tempora.tensor.io.Json.parseObject(Files.readString(out.resolve("model.json")));
        Map<String, Object> data = Cli.object(Cli.object(model, "config"), "data");
        assertEquals(Map.of("pulocationid", "string", "day_hour", "string"), data.get("dtypes"),
                "predict reads new tables with the training data's options");
    }

    @Test
    void findLrPrintsASuggestionAndWritesTheCurveWithoutTraining(@TempDir Path dir) throws Exception {
        Path config = tinyConfig(dir, 9, ", \"time_varying_known_categoricals\": [\"day_hour\"]",
                "{\"batch_size\": 16, \"max_epochs\": 1}");
        Path out = dir.resolve("lr");
        Cli.Result r = Cli.run("train", "--config", config.toString(), "--out", out.toString(), "--find-lr", "--json");
        assertEquals(0, r.status(), r.toString());
        double suggestion = Cli.number(r.json(), "suggestion");
        assertTrue(suggestion > 1e-6 && suggestion < 10, r.toString());
        assertTrue(r.err().contains("Suggested learning rate"), r.toString());
        java.util.List<String> curve = Files.readAllLines(out.resolve("lr-finder.csv"));
        assertEquals("learning_rate,loss,smoothed_loss", curve.getFirst());
        assertEquals(((Number) r.json().get("steps")).intValue() + 1, curve.size());
        assertTrue(Files.notExists(out.resolve("model.safetensors")), "--find-lr does not train");
    }

    @Test
    void tuneHalvesTheTrialsAndWritesTheBestConfig(@TempDir Path dir) throws Exception {
        Path config = tinyConfig(dir, 10, ", \"add_relative_time_idx\": true, \"validation\": {\"windows\": 2}, "
                + "\"test\": {\"last_steps\": 6}", "{\"batch_size\": 16, \"max_epochs\": 1, \"limit_train_batches\": 2}");
        Path out = dir.resolve("tune");
        Cli.Result r = Cli.run("tune", "--config", config.toString(), "--out", out.toString(), "--param", "hidden_size=4,8",
                "--param", "learning_rate=0.01,0.03", "--trials", "3", "--min-epochs", "1", "--max-epochs", "2", "--eta", "2");
        assertEquals(0, r.status(), r.toString());
        java.util.List<String> rows = Files.readAllLines(out.resolve("search.csv"));
        assertEquals("trial,hidden_size,learning_rate,epochs,validation_loss", rows.getFirst());
        assertEquals(4, rows.size(), "three trials");
        // two trials go on to the second rung, one stops after the first
        assertEquals(2, rows.stream().skip(1).filter(row -> row.split(",")[3].equals("2")).count(), rows.toString());
        Map<String, Object> best = dev.tempora.tensor.io.Json.parseObject(Files.readString(out.resolve("best-config.json")));
        String bestRow = rows.get(1);
        assertEquals(Long.parseLong(bestRow.split(",")[1]), Cli.object(best, "model").get("hidden_size"));
        assertTrue(r.out().contains("Best: trial " + bestRow.split(",")[0]), r.toString());
    }

    @Test
    void refitFromTheFlagOrTheConfigKeyRetrainsForTheBestEpochCount(@TempDir Path dir) throws Exception {
        String dataset = ", \"time_varying_known_categoricals\": [\"day_hour\"], \"test\": {\"last_steps\": 6}";
        String training = "{\"batch_size\": 16, \"max_epochs\": 3, \"limit_train_batches\": 2%s}";
        Path plain = tinyConfig(dir, 10, dataset, training.formatted(""));
        Path out = dir.resolve("flag");
        Cli.Result r = Cli.run("train", "--config", plain.toString(), "--out", out.toString(), "--refit", "--json");
        assertEquals(0, r.status(), r.toString());
        assertEquals(r.json().get("best_epoch"), r.json().get("refit_epochs"), r.toString());
        assertTrue(r.err().contains("refit on the training and validation rows for " + r.json().get("best_epoch") + " epochs"),
                r.toString());
        Map<String, Object> refit = Cli.object(dev.tempora.tensor.io.Json.parseObject(Files.readString(out.resolve("model.json"))),
                "refit");
        assertEquals(r.json().get("best_epoch"), refit.get("epochs"));
        assertTrue(Files.isRegularFile(out.resolve("validated/model.json")), "the first run's model is kept");

        Path keyed = dir.resolve("keyed");
        Files.createDirectories(keyed);
        Path fromKey = tinyConfig(keyed, 10, dataset, training.formatted(", \"refit\": true"));
        Cli.Result k = Cli.run("train", "--config", fromKey.toString(), "--out", keyed.resolve("model").toString(), "--json");
        assertEquals(0, k.status(), k.toString());
        assertEquals(r.json().get("best_epoch"), k.json().get("refit_epochs"), "the key does what the flag does: " + k);

        Cli.Result without = Cli.run("train", "--config", plain.toString(), "--out", dir.resolve("none").toString(), "--json");
        assertEquals(0L, without.json().get("refit_epochs"), without.toString());
        assertTrue(Files.notExists(dir.resolve("none/validated")));
    }

    @Test
    void aRefitThatIsNotABooleanIsRefused(@TempDir Path dir) throws Exception {
        String dataset = ", \"time_varying_known_categoricals\": [\"day_hour\"]";
        Path config = tinyConfig(dir, 9, dataset, "{\"batch_size\": 16, \"max_epochs\": 1, \"refit\": \"yes\"}");
        Cli.Result r = Cli.run("train", "--config", config.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("refit") && r.err().contains("yes"), r.toString());
        Path typo = dir.resolve("typo");
        Files.createDirectories(typo);
        Path misspelt = tinyConfig(typo, 9, dataset, "{\"batch_size\": 16, \"max_epochs\": 1, \"refitt\": true}");
        Cli.Result t = Cli.run("train", "--config", misspelt.toString(), "--out", typo.resolve("out").toString());
        assertEquals(1, t.status(), t.toString());
        assertTrue(t.err().contains("unknown key \"refitt\" in \"training\"; did you mean \"refit\"?"), t.toString());
    }

    @Test
    void sparkWithoutTheSparkModuleSaysWhatIsMissing(@TempDir Path dir) {
        // The cli's own class path has no spark module and no Spark: --spark must fail with a clear message.
        Cli.Result r = Cli.run("train", "--config", dir.resolve("not-read.json").toString(), "--out", dir.toString(),
                "--spark", "local[2]");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("--spark needs the spark module and Spark's jars on the class path"), r.toString());
    }
}
