package dev.tempora.forecast;

import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DataSplit;
import dev.tempora.data.Frame;
import dev.tempora.data.MissingValues;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimeSeriesDataSet;
import dev.tempora.data.TimeSplit;
import dev.tempora.data.TrainingConfig;
import dev.tempora.data.WindowRows;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.parallel.DataParallelEngine;
import dev.tempora.parallel.DataParallelInference;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A trained model with what it needs to forecast new data: the weights, the preprocessing fitted on its
 * training data (encoders, normalisers, scalers) and the options its tables were read with. Made by
 * {@link TrainingJob#fit} or loaded from a directory that train, demo or {@link #save} wrote.
 *
 * <pre>{@code
 * TrainedModel model = TrainedModel.load(Path.of("out/demo"));
 * ForecastTable next = model.predict(model.readTable(Path.of("recent.csv")));
 * Evaluation.Result scores = model.evaluate(history);
 * }</pre>
 *
 * <p>Thread-safe: any number of threads may forecast with one model at once, and each gets bitwise the
 * result a sequential call would (the weights are only read; each call borrows its own buffers).
 *
 * <p>A model is one network, or an {@link Ensemble} of members ({@link #members}) loaded from a directory
 * with an {@value Ensemble#FILE}: predict, evaluate, backtest and {@link #forecaster} then combine the
 * members' quantile forecasts element-wise (their median or mean); {@link #model} and {@link #interpret},
 * which read one network, refuse an ensemble (interpret its members one by one).
 */
public final class TrainedModel {

    /** The model.json section that records how training split the rows (validation windows, the held-out test). */
    public static final String SPLIT_SECTION = "split";

    private final Path directory;
    /** The network, or null for an ensemble. */
    private final ForecastingModel model;
    /** An ensemble's members, in {@value Ensemble#FILE}'s order; empty for a single network. */
    private final List<TrainedModel> members;
    /** How an ensemble combines its members' forecasts; null for a single network. */
    private final Ensemble.Combine combine;
    private final List<Float> quantiles;
    private final Preprocessing preprocessing;
    private final Map<String, Object> sections;
    private final Map<String, Object> dataOptions;
    /** The training data's fill_missing, applied to the history of new data. */
    private final MissingValues.Options fillMissing;
    private final List<String> notes;
    private final DataSplit split;
    /** Sorts forecasts by quantile level (monotone_quantiles), or null for the raw outputs. */
    private final MonotoneQuantiles quantileOrder;
    /** Idle CPU inference engines by worker count: each call borrows one, so concurrent calls never share buffers. */
    private final Map<Integer, ConcurrentLinkedDeque<DataParallelInference>> idle = new ConcurrentHashMap<>();

    private TrainedModel(Path directory, ForecastingModel model, Preprocessing preprocessing,
                         Map<String, Object> sections, Map<String, Object> dataOptions, List<String> notes) {
        this.directory = directory;
        this.notes = List.copyOf(notes);
        this.model = model;
        this.members = List.of();
        this.combine = null;
        this.quantiles = model.quantiles();
        this.preprocessing = preprocessing;
        this.sections = sections;
        this.dataOptions = dataOptions;
        this.fillMissing = MissingValues.Options.fromDataSection(dataOptions, dataWhere(directory));
        this.quantileOrder = monotoneQuantiles(sections) ? new MonotoneQuantiles(model.quantiles()) : null;
        this.split = split(sections);
        model.eval();
    }

    /** An ensemble: the first member's preprocessing, data options and sections stand for all (the loader checked they agree). */
    private TrainedModel(Path directory, List<TrainedModel> members, Ensemble.Combine combine, List<String> notes) {
        TrainedModel first = members.getFirst();
        this.directory = directory;
        this.notes = List.copyOf(notes);
        this.model = null;
        this.members = List.copyOf(members);
        this.combine = combine;
        this.quantiles = first.quantiles;
        this.preprocessing = first.preprocessing;
        this.sections = first.sections;
        this.dataOptions = first.dataOptions;
        this.fillMissing = first.fillMissing;
        this.split = first.split;
        this.quantileOrder = null; // each member sorts its own; the median or mean of sorted vectors stays sorted
    }

    /**
     * Loads a model directory (model.safetensors and model.json, as train, demo and {@link #save} write it),
     * or an ensemble's directory (its {@value Ensemble#FILE} and the members it lists).
     *
     * @param directory the model directory
     * @return the model, in eval mode, ready to forecast
     * @throws UncheckedIOException     when a file cannot be read, does not match the directory's manifest,
     *                                  or holds a weight that is not finite (the message names it)
     * @throws IllegalArgumentException when the directory or a file is missing, model.json cannot
     *                                  prepare new data (it was not written by Tempora's training), or an
     *                                  ensemble's member is missing or does not match the others (named)
     */
    public static TrainedModel load(Path directory) {
        if (Ensemble.isEnsemble(directory)) {
            return EnsembleLoader.load(directory);
        }
        Checkpoint.Loaded loaded;
        try {
            loaded = Checkpoint.load(directory);
        } catch (NoSuchFileException e) {
            String unfinished = Ensemble.unfinished(directory);
            if (unfinished != null) {
                throw new IllegalArgumentException(unfinished);
            }
            throw new IllegalArgumentException(e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "not found")
                    + " (a model directory is written by tempora train, tempora demo or TrainedModel.save)");
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        String where = directory.resolve(Checkpoint.METADATA_FILE).toString();
        Object pre = loaded.sections().get("preprocessing");
        if (!(pre instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + ": no \"preprocessing\" section; the model cannot prepare new data "
                    + "(it was not saved by tempora train, tempora demo or TrainedModel.save)");
        }
        @SuppressWarnings("unchecked")
        Preprocessing preprocessing = Preprocessing.fromJson((Map<String, Object>) pre);
        Map<String, Object> dataOptions = Map.of();
        if (loaded.sections().get("config") instanceof Map<?, ?> config && config.get("data") instanceof Map<?, ?> data) {
            @SuppressWarnings("unchecked")
            Map<String, Object> d = (Map<String, Object>) data;
            dataOptions = d;
        }
        return new TrainedModel(directory, loaded.model(), preprocessing, loaded.sections(), dataOptions, loaded.notes());
    }

    /**
     * The model's monotone_quantiles, from model.json's config section; true when it is not there (a model
     * saved before the option existed): crossed quantiles are never what a forecast means, and sorting
     * them never raises the quantile loss. PTF does not sort; a config with {@code "monotone_quantiles": false}
     * keeps the raw outputs.
     */
    private static boolean monotoneQuantiles(Map<String, Object> sections) {
        if (sections.get("config") instanceof Map<?, ?> config && config.get("model") instanceof Map<?, ?> model
                && model.get(ModelSettings.MONOTONE_QUANTILES) != null) {
            if (!(model.get(ModelSettings.MONOTONE_QUANTILES) instanceof Boolean monotone)) {
                throw new IllegalArgumentException("model.json: config.model." + ModelSettings.MONOTONE_QUANTILES
                        + " must be true or false, got " + model.get(ModelSettings.MONOTONE_QUANTILES));
            }
            return monotone;
        }
        return true;
    }

    /** The split model.json records; PTF's usual split (no test) for a model saved before splits were recorded. */
    @SuppressWarnings("unchecked")
    private static DataSplit split(Map<String, Object> sections) {
        Object json = sections.get(SPLIT_SECTION);
        if (json == null) {
            return DataSplit.defaults();
        }
        if (!(json instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("model.json: \"" + SPLIT_SECTION + "\" must be an object, got " + json);
        }
        try {
            return DataSplit.fromSplitJson((Map<String, Object>) json);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new IllegalArgumentException("model.json: \"" + SPLIT_SECTION + "\": " + e.getMessage(), e);
        }
    }

    /**
     * {@return the epochs the model was refit for on the training and validation rows (training.refit: the first
     * run's best epoch count), or 0 when it was not refit; an ensemble's first member's}
     */
    public int refitEpochs() {
        if (isEnsemble()) {
            return members.get(0).refitEpochs();
        }
        return sections.get(Refit.SECTION) instanceof Map<?, ?> refit && refit.get("epochs") instanceof Number epochs
                ? epochs.intValue() : 0;
    }

    /** {@return whether the model was refit on the training and validation rows after a validated run (training.refit)} */
    public boolean refit() {
        return refitEpochs() > 0;
    }

    /**
     * {@return how training split the rows: its validation windows and the held-out test, if any}
     */
    public DataSplit split() {
        return split;
    }

    /**
     * {@return whether forecasts are sorted across the quantiles (the model's monotone_quantiles; true unless
     * its config turned it off), so that a lower quantile never lies above a higher one}
     */
    public boolean monotoneQuantiles() {
        return isEnsemble() ? members.stream().allMatch(TrainedModel::monotoneQuantiles) : quantileOrder != null;
    }

    /** An ensemble of loaded members (checked by {@link EnsembleLoader}). */
    static TrainedModel ensemble(Path directory, List<TrainedModel> members, Ensemble.Combine combine, List<String> notes) {
        return new TrainedModel(directory, members, combine, notes);
    }

    /** This model without a directory of its own (after its temporary training directory was removed). */
    TrainedModel detached() {
        return isEnsemble() ? new TrainedModel(null, members, combine, notes)
                : new TrainedModel(null, model, preprocessing, sections, dataOptions, notes);
    }

    /** {@return whether this is an ensemble of several members rather than one network} */
    public boolean isEnsemble() {
        return model == null;
    }

    /** {@return an ensemble's members in {@value Ensemble#FILE}'s order (each a single network); empty for a single network} */
    public List<TrainedModel> members() {
        return members;
    }

    /** {@return how an ensemble combines its members' forecasts, or null for a single network} */
    public Ensemble.Combine combine() {
        return combine;
    }

    /**
     * Writes the model to {@code directory} (model.safetensors and model.json), so that {@link #load} reads it
     * back; an ensemble writes each member to member-1 … member-K and then {@value Ensemble#FILE}.
     *
     * @param directory created when missing; existing model files in it are replaced
     * @throws UncheckedIOException when the directory cannot be written
     */
    public void save(Path directory) {
        if (isEnsemble()) {
            List<Path> written = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                Path member = Ensemble.memberDirectory(directory, i + 1);
                members.get(i).save(member);
                written.add(member);
            }
            Ensemble.write(directory, written, combine);
            return;
        }
        try {
            java.nio.file.Files.createDirectories(directory);
            Checkpoint.save(directory, model, sections);
        } catch (IOException e) {
            throw new UncheckedIOException(directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@return what the user should know about how the directory was found, one line each: written by an
     * older Tempora without a manifest, or read from a save interrupted after its commit (empty normally)}
     */
    public List<String> notes() {
        return notes;
    }

    /** {@return the directory it was loaded from or trained into, or null for a model trained without one} */
    public Path directory() {
        return directory;
    }

    /**
     * {@return the network (in eval mode; read its weights, do not train it while it serves forecasts)}
     *
     * @throws IllegalStateException for an ensemble, which has one network per member ({@link #members})
     */
    public ForecastingModel model() {
        if (isEnsemble()) {
            throw new IllegalStateException("an ensemble has " + members.size() + " networks, one per member: read "
                    + "members().get(i).model()");
        }
        return model;
    }

    /** {@return the preprocessing fitted on the training data (encoders, normalisers, scalers)} */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** {@return the data set parameters the model was trained with (PTF's TimeSeriesDataSet arguments)} */
    public DatasetParameters parameters() {
        return preprocessing.parameters();
    }

    /** {@return the forecast quantile levels, in output order} */
    public List<Float> quantiles() {
        return quantiles;
    }

    /** {@return the number of steps forecast (max_prediction_length)} */
    public int horizon() {
        return parameters().maxPredictionLength;
    }

    /**
     * Reads a table (CSV, TSV or Parquet) with the options the training data was read with (dtypes, CSV
     * options, derived columns); the forecasting methods then fill its missing values ({@link #fillMissing}).
     *
     * @param file a .csv, .tsv or .parquet file
     * @return the table, its columns typed as the training data's were
     */
    public Frame readTable(Path file) {
        return TrainingConfig.readTable(file, dataOptions, dataWhere(directory));
    }

    private static String dataWhere(Path directory) {
        return directory != null ? directory.resolve(Checkpoint.METADATA_FILE) + ": config.data" : "model: config.data";
    }

    /**
     * Fills the missing values of each series' history as the training data's were (its fill_missing; nothing
     * without one). The history is every row up to the series' last target value: the rows after it are the
     * forecast horizon, where an empty target is expected. {@link #predict}, {@link #evaluate}, {@link #backtest}
     * and {@link #interpret} call it; {@link #readTable} does not.
     *
     * @param table the table as read
     * @return the table filled, and per column the cells filled and the series dropped
     * @throws IllegalArgumentException as {@link MissingValues#applyToHistory} does
     */
    public MissingValues.Filled fillMissing(Frame table) {
        return MissingValues.applyToHistory(table, parameters(), fillMissing);
    }

    /**
     * {@link #predict(Frame, InferenceOptions)} with the default options.
     *
     * @param table each series' history, and the horizon's known future inputs if the model reads any
     * @return the forecasts, one row per series and step
     */
    public Forecast predict(Frame table) {
        return predict(table, InferenceOptions.defaults());
    }

    /**
     * Forecasts every series of {@code table} after its last observation: the next max_prediction_length
     * steps, every quantile. The table holds each series' history and, when the model reads known
     * future inputs other than the time index (a planned price), the horizon's rows with those inputs and the
     * target left empty. Missing horizon rows are added when every known input is the time index, a calendar
     * field of the timestamp or a constant of the training data's derived columns (computed for the added
     * rows' timestamps as in training). The history is filled as the training data's fill_missing says.
     *
     * @param table   the history (and future inputs) of each series to forecast
     * @param options workers, batch size and device
     * @return the forecasts, one row per series and step, and notes on what the preparation did
     */
    public Forecast predict(Frame table, InferenceOptions options) {
        MissingValues.Filled filled = fillMissing(table);
        FutureRows.Prepared prepared = FutureRows.prepare(filled.frame(), preprocessing, derivedColumns());
        TimeSeriesDataSet dataset = TimeSeriesDataSet.fromPreprocessing(preprocessing,
                WindowRows.lastWindow(prepared.frame(), preprocessing), true);
        List<String> notes = new ArrayList<>();
        filled.report().lines().forEach(line -> notes.add("fill_missing: " + line));
        notes.addAll(prepared.notes());
        notes.addAll(dataset.warnings());
        ForecastCollector forecasts = ForecastCollector.of(dataset, quantiles(), false);
        withForecaster(options, null, f -> {
            Evaluation.forecast(dataset, f, quantiles(), options.batchSize(), forecasts::add);
            return null;
        });
        return new Forecast(forecasts.toTable("forecasts of " + table.source()), dataset.seriesCount(), prepared.horizon(), notes);
    }

    /**
     * What {@link #predict} returns: the table, and what the preparation of the input did.
     *
     * @param table   one row per series and forecast step
     * @param series  the number of series forecast
     * @param horizon the steps forecast for each
     * @param notes   what was done to the input (rows added or left out), for the user
     */
    public record Forecast(ForecastTable table, int series, int horizon, List<String> notes) {}

    /**
     * {@link #evaluate(Frame, InferenceOptions)} with the default options.
     *
     * @param table each series' history, its last max_prediction_length rows with known targets
     * @return the scores over all series and per window
     */
    public Evaluation.Result evaluate(Frame table) {
        return evaluate(table, InferenceOptions.defaults());
    }

    /**
     * Scores the model on its held-out test when training recorded one ({@link #split()}: e.g. each series'
     * last 168 steps, which neither training nor the choice of the best epoch saw), otherwise on each
     * series' last window with a full horizon (PTF's predict mode): MAE, RMSE, sMAPE, MAPE, MASE and wQL
     * over the forecast steps, and per window.
     *
     * @param table   every series' rows up to its end, the test steps included, with known targets
     * @param options workers, batch size and device
     * @return the scores over all series and per window
     */
    public Evaluation.Result evaluate(Frame table, InferenceOptions options) {
        TimeSeriesDataSet dataset = evaluationWindows(fillMissing(table).frame());
        return withForecaster(options, null, f -> Evaluation.score(dataset, null, f, quantiles(), options.batchSize(), true, null));
    }

    /**
     * The windows {@link #evaluate} scores: the test split's, or each series' last full window.
     *
     * @param table every series' rows up to its end, with known targets
     * @return the windows, prepared with this model's preprocessing
     */
    public TimeSeriesDataSet evaluationWindows(Frame table) {
        return split.test() != null ? TimeSplit.testSet(preprocessing, table, split, table.source())
                : Evaluation.lastWindows(table, preprocessing);
    }

    /** {@return what {@link #evaluate} scores, in words: the held-out test or each series' last window} */
    public String evaluationWindowsDescription() {
        return split.test() != null ? "the held-out test (" + split.test().describe() + "), which training and the choice of the "
                + "best epoch never saw" : "each series' last " + horizon() + " steps (the model has no held-out test; "
                + "train with dataset.test to keep one)";
    }

    /**
     * A rolling-origin backtest: a forecast from every origin {@code from}, {@code from + stride}, ... up to
     * {@code to} (null: the last origin with a full horizon) for every series, the model fixed.
     *
     * @param table   each series' history, with known targets up to the last origin's horizon
     * @param from    the first origin: the time index of the first forecast step of the first windows
     * @param to      the last origin (inclusive), or null for the last with a full horizon
     * @param stride  time steps between origins, at least 1
     * @param options workers, batch size and device
     * @return the scores over all origins and series, and per window
     */
    public Evaluation.Result backtest(Frame table, long from, Long to, int stride, InferenceOptions options) {
        TimeSeriesDataSet dataset = TimeSeriesDataSet.fromPreprocessing(preprocessing, fillMissing(table).frame(),
                Evaluation.backtestParameters(parameters(), from));
        int[] windows = Evaluation.backtestWindows(dataset, from, to != null ? to : Long.MAX_VALUE, stride);
        return withForecaster(options, null, f -> Evaluation.score(dataset, windows, f, quantiles(), options.batchSize(), true,
                null));
    }

    /**
     * What the model paid attention to on each series' last window, as PTF's {@code interpret_output}:
     * variable importance (static, encoder, decoder, in percent) and each window's attention over its
     * history; with the evaluation and forecasts of the same pass.
     *
     * @param table   each series' history, its last max_prediction_length rows with known targets
     * @param options workers and batch size (the device must be "cpu")
     * @return importances, attention, scores and forecasts of each series' last window
     * @throws IllegalArgumentException when the model is not a TFT or the device is not the CPU
     */
    public Interpretation interpret(Frame table, InferenceOptions options) {
        interpretable(); // before the data is prepared
        return interpret(Evaluation.lastWindows(fillMissing(table).frame(), preprocessing), options);
    }

    /**
     * {@link #interpret(Frame, InferenceOptions)} on the windows of a data set prepared with this model's preprocessing.
     *
     * @param windows the windows to interpret, every one of them
     * @param options workers and batch size (the device must be "cpu")
     * @return importances, attention, scores and forecasts of those windows
     * @throws IllegalArgumentException when the model is not a TFT, is an ensemble, or the device is not the CPU
     */
    public Interpretation interpret(TimeSeriesDataSet windows, InferenceOptions options) {
        Interpretation interpretation = new Interpretation(interpretable().config, windows, quantiles());
        interpretation.setEvaluation(withForecaster(options, interpretation, f -> Evaluation.score(windows, null, f, quantiles(),
                options.batchSize(), true, interpretation::addForecast)));
        return interpretation;
    }

    /** The model as the TFT that interpretation reads, or an IllegalArgumentException saying why another kind cannot be. */
    private TemporalFusionTransformer interpretable() {
        if (isEnsemble()) {
            throw new IllegalArgumentException("interpretation reads one network's attention and variable selection, and "
                    + (directory != null ? directory : "this model") + " is an ensemble of " + members.size()
                    + " members: interpret a member on its own (" + Ensemble.MEMBER_PREFIX + "1, ...)");
        }
        if (!(model instanceof TemporalFusionTransformer tft)) {
            throw new IllegalArgumentException("interpret reads the attention and variable-selection weights of a "
                    + TemporalFusionTransformer.KIND + "; this model is a " + model.kind() + ", which has neither "
                    + "(evaluate and predict work for every kind)");
        }
        return tft;
    }

    /**
     * This model as a {@link Forecaster} for {@link Evaluation#score} on windows of your choice (beside the
     * baselines, on the same windows). Not for concurrent use; {@link #predict} and {@link #evaluate} are.
     *
     * @param options workers and device (the batch size is the caller's, in {@link Evaluation#score})
     * @return a forecaster that owns its own inference engine
     */
    public Forecaster forecaster(InferenceOptions options) {
        if (isEnsemble()) {
            return Ensemble.combined(members.stream().map(m -> m.forecaster(options)).toList(), combine);
        }
        if (!options.device().equals("cpu")) {
            return ModelForecasters.onDevice(model, options.device(), quantileOrder);
        }
        return ModelForecasters.model(new DataParallelInference(model, workers(options)), null, quantileOrder);
    }

    private int workers(InferenceOptions options) {
        return options.workers() != null ? options.workers() : DataParallelEngine.defaultWorkers();
    }

    /** Runs {@code work} with a forecaster that owns its buffers for the call (borrowed from the idle engines). */
    private <T> T withForecaster(InferenceOptions options, Interpretation interpretation,
                                 java.util.function.Function<Forecaster, T> work) {
        if (isEnsemble()) {
            return withMemberForecasters(0, new ArrayList<>(), options, work);
        }
        if (!options.device().equals("cpu")) {
            if (interpretation != null) {
                throw new IllegalArgumentException("interpretation runs on the cpu device only");
            }
            return work.apply(ModelForecasters.onDevice(model, options.device(), quantileOrder));
        }
        int workers = workers(options);
        ConcurrentLinkedDeque<DataParallelInference> pool = idle.computeIfAbsent(workers, w -> new ConcurrentLinkedDeque<>());
        DataParallelInference engine = pool.pollFirst();
        if (engine == null) {
            engine = new DataParallelInference(model, workers);
        }
        try {
            return work.apply(ModelForecasters.model(engine, interpretation, quantileOrder));
        } finally {
            pool.offerFirst(engine);
        }
    }

    /** The training data's derived columns (model.json's config.data.derived_columns), for the horizon rows predict adds. */
    private List<Object> derivedColumns() {
        return dataOptions.get("derived_columns") instanceof List<?> steps ? new ArrayList<>(steps) : List.of();
    }

    /** Borrows each member's forecaster in turn (members[from..] after {@code borrowed}) and runs {@code work} with their combination. */
    private <T> T withMemberForecasters(int from, List<Forecaster> borrowed, InferenceOptions options,
                                        java.util.function.Function<Forecaster, T> work) {
        if (from == members.size()) {
            return work.apply(Ensemble.combined(List.copyOf(borrowed), combine));
        }
        return members.get(from).withForecaster(options, null, f -> {
            borrowed.add(f);
            return withMemberForecasters(from + 1, borrowed, options, work);
        });
    }

    /** {@return model.json's sections beside the weights (dataset, preprocessing, config), read-only; an ensemble's first member's} */
    public Map<String, Object> sections() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sections));
    }
}
