package dev.tempora.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A {@link DataSplit} applied to a table: which rows training may read, which only validation may read
 * (as the forecast steps of its windows), and which are held out for the test. Every series is split at
 * its own time steps unless a {@code training_cutoff} or a test {@code cutoff} gives one for all.
 *
 * <p>The data sets are built as PTF builds its validation set: the training set fits the preprocessing
 * (encoders, normalisers, scalers) on the training rows alone; validation and test windows are drawn
 * from the rows they may see with that preprocessing, their encoders reaching back into earlier rows.
 */
public final class TimeSplit {

    private final DataSplit split;
    private final int horizon;
    private final int[] time;
    private final boolean[] training;
    private final boolean[] test;
    private final int lastTrainingTimeIdx;

    private TimeSplit(DataSplit split, int horizon, int[] time, boolean[] training, boolean[] test, int lastTrainingTimeIdx) {
        this.split = split;
        this.horizon = horizon;
        this.time = time;
        this.training = training;
        this.test = test;
        this.lastTrainingTimeIdx = lastTrainingTimeIdx;
    }

    /**
     * Splits the rows of {@code frame}.
     *
     * @param frame   every series' rows
     * @param dataset the data set's parameters (group ids, time, horizon, lengths)
     * @param split   how to split
     * @param where   names the set-up in error messages (a config file, "TrainingJob")
     * @return the split rows
     * @throws IllegalArgumentException when the split leaves no series long enough to train, naming what each needs
     */
    public static TimeSplit of(Frame frame, DatasetParameters dataset, DataSplit split, String where) {
        int[] time = java.util.Arrays.stream(timeIndex(frame, dataset, null)).mapToInt(t -> (int) t).toArray(); // |t| < 2^30
        int[] series = seriesOfRows(frame, dataset.groupIds);
        int seriesCount = Arrays.stream(series).max().orElse(-1) + 1;
        int max = Arrays.stream(time).max().orElse(0);
        if (split.trainingCutoff() != null && split.trainingCutoff() >= max) {
            throw new IllegalArgumentException(where + ": dataset.validation.training_cutoff " + split.trainingCutoff() + " is not "
                    + "before the last time_idx " + max + " of the data, so validation would score windows the model trained on; "
                    + "give a cutoff below " + max + ", or null for the default (each series' last "
                    + dataset.maxPredictionLength + " steps)");
        }
        Long testCutoff = split.test() == null ? null : testCutoff(split.test(), frame, dataset, where);
        int[] last = new int[seriesCount];
        Arrays.fill(last, Integer.MIN_VALUE);
        for (int r = 0; r < time.length; r++) {
            last[series[r]] = Math.max(last[series[r]], time[r]);
        }
        boolean[] isTest = new boolean[time.length];
        int[] lastVisible = new int[seriesCount];
        Arrays.fill(lastVisible, Integer.MIN_VALUE);
        for (int r = 0; r < time.length; r++) {
            int s = series[r];
            isTest[r] = split.test() != null && (testCutoff != null ? time[r] > testCutoff
                    : time[r] > (long) last[s] - split.test().lastSteps());
            if (!isTest[r]) {
                lastVisible[s] = Math.max(lastVisible[s], time[r]);
            }
        }
        long validationSteps = dataset.maxPredictionLength
                + (long) (split.validationWindows() - 1) * split.validationStrideFor(dataset.maxPredictionLength);
        boolean[] isTraining = new boolean[time.length];
        int lastTraining = Integer.MIN_VALUE;
        for (int r = 0; r < time.length; r++) {
            long end = split.trainingCutoff() != null ? split.trainingCutoff() : lastVisible[series[r]] - validationSteps;
            isTraining[r] = !isTest[r] && time[r] <= end;
            if (isTraining[r]) {
                lastTraining = Math.max(lastTraining, time[r]);
            }
        }
        checkLongEnough(frame, dataset, split, time, series, isTraining, validationSteps, where);
        return new TimeSplit(split, dataset.maxPredictionLength, time, isTraining, isTest, lastTraining);
    }

    /** {@return the split this applies} */
    public DataSplit split() {
        return split;
    }

    /** {@return whether training reads row {@code row}} */
    public boolean isTraining(int row) {
        return training[row];
    }

    /** {@return whether row {@code row} is held out for the test (neither training nor validation reads it)} */
    public boolean isTest(int row) {
        return test[row];
    }

    /** {@return the time index of every row} */
    public int timeIdx(int row) {
        return time[row];
    }

    /** {@return the last time index of any training row} */
    public int lastTrainingTimeIdx() {
        return lastTrainingTimeIdx;
    }

    /**
     * The rows training reads.
     *
     * @param frame the frame this split was made of
     * @return those rows
     */
    public Frame trainingRows(Frame frame) {
        return frame.filter(r -> training[r]);
    }

    /**
     * The rows training and validation read: all but the test.
     *
     * @param frame the frame this split was made of
     * @return those rows
     */
    public Frame visibleRows(Frame frame) {
        return frame.filter(r -> !test[r]);
    }

    /**
     * The validation windows: each series' last windows in {@code visibleRows} (see {@link DataSplit}). The data
     * set holds only the rows those windows read ({@link WindowRows}).
     *
     * @param preprocessing the training set's preprocessing
     * @param visibleRows   the rows validation may read ({@link #visibleRows})
     * @param split         the split
     * @return the validation data set
     */
    public static TimeSeriesDataSet validationSet(Preprocessing preprocessing, Frame visibleRows, DataSplit split) {
        return validationSet(preprocessing, visibleRows, row -> true, split);
    }

    /**
     * The validation windows of the table this split was made of, as {@link #validationSet(Preprocessing, Frame, DataSplit)}
     * of its {@link #visibleRows}, without copying the visible rows first: only the rows the windows read are copied.
     *
     * @param preprocessing the training set's preprocessing
     * @param frame         the frame this split was made of
     * @return the validation data set
     * @throws IllegalArgumentException when {@code frame} has another number of rows than the split's table
     */
    public TimeSeriesDataSet validationSet(Preprocessing preprocessing, Frame frame) {
        if (frame.rowCount() != time.length) {
            throw new IllegalArgumentException("the split was made of a table of " + time.length + " rows, not of this one ("
                    + frame.rowCount() + " rows); give the table the split was made of");
        }
        return validationSet(preprocessing, frame, row -> !test[row], split);
    }

    private static TimeSeriesDataSet validationSet(Preprocessing preprocessing, Frame frame, IntPredicate visible, DataSplit split) {
        DatasetParameters p = preprocessing.parameters();
        int h = p.maxPredictionLength;
        if (split.trainingCutoff() != null && !split.predictValidation()) {
            long firstPrediction = (long) split.trainingCutoff() + 1;
            Frame rows = WindowRows.lastSteps(frame, visible, preprocessing, WindowRows.ALL, firstPrediction - p.maxEncoderLength);
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, rows, p.with("min_prediction_idx", firstPrediction));
        }
        int windows = split.validationWindows();
        int stride = split.validationStrideFor(h);
        Frame rows = WindowRows.lastSteps(frame, visible, preprocessing, lastOriginsSteps(p, windows, stride), Long.MIN_VALUE);
        if (windows == 1) {
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, rows, true); // PTF's predict=True
        }
        return TimeSeriesDataSet.fromPreprocessing(preprocessing, rows, fullHorizon(p, Long.MIN_VALUE))
                .lastOrigins(windows, stride, Long.MIN_VALUE);
    }

    /**
     * The test windows of a table: full forecast windows inside the held-out steps, {@code stride} apart,
     * counted back from each series' end. The data set holds only the rows those windows read ({@link WindowRows}).
     *
     * @param preprocessing the trained model's preprocessing
     * @param table         every series' rows, the test steps included
     * @param split         a split with a test
     * @param where         names the table in error messages
     * @return the test data set
     * @throws IllegalArgumentException when the split has no test, or no series has a test window
     */
    public static TimeSeriesDataSet testSet(Preprocessing preprocessing, Frame table, DataSplit split, String where) {
        DataSplit.TestSplit t = split.test();
        if (t == null) {
            throw new IllegalArgumentException("the split has no test (dataset.test)");
        }
        DatasetParameters p = preprocessing.parameters();
        int h = p.maxPredictionLength;
        int stride = t.strideFor(h);
        if (t.lastSteps() != null) {
            if (t.lastSteps() < h) {
                throw new IllegalArgumentException(where + ": dataset.test.last_steps " + t.lastSteps() + " is shorter than the "
                        + "horizon max_prediction_length " + h + ": a test window needs a whole horizon; hold out at least " + h);
            }
            int origins = (t.lastSteps() - h) / stride + 1;
            Frame rows = WindowRows.lastSteps(table, row -> true, preprocessing, lastOriginsSteps(p, origins, stride), Long.MIN_VALUE);
            return TimeSeriesDataSet.fromPreprocessing(preprocessing, rows, fullHorizon(p, Long.MIN_VALUE))
                    .lastOrigins(origins, stride, Long.MIN_VALUE);
        }
        long cutoff = t.cutoff() != null ? t.cutoff() : timestampCutoff(t.cutoffText(), preprocessing.timeOrigin(),
                p.frequency, where);
        Frame rows = WindowRows.lastSteps(table, row -> true, preprocessing, WindowRows.ALL, cutoff + 1 - p.maxEncoderLength);
        return TimeSeriesDataSet.fromPreprocessing(preprocessing, rows, fullHorizon(p, cutoff + 1))
                .lastOrigins(Integer.MAX_VALUE, stride, cutoff + 1);
    }

    /**
     * The time steps, counted back from a series' end, that its last {@code origins} full-horizon windows
     * {@code stride} apart read: the horizon, the strides between the origins, and the longest encoder.
     */
    private static long lastOriginsSteps(DatasetParameters p, int origins, int stride) {
        return p.maxPredictionLength + (long) (origins - 1) * stride + p.maxEncoderLength;
    }

    private static DatasetParameters fullHorizon(DatasetParameters p, long minPredictionIdx) {
        DatasetParameters out = p.with("min_prediction_length", (long) p.maxPredictionLength).with("predict_mode", false);
        return minPredictionIdx == Long.MIN_VALUE ? out : out.with("min_prediction_idx", minPredictionIdx);
    }

    private static Long testCutoff(DataSplit.TestSplit t, Frame frame, DatasetParameters dataset, String where) {
        if (t.lastSteps() != null) {
            return null;
        }
        if (t.cutoff() != null) {
            return t.cutoff();
        }
        if (dataset.timestamp == null) {
            throw new IllegalArgumentException(where + ": dataset.test.cutoff \"" + t.cutoffText() + "\" is a timestamp, but the data "
                    + "set has no \"timestamp\" column; give the cutoff as a time index");
        }
        TimestampColumn ts = frame.column(dataset.timestamp, TimestampColumn.class);
        return timestampCutoff(t.cutoffText(), Arrays.stream(ts.micros).min().orElse(0), dataset.frequency, where);
    }

    private static long timestampCutoff(String text, Long origin, Frequency frequency, String where) {
        long micros = Timestamps.parseMicros(text);
        if (micros == Long.MIN_VALUE) {
            throw new IllegalArgumentException(where + ": dataset.test.cutoff \"" + text + "\" is not a timestamp such as "
                    + "\"2024-03-01\" or \"2024-03-01 12:00\"");
        }
        if (origin == null || frequency == null) {
            throw new IllegalArgumentException(where + ": dataset.test.cutoff \"" + text + "\" is a timestamp, but the model's time "
                    + "index is not derived from timestamps; give the cutoff as a time index");
        }
        return frequency.periods(origin, micros);
    }

    /** Numbers the series of every row by its group id values, in order of first appearance. */
    static int[] seriesOfRows(Frame frame, List<String> groupIds) {
        List<Column> ids = groupIds.stream().map(frame::column).toList();
        int[] out = new int[frame.rowCount()];
        if (ids.isEmpty()) {
            return out;
        }
        Map<List<String>, Integer> numbers = new HashMap<>();
        for (int r = 0; r < out.length; r++) {
            List<String> key = new ArrayList<>(ids.size());
            for (Column c : ids) {
                key.add(c.format(r));
            }
            out[r] = numbers.computeIfAbsent(key, k -> numbers.size());
        }
        return out;
    }

    /**
     * Refuses data in which no series has a training window, naming the series and the length they need
     * (PTF would fail later with a message about the cutoff or an empty data set).
     */
    private static void checkLongEnough(Frame frame, DatasetParameters dataset, DataSplit split, int[] time, int[] series,
                                        boolean[] training, long validationSteps, String where) {
        int seriesCount = Arrays.stream(series).max().orElse(-1) + 1;
        int[] first = new int[seriesCount];
        int[] last = new int[seriesCount];
        int[] lastTraining = new int[seriesCount];
        int[] rowOf = new int[seriesCount];
        Arrays.fill(first, Integer.MAX_VALUE);
        Arrays.fill(last, Integer.MIN_VALUE);
        Arrays.fill(lastTraining, Integer.MIN_VALUE);
        for (int r = 0; r < time.length; r++) {
            int s = series[r];
            if (time[r] < first[s]) {
                first[s] = time[r];
                rowOf[s] = r;
            }
            last[s] = Math.max(last[s], time[r]);
            if (training[r]) {
                lastTraining[s] = Math.max(lastTraining[s], time[r]);
            }
        }
        int minimum = dataset.minEncoderLength + dataset.minPredictionLength;
        List<String> tooShort = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            long steps = lastTraining[s] == Integer.MIN_VALUE ? 0 : (long) lastTraining[s] - first[s] + 1;
            if (steps >= minimum) {
                return;
            }
            if (tooShort.size() < 5) {
                tooShort.add(seriesName(frame, dataset.groupIds, rowOf[s]) + " (" + ((long) last[s] - first[s] + 1) + " steps, "
                        + steps + " left to train on)");
            }
        }
        String need;
        if (split.trainingCutoff() != null) {
            need = "min_encoder_length + min_prediction_length = " + dataset.minEncoderLength + " + " + dataset.minPredictionLength
                    + " = " + minimum + " time steps up to training_cutoff " + split.trainingCutoff();
        } else {
            Integer testSteps = split.test() != null ? split.test().lastSteps() : null;
            need = "min_encoder_length + min_prediction_length + validation" + (testSteps != null ? " + test" : "") + " = "
                    + dataset.minEncoderLength + " + " + dataset.minPredictionLength + " + " + validationSteps
                    + (testSteps != null ? " + " + testSteps : "") + " = " + (minimum + validationSteps
                    + (testSteps != null ? testSteps : 0)) + " time steps"
                    + (split.test() != null && testSteps == null ? " before the test (" + split.test().describe() + ")" : "");
        }
        throw new IllegalArgumentException(where + ": the data is too short: a series needs at least " + need + ", but all "
                + seriesCount + " series are shorter: " + String.join(", ", tooShort) + (seriesCount > tooShort.size() ? ", ..." : "")
                + "; give longer series, or lower min_encoder_length, max_prediction_length, validation.windows or the test's steps");
    }

    private static String seriesName(Frame frame, List<String> groupIds, int row) {
        StringBuilder name = new StringBuilder();
        for (String g : groupIds) {
            name.append(name.isEmpty() ? "" : ", ").append(g).append('=').append(frame.column(g).format(row));
        }
        return name.isEmpty() ? "the series" : name.toString();
    }

    /**
     * The time index of every row, as the data set computes it: periods of the frequency since the time
     * origin for a timestamp column, else the integer time_idx column.
     *
     * @param frame      the table
     * @param p          the data set parameters naming the time column (time_idx, or timestamp and frequency)
     * @param timeOrigin microseconds of time index 0 for a timestamp index, or null for the frame's earliest
     *                   timestamp; unused with an integer time_idx column
     * @return one time index per row, in row order
     * @throws IllegalArgumentException when the column is missing values, has the wrong type, holds a
     *                                  timestamp off the frequency's grid, or a time index is out of range
     */
    public static long[] timeIndex(Frame frame, DatasetParameters p, Long timeOrigin) {
        long[] out = new long[frame.rowCount()];
        if (p.timestamp != null) {
            Column c = frame.column(p.timestamp);
            if (!(c instanceof TimestampColumn ts)) {
                throw new IllegalArgumentException(frame.source() + ": column '" + p.timestamp + "' (timestamp) holds "
                        + c.type().label() + " values, expected timestamps");
            }
            if (ts.missingCount() > 0) {
                throw new IllegalArgumentException(frame.source() + ": column '" + p.timestamp + "' (timestamp) has "
                        + ts.missingCount() + " missing values");
            }
            long origin = timeOrigin != null ? timeOrigin : Arrays.stream(ts.toArray()).min().orElse(0);
            for (int r = 0; r < out.length; r++) {
                long k = p.frequency.periods(origin, ts.micros(r));
                if (k == Long.MIN_VALUE) {
                    throw new IllegalArgumentException(frame.source() + ": column '" + p.timestamp + "' row " + (r + 1) + ": "
                            + c.format(r) + " is not a whole number of '" + p.frequency + "' steps from the time origin");
                }
                out[r] = k;
            }
        } else {
            Column c = frame.column(p.timeIdx);
            if (c.type() != ColumnType.INT && c.type() != ColumnType.LONG) {
                throw new IllegalArgumentException(frame.source() + ": column '" + p.timeIdx + "' (time_idx) must hold integers, found "
                        + c.type().label());
            }
            if (c.missingCount() > 0) {
                throw new IllegalArgumentException(frame.source() + ": column '" + p.timeIdx + "' (time_idx) has "
                        + c.missingCount() + " missing values");
            }
            for (int r = 0; r < out.length; r++) {
                out[r] = (long) c.getDouble(r);
            }
        }
        for (long t : out) {
            if (Math.abs(t) >= 1L << 30) {
                throw new IllegalArgumentException(frame.source() + ": time index " + t + " is out of range (|time_idx| < 2^30)");
            }
        }
        return out;
    }
}
