package dev.tempora.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Strict configs through the tool: unknown keys, untrainable set-ups and column names that cannot name parameters. */
class StrictConfigTest {

    @TempDir
    static Path dir;

    /** The small taxi CSV and base config of {@link InputErrorsTest}, in this class's own folder. */
    @BeforeAll
    static void data() {
        InputErrorsTest.dir = dir;
        InputErrorsTest.data();
    }

    /** Both inspect and train refuse the config, each with one line holding every fact. */
    private static void bothFail(Path config, String... facts) {
        InputErrorsTest.fails(Cli.run("inspect", "--config", config.toString()), facts);
        InputErrorsTest.trainFails(config, facts);
    }

    @Test
    void aTypoInTheModelSectionNamesTheClosestKey() throws Exception {
        bothFail(InputErrorsTest.config("typo-model", s -> s.get("model").put("hiden_size", 64L)),
                "unknown key \"hiden_size\" in \"model\"; did you mean \"hidden_size\"?");
    }

    @Test
    void aTypoInTheTrainingSectionNamesTheClosestKey() throws Exception {
        bothFail(InputErrorsTest.config("typo-training", s -> s.get("training").put("max_epoch", 3L)),
                "unknown key \"max_epoch\" in \"training\"; did you mean \"max_epochs\"?");
    }

    @Test
    void aTypoInTheDatasetSectionAndItsValidationEntry() throws Exception {
        bothFail(InputErrorsTest.config("typo-dataset", s -> s.get("dataset").put("max_encoder_lenght", 8L)),
                "unknown key \"max_encoder_lenght\" in \"dataset\"; did you mean \"max_encoder_length\"?");
        bothFail(InputErrorsTest.config("typo-validation", s -> s.get("dataset").put("validation", Map.of("training_cutof", 20L))),
                "unknown key \"training_cutof\" in \"dataset.validation\"; did you mean \"training_cutoff\"?");
    }

    @Test
    void typosInTheDataSectionItsCsvEntryAndItsDerivedColumns() throws Exception {
        bothFail(InputErrorsTest.config("typo-data", s -> s.get("data").put("dtype", Map.of())),
                "unknown key \"dtype\" in \"data\"; did you mean \"dtypes\"?");
        bothFail(InputErrorsTest.config("typo-csv", s -> s.get("data").put("csv", Map.of("delimeter", ","))),
                "unknown key \"delimeter\" in \"data.csv\"; did you mean \"delimiter\"?");
        bothFail(InputErrorsTest.config("typo-derived", s -> s.get("data").put("derived_columns",
                        List.of(Map.of("op", "calendar", "name", "m", "column", "t", "feild", "month")))),
                "unknown key \"feild\" in \"data.derived_columns[0] (calendar)\"; did you mean \"field\"?");
        bothFail(InputErrorsTest.config("typo-op", s -> s.get("data").put("derived_columns",
                        List.of(Map.of("op", "calender", "name", "m", "column", "t", "field", "month")))),
                "data.derived_columns[0]: unknown op \"calender\"; did you mean \"calendar\"?");
    }

    @Test
    void aTargetThatIsNotAnInputIsRefusedWithWhatToChange() throws Exception {
        bothFail(InputErrorsTest.config("target-not-input", s -> s.get("dataset").remove("time_varying_unknown_reals")),
                "the target 'trip_quantity' is not among the model's inputs",
                "add \"trip_quantity\" to dataset.time_varying_unknown_reals");
        bothFail(InputErrorsTest.config("target-typo", s -> s.get("dataset").put("target", "trip_quantty")),
                "the target 'trip_quantty' is not among the model's inputs, but 'trip_quantity' is",
                "did you mean \"target\": \"trip_quantity\"?");
        bothFail(InputErrorsTest.config("no-inputs", s -> {
            s.get("dataset").remove("time_varying_unknown_reals");
            s.get("dataset").remove("static_categoricals");
            s.get("dataset").remove("time_varying_known_categoricals");
        }), "the model has no inputs", "time_varying_unknown_reals");
        bothFail(InputErrorsTest.config("no-decoder-inputs", s -> {
            s.get("dataset").remove("time_varying_known_categoricals");
            s.get("dataset").remove("time_varying_known_reals");
            s.get("dataset").put("add_relative_time_idx", false);
        }), "the TFT's decoder has no inputs", "\"add_relative_time_idx\": true");
    }

    @Test
    void aConfigWithoutAModelSectionTrainsAtTheDefaultsAndSaysSoOnce() throws Exception {
        Path config = InputErrorsTest.config("no-model", s -> s.remove("model"));
        Cli.Result inspect = Cli.run("inspect", "--config", config.toString());
        assertEquals(0, inspect.status(), inspect.toString());
        Cli.Result train = Cli.run("train", "--config", config.toString(), "--out",
                InputErrorsTest.dir.resolve("out-no-model").toString());
        assertEquals(0, train.status(), train.toString());
        for (Cli.Result r : List.of(inspect, train)) {
            String out = r.out();
            assertEquals(1, out.split("has no \"model\" section", -1).length - 1, r.toString());
            assertTrue(out.contains("PTF's defaults (hidden_size 16"), r.toString());
        }
        Cli.Result withModel = Cli.run("inspect", "--config", InputErrorsTest.config("with-model", s -> { }).toString());
        assertFalse(withModel.out().contains("\"model\" section"), withModel.toString());
    }

    @Test
    void aColumnNameWithADotTrainsUnderAnEscapedParameterNameThatInspectShows() throws Exception {
        // pm2.5 as an unknown real and as the target: its name and its target scale's would both hold a '.'.
        Path config = InputErrorsTest.config("dotted", s -> {
            s.get("data").put("derived_columns", List.of(Map.of("op", "log", "name", "pm2.5", "column", "trip_quantity",
                    "offset", 1.0)));
            s.get("dataset").put("target", "pm2.5");
            s.get("dataset").put("time_varying_unknown_reals", new ArrayList<>(List.of("pm2.5", "trip_quantity")));
            s.get("dataset").put("add_target_scales", true);
            s.get("dataset").remove("target_normalizer");
        });
        Cli.Result inspect = Cli.run("inspect", "--config", config.toString());
        assertEquals(0, inspect.status(), inspect.toString());
        assertTrue(inspect.out().contains("Renamed  pm2.5 -> pm2_5 (in the model's parameter names)"), inspect.toString());
        Path out = InputErrorsTest.dir.resolve("out-dotted");
        Cli.Result train = Cli.run("train", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, train.status(), train.toString());
        String names = String.join(" ", dev.tempora.tensor.io.SafeTensors.read(out.resolve("model.safetensors")).tensors().keySet());
        assertTrue(names.contains("prescalers.pm2_5.weight") && names.contains("prescalers.pm2_5_center.weight"), names);
        // The saved model loads again and forecasts under the column's own name.
        Cli.Result evaluate = Cli.run("evaluate", "--model", out.toString(), "--config", config.toString());
        assertEquals(0, evaluate.status(), evaluate.toString());
    }
}
