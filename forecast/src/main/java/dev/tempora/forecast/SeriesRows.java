package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.TimeSplit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's rows grouped into series and sorted by time, with the time index the dataset gives
 * each row (an integer column, or periods of the frequency since the time origin), for the commands
 * that look at raw series before a dataset exists: predict (which rows are history, which are future),
 * the seasonal-naive baseline (history longer than the encoder) and inspect (lengths and gaps).
 */
public final class SeriesRows {

    /**
     * One series: its group id values (as the dataset names them) and its rows in time order.
     *
     * @param key  the group id values
     * @param rows the series' rows of the frame, in time order
     * @param time each of those rows' time index
     */
    public record Series(List<String> key, int[] rows, long[] time) {
        /**
         * The series as "id=value, ..." for messages.
         *
         * @param groupIds the group id column names, in the order of {@link #key}
         * @return e.g. "store=3, item=12"
         */
        public String label(List<String> groupIds) {
            StringBuilder sb = new StringBuilder();
            for (int g = 0; g < key.size(); g++) {
                sb.append(g == 0 ? "" : ", ").append(groupIds.get(g)).append('=').append(key.get(g));
            }
            return sb.toString();
        }
    }

    private final Map<List<String>, Series> series;
    /** The group id columns. */
    public final List<String> groupIds;

    private SeriesRows(Map<List<String>, Series> series, List<String> groupIds) {
        this.series = series;
        this.groupIds = groupIds;
    }

    /**
     * Groups a frame's rows.
     *
     * @param frame      the table
     * @param p          the data set parameters naming the group id and time (time_idx or timestamp) columns
     * @param timeOrigin microseconds of time index 0 for a timestamp index (a model's), or null to
     *                   count from the frame's earliest timestamp as a new dataset does
     * @return the series, in order of first appearance
     * @throws IllegalArgumentException when a group id or time column has missing values, the time column has
     *                                  the wrong type, or a time index is out of range
     */
    public static SeriesRows of(Frame frame, DatasetParameters p, Long timeOrigin) {
        long[] time = timeIndex(frame, p, timeOrigin);
        List<Column> groups = new ArrayList<>();
        for (String g : p.groupIds) {
            Column c = frame.column(g);
            if (c.missingCount() > 0) {
                throw new IllegalArgumentException(frame.source() + ": group id column '" + g + "' has " + c.missingCount()
                        + " missing values");
            }
            groups.add(c);
        }
        Map<List<String>, List<Integer>> rowsByKey = new LinkedHashMap<>();
        Map<String, String> interned = new HashMap<>();
        for (int r = 0; r < frame.rowCount(); r++) {
            List<String> key = new ArrayList<>(groups.size());
            for (Column c : groups) {
                key.add(interned.computeIfAbsent(c.format(r), v -> v));
            }
            rowsByKey.computeIfAbsent(List.copyOf(key), k -> new ArrayList<>()).add(r);
        }
        Map<List<String>, Series> out = new LinkedHashMap<>();
        for (Map.Entry<List<String>, List<Integer>> e : rowsByKey.entrySet()) {
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            long[] packed = new long[rows.length];
            // stable sort by time: (time, position) pairs; time fits in 31 bits after the range check
            for (int i = 0; i < rows.length; i++) {
                packed[i] = (time[rows[i]] << 32) | i;
            }
            Arrays.sort(packed);
            int[] sortedRows = new int[rows.length];
            long[] sortedTime = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                sortedRows[i] = rows[(int) (packed[i] & 0xffffffffL)];
                sortedTime[i] = time[sortedRows[i]];
            }
            out.put(e.getKey(), new Series(e.getKey(), sortedRows, sortedTime));
        }
        return new SeriesRows(out, List.copyOf(p.groupIds));
    }

    /** {@return every series, in order of first appearance} */
    public List<Series> all() {
        return List.copyOf(series.values());
    }

    /**
     * The series with these group id values.
     *
     * @param key the group id values, in the order of {@link #groupIds}, formatted as the columns format them
     * @return the series, or null when no row has that key
     */
    public Series get(List<String> key) {
        return series.get(key);
    }

    /** {@return the number of series} */
    public int count() {
        return series.size();
    }

    /**
     * The time index of every row, as the data module computes it ({@link TimeSplit#timeIndex}).
     *
     * @param frame      the table
     * @param p          the data set parameters naming the time column (time_idx, or timestamp and frequency)
     * @param timeOrigin microseconds of time index 0 for a timestamp index, or null for the frame's earliest timestamp
     * @return one time index per row, in row order
     */
    public static long[] timeIndex(Frame frame, DatasetParameters p, Long timeOrigin) {
        return TimeSplit.timeIndex(frame, p, timeOrigin);
    }
}
