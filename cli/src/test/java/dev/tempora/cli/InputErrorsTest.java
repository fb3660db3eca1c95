package dev.tempora.cli;

import dev.tempora.data.TableFiles;
import dev.tempora.data.TaxiDemand;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs through the tool as a user runs it: exit 1 and one plain line naming the key and the reason, never a Java exception. */
class InputErrorsTest {

    @TempDir
    static Path dir;
    static Path csv;
    static int lastTime;

    static final String CONFIG = """
            {"data": {"path": "taxi.csv", "dtypes": {"pulocationid": "string", "day_hour": "string"}},
             "dataset": {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
               "min_encoder_length": 4, "max_encoder_length": 12, "max_prediction_length": 6,
               "static_categoricals": ["pulocationid"], "time_varying_known_categoricals": ["day_hour"],
               "time_varying_unknown_reals": ["trip_quantity"],
               "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"], "transformation": "softplus"}},
             "model": {"hidden_size": 8, "attention_head_size": 2, "hidden_continuous_size": 4},
             "training": {"batch_size": 16, "max_epochs": 1, "limit_train_batches": 2}}
            """;

    @BeforeAll
    static void data() {
        csv = dir.resolve("taxi.csv");
        TableFiles.writeCsv(TaxiDemand.generate(new TaxiDemand.Options(3, 9, LocalDate.of(2023, 3, 6), 5)), csv);
        lastTime = 9 * 24 - 1;
    }

    /** The config with {@code change} applied to its sections, written to a new file. */
    @SuppressWarnings("unchecked")
    static Path config(String name, Consumer<Map<String, Map<String, Object>>> change) throws Exception {
        Map<String, Object> root = Json.parseObject(CONFIG);
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        root.forEach((k, v) -> sections.put(k, (Map<String, Object>) v));
        change.accept(sections);
        return Files.writeString(dir.resolve(name + ".json"), Json.write(new LinkedHashMap<>(sections)));
    }

    /** Runs train on the config and checks the failure is one plain line holding every fact. */
    static String trainFails(Path config, String... facts) {
        return fails(Cli.run("train", "--config", config.toString(), "--out", dir.resolve("out-" + config.getFileName()).toString()),
                facts);
    }

    static String fails(Cli.Result r, String... facts) {
        assertEquals(1, r.status(), r.toString());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + r);
        assertTrue(err.startsWith("tempora "), r.toString());
        assertFalse(err.contains("Exception") || err.contains("at dev.tempora") || err.contains("java."), "no Java text: " + r);
        for (String fact : facts) {
            assertTrue(err.contains(fact), "'" + fact + "' in: " + err);
        }
        return err;
    }

    @Test
    void trainingCutoffPastTheEndOfTheData() throws Exception {
        trainFails(config("cutoff", s -> s.get("dataset").put("validation", Map.of("training_cutoff", 100_000L))),
                "training_cutoff 100000", "last time_idx " + lastTime, "the default (each series' last 6 steps)");
    }

    @Test
    void limitTrainBatchesZeroAndTooLarge() throws Exception {
        trainFails(config("ltb0", s -> s.get("training").put("limit_train_batches", 0L)), "\"limit_train_batches\"", "got 0");
        trainFails(config("ltb1e12", s -> s.get("training").put("limit_train_batches", 1_000_000_000_000L)),
                "\"limit_train_batches\"", "got 1000000000000");
    }

    @Test
    void negativeClippingAndPatience() throws Exception {
        trainFails(config("clip", s -> s.get("training").put("gradient_clip_val", -1L)), "gradient_clip_val must be 0 or more", "got -1");
        trainFails(config("plateau", s -> s.get("model").put("reduce_on_plateau_patience", -5L)),
                "reduce_on_plateau_patience must be 0 or more", "got -5");
    }

    @Test
    void groupIdsAsAStringAndHiddenSizeNull() throws Exception {
        trainFails(config("groups", s -> s.get("dataset").put("group_ids", "pulocationid")),
                "\"group_ids\" must be a list of strings", "[\"pulocationid\"]");
        trainFails(config("null", s -> s.get("model").put("hidden_size", null)), "\"hidden_size\" is null");
    }

    @Test
    void sizesPastTheirBounds() throws Exception {
        trainFails(config("hidden", s -> s.get("model").put("hidden_size", 1_000_000_000L)),
                "hidden_size must be between 1 and 4096", "got 1000000000");
        trainFails(config("continuous", s -> s.get("model").put("hidden_continuous_size", 1_000_000_000L)),
                "hidden_continuous_size must be between 1 and 4096");
        trainFails(config("layers", s -> s.get("model").put("lstm_layers", 1_000_000L)), "lstm_layers must be between 1 and 16");
        trainFails(config("zones", s -> s.get("data").putAll(Map.of("path", "builtin:taxi-small",
                "generator", Map.of("zones", 1_000_000_000L, "days", 9L)))), "data.generator", "216,000,000,000 rows");
    }

    @Test
    void aModelTooLargeForTheHeapSaysHowMuchAndHowToGiveJavaMore() throws Exception {
        trainFails(config("huge", s -> s.get("model").putAll(Map.of("hidden_size", 4096L, "lstm_layers", 16L))),
                "need about", "GiB", "TEMPORA_JAVA_OPTS=-Xmx", "lower batch_size");
    }

    @Test
    void textThatIsNotUtf8NamesTheLineAndByteOffset() throws Exception {
        List<String> lines = Files.readAllLines(csv);
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        latin1.write((lines.get(0) + "\n" + lines.get(1) + "\n").getBytes(StandardCharsets.UTF_8));
        int offset = latin1.size() + lines.get(2).indexOf(',') + 1;
        latin1.write((lines.get(2).replaceFirst(",1,", ",Z\u00fcrich,") + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Path bad = Files.write(dir.resolve("latin1.csv"), latin1.toByteArray());
        trainFails(config("latin1", s -> s.get("data").put("path", "latin1.csv")),
                "latin1.csv: not UTF-8 at line 3 (byte offset " + (offset + 1) + ")", "save the file as UTF-8");
        Files.write(dir.resolve("utf16.csv"), Files.readString(csv).getBytes(StandardCharsets.UTF_16));
        trainFails(config("utf16", s -> s.get("data").put("path", "utf16.csv")), "utf16.csv", "UTF-16");
        Path config16 = Files.write(dir.resolve("config16.json"), CONFIG.getBytes(StandardCharsets.UTF_16));
        trainFails(config16, "config16.json", "UTF-16");
        assertTrue(Files.exists(bad));
    }

    @Test
    void utf8WithAByteOrderMarkTrainsAndAModelJsonOutOfBoundsIsRefused() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.write(bom);
        data.write(Files.readAllBytes(csv));
        Files.write(dir.resolve("bom.csv"), data.toByteArray());
        ByteArrayOutputStream config = new ByteArrayOutputStream();
        config.write(bom);
        config.write(Files.readAllBytes(config("bom", s -> s.get("data").put("path", "bom.csv"))));
        Path bomConfig = Files.write(dir.resolve("bom-config.json"), config.toByteArray());
        Path out = dir.resolve("bom-model");
        Cli.Result r = Cli.run("train", "--config", bomConfig.toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.toString());

        Map<String, Object> meta = Json.parseObject(Files.readString(out.resolve("model.json")));
        Cli.object(meta, "model").put("hidden_size", 1_000_000_000L);
        Files.writeString(out.resolve("model.json"), Json.write(meta));
        fails(Cli.run("predict", "--model", out.toString(), "--data", csv.toString()), "model.json");
    }

    @Test
    void dataTooShortNamesTheSeriesAndTheLengthTheyNeed() throws Exception {
        List<String> lines = Files.readAllLines(csv);
        StringBuilder shortData = new StringBuilder(lines.get(0)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            if (Integer.parseInt(line.substring(0, line.indexOf(','))) < 5) {
                shortData.append(line).append('\n');
            }
        }
        Files.writeString(dir.resolve("short.csv"), shortData);
        trainFails(config("short", s -> s.get("data").put("path", "short.csv")), "too short",
                "4 + 6 + 6 = 16 time steps", "pulocationid=1 (5 steps", "pulocationid=3 (5 steps");
    }

    @Test
    void targetValuesAtFaultAreNamedNotTheDerivedColumns() throws Exception {
        List<String> lines = Files.readAllLines(csv);
        String header = lines.get(0);
        int target = List.of(header.split(",")).indexOf("trip_quantity");
        for (String value : List.of("1e308", "-5")) {
            StringBuilder out = new StringBuilder(header).append('\n');
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",");
                if (i == 40) {
                    f[target] = value;
                }
                out.append(String.join(",", f)).append('\n');
            }
            Files.writeString(dir.resolve("target" + value + ".csv"), out);
            String err = trainFails(config("target" + value, s -> s.get("data").put("path", "target" + value + ".csv")),
                    "target" + value + ".csv", "the target 'trip_quantity' is " + Double.parseDouble(value), "series pulocationid=1",
                    "time_idx 39"); // line 40 of the file: the 40th row of zone 1, time_idx 39
            assertFalse(err.contains("_center") || err.contains("_scale"), err);
        }
    }

    @Test
    void aDirectoryAsDataAndResumeWithoutAState() throws Exception {
        Files.createDirectories(dir.resolve("folder"));
        trainFails(config("folder", s -> s.get("data").put("path", "folder")), "is a directory, expected a .csv or .parquet file");
        Path fresh = dir.resolve("fresh");
        Path plain = config("plain", s -> { });
        fails(Cli.run("train", "--config", plain.toString(), "--out", fresh.toString(), "--resume"),
                "no last state in " + fresh, "train without --resume");
    }

    @Test
    void verbosePrintsTheStackTraceAfterTheLine() throws Exception {
        Cli.Result r = Cli.run("train", "--verbose", "--config",
                config("verbose", s -> s.get("model").put("hidden_size", null)).toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().startsWith("tempora train: "), r.toString());
        assertTrue(r.err().contains("at dev.tempora."), "the trace follows: " + r);
    }
}
