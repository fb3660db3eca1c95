package dev.tempora.data;

import dev.tempora.tensor.io.JsonKeys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills or drops missing values of a data set's numeric columns before the data set is built, per series
 * (group_ids) in time order (time_idx, or the timestamp column): the config's {@code data.fill_missing}
 * <pre>{@code
 * "fill_missing": {"target": "linear", "covariates": "forward", "columns": {"price": "zero"}}
 * }</pre>
 * "target" applies to the data set's target, "covariates" to every other numeric input column (static,
 * known and unknown reals), "columns" overrides either for a column. PTF has no such option: one fills
 * the DataFrame with pandas ({@code ffill}, {@code fillna(0)}, {@code interpolate}) before building the
 * TimeSeriesDataSet. Series that a "drop_series" column drops are dropped first; then the other columns
 * are filled in the series that remain.
 */
public final class MissingValues {

    /** The keys of the "fill_missing" object. */
    static final Set<String> KEYS = Set.of("target", "covariates", "columns");

    /** How a column's missing values are treated. */
    public enum Method {
        /** The last value before the gap, within the series; a leading gap takes the series' first value (back fill). */
        FORWARD("forward"),
        /** Zero. */
        ZERO("zero"),
        /**
         * Linear interpolation in time between the values around the gap, within the series (pandas'
         * {@code interpolate(method="time")}); a leading or trailing gap takes the nearest value.
         */
        LINEAR("linear"),
        /** Every series with a missing value in the column is left out. */
        DROP_SERIES("drop_series");

        private final String key;

        Method(String key) {
            this.key = key;
        }

        /** {@return the method's name in a config, e.g. "drop_series"} */
        public String key() {
            return key;
        }

        /**
         * The method a config names.
         *
         * @param text  the name, e.g. "forward"
         * @param where names the setting in the error message
         * @return the method
         * @throws IllegalArgumentException for an unknown name, naming the closest valid one
         */
        public static Method parse(String text, String where) {
            for (Method m : values()) {
                if (m.key.equals(text)) {
                    return m;
                }
            }
            List<String> keys = Arrays.stream(values()).map(Method::key).toList();
            String closest = JsonKeys.closest(text, keys);
            throw new IllegalArgumentException(where + ": unknown fill method \"" + text + "\""
                    + (closest != null ? "; did you mean \"" + closest + "\"?" : "; expected one of " + String.join(", ", keys)));
        }
    }

    /**
     * What to do with missing values: the {@code data.fill_missing} object.
     *
     * @param target     the method for the target, or null to leave its missing values (an error when the data set is built)
     * @param covariates the method for every other numeric input column, or null
     * @param columns    per column methods, overriding the two above
     */
    public record Options(Method target, Method covariates, Map<String, Method> columns) {

        /** Copies the column map (in its order). */
        public Options {
            columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        }

        /** {@return no filling at all: missing values stay an error, as without the option} */
        public static Options none() {
            return new Options(null, null, Map.of());
        }

        /**
         * Options for the target and the covariates.
         *
         * @param target     the target's method, or null
         * @param covariates the other numeric inputs' method, or null
         * @return the options, no column overrides
         */
        public static Options of(Method target, Method covariates) {
            return new Options(target, covariates, Map.of());
        }

        /**
         * These options with a method for one column (overriding the target's or the covariates').
         *
         * @param column the column
         * @param method its method
         * @return new options
         */
        public Options withColumn(String column, Method method) {
            Map<String, Method> m = new LinkedHashMap<>(columns);
            m.put(column, java.util.Objects.requireNonNull(method, "method"));
            return new Options(target, covariates, m);
        }

        /** {@return whether no column is filled or dropped} */
        public boolean isEmpty() {
            return target == null && covariates == null && columns.isEmpty();
        }

        /**
         * Reads the "fill_missing" object of a config's "data" section.
         *
         * @param json  the object as parsed JSON, or null for {@link #none()}
         * @param where names the object in error messages (e.g. "data.fill_missing")
         * @return the options
         * @throws IllegalArgumentException for an unknown key or method, naming the closest valid one
         */
        public static Options fromJson(Map<String, Object> json, String where) {
            if (json == null) {
                return none();
            }
            JsonKeys.requireKnown(json, KEYS, where);
            Method target = method(json, "target", where);
            Method covariates = method(json, "covariates", where);
            Map<String, Method> columns = new LinkedHashMap<>();
            Map<String, Object> c = JsonValues.object(json, "columns", where);
            if (c != null) {
                for (String column : c.keySet()) {
                    columns.put(column, method(c, column, where + ".columns"));
                }
            }
            return new Options(target, covariates, columns);
        }

        /**
         * Reads the "fill_missing" entry of a config's "data" section (as model.json keeps it too).
         *
         * @param data  the "data" section as parsed JSON
         * @param where names the section in error messages (e.g. "model.json: config.data")
         * @return the options, {@link #none()} when the entry is absent
         * @throws IllegalArgumentException for an entry that is not an object, an unknown key or method
         */
        public static Options fromDataSection(Map<String, Object> data, String where) {
            return fromJson(JsonValues.object(data, "fill_missing", where), where + ".fill_missing");
        }

        private static Method method(Map<String, Object> json, String key, String where) {
            if (json.get(key) == null) {
                return null;
            }
            return Method.parse(JsonValues.string(json, key, where, null), where + "." + key);
        }

        /** {@return the options as the "fill_missing" object of a config (what {@link #fromJson} reads)} */
        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            if (target != null) {
                out.put("target", target.key());
            }
            if (covariates != null) {
                out.put("covariates", covariates.key());
            }
            if (!columns.isEmpty()) {
                Map<String, Object> c = new LinkedHashMap<>();
                columns.forEach((name, m) -> c.put(name, m.key()));
                out.put("columns", c);
            }
            return out;
        }
    }

    /**
     * What was done to one column.
     *
     * @param column        the column
     * @param method        its method
     * @param filled        cells filled (0 for drop_series)
     * @param backFilled    of those, the cells of a leading gap that forward fill took from the series' first value
     * @param droppedSeries the series a drop_series column left out ("store=3, item=12"), in order of first appearance;
     *                      a series that an earlier drop_series column dropped is named under that column only
     */
    public record ColumnFill(String column, Method method, int filled, int backFilled, List<String> droppedSeries) {

        /** Copies the series list. */
        public ColumnFill {
            droppedSeries = List.copyOf(droppedSeries);
        }

        /** {@return one line for the user, e.g. "price: 12 missing values filled (forward; 3 of them back-filled ...)"} */
        public String describe() {
            if (method == Method.DROP_SERIES) {
                int n = droppedSeries.size();
                return column + ": " + (n == 0 ? "no series dropped (drop_series)" : n + " series"
                        + " dropped for missing values (drop_series): " + String.join("; ", droppedSeries.subList(0, Math.min(n, 5)))
                        + (n > 5 ? "; ..." : ""));
            }
            return column + ": " + filled + " missing " + (filled == 1 ? "value" : "values") + " filled (" + method.key()
                    + (backFilled > 0 ? "; " + backFilled + " at the start of a series back-filled from its first value" : "") + ")";
        }
    }

    /**
     * What {@link #apply} did to each column it was asked to treat.
     *
     * @param columns one entry per treated column, in the frame's column order
     */
    public record FillReport(List<ColumnFill> columns) {

        /** Copies the list. */
        public FillReport {
            columns = List.copyOf(columns);
        }

        /** {@return whether any cell was filled or any series dropped} */
        public boolean changedAnything() {
            return columns.stream().anyMatch(c -> c.filled() > 0 || !c.droppedSeries().isEmpty());
        }

        /** {@return one line per column that had a cell filled or a series dropped} */
        public List<String> lines() {
            return columns.stream().filter(c -> c.filled() > 0 || !c.droppedSeries().isEmpty()).map(ColumnFill::describe).toList();
        }
    }

    /**
     * A frame with its missing values treated, and what was done.
     *
     * @param frame  the frame (the input itself when nothing was asked)
     * @param report per column: the method, the cells filled and the series dropped
     */
    public record Filled(Frame frame, FillReport report) {}

    private MissingValues() {}

    /**
     * Treats the missing values of every row, as training does.
     *
     * @param frame   the table (derived columns already added)
     * @param p       the data set parameters: group ids, time column, target and real inputs
     * @param options the methods
     * @return the treated frame and the report
     * @throws IllegalArgumentException for a column that is not in the frame or not numeric, or a series in which
     *                                  a column has no value at all to fill from (forward, linear)
     */
    public static Filled apply(Frame frame, DatasetParameters p, Options options) {
        return apply(frame, p, options, false);
    }

    /**
     * Treats the missing values of each series' history only: the rows up to its last row with a target
     * value. Rows after it are the forecast horizon of a predict table, in which an empty target is
     * expected; they are left as they are.
     *
     * @param frame   the table to forecast from
     * @param p       the data set parameters
     * @param options the methods
     * @return the treated frame and the report
     * @throws IllegalArgumentException as {@link #apply(Frame, DatasetParameters, Options)}
     */
    public static Filled applyToHistory(Frame frame, DatasetParameters p, Options options) {
        return apply(frame, p, options, true);
    }

    private static Filled apply(Frame frame, DatasetParameters p, Options options, boolean historyOnly) {
        if (options.isEmpty()) {
            return new Filled(frame, new FillReport(List.of()));
        }
        Map<String, Method> methods = methods(frame, p, options);
        if (methods.isEmpty()) {
            return new Filled(frame, new FillReport(List.of()));
        }
        List<int[]> series = series(frame, p);
        List<String> labels = new ArrayList<>();
        for (int[] rows : series) {
            labels.add(label(frame, p, rows[0]));
        }
        int[] historyLength = new int[series.size()];
        Column target = historyOnly ? frame.numeric(p.target, "target") : null;
        for (int s = 0; s < series.size(); s++) {
            int[] rows = series.get(s);
            int n = rows.length;
            if (target != null) {
                while (n > 0 && target.isMissing(rows[n - 1])) {
                    n--;
                }
            }
            historyLength[s] = n;
        }
        // Drops first, so that the other columns count only the cells of the series that stay.
        BitSet dropped = new BitSet(series.size());
        Map<String, List<String>> droppedBy = new LinkedHashMap<>();
        for (Map.Entry<String, Method> e : methods.entrySet()) {
            if (e.getValue() == Method.DROP_SERIES) {
                droppedBy.put(e.getKey(), drop(frame.column(e.getKey()), series, historyLength, labels, dropped));
            }
        }
        double[] time = time(frame, p);
        Frame out = frame;
        List<ColumnFill> report = new ArrayList<>();
        for (Map.Entry<String, Method> e : methods.entrySet()) {
            String name = e.getKey();
            Method method = e.getValue();
            if (method == Method.DROP_SERIES) {
                report.add(new ColumnFill(name, method, 0, 0, droppedBy.get(name)));
                continue;
            }
            Column c = frame.column(name);
            double[] values = new double[c.size()];
            for (int r = 0; r < values.length; r++) {
                values[r] = c.isMissing(r) ? Double.NaN : c.getDouble(r);
            }
            int filled = 0;
            int backFilled = 0;
            for (int s = 0; s < series.size(); s++) {
                if (dropped.get(s)) {
                    continue;
                }
                int[] counts = fillSeries(values, series.get(s), historyLength[s], time, method);
                if (counts == null) {
                    throw new IllegalArgumentException(frame.source() + ": column '" + name + "' of series " + labels.get(s)
                            + " has no value to " + method.key() + "-fill from (every row of its history is missing); give it "
                            + "\"zero\" or \"drop_series\" in data.fill_missing.columns (TrainingJob.Builder.fillMissing)");
                }
                filled += counts[0];
                backFilled += counts[1];
            }
            report.add(new ColumnFill(name, method, filled, backFilled, List.of()));
            if (filled > 0) {
                out = out.with(column(c, values, method));
            }
        }
        if (!dropped.isEmpty()) {
            BitSet keep = new BitSet(frame.rowCount());
            for (int s = 0; s < series.size(); s++) {
                if (!dropped.get(s)) {
                    for (int r : series.get(s)) {
                        keep.set(r);
                    }
                }
            }
            out = out.filter(keep::get);
        }
        return new Filled(out, new FillReport(report));
    }

    /**
     * Marks in {@code dropped} the series with a missing value of {@code c} in their history.
     *
     * @return the labels of the series this column drops that no column before it dropped
     */
    private static List<String> drop(Column c, List<int[]> series, int[] historyLength, List<String> labels, BitSet dropped) {
        List<String> out = new ArrayList<>();
        for (int s = 0; s < series.size(); s++) {
            int[] rows = series.get(s);
            for (int i = 0; i < historyLength[s]; i++) {
                if (c.isMissing(rows[i])) {
                    if (!dropped.get(s)) {
                        out.add(labels.get(s));
                    }
                    dropped.set(s);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Fills one series' missing values in its first {@code history} rows (in time order).
     *
     * @return {filled, back-filled}, or null when the series has no value to fill from
     */
    private static int[] fillSeries(double[] values, int[] rows, int history, double[] time, Method method) {
        int filled = 0;
        int backFilled = 0;
        if (method == Method.ZERO) {
            for (int i = 0; i < history; i++) {
                if (Double.isNaN(values[rows[i]])) {
                    values[rows[i]] = 0;
                    filled++;
                }
            }
            return new int[] {filled, 0};
        }
        int first = -1;
        for (int i = 0; i < history && first < 0; i++) {
            first = Double.isNaN(values[rows[i]]) ? -1 : i;
        }
        if (first < 0) {
            return history == 0 ? new int[] {0, 0} : null;
        }
        for (int i = 0; i < first; i++) {
            values[rows[i]] = values[rows[first]];
        }
        filled += first;
        backFilled += method == Method.FORWARD ? first : 0;
        int previous = first;
        for (int i = first + 1; i < history; i++) {
            if (!Double.isNaN(values[rows[i]])) {
                previous = i;
                continue;
            }
            int next = i + 1;
            while (next < history && Double.isNaN(values[rows[next]])) {
                next++;
            }
            double from = values[rows[previous]];
            for (int k = i; k < next; k++) {
                if (method == Method.LINEAR && next < history) {
                    double t0 = time[rows[previous]];
                    double weight = (time[rows[k]] - t0) / (time[rows[next]] - t0);
                    values[rows[k]] = from + weight * (values[rows[next]] - from);
                } else {
                    values[rows[k]] = from;
                }
                filled++;
            }
            i = next - 1;
        }
        return new int[] {filled, backFilled};
    }

    /** The column to treat and its method, in the frame's column order. */
    private static Map<String, Method> methods(Frame frame, DatasetParameters p, Options options) {
        Set<String> covariates = new LinkedHashSet<>();
        covariates.addAll(p.staticReals);
        covariates.addAll(p.knownReals);
        covariates.addAll(p.unknownReals);
        covariates.remove(p.target);
        covariates.remove(p.timeIdx);
        for (String column : options.columns().keySet()) {
            if (!frame.has(column)) {
                String closest = JsonKeys.closest(column, frame.names());
                throw new IllegalArgumentException(frame.source() + ": data.fill_missing.columns names '" + column
                        + "', which is not a column" + (closest != null ? "; did you mean '" + closest + "'?" : ""));
            }
        }
        Map<String, Method> out = new LinkedHashMap<>();
        for (String name : frame.names()) {
            Method m = options.columns().get(name);
            if (m == null) {
                m = name.equals(p.target) ? options.target() : covariates.contains(name) ? options.covariates() : null;
            }
            if (m != null) {
                frame.numeric(name, "filled by data.fill_missing " + m.key());
                out.put(name, m);
            }
        }
        return out;
    }

    /** Each series' rows in time order (group_ids; one series without them). */
    private static List<int[]> series(Frame frame, DatasetParameters p) {
        double[] time = time(frame, p);
        Map<List<String>, List<Integer>> byKey = new LinkedHashMap<>();
        List<Column> ids = p.groupIds.stream().map(frame::column).toList();
        for (int r = 0; r < frame.rowCount(); r++) {
            List<String> key = new ArrayList<>(ids.size());
            for (Column c : ids) {
                key.add(c.format(r));
            }
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> rows : byKey.values()) {
            out.add(rows.stream().sorted((a, b) -> Double.compare(time[a], time[b])).mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** The time of each row: the time_idx, or the timestamp's microseconds; a missing time sorts last. */
    private static double[] time(Frame frame, DatasetParameters p) {
        Column c = frame.column(p.timestamp != null ? p.timestamp : p.timeIdx);
        double[] out = new double[frame.rowCount()];
        for (int r = 0; r < out.length; r++) {
            out[r] = c.isMissing(r) ? Double.POSITIVE_INFINITY : c.getDouble(r);
        }
        return out;
    }

    private static String label(Frame frame, DatasetParameters p, int row) {
        if (p.groupIds.isEmpty()) {
            return "the series";
        }
        StringBuilder sb = new StringBuilder();
        for (String g : p.groupIds) {
            sb.append(sb.isEmpty() ? "" : ", ").append(g).append('=').append(frame.column(g).format(row));
        }
        return sb.toString();
    }

    /** The filled values as a column of the original's type where they fit it (linear fills give doubles). */
    private static Column column(Column original, double[] values, Method method) {
        String name = original.name();
        BitSet missing = new BitSet(values.length);
        for (int r = 0; r < values.length; r++) {
            missing.set(r, Double.isNaN(values[r]));
        }
        BitSet mask = missing.isEmpty() ? null : missing;
        if (original instanceof FloatColumn) {
            float[] out = new float[values.length];
            for (int r = 0; r < out.length; r++) {
                out[r] = (float) values[r];
            }
            return new FloatColumn(name, out);
        }
        if (original instanceof IntColumn && method != Method.LINEAR) {
            int[] out = new int[values.length];
            for (int r = 0; r < out.length; r++) {
                out[r] = mask != null && mask.get(r) ? 0 : (int) values[r];
            }
            return new IntColumn(name, out, mask);
        }
        if (original instanceof LongColumn && method != Method.LINEAR) {
            long[] out = new long[values.length];
            for (int r = 0; r < out.length; r++) {
                out[r] = mask != null && mask.get(r) ? 0 : (long) values[r];
            }
            return new LongColumn(name, out, mask);
        }
        return new DoubleColumn(name, values);
    }
}
