package dev.tempora.cli;

import dev.tempora.forecast.ConfigDraft;
import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tempora init}: a first training config for a CSV or Parquet file, inferred from its data. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Writes a training config for a CSV or Parquet file, inferred from its data.",
                "",
                "Finds the time column and its date format, the frequency (and gaps), the columns that tell series apart, "
                + "the target and covariates; adds calendar features; chooses the horizon, the encoder length, the "
                + "validation windows and the test split from the frequency and the series' lengths, and small model and "
                + "training settings. Prints each choice and why, one line each, then the commands to run next. Every choice "
                + "can be changed in the written file (docs/config.md)."},
        footer = {"", "Examples:", "  ./tempora init --data ../shared/data/nyc_taxi.csv --out taxi.json",
                "  ./tempora init --data sales.parquet --target units --group store --group item --horizon 28"})
final class InitCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The table (.csv, .tsv or .parquet).")
    Path data;

    @Option(names = "--target", paramLabel = "COL", description = "The column to forecast (default: the only numeric column, "
            + "else one named like a target, else the last numeric column).")
    String target;

    @Option(names = "--time", paramLabel = "COL", description = "The time column: timestamps or an integer time index "
            + "(default: the timestamp column).")
    String time;

    @Option(names = "--group", paramLabel = "COL", description = "A column that tells series apart; repeat for several "
            + "(default: inferred; none when no time repeats).")
    List<String> groups;

    @Option(names = "--horizon", paramLabel = "H", description = "Time steps to forecast (default: from the frequency, "
            + "such as 24 for hourly data, 7 daily, 12 monthly).")
    Integer horizon;

    @Option(names = "--timestamp-format", paramLabel = "COL=PATTERN", description = "How a column writes its dates when "
            + "Tempora cannot tell (a java.time pattern such as dd/MM/yyyy, or year-month, year-week); repeatable.")
    Map<String, String> timestampFormats;

    @Option(names = "--out", paramLabel = "CONFIG", description = "Where to write the config (default: the data file's name "
            + "with .json, in the current folder).")
    Path out;

    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() {
        Path config = out != null ? out : Path.of(stem(data) + ".json");
        if (Files.isDirectory(config)) {
            throw new IllegalArgumentException("--out " + config + " is a directory; give a file name such as " + config.resolve(
                    stem(data) + ".json"));
        }
        if (Files.exists(config) && !force) {
            throw new IllegalArgumentException("--out " + config + " exists; give --force to replace it, or another --out");
        }
        Path folder = config.toAbsolutePath().getParent();
        ConfigDraft.Result draft = ConfigDraft.infer(data, ConfigDraft.Options.defaults().withTarget(target).withTime(time)
                .withGroups(groups == null ? List.of() : groups).withHorizon(horizon)
                .withTimestampFormats(timestampFormats == null ? Map.of() : timestampFormats).withConfigDirectory(folder));
        draft.choices().forEach(System.out::println);
        AtomicFiles.writeString(config, Json.writePretty(draft.config()));
        String model = "out/" + stem(config);
        System.out.println();
        System.out.println("wrote " + config + "; next:");
        System.out.println("  ./tempora inspect --config " + config);
        System.out.println("  ./tempora train --config " + config + " --out " + model);
        System.out.println("  ./tempora evaluate --model " + model + " --config " + config);
        @SuppressWarnings("unchecked")
        Map<String, Object> dataset = (Map<String, Object>) draft.config().get("dataset");
        // the only known inputs init writes are calendar fields of the time column: predict makes the horizon rows itself
        boolean knownReals = dataset.containsKey("time_varying_known_reals");
        System.out.println("  ./tempora predict --model " + model + " --data " + (knownReals ? "RECENT" + extension(data)
                + "   # the history, then the next " + dataset.get("max_prediction_length") + " rows with the time (and the "
                + "columns known ahead) filled and '" + dataset.get("target") + "' empty" : data
                + "   # forecasts the " + dataset.get("max_prediction_length") + " steps after each series' end"));
        return 0;
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot) : ".csv";
    }

        private static String stem(Path file) {
        String name = file.getFileName() == null ? "config" : file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
