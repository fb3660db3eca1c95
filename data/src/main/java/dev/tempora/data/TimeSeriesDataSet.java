package dev.tempora.data;

import dev.tempora.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch Forecasting's {@code TimeSeriesDataSet} on the JVM: windows over a long-format table (one row
 * per series and time step), with PTF's semantics for window lengths, training cutoff and predict mode,
 * categorical encoding, target normalisation and real scaling, and batches collated as PTF's
 * {@code _collate_fn} lays them out.
 *
 * <pre>{@code
 * Frame frame = Frame.read(Path.of("stallion.parquet"));
 * TimeSeriesDataSet training = TimeSeriesDataSet.create(frame.filter(...), parameters);
 * TimeSeriesDataSet validation = TimeSeriesDataSet.fromDataset(training, frame, true);   // predict mode
 * for (Batch batch : training.trainLoader(128, 42).epoch(0)) { ... }
 * DatasetDescription description = training.description();                              // for the model
 * training.preprocessing().save(path);                                                  // to forecast new data later
 * }</pre>
 *
 * <p>Memory: windows are two ints each (first and last row); the inputs are precomputed once, normalised,
 * as row-major float matrices (rows x reals, rows x categoricals) plus the raw target and time index, so
 * collating copies contiguous runs. The source frame is not retained. A data set that keeps only each
 * series' last windows is best built from the rows those read ({@link WindowRows}), as the validation and
 * test sets are.
 */
public final class TimeSeriesDataSet {

    private final DatasetParameters parameters;
    private final Preprocessing preprocessing;
    private final DatasetDescription description;
    private final long minPredictionIdx;
    private final int[] time;
    private final float[] target;
    private final float[] weight;
    private final float[] reals;
    private final float[] categoricals;
    private final int[] seriesStart;
    private final String[][] seriesGroupValues;
    private final float[][] seriesGroupCodes;
    private final float[] seriesTargetScale;
    private final WindowIndex windows;
    private final List<String> warnings;
    private final int nReal;
    private final int nCat;
    private final int relativeTimeColumn;
    private final int encoderLengthColumn;
    private final int targetColumn;
    private final int targetCenterColumn;
    private final int targetScaleColumn;
    private final int timeIdxColumn;

    private TimeSeriesDataSet(DatasetBuilder b, DatasetParameters parameters) {
        this.parameters = parameters;
        this.preprocessing = b.preprocessing;
        this.minPredictionIdx = b.minPredictionIdx;
        this.time = b.time;
        this.target = b.target;
        this.weight = b.weight;
        this.reals = b.reals;
        this.categoricals = b.categoricals;
        this.seriesStart = b.seriesStart;
        this.seriesGroupValues = b.seriesGroupValues;
        this.seriesGroupCodes = b.seriesGroupCodes;
        this.seriesTargetScale = b.seriesTargetScale;
        this.warnings = new ArrayList<>(b.warnings);
        this.nReal = b.realNames.size();
        this.nCat = b.flatCategoricalNames.size();
        List<String> realNames = b.realNames;
        this.relativeTimeColumn = parameters.addRelativeTimeIdx ? realNames.indexOf("relative_time_idx") : -1;
        this.encoderLengthColumn = parameters.addEncoderLength ? realNames.indexOf("encoder_length") : -1;
        this.targetColumn = realNames.indexOf(parameters.target);
        this.targetCenterColumn = parameters.addTargetScales ? realNames.indexOf(parameters.target + "_center") : -1;
        this.targetScaleColumn = parameters.addTargetScales ? realNames.indexOf(parameters.target + "_scale") : -1;
        this.timeIdxColumn = realNames.indexOf(parameters.timeIdx);
        this.description = describe(b);

        this.windows = WindowIndex.build(time, seriesStart, parameters.minEncoderLength, parameters.maxEncoderLength,
                parameters.minPredictionLength, parameters.maxPredictionLength, minPredictionIdx, parameters.predictMode);
        int series = seriesStart.length - 1;
        boolean[] covered = new boolean[series];
        for (int w = 0; w < windows.size(); w++) {
            covered[seriesOf(windows.start[w])] = true;
        }
        List<String> dropped = new ArrayList<>();
        int longest = 0;
        for (int s = 0; s < series; s++) {
            longest = Math.max(longest, time[seriesStart[s + 1] - 1] - time[seriesStart[s]] + 1);
            if (!covered[s]) {
                dropped.add(b.seriesName(s));
            }
        }
        int minimum = parameters.minEncoderLength + parameters.minPredictionLength;
        if (windows.size() == 0) {
            throw new IllegalArgumentException("no window fits: every series is shorter than min_encoder_length + min_prediction_length = "
                    + minimum + " time steps, or ends before min_prediction_idx " + minPredictionIdx
                    + " (the longest series spans " + longest + " steps)");
        }
        if (!dropped.isEmpty()) {
            warnings.add(dropped.size() + " series have no window (shorter than min_encoder_length + min_prediction_length = "
                    + minimum + ", or ending before min_prediction_idx " + minPredictionIdx + ") and are left out; the first: "
                    + dropped.subList(0, Math.min(10, dropped.size())));
        }
    }

    /** The same rows, preprocessing and parameters with another window index (see {@link #lastOrigins}). */
    private TimeSeriesDataSet(TimeSeriesDataSet source, WindowIndex windows) {
        this.parameters = source.parameters;
        this.preprocessing = source.preprocessing;
        this.description = source.description;
        this.minPredictionIdx = source.minPredictionIdx;
        this.time = source.time;
        this.target = source.target;
        this.weight = source.weight;
        this.reals = source.reals;
        this.categoricals = source.categoricals;
        this.seriesStart = source.seriesStart;
        this.seriesGroupValues = source.seriesGroupValues;
        this.seriesGroupCodes = source.seriesGroupCodes;
        this.seriesTargetScale = source.seriesTargetScale;
        this.warnings = new ArrayList<>(source.warnings);
        this.nReal = source.nReal;
        this.nCat = source.nCat;
        this.relativeTimeColumn = source.relativeTimeColumn;
        this.encoderLengthColumn = source.encoderLengthColumn;
        this.targetColumn = source.targetColumn;
        this.targetCenterColumn = source.targetCenterColumn;
        this.targetScaleColumn = source.targetScaleColumn;
        this.timeIdxColumn = source.timeIdxColumn;
        this.windows = windows;
    }

    /** Which forecast origins a selection of windows keeps ({@link #fullHorizonWindows}). */
    @FunctionalInterface
    public interface OriginFilter {
        /**
         * Whether to keep the windows of one series that forecast from {@code origin}.
         *
         * @param series          the series
         * @param origin          the time index of the first forecast step
         * @param seriesLastTimeIdx the series' last time index in this data set
         * @return true to keep the origin
         */
        boolean keep(int series, int origin, int seriesLastTimeIdx);
    }

    /**
     * For every (series, origin) that {@code filter} keeps, the window that forecasts a full horizon
     * (max_prediction_length steps) from that origin with the longest encoder: what a backtest or a held-out
     * test scores once per origin. Build the data set with min_prediction_length = max_prediction_length
     * outside predict mode, so that every candidate window is indexed.
     *
     * @param filter the origins to keep
     * @return window indices in series order, then origin order; empty when none fits
     */
    public int[] fullHorizonWindows(OriginFilter filter) {
        int horizon = parameters.maxPredictionLength;
        Map<Long, Integer> best = new java.util.TreeMap<>(); // key: series, then origin (both non-negative offsets)
        for (int w = 0; w < windows.size(); w++) {
            Window window = window(w);
            int origin = window.firstPredictionTimeIdx();
            if (window.decoderLength() != horizon
                    || !filter.keep(window.series(), origin, time[seriesStart[window.series() + 1] - 1])) {
                continue;
            }
            long key = ((long) window.series() << 32) | (origin - (long) Integer.MIN_VALUE);
            Integer kept = best.get(key);
            if (kept == null || window(kept).encoderLength() < window.encoderLength()) {
                best.put(key, w);
            }
        }
        return best.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The same rows and preprocessing with only the given windows (e.g. {@link #fullHorizonWindows}'s).
     *
     * @param selected window indices of this data set, in the order the new one lists them
     * @return a data set over the same rows with those windows
     * @throws IllegalArgumentException for an index outside this data set
     */
    public TimeSeriesDataSet select(int[] selected) {
        int[] starts = new int[selected.length];
        int[] ends = new int[selected.length];
        for (int i = 0; i < selected.length; i++) {
            if (selected[i] < 0 || selected[i] >= windows.size()) {
                throw new IllegalArgumentException("window " + selected[i] + " is outside the data set's " + windows.size() + " windows");
            }
            starts[i] = windows.start[selected[i]];
            ends[i] = windows.end[selected[i]];
        }
        return new TimeSeriesDataSet(this, new WindowIndex(starts, ends));
    }

    /**
     * The full-horizon windows whose forecast starts at one of each series' last origins: the series' last
     * time index − max_prediction_length + 1 − j·{@code stride} for j = 0 … {@code count} − 1, none before
     * {@code earliestFirstPrediction}; for each origin the window with the longest encoder
     * ({@link #fullHorizonWindows}). Series with no such window are left out.
     *
     * @param count                    origins per series, at least 1 ({@code Integer.MAX_VALUE}: as many as fit)
     * @param stride                   time steps between origins, at least 1
     * @param earliestFirstPrediction  the earliest first forecast step (time index) allowed
     * @return a data set over the same rows with only those windows, in series then time order
     * @throws IllegalArgumentException when no series has such a window
     */
    public TimeSeriesDataSet lastOrigins(int count, int stride, long earliestFirstPrediction) {
        if (count < 1 || stride < 1) {
            throw new IllegalArgumentException("origins: count and stride must be at least 1, got " + count + " and " + stride);
        }
        int horizon = parameters.maxPredictionLength;
        int[] selected = fullHorizonWindows((series, origin, last) -> {
            long behind = (long) last - horizon + 1 - origin;
            return behind >= 0 && behind % stride == 0 && behind / stride < count && origin >= earliestFirstPrediction;
        });
        if (selected.length == 0) {
            throw new IllegalArgumentException("no series has a full forecast window of " + horizon + " steps at its last origins"
                    + (earliestFirstPrediction > Long.MIN_VALUE ? " after time index " + (earliestFirstPrediction - 1) : "")
                    + "; give longer series or a shorter max_prediction_length");
        }
        return select(selected);
    }

    /** Fits encoders, the target normaliser and scalers on {@code frame} and indexes its windows. */
    public static TimeSeriesDataSet create(Frame frame, DatasetParameters parameters) {
        return new TimeSeriesDataSet(new DatasetBuilder(frame, parameters, null).build(), parameters);
    }

    /**
     * PTF's {@code TimeSeriesDataSet.from_dataset(dataset, data, predict=...)}: new data, the same
     * parameters and fitted preprocessing. With {@code predict}, min_prediction_length becomes
     * max_prediction_length and each series gives only its last window (predict mode).
     */
    public static TimeSeriesDataSet fromDataset(TimeSeriesDataSet dataset, Frame frame, boolean predict) {
        return fromPreprocessing(dataset.preprocessing, frame, predict);
    }

    /** As {@link #fromDataset}, from saved preprocessing (e.g. read back with a model). */
    public static TimeSeriesDataSet fromPreprocessing(Preprocessing preprocessing, Frame frame, boolean predict) {
        DatasetParameters p = preprocessing.parameters;
        if (predict) {
            p = p.with("min_prediction_length", (long) p.maxPredictionLength).with("predict_mode", true);
        }
        return fromPreprocessing(preprocessing, frame, p);
    }

    /** As {@link #fromPreprocessing(Preprocessing, Frame, boolean)} with parameters overridden (PTF's update_kwargs). */
    public static TimeSeriesDataSet fromPreprocessing(Preprocessing preprocessing, Frame frame, DatasetParameters parameters) {
        return new TimeSeriesDataSet(new DatasetBuilder(frame, parameters, preprocessing).build(), parameters);
    }

    // ------------------------------------------------------------------ what it holds

    /** The parameters it was built with. */
    public DatasetParameters parameters() {
        return parameters;
    }

    /** The preprocessing fitted on this data (or the one it was built from), to save with a model. */
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** The model's view of the variables: names, kinds, roles, cardinalities and batch positions. */
    public DatasetDescription description() {
        return description;
    }

    /** Number of windows (samples). */
    public int size() {
        return windows.size();
    }

    /** The number of series kept. */
    public int seriesCount() {
        return seriesStart.length - 1;
    }

    /** Number of (sorted, kept) rows. */
    public int rowCount() {
        return time.length;
    }

    /** Messages about series left out (PTF warns about them too). */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The minimum time index from which predictions start (PTF's min_prediction_idx). */
    public long minPredictionIdx() {
        return minPredictionIdx;
    }

    /** The group id values of a series, in the order of group_ids. */
    public List<String> seriesGroupValues(int series) {
        return List.of(seriesGroupValues[series]);
    }

    /** The timestamp of a time index when the index was derived from a timestamp column; otherwise an error. */
    public long timestampOf(long timeIdx) {
        if (preprocessing.timeOrigin == null) {
            throw new IllegalStateException("this dataset's time index is the integer column '" + parameters.timeIdx
                    + "', not derived from timestamps");
        }
        return parameters.frequency.advance(preprocessing.timeOrigin, timeIdx);
    }

    /** One window: its series, time index of the first encoder step, encoder and decoder lengths. */
    public record Window(int series, int firstTimeIdx, int encoderLength, int decoderLength) {
        /** The time index of the first decoder (forecast) step. */
        public int firstPredictionTimeIdx() {
            return firstTimeIdx + encoderLength;
        }
    }

    /** Window {@code index}, 0 ≤ index &lt; {@link #size()}. */
    public Window window(int index) {
        int s = windows.start[index];
        int e = windows.end[index];
        int sequenceLength = time[e] - time[s] + 1;
        int decoder = decoderLength(e, sequenceLength);
        return new Window(seriesOf(s), time[s], sequenceLength - decoder, decoder);
    }

    /** Bytes held by the dataset's arrays (inputs, index, per-series tables). */
    public long byteSize() {
        return 4L * (time.length + target.length + (weight == null ? 0 : weight.length) + reals.length + categoricals.length + seriesStart.length
                + seriesTargetScale.length) + 8L * windows.size() + 64L * seriesCount();
    }

    // ------------------------------------------------------------------ batches

    /** Batches of {@code batchSize} windows, optionally shuffled per epoch from {@code seed}. */
    public BatchLoader loader(int batchSize, boolean shuffle, boolean dropLast, long seed) {
        return new BatchLoader(this, batchSize, shuffle, dropLast, seed);
    }

    /** PTF's {@code to_dataloader(train=True)}: shuffled, dropping the last incomplete batch when there is more than one batch. */
    public BatchLoader trainLoader(int batchSize, long seed) {
        return loader(batchSize, true, size() > batchSize, seed);
    }

    /** PTF's {@code to_dataloader(train=False)}: in index order, every window. */
    public BatchLoader predictLoader(int batchSize) {
        return loader(batchSize, false, false, 0);
    }

    /** Collates the given windows into one batch (thread-safe: the dataset is immutable). */
    public Batch collate(int[] windowIndices) {
        int batch = windowIndices.length;
        if (batch == 0) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        int[] encoder = new int[batch];
        int[] decoder = new int[batch];
        int[] series = new int[batch];
        int maxEncoder = 0;
        int maxDecoder = 0;
        for (int b = 0; b < batch; b++) {
            int w = windowIndices[b];
            if (w < 0 || w >= windows.size()) {
                throw new IllegalArgumentException("window " + w + " is outside the dataset's " + windows.size() + " windows");
            }
            int s = windows.start[w];
            int e = windows.end[w];
            int sequenceLength = time[e] - time[s] + 1;
            decoder[b] = decoderLength(e, sequenceLength);
            encoder[b] = sequenceLength - decoder[b];
            series[b] = seriesOf(s);
            maxEncoder = Math.max(maxEncoder, encoder[b]);
            maxDecoder = Math.max(maxDecoder, decoder[b]);
        }
        int groupCount = parameters.groupIds.size();
        float[] encoderCat = new float[batch * maxEncoder * nCat];
        float[] encoderCont = new float[batch * maxEncoder * nReal];
        float[] encoderTarget = new float[batch * maxEncoder];
        float[] decoderCat = new float[batch * maxDecoder * nCat];
        float[] decoderCont = new float[batch * maxDecoder * nReal];
        float[] decoderTarget = new float[batch * maxDecoder];
        float[] decoderWeight = weight == null ? null : new float[batch * maxDecoder];
        float[] encoderLengths = new float[batch];
        float[] decoderLengths = new float[batch];
        float[] decoderTime = new float[batch * maxDecoder];
        float[] groups = new float[batch * groupCount];
        float[] targetScale = new float[batch * 2];
        boolean encoderNormalizer = preprocessing.targetNormalizer.kind() == TargetNormalizer.Kind.ENCODER;
        float maxEncoderLength = parameters.maxEncoderLength;
        for (int b = 0; b < batch; b++) {
            int w = windowIndices[b];
            int s = windows.start[w];
            int e = windows.end[w];
            int enc = encoder[b];
            int dec = decoder[b];
            int encoderBase = b * maxEncoder;
            int decoderBase = b * maxDecoder;
            if (e - s + 1 == enc + dec) { // no gaps: one contiguous run per block
                System.arraycopy(reals, s * nReal, encoderCont, encoderBase * nReal, enc * nReal);
                System.arraycopy(reals, (s + enc) * nReal, decoderCont, decoderBase * nReal, dec * nReal);
                System.arraycopy(categoricals, s * nCat, encoderCat, encoderBase * nCat, enc * nCat);
                System.arraycopy(categoricals, (s + enc) * nCat, decoderCat, decoderBase * nCat, dec * nCat);
                System.arraycopy(target, s, encoderTarget, encoderBase, enc);
                System.arraycopy(target, s + enc, decoderTarget, decoderBase, dec);
                if (decoderWeight != null) {
                    System.arraycopy(weight, s + enc, decoderWeight, decoderBase, dec);
                }
            } else {
                copyWithForwardFill(s, e, enc, dec, encoderBase, decoderBase, encoderCont, decoderCont, encoderCat, decoderCat,
                        encoderTarget, decoderTarget, decoderWeight);
            }
            if (relativeTimeColumn >= 0) { // torch.arange(-enc, dec) / max_encoder_length, in float32
                for (int t = 0; t < enc; t++) {
                    encoderCont[(encoderBase + t) * nReal + relativeTimeColumn] = (float) (t - enc) / maxEncoderLength;
                }
                for (int t = 0; t < dec; t++) {
                    decoderCont[(decoderBase + t) * nReal + relativeTimeColumn] = (float) t / maxEncoderLength;
                }
            }
            if (encoderLengthColumn >= 0) {
                float value = (float) ((enc - 0.5 * parameters.maxEncoderLength) / parameters.maxEncoderLength * 2.0);
                fillColumn(encoderCont, encoderBase, enc, encoderLengthColumn, value);
                fillColumn(decoderCont, decoderBase, dec, encoderLengthColumn, value);
            }
            if (encoderNormalizer) {
                applyEncoderNormalizer(b, enc, dec, encoderBase, decoderBase, encoderCont, decoderCont, encoderTarget,
                        decoderTarget, targetScale);
            } else {
                targetScale[2 * b] = seriesTargetScale[2 * series[b]];
                targetScale[2 * b + 1] = seriesTargetScale[2 * series[b] + 1];
            }
            encoderLengths[b] = enc;
            decoderLengths[b] = dec;
            float firstDecoderTime = time[s] + enc;
            for (int t = 0; t < maxDecoder; t++) {
                decoderTime[decoderBase + t] = firstDecoderTime + t;
            }
            System.arraycopy(seriesGroupCodes[series[b]], 0, groups, b * groupCount, groupCount);
        }
        return new Batch(
                Tensor.wrap(encoderCat, batch, maxEncoder, nCat), Tensor.wrap(encoderCont, batch, maxEncoder, nReal),
                Tensor.wrap(encoderTarget, batch, maxEncoder), Tensor.wrap(encoderLengths, batch),
                Tensor.wrap(decoderCat, batch, maxDecoder, nCat), Tensor.wrap(decoderCont, batch, maxDecoder, nReal),
                Tensor.wrap(decoderTarget, batch, maxDecoder), Tensor.wrap(decoderLengths, batch),
                Tensor.wrap(decoderTime, batch, maxDecoder), Tensor.wrap(groups, batch, groupCount),
                Tensor.wrap(targetScale, batch, 2), decoderWeight == null ? null : Tensor.wrap(decoderWeight, batch, maxDecoder),
                series, windowIndices.clone(), encoder, decoder);
    }

    private void fillColumn(float[] block, int base, int steps, int column, float value) {
        for (int t = 0; t < steps; t++) {
            block[(base + t) * nReal + column] = value;
        }
    }

    /**
     * A window over rows with gaps: each row repeats until the next row's time (PTF's forward fill; its weight
     * too), and a real time_idx input is re-laid as a straight line from the first to the last step.
     */
    private void copyWithForwardFill(int s, int e, int enc, int dec, int encoderBase, int decoderBase, float[] encoderCont,
                                     float[] decoderCont, float[] encoderCat, float[] decoderCat, float[] encoderTarget,
                                     float[] decoderTarget, float[] decoderWeight) {
        int length = enc + dec;
        int row = s;
        float firstTime = timeIdxColumn >= 0 ? reals[s * nReal + timeIdxColumn] : 0f;
        float lastTime = timeIdxColumn >= 0 ? reals[e * nReal + timeIdxColumn] : 0f;
        for (int q = 0; q < length; q++) {
            while (row < e && time[row + 1] <= time[s] + q) {
                row++;
            }
            boolean inEncoder = q < enc;
            int position = inEncoder ? encoderBase + q : decoderBase + q - enc;
            float[] cont = inEncoder ? encoderCont : decoderCont;
            System.arraycopy(reals, row * nReal, cont, position * nReal, nReal);
            System.arraycopy(categoricals, row * nCat, inEncoder ? encoderCat : decoderCat, position * nCat, nCat);
            (inEncoder ? encoderTarget : decoderTarget)[position] = target[row];
            if (!inEncoder && decoderWeight != null) {
                decoderWeight[position] = weight[row];
            }
            if (timeIdxColumn >= 0) {
                cont[position * nReal + timeIdxColumn] = length == 1 ? firstTime
                        : (float) (firstTime + (lastTime - (double) firstTime) * q / (length - 1));
            }
        }
    }

    /** EncoderNormalizer: refit on this window's encoder targets; rescale the target input and scale features. */
    private void applyEncoderNormalizer(int b, int enc, int dec, int encoderBase, int decoderBase, float[] encoderCont,
                                        float[] decoderCont, float[] encoderTarget, float[] decoderTarget, float[] targetScale) {
        TargetNormalizer n = preprocessing.targetNormalizer;
        double[] params = n.fitWindow(encoderTarget, encoderBase, enc);
        targetScale[2 * b] = (float) params[0];
        targetScale[2 * b + 1] = (float) params[1];
        if (targetColumn >= 0) {
            for (int t = 0; t < enc; t++) {
                encoderCont[(encoderBase + t) * nReal + targetColumn] =
                        (float) n.normalize(encoderTarget[encoderBase + t], params[0], params[1], Transformation.EPS32);
            }
            for (int t = 0; t < dec; t++) {
                decoderCont[(decoderBase + t) * nReal + targetColumn] =
                        (float) n.normalize(decoderTarget[decoderBase + t], params[0], params[1], Transformation.EPS32);
            }
        }
        if (targetCenterColumn >= 0) {
            float center = (float) preprocessing.scalers.get(parameters.target + "_center").transform(params[0]);
            float scale = (float) preprocessing.scalers.get(parameters.target + "_scale").transform(params[1]);
            fillColumn(encoderCont, encoderBase, enc, targetCenterColumn, center);
            fillColumn(decoderCont, decoderBase, dec, targetCenterColumn, center);
            fillColumn(encoderCont, encoderBase, enc, targetScaleColumn, scale);
            fillColumn(decoderCont, decoderBase, dec, targetScaleColumn, scale);
        }
    }

    /** PTF's calculate_decoder_length. */
    private int decoderLength(int lastRow, int sequenceLength) {
        long untilCutoff = time[lastRow] - (minPredictionIdx - 1);
        return (int) Math.min(Math.min(untilCutoff, parameters.maxPredictionLength), sequenceLength - parameters.minEncoderLength);
    }

    private int seriesOf(int row) {
        int s = java.util.Arrays.binarySearch(seriesStart, row);
        if (s >= 0) {
            while (s + 1 < seriesStart.length - 1 && seriesStart[s + 1] == row) {
                s++;
            }
            return s;
        }
        return -s - 2;
    }

    private DatasetDescription describe(DatasetBuilder b) {
        List<String> staticReals = new ArrayList<>(parameters.staticReals);
        if (parameters.addEncoderLength) {
            staticReals.add("encoder_length");
        }
        if (parameters.addTargetScales) {
            staticReals.add(parameters.target + "_center");
            staticReals.add(parameters.target + "_scale");
        }
        List<String> knownReals = new ArrayList<>(parameters.knownReals);
        if (parameters.addRelativeTimeIdx) {
            knownReals.add("relative_time_idx");
        }
        Map<String, Integer> cardinalities = new LinkedHashMap<>();
        List<String> nan = new ArrayList<>();
        for (String variable : parameters.categoricals()) {
            LabelEncoder e = preprocessing.categoricalEncoders.get(variable);
            cardinalities.put(variable, e.cardinality());
            if (e.addNan()) {
                nan.add(variable);
            }
        }
        return new DatasetDescription(parameters.target, parameters.maxEncoderLength, parameters.maxPredictionLength,
                parameters.staticCategoricals, List.copyOf(staticReals), parameters.knownCategoricals, List.copyOf(knownReals),
                parameters.unknownCategoricals, parameters.unknownReals, parameters.variableGroups, cardinalities, nan,
                List.copyOf(b.realNames), List.copyOf(b.flatCategoricalNames), preprocessing.targetNormalizer);
    }

    @Override
    public String toString() {
        return "TimeSeriesDataSet(" + size() + " windows over " + seriesCount() + " series, " + rowCount() + " rows"
                + (parameters.predictMode ? ", predict mode" : "") + ")";
    }
}
