package dev.tempora.data;

import dev.tempora.tensor.io.Json;
import dev.tempora.tensor.io.JsonKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A training config file (JSON, PTF's parameter names in snake_case) with four sections:
 * <pre>{@code
 * {"data":     {"path": "../shared/data/stallion.parquet" | "builtin:taxi" | "builtin:taxi-small",
 *               "dtypes": {"month": "string"}, "csv": {"delimiter": ",", "missing_values": [...]},
 *               "timestamp_format": {"month": "yyyy-MM"},
 *               "generator": {"zones": 260, "days": 243, "seed": 42, "start": "2023-01-01"},
 *               "derived_columns": [ {"op": ...}, ... ]},
 *  "dataset":  {PTF TimeSeriesDataSet arguments..., "validation": {"training_cutoff": null, "predict": true}},
 *  "model":    {...},      // read by the models module
 *  "training": {...}}      // read by the trainer
 * }</pre>
 * Relative paths resolve against the config file's folder. The validation set is PTF's usual one: the
 * training data keeps time_idx ≤ training_cutoff (by default the last time_idx minus
 * max_prediction_length); validation is built from all rows with the training preprocessing, in predict
 * mode (each series' last window, full prediction length), or with {@code "predict": false} every window
 * predicting after the cutoff.
 */
public final class TrainingConfig {

    private static final Set<String> SECTIONS = Set.of("data", "dataset", "model", "training");
    /** The keys of the "data" section. */
    static final Set<String> DATA_KEYS = Set.of("path", "dtypes", "csv", "generator", "derived_columns", "columns",
            "timestamp_format");
    /** The keys of the "data" section's "csv" entry (read by {@link #readTable}). */
    static final Set<String> CSV_KEYS = Set.of("delimiter", "missing_values", "header");
    /** The keys of the "data" section's "generator" entry (the built-in data's options). */
    static final Set<String> GENERATOR_KEYS = Set.of("zones", "days", "seed", "start");
    /** The keys of the "dataset" section's "validation" entry. */
    static final Set<String> VALIDATION_KEYS = Set.of("training_cutoff", "predict");

    private final Path file;
    private final Map<String, Object> data;
    private final DatasetParameters dataset;
    private final Integer trainingCutoff;
    private final boolean predictValidation;
    private final Map<String, Object> model;
    private final boolean hasModelSection;
    private final Map<String, Object> training;

    private TrainingConfig(Path file, Map<String, Object> root) {
        this.file = file;
        for (String key : root.keySet()) {
            if (!SECTIONS.contains(key)) {
                String closest = JsonKeys.closest(key, SECTIONS);
                throw new IllegalArgumentException(file + ": unknown section \"" + key + "\""
                        + (closest != null ? "; did you mean \"" + closest + "\"?" : "; expected data, dataset, model, training"));
            }
        }
        Map<String, Object> d = JsonValues.object(root, "data", file.toString());
        if (d == null) {
            throw new IllegalArgumentException(file + ": the \"data\" section is required");
        }
        try {
            checkDataKeys(d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        this.data = d;
        Map<String, Object> ds = JsonValues.object(root, "dataset", file.toString());
        if (ds == null) {
            throw new IllegalArgumentException(file + ": the \"dataset\" section is required");
        }
        ds = new LinkedHashMap<>(ds);
        Object validation = ds.remove("validation");
        Map<String, Object> v = validation == null ? Map.of() : JsonValues.object(Map.of("validation", validation), "validation", "dataset");
        try {
            this.trainingCutoff = JsonValues.optionalInteger(v, "training_cutoff", "dataset.validation");
            this.predictValidation = JsonValues.bool(v, "predict", "dataset.validation", true);
            JsonKeys.requireKnown(v, VALIDATION_KEYS, "dataset.validation");
            this.dataset = DatasetParameters.fromJson(ds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Map<String, Object> m = JsonValues.object(root, "model", file.toString());
        Map<String, Object> t = JsonValues.object(root, "training", file.toString());
        this.hasModelSection = m != null;
        this.model = m == null ? Map.of() : m;
        this.training = t == null ? Map.of() : t;
    }

    /** Refuses unknown keys in the "data" section, its "csv" and "generator" entries and its derived columns. */
    private static void checkDataKeys(Map<String, Object> d) {
        JsonKeys.requireKnown(d, DATA_KEYS, "data");
        Map<String, Object> csv = JsonValues.object(d, "csv", "data");
        if (csv != null) {
            JsonKeys.requireKnown(csv, CSV_KEYS, "data.csv");
        }
        Map<String, Object> generator = JsonValues.object(d, "generator", "data");
        if (generator != null) {
            JsonKeys.requireKnown(generator, GENERATOR_KEYS, "data.generator");
        }
        DerivedColumns.checkKeys(JsonValues.list(d, "derived_columns", "data"));
    }

    /**
     * Loads and checks a training config: every section's keys are known ones, the "dataset" section
     * describes a data set that can be built.
     *
     * @param file the config (JSON)
     * @return the config
     * @throws IllegalArgumentException naming the file and what to change
     */
    public static TrainingConfig load(Path file) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": is a directory, expected a training config (.json)");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such config file");
        }
        try {
            return new TrainingConfig(file, Json.parseObject(dev.tempora.tensor.io.Utf8Files.read(file)));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalArgumentException(file + ": permission denied (the config cannot be read)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** The file it was read from; relative paths in it resolve against its folder. */
    public Path file() {
        return file;
    }

    /** The "validation" entry's training_cutoff, or null for PTF's default (the last time_idx minus the horizon). */
    public Integer trainingCutoff() {
        return trainingCutoff;
    }

    /** The "validation" entry's predict flag: validate on each series' last window (true, the default) or on all later windows. */
    public boolean predictValidation() {
        return predictValidation;
    }

    /** The "dataset" section: PTF's TimeSeriesDataSet arguments. */
    public DatasetParameters dataset() {
        return dataset;
    }

    /** {@return whether the config has a "model" section (without one, the model takes PTF's defaults)} */
    public boolean hasModelSection() {
        return hasModelSection;
    }

    /** The "model" section as parsed JSON (keys such as hidden_size, attention_head_size, dropout, learning_rate). */
    public Map<String, Object> model() {
        return model;
    }

    /** The "training" section as parsed JSON (batch_size, max_epochs, gradient_clip_val, limit_train_batches, seed). */
    public Map<String, Object> training() {
        return training;
    }

    /** The data source as written: a path (relative to the config) or "builtin:taxi" / "builtin:taxi-small". */
    public String dataPath() {
        return JsonValues.string(data, "path", file + ": data", null);
    }

    /** The "data" section as parsed JSON (path, dtypes, csv, columns, generator, derived_columns). */
    public Map<String, Object> data() {
        return data;
    }

    /** Reads (or generates) the table and applies the derived columns. */
    public Frame loadFrame() {
        String where = file + ": data";
        String path = dataPath();
        if (path.startsWith("builtin:")) {
            Frame frame = TaxiDemand.generate(generatorOptions(path.substring("builtin:".length()), where));
            return DerivedColumns.apply(frame, JsonValues.list(data, "derived_columns", where));
        }
        return readTable(resolve(path), data, where);
    }

    /**
     * Reads a Parquet or CSV table as a config's "data" section says to read its own (dtypes, csv
     * options, columns, timestamp formats) and applies its derived columns; the section's path and
     * generator are not used.
     * This prepares new data for a trained model exactly as its training data was prepared.
     *
     * @param where names the options in error messages (e.g. "model.json: config.data")
     */
    public static Frame readTable(Path table, Map<String, Object> options, String where) {
        TableFiles.checkReadable(table);
        String name = table.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        Map<String, ColumnType> dtypes = new HashMap<>();
        Map<String, Object> dt = JsonValues.object(options, "dtypes", where);
        if (dt != null) {
            for (String k : dt.keySet()) {
                dtypes.put(k, ColumnType.parse(JsonValues.string(dt, k, where + ".dtypes", null)));
            }
        }
        Map<String, TimestampFormat> formats = timestampFormats(options, where);
        Frame frame;
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            List<String> columns = options.containsKey("columns") ? JsonValues.strings(options, "columns", where) : null;
            frame = ParquetFiles.read(table, columns);
            for (Map.Entry<String, ColumnType> e : dtypes.entrySet()) {
                frame = frame.with(cast(frame.column(e.getKey()), e.getValue(), where));
            }
            for (Map.Entry<String, TimestampFormat> e : formats.entrySet()) {
                frame = frame.with(parseTimestamps(frame, e.getKey(), e.getValue(), table));
            }
        } else {
            CsvOptions csvOptions = CsvOptions.defaults().withTypes(dtypes).withTimestampFormats(formats);
            if (name.endsWith(".tsv")) {
                csvOptions = csvOptions.withDelimiter('\t');
            }
            Map<String, Object> csv = JsonValues.object(options, "csv", where);
            if (csv != null) {
                String delimiter = JsonValues.string(csv, "delimiter", where + ".csv", ",");
                if (delimiter.length() != 1) {
                    throw new IllegalArgumentException(where + ".csv: \"delimiter\" must be one character");
                }
                csvOptions = csvOptions.withDelimiter(delimiter.charAt(0));
                if (csv.containsKey("missing_values")) {
                    csvOptions = csvOptions.withMissingValues(Set.copyOf(JsonValues.strings(csv, "missing_values", where + ".csv")));
                }
                csvOptions = csvOptions.withHeader(JsonValues.bool(csv, "header", where + ".csv", true));
            }
            frame = CsvReader.read(table, csvOptions);
        }
        return DerivedColumns.apply(frame, JsonValues.list(options, "derived_columns", where));
    }

    /** The "timestamp_format" entry: column name to format ("iso", "year-month", "year-week" or a java.time pattern). */
    private static Map<String, TimestampFormat> timestampFormats(Map<String, Object> options, String where) {
        Map<String, Object> given = JsonValues.object(options, "timestamp_format", where);
        Map<String, TimestampFormat> formats = new HashMap<>();
        if (given != null) {
            for (String column : given.keySet()) {
                String text = JsonValues.string(given, column, where + ".timestamp_format", null);
                try {
                    formats.put(column, TimestampFormat.parse(text));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(where + ".timestamp_format: column '" + column + "': " + e.getMessage(), e);
                }
            }
        }
        return formats;
    }

    /** A Parquet column of text (or numbers such as 20240131) turned into timestamps by {@code format}. */
    private static Column parseTimestamps(Frame frame, String name, TimestampFormat format, Path table) {
        if (!frame.names().contains(name)) {
            throw new IllegalArgumentException(table + ": a timestamp format is given for column '" + name
                    + "' but the file has no such column; its columns are " + frame.names());
        }
        Column c = frame.column(name);
        if (c instanceof TimestampColumn) {
            return c; // Parquet's own timestamps need no format
        }
        long[] micros = new long[c.size()];
        java.util.BitSet missing = new java.util.BitSet();
        for (int r = 0; r < micros.length; r++) {
            String text = c.format(r);
            if (text == null) {
                missing.set(r);
                continue;
            }
            micros[r] = format.parseMicros(text);
            if (micros[r] == Long.MIN_VALUE) {
                throw new IllegalArgumentException(table + " row " + (r + 1) + ", column '" + name + "': '" + text
                        + "' is not a valid timestamp in the format \"" + format + "\" (data.timestamp_format)");
            }
        }
        return new TimestampColumn(name, micros, missing);
    }

    private TaxiDemand.Options generatorOptions(String name, String where) {
        TaxiDemand.Options base = switch (name) {
            case "taxi" -> TaxiDemand.Options.defaults();
            case "taxi-small" -> TaxiDemand.Options.small();
            default -> throw new IllegalArgumentException(where + ": unknown built-in data \"builtin:" + name
                    + "\"; expected builtin:taxi or builtin:taxi-small");
        };
        Map<String, Object> g = JsonValues.object(data, "generator", where);
        if (g == null) {
            return base;
        }
        String w = where + ".generator";
        java.time.LocalDate start = base.start();
        if (g.containsKey("start")) {
            String text = JsonValues.string(g, "start", w, null);
            try {
                start = java.time.LocalDate.parse(text);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(w + ": \"start\" must be a date such as \"2023-01-01\", got \"" + text + "\"", e);
            }
        }
        int zones = JsonValues.integer(g, "zones", w, base.zones());
        int days = JsonValues.integer(g, "days", w, base.days());
        long seed = g.containsKey("seed") ? (long) JsonValues.number(g, "seed", w) : base.seed();
        try {
            return new TaxiDemand.Options(zones, days, start, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
        }
    }

    private static Column cast(Column c, ColumnType type, String where) {
        if (c.type() == type) {
            return c;
        }
        if (type == ColumnType.STRING) {
            StringColumn.Builder b = new StringColumn.Builder(c.name(), c.size());
            for (int r = 0; r < c.size(); r++) {
                b.add(c.format(r));
            }
            return b.build();
        }
        if (type == ColumnType.DOUBLE && c.type().isNumeric()) {
            double[] out = new double[c.size()];
            for (int r = 0; r < out.length; r++) {
                out[r] = c.getDouble(r);
            }
            return new DoubleColumn(c.name(), out);
        }
        throw new IllegalArgumentException(where + ".dtypes: cannot turn column '" + c.name() + "' (" + c.type().label() + ") into "
                + type.label() + " (a Parquet column can be cast to string or double)");
    }

    /** A path written in the config, resolved against the config's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        return p.isAbsolute() ? p : file.toAbsolutePath().getParent().resolve(p).normalize();
    }

    /**
     * The training and validation data sets as a config describes them.
     *
     * @param training       the windows to train on
     * @param validation     the windows that score each epoch (early stopping, the best model)
     * @param trainingCutoff the last time index of the training rows
     */
    public record Datasets(TimeSeriesDataSet training, TimeSeriesDataSet validation, int trainingCutoff) { }

    /** The config's data, loaded and split into training and validation data sets. */
    public Datasets datasets() {
        return datasets(loadFrame());
    }

    /** The training and validation data sets of {@code frame}, split as this config's "validation" says. */
    public Datasets datasets(Frame frame) {
        return split(frame, dataset, trainingCutoff, predictValidation, file.toString());
    }

    /**
     * PTF's usual split: the training data set holds the rows with time_idx ≤ {@code trainingCutoff} (null:
     * the last time_idx minus max_prediction_length); validation is built from all rows with the training
     * preprocessing, in predict mode (each series' last window) or, with {@code predictValidation} false,
     * every window predicting after the cutoff.
     *
     * @param where names the set-up in error messages (a config file, "TrainingJob")
     */
    public static Datasets split(Frame frame, DatasetParameters dataset, Integer trainingCutoff, boolean predictValidation,
                                 String where) {
        requireTrainable(dataset, where);
        int[] time = timeIndex(frame, dataset);
        int max = Integer.MIN_VALUE;
        for (int t : time) {
            max = Math.max(max, t);
        }
        if (trainingCutoff != null && trainingCutoff >= max) {
            throw new IllegalArgumentException(where + ": dataset.validation.training_cutoff " + trainingCutoff + " is not before "
                    + "the last time_idx " + max + " of the data, so validation would score windows the model trained on; "
                    + "give a cutoff below " + max + ", or null for the default (" + (max - dataset.maxPredictionLength) + ")");
        }
        int cutoff = trainingCutoff != null ? trainingCutoff : max - dataset.maxPredictionLength;
        checkLongEnough(frame, dataset, time, cutoff, trainingCutoff == null, where);
        Frame trainingFrame = frame.filter(r -> time[r] <= cutoff);
        TimeSeriesDataSet training = TimeSeriesDataSet.create(trainingFrame, dataset);
        TimeSeriesDataSet validation = predictValidation
                ? TimeSeriesDataSet.fromDataset(training, frame, true)
                : TimeSeriesDataSet.fromPreprocessing(training.preprocessing(), frame,
                        training.preprocessing().parameters().with("min_prediction_idx", (long) cutoff + 1));
        return new Datasets(training, validation, cutoff);
    }

    /**
     * Refuses a "dataset" section the TFT cannot train on: the target must be among
     * time_varying_unknown_reals, as PTF's TFT needs to see the target's history in the encoder (without it
     * there may be no encoder input at all, and training fails deep inside the model).
     *
     * @param dataset the data set's parameters
     * @param where   names the set-up in error messages (a config file, "TrainingJob")
     * @throws IllegalArgumentException saying what to change
     */
    public static void requireTrainable(DatasetParameters dataset, String where) {
        if (dataset.unknownReals.contains(dataset.target)) {
            return;
        }
        boolean noInputs = dataset.staticCategoricals.isEmpty() && dataset.staticReals.isEmpty() && dataset.knownCategoricals.isEmpty()
                && dataset.knownReals.isEmpty() && dataset.unknownCategoricals.isEmpty() && dataset.unknownReals.isEmpty();
        throw new IllegalArgumentException(where + ": " + (noInputs ? "the model has no inputs, and the target '" + dataset.target
                + "' is not among them" : "the target '" + dataset.target + "' is not among the model's inputs")
                + "; add \"" + dataset.target + "\" to dataset.time_varying_unknown_reals, so the model sees the target's history "
                + "(PTF's TFT needs it there too)");
    }

    /**
     * Refuses data in which no series has a training window, naming the series and the length they need
     * (PTF would fail later with a message about the cutoff or an empty data set).
     */
    private static void checkLongEnough(Frame frame, DatasetParameters dataset, int[] time, int cutoff, boolean defaultCutoff,
                                        String where) {
        // Per series: its first time index, its last one up to the cutoff, and its last one.
        Map<String, int[]> spans = new java.util.LinkedHashMap<>();
        List<Column> ids = dataset.groupIds.stream().map(frame::column).toList();
        for (int r = 0; r < time.length; r++) {
            StringBuilder name = new StringBuilder();
            for (Column c : ids) {
                name.append(name.isEmpty() ? "" : ", ").append(c.name()).append('=').append(c.format(r));
            }
            int[] span = spans.computeIfAbsent(name.isEmpty() ? "the series" : name.toString(),
                    k -> new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE});
            span[0] = Math.min(span[0], time[r]);
            span[1] = time[r] <= cutoff ? Math.max(span[1], time[r]) : span[1];
            span[2] = Math.max(span[2], time[r]);
        }
        int minimum = dataset.minEncoderLength + dataset.minPredictionLength;
        List<String> tooShort = new ArrayList<>();
        for (Map.Entry<String, int[]> e : spans.entrySet()) {
            int[] span = e.getValue();
            if ((long) span[1] - span[0] + 1 >= minimum) {
                return;
            }
            if (tooShort.size() < 5) {
                long shown = defaultCutoff ? (long) span[2] - span[0] + 1 : Math.max(0L, (long) span[1] - span[0] + 1);
                tooShort.add(e.getKey() + " (" + shown + " steps)");
            }
        }
        String need = defaultCutoff
                ? "min_encoder_length + min_prediction_length + max_prediction_length (held out for validation) = "
                        + dataset.minEncoderLength + " + " + dataset.minPredictionLength + " + " + dataset.maxPredictionLength
                        + " = " + (minimum + dataset.maxPredictionLength) + " time steps"
                : "min_encoder_length + min_prediction_length = " + dataset.minEncoderLength + " + " + dataset.minPredictionLength
                        + " = " + minimum + " time steps up to training_cutoff " + cutoff;
        throw new IllegalArgumentException(where + ": the data is too short: a series needs at least " + need + ", but all "
                + spans.size() + " series are shorter: " + String.join(", ", tooShort) + (spans.size() > tooShort.size() ? ", ..." : "")
                + "; give longer series or lower min_encoder_length or max_prediction_length");
    }

    /** The time index of every row, as the dataset will compute it. */
    private static int[] timeIndex(Frame frame, DatasetParameters dataset) {
        int[] out = new int[frame.rowCount()];
        if (dataset.timestamp != null) {
            Column c = frame.column(dataset.timestamp);
            if (!(c instanceof TimestampColumn ts)) {
                throw new IllegalArgumentException(frame.source() + ": column '" + dataset.timestamp + "' (timestamp) holds "
                        + c.type().label() + " values, expected timestamps");
            }
            long origin = java.util.Arrays.stream(ts.micros).min().orElse(0);
            for (int r = 0; r < out.length; r++) {
                out[r] = (int) dataset.frequency.periods(origin, ts.micros[r]);
            }
            return out;
        }
        Column c = frame.column(dataset.timeIdx);
        for (int r = 0; r < out.length; r++) {
            out[r] = (int) c.getDouble(r);
        }
        return out;
    }
}
