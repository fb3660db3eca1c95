package dev.tempora.data;

import java.time.LocalDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.tempora.tensor.io.JsonKeys;

/**
 * Declarative column derivations, applied in order to a frame read from a config's data file (the
 * file itself is never touched). Each step is a JSON object with an "op":
 * <ul>
 *   <li>{@code {"op": "calendar", "name": "month", "column": "date", "field": "month", "as": "string"}}: a
 *       calendar field of a timestamp column (month, hour, day_of_week (Monday 0), day_of_month, day_of_year,
 *       hour_of_week (Monday 00:00 is 0), week_of_year, year), as a string (the default; for categoricals)
 *       or an int</li>
 *   <li>{@code {"op": "log", "name": "log_volume", "column": "volume", "offset": 1e-8}}: ln(x + offset)</li>
 *   <li>{@code {"op": "group_mean", "name": "avg_volume_by_sku", "column": "volume", "by": ["date", "sku"]}}:
 *       the mean of a column over the rows sharing the "by" values (pandas' groupby().transform("mean"))</li>
 *   <li>{@code {"op": "lag", "name": "volume_last_year", "column": "volume", "by": ["agency", "sku"],
 *       "time": "date", "steps": 12, "fill": "first"}}: the column's value "steps" rows earlier in the same
 *       series, its rows ordered by "time" (pandas' sort_values(time).groupby(by).shift(steps), so the data
 *       should have no missing steps); where the series has fewer earlier rows, "fill": a number, or "first"
 *       (the default), the series' first value, which never lies after the row. As a known input it needs
 *       "steps" of at least the horizon, or the forecast would read the future ({@link #checkLaggedKnownInputs}).
 *       With "periods": k (1 by default), the mean of the values steps, 2·steps, …, k·steps rows earlier, of those
 *       the series has (a seasonal mean: "steps": 168, "periods": 8 averages the same hour of the last 8 weeks)</li>
 *   <li>{@code {"op": "flags_to_labels", "columns": [...], "zero": "-"}}: each 0/1 column becomes a string
 *       column holding "zero" where 0 and the column's own name elsewhere (the stallion tutorial's
 *       holiday columns)</li>
 *   <li>{@code {"op": "to_string", "columns": [...]}}: numbers to text (integers without a fraction)</li>
 *   <li>{@code {"op": "constant", "name": "series", "value": "all"}}: a constant column (one series)</li>
 *   <li>{@code {"op": "melt", "id_columns": ["date"], "columns": ["HUFL", ...], "variable": "series",
 *       "value": "value"}}: wide to long, one row per id row and listed column</li>
 * </ul>
 */
public final class DerivedColumns {

    /** The keys each op reads (besides "op"): the one list {@link #checkKeys} checks against. */
    static final Map<String, Set<String>> KEYS = Map.of(
            "calendar", Set.of("op", "name", "column", "field", "as"),
            "log", Set.of("op", "name", "column", "offset"),
            "group_mean", Set.of("op", "name", "column", "by"),
            "lag", Set.of("op", "name", "column", "by", "time", "steps", "periods", "fill"),
            "flags_to_labels", Set.of("op", "columns", "zero"),
            "to_string", Set.of("op", "columns"),
            "constant", Set.of("op", "name", "value"),
            "melt", Set.of("op", "id_columns", "columns", "variable", "value"));

    private DerivedColumns() {}

    /**
     * Checks the steps' shape before any data is read: each is an object with a known "op" and only that
     * op's keys.
     *
     * @param steps the "derived_columns" list as parsed JSON
     * @throws IllegalArgumentException naming the step, an unknown op, or an unknown key and the closest known one
     */
    public static void checkKeys(List<Object> steps) {
        for (int i = 0; i < steps.size(); i++) {
            String where = "data.derived_columns[" + i + "]";
            if (!(steps.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + " must be an object with an \"op\"");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> step = (Map<String, Object>) m;
            String op = JsonValues.string(step, "op", where, null);
            Set<String> keys = KEYS.get(op);
            if (keys == null) {
                throw new IllegalArgumentException(unknownOp(where, op));
            }
            JsonKeys.requireKnown(step, keys, where + " (" + op + ")");
        }
    }

    /**
     * Refuses a "lag" column that the data set reads as a known input (real or categorical) when it lags by
     * fewer steps than the horizon and its source column is not itself a known input: the last steps of a
     * forecast would read target or unknown values from after the forecast's origin.
     *
     * @param steps   the "derived_columns" list as parsed JSON (its keys checked by {@link #checkKeys})
     * @param dataset the data set's parameters
     * @throws IllegalArgumentException naming the step, the column and how far to lag
     */
    public static void checkLaggedKnownInputs(List<Object> steps, DatasetParameters dataset) {
        Set<String> known = new java.util.HashSet<>(dataset.knownReals);
        known.addAll(dataset.knownCategoricals);
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Map<?, ?> step && "lag".equals(step.get("op")) && known.contains(step.get("name"))
                    && !known.contains(step.get("column")) && step.get("steps") instanceof Number n
                    && n.doubleValue() < dataset.maxPredictionLength) {
                throw new IllegalArgumentException("data.derived_columns[" + i + "] (lag): \"" + step.get("name")
                        + "\" is a known input lagged by " + n.intValue() + " steps, fewer than max_prediction_length "
                        + dataset.maxPredictionLength + ", so a forecast's later steps would read '" + step.get("column")
                        + "' after its origin; lag by at least " + dataset.maxPredictionLength
                        + " steps, or make it an unknown input");
            }
        }
    }

    private static String unknownOp(String where, String op) {
        String closest = JsonKeys.closest(op, KEYS.keySet());
        return where + ": unknown op \"" + op + "\"" + (closest != null ? "; did you mean \"" + closest + "\"?"
                : "; expected calendar, log, group_mean, lag, flags_to_labels, to_string, constant or melt");
    }

    /**
     * The frame with the columns that {@code steps} (a config's "derived_columns", each an object with an "op")
     * add, in order; a malformed step is an {@link IllegalArgumentException} naming its index.
     */
    @SuppressWarnings("unchecked")
    public static Frame apply(Frame frame, List<Object> steps) {
        Frame f = frame;
        for (int i = 0; i < steps.size(); i++) {
            if (!(steps.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("data.derived_columns[" + i + "] must be an object with an \"op\"");
            }
            f = applyStep(f, (Map<String, Object>) m, "data.derived_columns[" + i + "]");
        }
        return f;
    }

    private static Frame applyStep(Frame f, Map<String, Object> step, String where) {
        String op = JsonValues.string(step, "op", where, null);
        where = where + " (" + op + ")";
        if (KEYS.containsKey(op)) {
            JsonKeys.requireKnown(step, KEYS.get(op), where);
        }
        switch (op) {
            case "calendar" -> {
                String name = JsonValues.string(step, "name", where, null);
                TimestampColumn c = timestamps(f, JsonValues.string(step, "column", where, null), where);
                String field = JsonValues.string(step, "field", where, null);
                String as = JsonValues.string(step, "as", where, "string");
                int[] values = new int[c.size()];
                for (int r = 0; r < values.length; r++) {
                    values[r] = calendarField(c.dateTime(r), field, where);
                }
                if (as.equals("int")) {
                    return f.with(new IntColumn(name, values, c.missing));
                }
                if (!as.equals("string")) {
                    throw new IllegalArgumentException(where + ": \"as\" must be \"string\" or \"int\"");
                }
                StringColumn.Builder b = new StringColumn.Builder(name, values.length);
                for (int r = 0; r < values.length; r++) {
                    b.add(c.isMissing(r) ? null : Integer.toString(values[r]));
                }
                return f.with(b.build());
            }
            case "log" -> {
                String name = JsonValues.string(step, "name", where, null);
                Column c = f.numeric(JsonValues.string(step, "column", where, null), where);
                double offset = step.containsKey("offset") ? JsonValues.number(step, "offset", where) : 0.0;
                double[] out = new double[c.size()];
                for (int r = 0; r < out.length; r++) {
                    out[r] = Math.log(c.getDouble(r) + offset);
                }
                return f.with(new DoubleColumn(name, out));
            }
            case "group_mean" -> {
                String name = JsonValues.string(step, "name", where, null);
                Column c = f.numeric(JsonValues.string(step, "column", where, null), where);
                List<String> by = JsonValues.strings(step, "by", where);
                if (by.isEmpty()) {
                    throw new IllegalArgumentException(where + ": \"by\" must name at least one column");
                }
                int[] group = groupRows(f, by);
                int groups = 0;
                for (int g : group) {
                    groups = Math.max(groups, g + 1);
                }
                double[] sum = new double[groups];
                int[] count = new int[groups];
                for (int r = 0; r < group.length; r++) {
                    double v = c.getDouble(r);
                    if (!Double.isNaN(v)) {
                        sum[group[r]] += v;
                        count[group[r]]++;
                    }
                }
                double[] out = new double[group.length];
                for (int r = 0; r < out.length; r++) {
                    out[r] = count[group[r]] == 0 ? Double.NaN : sum[group[r]] / count[group[r]];
                }
                return f.with(new DoubleColumn(name, out));
            }
            case "lag" -> {
                return f.with(lag(f, step, where));
            }
            case "flags_to_labels" -> {
                String zero = JsonValues.string(step, "zero", where, "-");
                for (String column : JsonValues.strings(step, "columns", where)) {
                    Column c = f.numeric(column, where);
                    StringColumn.Builder b = new StringColumn.Builder(column, c.size());
                    for (int r = 0; r < c.size(); r++) {
                        b.add(c.isMissing(r) ? null : c.getDouble(r) == 0 ? zero : column);
                    }
                    f = f.with(b.build());
                }
                return f;
            }
            case "to_string" -> {
                for (String column : JsonValues.strings(step, "columns", where)) {
                    Column c = f.column(column);
                    StringColumn.Builder b = new StringColumn.Builder(column, c.size());
                    for (int r = 0; r < c.size(); r++) {
                        String text = c.format(r);
                        if (text != null && c.type().isNumeric() && (c.type() == ColumnType.FLOAT || c.type() == ColumnType.DOUBLE)) {
                            double v = c.getDouble(r);
                            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                                text = Long.toString((long) v);
                            }
                        }
                        b.add(text);
                    }
                    f = f.with(b.build());
                }
                return f;
            }
            case "constant" -> {
                String name = JsonValues.string(step, "name", where, null);
                Object value = step.get("value");
                if (value instanceof String s) {
                    return f.with(new StringColumn(name, new int[f.rowCount()], new String[] {s}));
                }
                if (value instanceof Number n) {
                    double[] out = new double[f.rowCount()];
                    java.util.Arrays.fill(out, n.doubleValue());
                    return f.with(new DoubleColumn(name, out));
                }
                throw new IllegalArgumentException(where + ": \"value\" must be a string or a number");
            }
            case "melt" -> {
                List<String> ids = JsonValues.strings(step, "id_columns", where);
                List<String> columns = JsonValues.strings(step, "columns", where);
                String variable = JsonValues.string(step, "variable", where, "variable");
                String value = JsonValues.string(step, "value", where, "value");
                int n = f.rowCount();
                int[] rows = new int[n * columns.size()];
                int[] codes = new int[rows.length];
                double[] out = new double[rows.length];
                for (int k = 0; k < columns.size(); k++) {
                    Column c = f.numeric(columns.get(k), where);
                    for (int r = 0; r < n; r++) {
                        rows[k * n + r] = r;
                        codes[k * n + r] = k;
                        out[k * n + r] = c.getDouble(r);
                    }
                }
                List<Column> result = new ArrayList<>();
                for (String id : ids) {
                    result.add(f.column(id).gather(rows));
                }
                result.add(new StringColumn(variable, codes, columns.toArray(new String[0])));
                result.add(new DoubleColumn(value, out));
                return new Frame(f.source(), result);
            }
            default -> throw new IllegalArgumentException(unknownOp(where.substring(0, where.lastIndexOf(" (")), op));
        }
    }

    private static TimestampColumn timestamps(Frame f, String name, String where) {
        Column c = f.column(name);
        if (!(c instanceof TimestampColumn t)) {
            throw new IllegalArgumentException(where + ": column '" + name + "' holds " + c.type().label() + " values, expected timestamps");
        }
        return t;
    }

    private static int calendarField(LocalDateTime t, String field, String where) {
        return switch (field) {
            case "year" -> t.getYear();
            case "month" -> t.getMonthValue();
            case "day_of_month", "day" -> t.getDayOfMonth();
            case "day_of_year" -> t.getDayOfYear();
            case "day_of_week" -> t.getDayOfWeek().getValue() - 1;
            case "hour" -> t.getHour();
            case "hour_of_week" -> (t.getDayOfWeek().getValue() - 1) * 24 + t.getHour();
            case "week_of_year" -> t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
            default -> throw new IllegalArgumentException(where + ": unknown calendar field \"" + field
                    + "\"; expected year, month, day_of_month, day_of_year, day_of_week, hour, hour_of_week or week_of_year");
        };
    }

    /**
     * The "lag" op's column: each row's series value "steps" rows earlier in the series' time order (the mean of
     * the values steps, 2·steps, ... "periods"·steps rows earlier that the series has), or the fill where the series
     * has fewer than "steps" earlier rows.
     */
    private static DoubleColumn lag(Frame f, Map<String, Object> step, String where) {
        String name = JsonValues.string(step, "name", where, null);
        Column c = f.numeric(JsonValues.string(step, "column", where, null), where);
        String timeName = JsonValues.string(step, "time", where, null);
        Column time = f.column(timeName);
        if (!time.type().isNumeric() && time.type() != ColumnType.TIMESTAMP) {
            throw new IllegalArgumentException(where + ": \"time\" column '" + timeName + "' holds " + time.type().label()
                    + " values; it must hold numbers or timestamps that order each series' rows");
        }
        double steps = JsonValues.number(step, "steps", where);
        if (steps < 1 || steps != Math.rint(steps) || steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": \"steps\" must be a whole number of at least 1, not " + steps);
        }
        double periods = step.containsKey("periods") ? JsonValues.number(step, "periods", where) : 1;
        if (periods < 1 || periods != Math.rint(periods) || periods * steps > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": \"periods\" must be a whole number of at least 1 (steps × periods "
                    + "within " + Integer.MAX_VALUE + "), not " + periods);
        }
        Object fill = step.getOrDefault("fill", "first");
        if (!(fill instanceof Number) && !"first".equals(fill)) {
            throw new IllegalArgumentException(where + ": \"fill\" must be a number or \"first\", not " + fill);
        }
        List<String> by = JsonValues.strings(step, "by", where);
        int[] group = by.isEmpty() ? new int[f.rowCount()] : groupRows(f, by);
        Integer[] order = new Integer[group.length];
        for (int r = 0; r < order.length; r++) {
            if (time.isMissing(r)) {
                throw new IllegalArgumentException(where + ": row " + r + " has no " + timeName + "; fill it or drop the row");
            }
            order[r] = r;
        }
        java.util.Arrays.sort(order, (a, b) -> group[a] != group[b] ? Integer.compare(group[a], group[b])
                : Double.compare(time.getDouble(a), time.getDouble(b)));
        double[] out = new double[group.length];
        int seriesStart = 0;
        for (int i = 0; i < order.length; i++) {
            if (group[order[i]] != group[order[seriesStart]]) {
                seriesStart = i;
            }
            if (i > seriesStart && time.getDouble(order[i]) == time.getDouble(order[i - 1])) {
                throw new IllegalArgumentException(where + ": rows " + order[i - 1] + " and " + order[i] + " share "
                        + timeName + " " + time.format(order[i]) + " in one series (by " + by + "); a lag needs one row "
                        + "per series and time step");
            }
            double sum = 0;
            int found = 0;
            for (int k = 1; k <= periods && i - k * (int) steps >= seriesStart; k++) {
                sum += c.getDouble(order[i - k * (int) steps]);
                found++;
            }
            out[order[i]] = found > 0 ? sum / found
                    : fill instanceof Number n ? n.doubleValue() : c.getDouble(order[seriesStart]);
        }
        return new DoubleColumn(name, out);
    }

    /** A dense group number per row for the combination of the "by" columns' values. */
    private static int[] groupRows(Frame f, List<String> by) {
        List<Column> columns = new ArrayList<>();
        for (String b : by) {
            columns.add(f.column(b));
        }
        Map<List<Object>, Integer> index = new HashMap<>();
        int[] out = new int[f.rowCount()];
        for (int r = 0; r < out.length; r++) {
            List<Object> key = new ArrayList<>(columns.size());
            for (Column c : columns) {
                key.add(c instanceof StringColumn s ? (Object) s.codes[r] : (Object) c.getDouble(r));
            }
            Integer g = index.get(key);
            if (g == null) {
                g = index.size();
                index.put(key, g);
            }
            out[r] = g;
        }
        return out;
    }
}
