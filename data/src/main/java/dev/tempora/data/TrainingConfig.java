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
 *               "derived_columns": [ {"op": ...}, ... ],
 *               "fill_missing": {"target": "linear", "covariates": "forward", "columns": {...}}},
 *  "dataset":  {PTF TimeSeriesDataSet arguments...,
 *               "validation": {"training_cutoff": null, "predict": true, "windows": 1, "stride": null},
 *               "test": {"last_steps": 168}},
 *  "model":    {...},      // read by the models module
 *  "training": {...}}      // read by the trainer
 * }</pre>
 * Relative paths resolve against the config file's folder. The rows are split by time as
 * {@link DataSplit} describes: an optional held-out test at the end, then validation windows (by
 * default each series' last horizon, PTF's usual set), then the training rows before them.
 */
public final class TrainingConfig {

    private static final Set<String> SECTIONS = Set.of("data", "dataset", "model", "training");
    /** The keys of the "data" section. */
    static final Set<String> DATA_KEYS = Set.of("path", "dtypes", "csv", "generator", "derived_columns", "columns",
            "timestamp_format", "fill_missing");
    /** The keys of the "data" section's "csv" entry (read by {@link #readTable}). */
    static final Set<String> CSV_KEYS = Set.of("delimiter", "missing_values", "header");
    /** The keys of the "data" section's "generator" entry (the built-in data's options). */
    static final Set<String> GENERATOR_KEYS = Set.of("zones", "days", "seed", "start");

    private final Path file;
    private final Map<String, Object> data;
    private final MissingValues.Options fillMissing;
    private final DatasetParameters dataset;
    private final DataSplit split;
    private final Map<String, Object> root;
    private final Map<String, Object> model;
    private final boolean hasModelSection;
    private final Map<String, Object> training;

    private TrainingConfig(Path file, Map<String, Object> root) {
        this.file = file;
        this.root = root;
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
            this.fillMissing = MissingValues.Options.fromDataSection(d, "data");
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
        Object test = ds.remove("test");
        try {
            this.split = DataSplit.fromJson(validation == null ? null : JsonValues.object(Map.of("validation", validation),
                    "validation", "dataset"), test == null ? null : JsonValues.object(Map.of("test", test), "test", "dataset"));
            this.dataset = DatasetParameters.fromJson(ds);
            DerivedColumns.checkLaggedKnownInputs(JsonValues.list(d, "derived_columns", "data"), dataset);
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

    /**
     * A config from parsed JSON, checked as {@link #load} checks a file (e.g. a variant of a loaded config
     * with one value changed, as a hyper-parameter search makes them).
     *
     * @param file names the config in messages; relative data paths resolve against its folder
     * @param root the four sections, as JSON-ready maps
     * @return the config
     * @throws IllegalArgumentException naming what to change
     */
    public static TrainingConfig of(Path file, Map<String, Object> root) {
        return new TrainingConfig(file, root);
    }

    /**
     * {@return the whole config as parsed JSON (a deep copy: changing it changes nothing here)}
     */
    public Map<String, Object> toJson() {
        return Json.parseObject(Json.write(root));
    }

    /** The file it was read from; relative paths in it resolve against its folder. */
    public Path file() {
        return file;
    }

    /** {@return the "dataset" section's "validation" and "test" entries: how the rows are split by time} */
    public DataSplit split() {
        return split;
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

    /** The "data" section as parsed JSON (path, dtypes, csv, columns, generator, derived_columns, fill_missing). */
    public Map<String, Object> data() {
        return data;
    }

    /** The "data" section's fill_missing: how missing values are filled or their series dropped (none when absent). */
    public MissingValues.Options fillMissing() {
        return fillMissing;
    }

    /**
     * Reads (or generates) the table, applies the derived columns and then fill_missing: the rows the data
     * sets are built from.
     */
    public Frame loadFrame() {
        return MissingValues.apply(readFrame(), dataset, fillMissing).frame();
    }

    /** Reads (or generates) the table and applies the derived columns, before fill_missing. */
    public Frame readFrame() {
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
     * generator are not used, nor its fill_missing, which needs the data set's series ({@link MissingValues}).
     * This prepares new data for a trained model as its training data was read.
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
     * The data sets of a split table.
     *
     * @param training       the windows to train on
     * @param validation     the windows that score each epoch (early stopping, the best model)
     * @param test           the held-out test windows, or null without a test split
     * @param rows           which rows are training, validation and test
     * @param trainingCutoff the last time index of any training row
     */
    public record Datasets(TimeSeriesDataSet training, TimeSeriesDataSet validation, TimeSeriesDataSet test, TimeSplit rows,
                           int trainingCutoff) { }

    /** The config's data, loaded and split into training, validation and test data sets. */
    public Datasets datasets() {
        return datasets(loadFrame());
    }

    /** The training, validation and test data sets of {@code frame}, split as this config's "validation" and "test" say. */
    public Datasets datasets(Frame frame) {
        return split(frame, dataset, split, file.toString());
    }

    /**
     * Splits a table by time (see {@link DataSplit}) and builds the data sets: the training set fits the
     * preprocessing on the training rows; validation and test windows use it.
     *
     * @param frame   every series' rows
     * @param dataset PTF's TimeSeriesDataSet arguments
     * @param split   how to split
     * @param where   names the set-up in error messages (a config file, "TrainingJob")
     * @return the data sets
     */
    public static Datasets split(Frame frame, DatasetParameters dataset, DataSplit split, String where) {
        requireTrainable(dataset, where);
        TimeSplit rows = TimeSplit.of(frame, dataset, split, where);
        TimeSeriesDataSet training = TimeSeriesDataSet.create(rows.trainingRows(frame), dataset);
        TimeSeriesDataSet validation = rows.validationSet(training.preprocessing(), frame);
        TimeSeriesDataSet test = split.test() == null ? null : TimeSplit.testSet(training.preprocessing(), frame, split, where);
        return new Datasets(training, validation, test, rows, rows.lastTrainingTimeIdx());
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
        // a misspelt target beside the right name among the inputs: say so, rather than ask to add the typo
        String near = JsonKeys.closest(dataset.target, dataset.unknownReals);
        if (near != null) {
            throw new IllegalArgumentException(where + ": the target '" + dataset.target + "' is not among the model's inputs, "
                    + "but '" + near + "' is (dataset.time_varying_unknown_reals); did you mean \"target\": \"" + near + "\"?");
        }
        boolean noInputs = dataset.staticCategoricals.isEmpty() && dataset.staticReals.isEmpty() && dataset.knownCategoricals.isEmpty()
                && dataset.knownReals.isEmpty() && dataset.unknownCategoricals.isEmpty() && dataset.unknownReals.isEmpty();
        throw new IllegalArgumentException(where + ": " + (noInputs ? "the model has no inputs, and the target '" + dataset.target
                + "' is not among them" : "the target '" + dataset.target + "' is not among the model's inputs")
                + "; add \"" + dataset.target + "\" to dataset.time_varying_unknown_reals, so the model sees the target's history "
                + "(PTF's TFT needs it there too)");
    }
}
