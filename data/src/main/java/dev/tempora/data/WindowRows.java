package dev.tempora.data;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The rows of a table that a data set's windows can read when only each series' last windows are kept
 * (PTF's predict mode, {@link TimeSeriesDataSet#lastOrigins}, a held-out test): per series, the rows from
 * the earliest first encoder step of those windows to the series' end. Building such a data set from
 * these rows instead of the whole table gives the same windows and the same batches (the inputs of a row
 * depend only on the row and the fitted preprocessing; a window's row range is found from its start
 * onwards) while holding, and allocating, a few rows per series instead of every row.
 *
 * <p>Rows are dropped only where that holds: with fitted preprocessing whose parameters carry a
 * min_prediction_idx (the data's first time would otherwise move) and, for a timestamp index, a time
 * origin. Each series keeps at least its last row, so that the set of series and their numbering stay as
 * they were. A table the data set would refuse (a missing group id or time, a timestamp off the frequency's
 * grid) comes back whole, so that the data set reports the problem as it always did.
 *
 * <p>What can differ is about rows no kept window reads: a value there that the data set would refuse
 * (a category unseen in training, a non-finite input) no longer fails the build; and with missing time
 * steps a series whose only windows end before the kept rows is warned about as having no window, where
 * over every row it was left out of the selection silently.
 */
public final class WindowRows {

    /** A number of steps back that keeps every row. */
    static final long ALL = Long.MAX_VALUE;

    private WindowRows() {
    }

    /**
     * The rows each series' last window with a full horizon can read (PTF's predict mode): its last
     * max_encoder_length + max_prediction_length time steps.
     *
     * @param frame         every series' rows
     * @param preprocessing the fitted preprocessing the data set will be built with
     * @return those rows, or {@code frame} itself when nothing can be dropped
     */
    public static Frame lastWindow(Frame frame, Preprocessing preprocessing) {
        DatasetParameters p = preprocessing.parameters();
        return lastSteps(frame, row -> true, preprocessing, (long) p.maxEncoderLength + p.maxPredictionLength, Long.MIN_VALUE);
    }

    /**
     * The rows, among those {@code include} accepts, at the series' last {@code steps} time steps and at or
     * after {@code earliestTimeIdx}; each series keeps at least its last row.
     *
     * @param frame           every series' rows
     * @param include         the rows to consider at all (the others are dropped, and do not count as a series' end)
     * @param preprocessing   the fitted preprocessing the data set will be built with
     * @param steps           time steps kept per series, counted back from its last ({@link #ALL}: no such bound)
     * @param earliestTimeIdx the earliest time index kept ({@code Long.MIN_VALUE}: no such bound)
     * @return those rows, or {@code frame} itself when every row is kept
     */
    static Frame lastSteps(Frame frame, IntPredicate include, Preprocessing preprocessing, long steps, long earliestTimeIdx) {
        DatasetParameters p = preprocessing.parameters();
        int[] time = p.minPredictionIdx == null ? null : timeIndex(frame, p, preprocessing.timeOrigin());
        int[] series = time == null ? null : seriesOfRows(frame, p.groupIds);
        if (series == null) {
            return frame.filter(include);
        }
        int seriesCount = Arrays.stream(series).max().orElse(-1) + 1;
        int[] last = new int[seriesCount];
        Arrays.fill(last, Integer.MIN_VALUE);
        for (int r = 0; r < time.length; r++) {
            if (include.test(r)) {
                last[series[r]] = Math.max(last[series[r]], time[r]);
            }
        }
        int[] first = new int[seriesCount];
        for (int s = 0; s < seriesCount; s++) {
            long fromEnd = steps >= 1L << 32 ? Long.MIN_VALUE : last[s] - steps + 1; // |time| < 2^30
            first[s] = (int) Math.min(last[s], Math.max(Math.max(fromEnd, earliestTimeIdx), Integer.MIN_VALUE));
        }
        if (p.allowMissingTimesteps) {
            keepLastRowBefore(first, time, series, include);
        }
        return frame.filter(r -> include.test(r) && time[r] >= first[series[r]]);
    }

    /**
     * Lowers each series' first kept time to its last row before it. With missing time steps PTF's window
     * search ({@link WindowIndex#findEndIndices}) closes a start at the first row past its span, and on a
     * step where it closes one it records no extra, shorter window; the last row before the kept ones closes
     * last of the dropped rows, so keeping it keeps those steps, and the windows that end there, as they were.
     */
    private static void keepLastRowBefore(int[] first, int[] time, int[] series, IntPredicate include) {
        int[] before = new int[first.length];
        Arrays.fill(before, Integer.MIN_VALUE);
        for (int r = 0; r < time.length; r++) {
            int s = series[r];
            if (time[r] < first[s] && time[r] > before[s] && include.test(r)) {
                before[s] = time[r];
            }
        }
        for (int s = 0; s < first.length; s++) {
            if (before[s] != Integer.MIN_VALUE) {
                first[s] = before[s];
            }
        }
    }

    /**
     * Each row's time index as the data set computes it, or null where the data set would refuse the column
     * or where its time index would depend on the rows given (a timestamp index without a fitted time origin).
     */
    private static int[] timeIndex(Frame frame, DatasetParameters p, Long timeOrigin) {
        int[] out = new int[frame.rowCount()];
        if (p.timestamp != null) {
            if (timeOrigin == null || !frame.has(p.timestamp) || !(frame.column(p.timestamp) instanceof TimestampColumn ts)
                    || ts.missingCount() > 0) {
                return null;
            }
            for (int r = 0; r < out.length; r++) {
                long k = p.frequency.periods(timeOrigin, ts.micros[r]);
                if (k == Long.MIN_VALUE || Math.abs(k) >= 1L << 30) {
                    return null;
                }
                out[r] = (int) k;
            }
            return out;
        }
        if (!frame.has(p.timeIdx)) {
            return null;
        }
        Column c = frame.column(p.timeIdx);
        if ((c.type() != ColumnType.INT && c.type() != ColumnType.LONG) || c.missingCount() > 0) {
            return null;
        }
        for (int r = 0; r < out.length; r++) {
            double t = c.getDouble(r);
            if (Math.abs(t) >= 1L << 30) {
                return null;
            }
            out[r] = (int) t;
        }
        return out;
    }

    /**
     * Numbers each row's series as the data set tells series apart (by the text of the group ids), or null
     * when a group id is missing or absent. Codes per column, then one mixed-radix key over the columns.
     */
    private static int[] seriesOfRows(Frame frame, List<String> groupIds) {
        int n = frame.rowCount();
        int[] series = new int[n]; // no group ids: one series
        long[] key = null;         // two or more: a key over their codes
        long radix = 1;
        for (String name : groupIds) {
            if (!frame.has(name) || frame.column(name).missingCount() > 0) {
                return null;
            }
            int[] codes = new int[n];
            int cardinality = Math.max(1, codesOf(frame.column(name), codes));
            if (radix == 1) {
                series = codes;
            } else {
                if (radix > Long.MAX_VALUE / 2 / cardinality) {
                    return null; // the data set refuses so many combinations itself
                }
                if (key == null) {
                    key = new long[n];
                    for (int r = 0; r < n; r++) {
                        key[r] = series[r];
                    }
                    series = null;
                }
                for (int r = 0; r < n; r++) {
                    key[r] = key[r] * cardinality + codes[r];
                }
            }
            radix *= cardinality;
        }
        return key == null ? series : numbered(key, radix);
    }

    /** Numbers the distinct values of {@code key} (each in [0, radix)) in increasing order, without boxing them. */
    private static int[] numbered(long[] key, long radix) {
        int[] out = new int[key.length];
        if (radix <= Math.max(key.length, 1 << 20)) { // a direct table
            int[] numberOfKey = new int[(int) radix];
            for (long k : key) {
                numberOfKey[(int) k] = 1;
            }
            int next = 0;
            for (int k = 0; k < numberOfKey.length; k++) {
                numberOfKey[k] = numberOfKey[k] == 0 ? -1 : next++;
            }
            for (int r = 0; r < key.length; r++) {
                out[r] = numberOfKey[(int) key[r]];
            }
            return out;
        }
        long[] distinct = sortedDistinct(key);
        for (int r = 0; r < key.length; r++) {
            out[r] = Arrays.binarySearch(distinct, key[r]);
        }
        return out;
    }

    private static long[] sortedDistinct(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                sorted[n++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, n);
    }

    /** Fills {@code codes} with a number per distinct text of the column's values; returns how many there are. */
    private static int codesOf(Column column, int[] codes) {
        Map<String, Integer> numbers = new HashMap<>();
        if (column instanceof StringColumn s) {
            int[] numberOfEntry = new int[s.dictionary.length];
            for (int d = 0; d < numberOfEntry.length; d++) {
                numberOfEntry[d] = numbers.computeIfAbsent(s.dictionary[d], text -> numbers.size());
            }
            for (int r = 0; r < codes.length; r++) {
                codes[r] = numberOfEntry[s.codes[r]];
            }
            return numbers.size();
        }
        if (column instanceof IntColumn || column instanceof LongColumn) {
            long[] values = new long[codes.length];
            for (int r = 0; r < codes.length; r++) {
                values[r] = column instanceof IntColumn ints ? ints.values[r] : ((LongColumn) column).values[r];
            }
            long[] distinct = sortedDistinct(values);
            for (int r = 0; r < codes.length; r++) {
                codes[r] = Arrays.binarySearch(distinct, values[r]);
            }
            return distinct.length;
        }
        for (int r = 0; r < codes.length; r++) {
            codes[r] = numbers.computeIfAbsent(column.format(r), text -> numbers.size());
        }
        return numbers.size();
    }
}
