package dev.tempora.cli;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.DataInspection;
import dev.tempora.forecast.TrainingJob;
import dev.tempora.models.ModuleDict;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tempora inspect}: what a config's data holds and how the dataset will use it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reports what a config's data holds and what each column will be used as.",
                "",
                "Reads the data a training config names (with its derived columns) and reports: the series (count, "
                + "lengths, time span), gaps and duplicate time steps, each column's type, missing values and range, what "
                + "each column will be used as (group id, time index, target, static/known/unknown categorical or real, "
                + "unused), and the training and validation windows the config gives. Exits with status 1 when the dataset "
                + "cannot be built, saying why."},
        footer = {"", "Examples:", "  ./tempora inspect --config examples/taxi-small.json",
                "  ./tempora inspect --config examples/stallion.json --json"})
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        TrainingConfig cfg = TrainingConfig.load(config);
        TrainingJob.checkSections(cfg);
        noteModelDefaults(cfg, json ? System.err : System.out);
        Map<String, Object> report = DataInspection.inspect(cfg);
        String error = (String) report.get("dataset_error");
        if (json) {
            System.out.println(Json.write(report));
        } else {
            print(report, cfg.dataset());
        }
        if (error != null) {
            System.err.println("tempora inspect: the dataset cannot be built: " + error);
            return 1;
        }
        return 0;
    }

    /** Says, once, that a config without a "model" section trains the model at PTF's defaults. */
    static void noteModelDefaults(TrainingConfig cfg, java.io.PrintStream out) {
        if (!cfg.hasModelSection()) {
            out.println("note: " + cfg.file().getFileName() + " has no \"model\" section, so the model takes PTF's defaults "
                    + "(hidden_size 16, attention_head_size 4, dropout 0.1, hidden_continuous_size 8, lstm_layers 1); "
                    + "docs/config.md lists the keys");
        }
    }

    /** Whole numbers as they are, others to 4 significant digits. */
    private static String number(Object value) {
        double v = ((Number) value).doubleValue();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> r, DatasetParameters p) {
        Map<String, Object> s = (Map<String, Object>) r.get("series");
        System.out.printf(Locale.ROOT, "%s: %s, %,d rows, %d columns%n", r.get("config"), r.get("data"), r.get("rows"),
                ((List<?>) r.get("columns")).size());
        System.out.printf(Locale.ROOT, "Series   %d (by %s), %s to %s rows long (median %s); time_idx %s to %s%n",
                s.get("count"), String.join(", ", p.groupIds), s.get("length_min"), s.get("length_max"),
                s.get("length_median"), s.get("time_idx_min"), s.get("time_idx_max"));
        long gaps = (Long) s.get("missing_steps");
        System.out.printf(Locale.ROOT, "Gaps     %s%n", gaps == 0 ? "none"
                : s.get("series_with_gaps") + " series miss " + gaps + " time steps in all (first: " + s.get("first_gap") + ")"
                + (p.allowMissingTimesteps ? "; allow_missing_timesteps fills them" : "; set allow_missing_timesteps to fill them"));
        long duplicates = (Long) s.get("duplicate_steps");
        System.out.printf(Locale.ROOT, "Repeats  %s%n", duplicates == 0 ? "none" : duplicates + " repeated time steps (first: "
                + s.get("first_duplicate") + "); each series needs one row per time step");
        System.out.println("Columns");
        List<Map<String, Object>> columns = (List<Map<String, Object>>) r.get("columns");
        int nameWidth = 4;
        int roleWidth = 7;
        for (Map<String, Object> c : columns) {
            nameWidth = Math.max(nameWidth, ((String) c.get("name")).length());
            roleWidth = Math.max(roleWidth, String.join(", ", (List<String>) c.get("used_as")).length());
        }
        String format = "  %-" + nameWidth + "s  %-9s  %-" + roleWidth + "s  %7s  %s%n";
        System.out.printf(Locale.ROOT, format, "name", "type", "used as", "missing", "values");
        for (Map<String, Object> c : columns) {
            String values = c.containsKey("distinct") ? c.get("distinct") + " distinct"
                    : c.containsKey("mean") ? number(c.get("min")) + " .. " + number(c.get("max")) + " (mean " + number(c.get("mean")) + ")"
                    : c.containsKey("min") ? c.get("min") + " .. " + c.get("max") : "-";
            System.out.printf(Locale.ROOT, format, c.get("name"), c.get("type"),
                    String.join(", ", (List<String>) c.get("used_as")), c.get("missing"), values);
        }
        List<String> renamed = columns.stream().map(c -> (String) c.get("name"))
                .filter(name -> !ModuleDict.memberName(name).equals(name))
                .map(name -> name + " -> " + ModuleDict.memberName(name)).toList();
        if (!renamed.isEmpty()) {
            // A '.' cannot appear in a parameter name; the model's parameter paths use these names instead.
            System.out.printf(Locale.ROOT, "Renamed  %s (in the model's parameter names)%n", String.join(", ", renamed));
        }
        System.out.printf(Locale.ROOT, "Added    %s%n", ((List<String>) r.get("added_features")).isEmpty() ? "none"
                : String.join("; ", (List<String>) r.get("added_features")));
        Map<String, Object> w = (Map<String, Object>) r.get("windows");
        if (w != null) {
            System.out.printf(Locale.ROOT, "Windows  training %,d (time_idx <= %s), validation %,d (%s), %s, "
                            + "encoder up to %s steps, prediction up to %s%n", w.get("training"), w.get("training_cutoff"),
                    w.get("validation"), w.get("validation_split"), w.get("test") == null ? "no held-out test"
                            : String.format(Locale.ROOT, "test %,d (%s, held out)", w.get("test"), w.get("test_split")),
                    w.get("max_encoder_length"), w.get("max_prediction_length"));
            for (String warning : (List<String>) w.get("warnings")) {
                System.out.println("         warning: " + warning);
            }
        }
    }
}
