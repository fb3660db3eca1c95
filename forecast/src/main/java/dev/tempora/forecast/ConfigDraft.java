package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.Frequency;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimestampColumn;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A first training config for a user's table, inferred from the data (what {@code tempora init} writes):
 * the time column and its format, the frequency and its gaps, the series, the target and covariates,
 * calendar features, the horizon, the encoder length and the validation and test split, each with the
 * reason it was chosen.
 *
 * <pre>{@code
 * ConfigDraft.Result draft = ConfigDraft.infer(Path.of("airline.csv"), ConfigDraft.Options.defaults());
 * draft.choices().forEach(System.out::println);   // "time: 'Month' (the only timestamp column, ...)"
 * Files.writeString(Path.of("airline.json"), Json.writePretty(draft.config()));
 * }</pre>
 */
public final class ConfigDraft {

    /** Series wanted × validation windows: enough forecasts for a steady validation loss. */
    private static final int VALIDATION_FORECASTS = 50;
    /** The most validation windows per series. */
    private static final int MAX_VALIDATION_WINDOWS = 8;
    /** Names a target column is commonly given, preferred when there are several numeric columns. */
    private static final Set<String> TARGET_NAMES = Set.of("target", "y", "value", "values", "sales", "demand", "load",
            "count", "volume", "quantity", "passengers");

    private ConfigDraft() {}

    /**
     * What the user fixed; everything left null or empty is inferred.
     *
     * @param target           the column to forecast, or null
     * @param time             the time column, or null
     * @param groups           the columns that tell series apart, or empty
     * @param horizon          the forecast horizon in time steps, or null
     * @param timestampFormats column to timestamp format ("dd-MM-yyyy", "year-month") for dates detection cannot read
     * @param configDirectory  where the config will be written, so the data path is written relative to it (when the data
     *                         is in that folder or one up); null: absolute
     */
    public record Options(String target, String time, List<String> groups, Integer horizon, Map<String, String> timestampFormats,
                          Path configDirectory) {

        /** Copies the collections and checks the horizon. */
        public Options {
            groups = List.copyOf(groups);
            timestampFormats = Map.copyOf(timestampFormats);
            if (horizon != null && horizon < 1) {
                throw new IllegalArgumentException("the horizon must be at least 1 time step, got " + horizon);
            }
        }

        /** {@return nothing fixed: every choice inferred, the data path absolute} */
        public static Options defaults() {
            return new Options(null, null, List.of(), null, Map.of(), null);
        }

        /** {@return these options with the target column fixed} @param column the column to forecast */
        public Options withTarget(String column) {
            return new Options(column, time, groups, horizon, timestampFormats, configDirectory);
        }

        /** {@return these options with the time column fixed} @param column the time column */
        public Options withTime(String column) {
            return new Options(target, column, groups, horizon, timestampFormats, configDirectory);
        }

        /** {@return these options with the series columns fixed} @param columns the columns that tell series apart */
        public Options withGroups(List<String> columns) {
            return new Options(target, time, columns, horizon, timestampFormats, configDirectory);
        }

        /** {@return these options with the horizon fixed} @param steps the forecast horizon in time steps */
        public Options withHorizon(Integer steps) {
            return new Options(target, time, groups, steps, timestampFormats, configDirectory);
        }

        /** {@return these options with some columns' timestamp formats given} @param formats column to format */
        public Options withTimestampFormats(Map<String, String> formats) {
            return new Options(target, time, groups, horizon, formats, configDirectory);
        }

        /** {@return these options writing the data path relative to a folder} @param directory the config's folder */
        public Options withConfigDirectory(Path directory) {
            return new Options(target, time, groups, horizon, timestampFormats, directory);
        }
    }

    /**
     * The inferred config and why.
     *
     * @param config  the training config as JSON values (sections data, dataset, model, training), ready for
     *                {@code Json.writePretty}
     * @param choices one line per choice: what was chosen and why
     */
    public record Result(Map<String, Object> config, List<String> choices) {
        /** Copies the list (the config map is kept as built, in its key order). */
        public Result {
            choices = List.copyOf(choices);
        }
    }

    /** The per-series facts the lengths and split depend on. */
    private record Series(int count, long shortest, long longest, long missingSteps, int seriesWithGaps, int[] lengths) { }

    /**
     * Reads a CSV or Parquet table and infers a training config for it.
     *
     * @param file    the table ({@code .csv}, {@code .tsv}, {@code .parquet})
     * @param options what the user fixed
     * @return the config and the reasons for its choices
     * @throws IllegalArgumentException when the table cannot be read or a choice cannot be made (no time column,
     *         series that cannot be told apart, a target that is not numeric...), saying which option to give
     */
    public static Result infer(Path file, Options options) {
        List<String> choices = new ArrayList<>();
        DraftTable table = DraftTable.read(file, options.timestampFormats());
        String time = table.timeColumn(options.time(), choices);
        long[] times = table.times(time);
        List<String> groups = table.groupColumns(options.groups(), time, times, choices);
        int[] seriesOfRow = table.seriesOfRows(groups);
        boolean timestamps = table.frame.column(time) instanceof TimestampColumn;
        List<long[]> perSeries = sortedTimes(seriesOfRow, times);
        DraftCadence cadence = timestamps ? DraftCadence.ofTimestamps(perSeries) : DraftCadence.ofIntegers(perSeries);
        Series series = series(perSeries, cadence, time, choices);
        String target = target(table, options.target(), time, groups, choices);
        Roles roles = roles(table, time, target, groups, seriesOfRow, choices);

        Set<String> taken = new HashSet<>(table.frame.names());
        List<Object> derived = new ArrayList<>();
        List<String> calendar = new ArrayList<>();
        if (timestamps) {
            for (String[] field : cadence.calendarFields(series.longest())) {
                String name = unique(field[0], taken);
                calendar.add(name);
                derived.add(map("op", "calendar", "name", name, "column", time, "field", field[1]));
            }
            choices.add("calendar: " + (calendar.isEmpty() ? "none (" + cadence.kind().label + " data" + (cadence.calendarFields(Long.MAX_VALUE)
                    .isEmpty() ? "" : ", too short for a yearly field") + ")" : calendar + " derived from '" + time
                    + "' as known categoricals (" + cadence.kind().label + " data)"));
        }
        List<String> groupIds = groups;
        if (groups.isEmpty()) {
            String name = unique("series", taken);
            derived.add(map("op", "constant", "name", name, "value", "all"));
            groupIds = List.of(name);
        }

        int horizon = horizon(options.horizon(), cadence, series, choices);
        int windows = validationWindows(series, horizon);
        int encoder = encoderLength(cadence, series, horizon, windows, choices);
        int minEncoder = Math.max(1, encoder / 2);
        choices.add("min_encoder_length: " + minEncoder + " (half the encoder, so that windows near a series' start train too)");
        long trainingWindows = 0;
        for (int length : series.lengths()) {
            trainingWindows += Math.max(0, length - (long) (windows + 1) * horizon - minEncoder - horizon + 1);
        }
        if (trainingWindows == 0) {
            int needed = (windows + 2) * horizon + minEncoder;
            throw new IllegalArgumentException(file + ": too short to forecast " + horizon + " step" + (horizon == 1 ? "" : "s")
                    + " honestly: the longest series has " + series.longest() + " steps, and holding out a test of " + horizon
                    + ", " + windows + " validation window" + (windows == 1 ? "" : "s") + " and a first training window of "
                    + (minEncoder + horizon) + " needs at least " + needed + "; give a longer history");
        }
        choices.add("split: the last " + horizon + " steps of each series are the test (never trained or validated on); before them "
                        + windows + " validation window" + (windows == 1 ? "" : "s") + " of " + horizon + " steps per series ("
                        + windows * series.count() + " forecasts score each epoch); about " + trainingWindows + " training windows remain");

        Map<String, Object> config = new LinkedHashMap<>();
        Map<String, Object> data = dataSection(file, options, table, derived);
        Map<String, Object> fills = fills(table, target, roles, choices);
        if (!fills.isEmpty()) {
            data.put("fill_missing", fills);
        }
        config.put("data", data);
        Layout layout = new Layout(timestamps ? unique("time_idx", taken) : time, timestamps ? time : null, cadence.frequency(),
                target, groupIds, roles, calendar, horizon, encoder, minEncoder, windows, series.missingSteps() > 0);
        config.put("dataset", datasetSection(layout));
        modelAndTraining(config, trainingWindows, choices);
        return new Result(config, choices);
    }

    /** What the columns other than the time, series and target are used as. */
    private record Roles(List<String> covariates, List<String> staticCategoricals, List<String> unknownCategoricals) { }

    /** Numeric columns are covariates (unknown reals); text columns are static or time-varying unknown categoricals. */
    private static Roles roles(DraftTable table, String time, String target, List<String> groups, int[] seriesOfRow,
                               List<String> choices) {
        Roles roles = new Roles(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (Column c : table.frame.columns()) {
            String n = c.name();
            if (n.equals(time) || n.equals(target) || groups.contains(n) || c.missingCount() == c.size() || isPandasIndex(n)) {
                continue;
            }
            if (c.type().isNumeric()) {
                roles.covariates().add(n);
            } else if (c instanceof StringColumn) {
                (table.constantPerSeries(n, seriesOfRow) ? roles.staticCategoricals() : roles.unknownCategoricals()).add(n);
            }
        }
        if (!roles.covariates().isEmpty()) {
            choices.add("covariates: " + roles.covariates() + " as time-varying unknown reals (known only up to the present; a "
                    + "column known in the future too, such as a price plan, belongs in time_varying_known_reals)");
        }
        if (!roles.staticCategoricals().isEmpty()) {
            choices.add("text columns: " + roles.staticCategoricals() + " as static categoricals (one value per series)");
        }
        if (!roles.unknownCategoricals().isEmpty()) {
            choices.add("text columns: " + roles.unknownCategoricals() + " as time-varying unknown categoricals");
        }
        return roles;
    }

    /** The "data" section: the path, the timestamp formats a reader would not find by itself, the derived columns. */
    private static Map<String, Object> dataSection(Path file, Options options, DraftTable table, List<Object> derived) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("path", dataPath(file, options.configDirectory()));
        Map<String, Object> formats = new LinkedHashMap<>();
        table.formats.forEach((column, format) -> {
            if (!format.isIso() || table.parquet) {
                formats.put(column, format.text());
            }
        });
        if (!formats.isEmpty()) {
            data.put("timestamp_format", formats); // so that new data for predict reads the same way, however few its rows
        }
        if (!derived.isEmpty()) {
            data.put("derived_columns", derived);
        }
        return data;
    }

    /**
     * The data section's fill_missing, when the target or a covariate has empty cells: the target interpolated
     * linearly in time, a covariate carried forward (its last known value), as a forecaster would fill them
     * by hand; without them training would stop at the first empty cell.
     */
    private static Map<String, Object> fills(DraftTable table, String target, Roles roles, List<String> choices) {
        Map<String, Object> fills = new LinkedHashMap<>();
        int targetMissing = table.frame.column(target).missingCount();
        if (targetMissing > 0) {
            fills.put("target", "linear");
            choices.add("fill_missing: the target '" + target + "' is empty in " + targetMissing + " rows: filled by linear "
                    + "interpolation within each series (change to forward, zero or drop_series in the config)");
        }
        List<String> gappy = roles.covariates().stream().filter(c -> table.frame.column(c).missingCount() > 0).toList();
        if (!gappy.isEmpty()) {
            fills.put("covariates", "forward");
            choices.add("fill_missing: covariates " + gappy + " have empty cells: filled forward within each series");
        }
        return fills;
    }

    /** The decisions the "dataset" section is written from. */
    private record Layout(String timeIdx, String timestamp, String frequency, String target, List<String> groupIds, Roles roles,
                          List<String> calendar, int horizon, int encoder, int minEncoder, int windows, boolean gaps) { }

    /** The "dataset" section. */
    private static Map<String, Object> datasetSection(Layout l) {
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("time_idx", l.timeIdx());
        if (l.timestamp() != null) {
            dataset.put("timestamp", l.timestamp());
            dataset.put("frequency", l.frequency());
        }
        dataset.put("target", l.target());
        dataset.put("group_ids", l.groupIds());
        dataset.put("max_encoder_length", l.encoder());
        dataset.put("min_encoder_length", l.minEncoder());
        dataset.put("max_prediction_length", l.horizon());
        putIfAny(dataset, "static_categoricals", l.roles().staticCategoricals());
        putIfAny(dataset, "time_varying_known_categoricals", l.calendar());
        putIfAny(dataset, "time_varying_unknown_categoricals", l.roles().unknownCategoricals());
        dataset.put("time_varying_unknown_reals", concat(List.of(l.target()), l.roles().covariates()));
        if (l.gaps()) {
            dataset.put("allow_missing_timesteps", true);
        }
        // A calendar value or a text value first seen after the training rows (a month of a short daily series, a
        // new category) maps to an "unknown" class rather than stopping validation or predict.
        Map<String, Object> encoders = new LinkedHashMap<>();
        for (String column : concat(l.calendar(), l.roles().unknownCategoricals())) {
            encoders.put(column, map("add_nan", true));
        }
        if (!encoders.isEmpty()) {
            dataset.put("categorical_encoders", encoders);
        }
        dataset.put("add_relative_time_idx", true);
        dataset.put("add_target_scales", true);
        dataset.put("validation", map("windows", l.windows(), "stride", l.horizon()));
        dataset.put("test", map("last_steps", l.horizon()));
        return dataset;
    }

    /** Each series' times, sorted. */
    private static List<long[]> sortedTimes(int[] seriesOfRow, long[] times) {
        int count = Arrays.stream(seriesOfRow).max().orElse(-1) + 1;
        int[] sizes = new int[count];
        for (int s : seriesOfRow) {
            sizes[s]++;
        }
        List<long[]> out = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            out.add(new long[sizes[s]]);
        }
        int[] filled = new int[count];
        for (int r = 0; r < times.length; r++) {
            out.get(seriesOfRow[r])[filled[seriesOfRow[r]]++] = times[r];
        }
        out.forEach(Arrays::sort);
        return out;
    }

    /** Lengths and gaps of the series on the frequency's grid; a time off the grid is an error. */
    private static Series series(List<long[]> perSeries, DraftCadence cadence, String time, List<String> choices) {
        Frequency frequency = cadence.frequency() == null ? null : Frequency.parse(cadence.frequency());
        long origin = perSeries.stream().mapToLong(s -> s[0]).min().orElseThrow();
        long missing = 0;
        int withGaps = 0;
        int[] lengths = new int[perSeries.size()];
        for (int s = 0; s < perSeries.size(); s++) {
            long[] t = perSeries.get(s);
            for (long x : t) {
                index(frequency, origin, x, time); // every time on the grid
            }
            long length = index(frequency, origin, t[t.length - 1], time) - index(frequency, origin, t[0], time) + 1;
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("a series spans " + length + " time steps of " + cadence.frequency() + "; too many");
            }
            lengths[s] = (int) length;
            missing += length - t.length;
            withGaps += length > t.length ? 1 : 0;
        }
        long shortest = Arrays.stream(lengths).min().orElseThrow();
        long longest = Arrays.stream(lengths).max().orElseThrow();
        if (frequency != null) {
            choices.add("frequency: " + cadence.frequency() + " (" + cadence.kind().label + ": the step from one row of a series to the "
                    + "next in " + cadence.commonest() + " of " + cadence.pairs() + " cases)");
        } else if (cadence.commonest() < cadence.pairs()) {
            choices.add("steps: " + (cadence.pairs() - cadence.commonest()) + " of " + cadence.pairs() + " consecutive rows are more "
                    + "than 1 apart in '" + time + "'; time_idx counts steps one by one, so those are gaps");
        }
        choices.add("lengths: " + perSeries.size() + " series of " + shortest + (shortest == longest ? "" : " to " + longest)
                + " steps" + (missing == 0 ? ", no gaps" : "; " + missing + " missing step" + (missing == 1 ? "" : "s") + " in "
                + withGaps + " series, so allow_missing_timesteps is true (gaps are filled forward; check that this suits the data)"));
        return new Series(perSeries.size(), shortest, longest, missing, withGaps, lengths);
    }

    private static long index(Frequency frequency, long origin, long t, String time) {
        if (frequency == null) {
            return t - origin;
        }
        long periods = frequency.periods(origin, t);
        if (periods == Long.MIN_VALUE) {
            throw new IllegalArgumentException("column '" + time + "': the timestamp " + formatMicros(t) + " is not a whole number of "
                    + frequency + " steps after the first timestamp " + formatMicros(origin) + "; the rows do not fall on one grid "
                    + "(resample the data to a regular step first)");
        }
        return periods;
    }

    private static String formatMicros(long micros) {
        return java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, java.time.ZoneOffset.UTC).toString();
    }

    /** The target: the one given, else the only numeric column, else the one named like a target, else the last numeric one. */
    private static String target(DraftTable table, String given, String time, List<String> groups, List<String> choices) {
        List<String> numeric = new ArrayList<>();
        for (Column c : table.frame.columns()) {
            if (c.type().isNumeric() && !c.name().equals(time) && !groups.contains(c.name()) && c.missingCount() < c.size()
                    && !isPandasIndex(c.name())) {
                numeric.add(c.name());
            }
        }
        String chosen;
        if (given != null) {
            Column c = table.column(given, "--target");
            if (!c.type().isNumeric() || given.equals(time) || groups.contains(given)) {
                throw new IllegalArgumentException("--target '" + given + "' is " + (given.equals(time) ? "the time column"
                        : groups.contains(given) ? "a series column" : "a " + c.type().label() + " column") + "; the target must be a "
                        + "numeric column" + (numeric.isEmpty() ? "" : ", such as " + numeric));
            }
            chosen = given;
            choices.add("target: '" + given + "' (given)");
        } else if (numeric.isEmpty()) {
            throw new IllegalArgumentException(table.file + " has no numeric column besides the time and series columns, so "
                    + "there is nothing to forecast; its columns are " + table.frame.names());
        } else if (numeric.size() == 1) {
            chosen = numeric.get(0);
            choices.add("target: '" + chosen + "' (the only numeric column besides the time)");
        } else {
            List<String> named = numeric.stream().filter(n -> TARGET_NAMES.contains(n.toLowerCase(Locale.ROOT))).toList();
            chosen = named.size() == 1 ? named.get(0) : numeric.get(numeric.size() - 1);
            choices.add("target: '" + chosen + "' (" + (named.size() == 1 ? "of the numeric columns " + numeric + ", the one named "
                    + "like a target" : "the last of the numeric columns " + numeric) + "; give --target to forecast another)");
        }
        return chosen;
    }

    /** The horizon: the one given (checked against the shortest series), else the frequency's, capped at a fifth of the shortest series. */
    private static int horizon(Integer given, DraftCadence cadence, Series series, List<String> choices) {
        if (given != null) {
            if (series.shortest() < 3L * given + 2) {
                throw new IllegalArgumentException("--horizon " + given + " is too long for the shortest series (" + series.shortest()
                        + " steps): the test, a validation window and the training windows need at least 3 × horizon + 2 = "
                        + (3L * given + 2) + " steps; give a horizon of at most " + Math.max(1, (series.shortest() - 2) / 3));
            }
            choices.add("horizon: " + given + " steps (given)");
            return given;
        }
        int horizon = cadence.defaultHorizon();
        int cap = (int) Math.max(1, series.shortest() / 5);
        if (horizon > cap) {
            choices.add("horizon: " + cap + " steps (" + cadence.horizonReason() + " would be " + horizon + ", but the shortest series "
                    + "has " + series.shortest() + " steps: at most a fifth of it, to leave history for training; give --horizon to change)");
            return cap;
        }
        choices.add("horizon: " + horizon + " steps (" + cadence.horizonReason() + "; give --horizon to change)");
        return horizon;
    }

    /**
     * Validation windows per series: enough that series × windows reaches about 50 forecasts, at most 8,
     * and at most what leaves two thirds of the shortest series before validation and test.
     */
    private static int validationWindows(Series series, int horizon) {
        int wanted = Math.min(MAX_VALIDATION_WINDOWS, Math.max(1, (VALIDATION_FORECASTS + series.count() - 1) / series.count()));
        long allowed = series.shortest() / (3L * horizon) - 1;
        return (int) Math.max(1, Math.min(wanted, allowed));
    }

    /**
     * The encoder length: the frequency's preferred length (a multiple of its season) when the shortest series
     * keeps at least two horizons of training windows after validation and test; else the most whole seasons that do;
     * else whatever is left.
     */
    private static int encoderLength(DraftCadence cadence, Series series, int horizon, int windows, List<String> choices) {
        long beforeSplit = series.shortest() - (long) (windows + 1) * horizon;
        long room = beforeSplit - 2L * horizon;
        int preferred = cadence.preferredEncoder();
        int season = cadence.season();
        if (room >= preferred) {
            choices.add("encoder length: " + preferred + " steps (" + cadence.preferredEncoderReason() + ")");
            return preferred;
        }
        if (room >= season && season > 1) {
            int length = (int) (room / season * season);
            choices.add("encoder length: " + length + " steps (" + length / season + " season" + (length / season == 1 ? "" : "s") + " of "
                    + season + "; " + cadence.preferredEncoderReason() + ", " + preferred + " steps, would leave the shortest series ("
                    + series.shortest() + " steps) too few training windows)");
            return length;
        }
        int length = (int) Math.max(1, room);
        choices.add("encoder length: " + length + " steps (what the shortest series, " + series.shortest() + " steps, leaves after the "
                + "validation and test steps and two horizons of training windows)");
        return length;
    }

    /** Small model and training sections: a narrow network, a batch size that gives several batches an epoch, early stopping. */
    private static void modelAndTraining(Map<String, Object> config, long trainingWindows, List<String> choices) {
        int batchSize = 8;
        while (batchSize < 128 && batchSize * 2L * 8 <= trainingWindows) {
            batchSize *= 2;
        }
        double learningRate = trainingWindows < 1000 ? 0.03 : 0.01;
        config.put("model", map("hidden_size", 16, "attention_head_size", 2, "dropout", 0.1, "hidden_continuous_size", 8,
                "learning_rate", learningRate, "reduce_on_plateau_patience", 3));
        config.put("training", map("max_epochs", 30, "batch_size", batchSize, "gradient_clip_val", 0.1,
                "early_stopping_patience", 5, "seed", 42));
        choices.add("model: a small TFT to start from (hidden_size 16, 2 attention heads), learning_rate " + learningRate
                + (trainingWindows < 1000 ? " (few training windows, so a larger step)" : ""));
        choices.add("training: batch_size " + batchSize + " (at least 8 batches an epoch where the data allows), max_epochs 30, early "
                + "stopping after 5 epochs without improvement");
    }

    private static String dataPath(Path file, Path configDirectory) {
        Path absolute = file.toAbsolutePath().normalize();
        if (configDirectory == null) {
            return absolute.toString();
        }
        try {
            // Relative when the data sits beside the config or one folder up (moves with it); absolute otherwise.
            Path relative = configDirectory.toAbsolutePath().normalize().relativize(absolute);
            return relative.startsWith("../..") ? absolute.toString() : relative.toString().replace('\\', '/');
        } catch (IllegalArgumentException e) { // another drive
            return absolute.toString();
        }
    }

    private static String unique(String name, Set<String> taken) {
        String chosen = name;
        for (int i = 2; taken.contains(chosen); i++) {
            chosen = name + "_" + i;
        }
        taken.add(chosen);
        return chosen;
    }

    /** pandas' row index, which {@code to_parquet} stores as a column ("__index_level_0__"): not data. */
    private static boolean isPandasIndex(String column) {
        return column.startsWith("__index_level_") && column.endsWith("__");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static void putIfAny(Map<String, Object> section, String key, List<String> columns) {
        if (!columns.isEmpty()) {
            section.put(key, List.copyOf(columns));
        }
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
