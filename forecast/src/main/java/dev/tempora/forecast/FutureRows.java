package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.DerivedColumns;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.LongColumn;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimeLabels;
import dev.tempora.data.TimestampColumn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prepares a user's table for forecasting after the last observed step of every series. The table
 * holds each series' history and, when the model reads known future inputs (a calendar column, a
 * planned price), the rows of the forecast horizon with those inputs filled and the target left empty.
 *
 * <p>Per series: the last row with a target is the last observation; the next max_prediction_length
 * steps are the horizon. Missing horizon rows are added when every known input is one this class can
 * compute itself: the time index, a calendar field of the data set's timestamp column or a constant
 * (derived columns of the training data's config); the added rows' timestamps continue at the data set's
 * frequency and their calendar columns are computed by the same {@link DerivedColumns} code as in
 * training. Other known inputs (a planned price) only the user can give: then horizon rows must be
 * present, and the error names the columns and the steps. Rows past the horizon are dropped. In horizon rows the target and the unknown variables,
 * which the model reads only in the encoder, are filled with the last observation's values so that the
 * dataset accepts the rows; they do not reach the forecast.
 */
final class FutureRows {

    /** The table ready for a predict-mode dataset, and notes for the user. */
    record Prepared(Frame frame, int series, int horizon, List<String> notes) {}

    private FutureRows() {}

    /**
     * The table ready for a predict-mode dataset.
     *
     * @param table         each series' history and, where the model needs them, horizon rows
     * @param preprocessing the model's preprocessing (parameters and time origin)
     * @param derivedSteps  the training data's derived columns (config.data.derived_columns), for the known
     *                      inputs that the added horizon rows compute from their timestamp
     */
    static Prepared prepare(Frame table, Preprocessing preprocessing, List<Object> derivedSteps) {
        DatasetParameters p = preprocessing.parameters();
        Frame frame = table;
        String source = frame.source();
        int horizon = p.maxPredictionLength;
        Long origin = preprocessing.timeOrigin();
        List<String> known = knownInputs(p);
        Map<String, Map<String, Object>> computed = computedInputs(p, known, derivedSteps);
        for (Map<String, Object> step : computed.values()) {
            if (!frame.has((String) step.get("name"))) {
                frame = DerivedColumns.apply(frame, List.of(step));
            }
        }
        List<String> userInputs = new ArrayList<>(known);
        userInputs.removeAll(computed.keySet());
        for (String k : known) {
            frame.column(k); // a missing column is an error that lists the columns there are
        }
        Column target = frame.numeric(p.target, "target");
        SeriesRows rows = SeriesRows.of(frame, p, origin);
        Set<String> filled = copiedFromLastObservation(p);

        List<Integer> base = new ArrayList<>();      // output row -> frame row
        List<Integer> fill = new ArrayList<>();      // output row -> frame row for the filled columns
        List<Long> generatedTime = new ArrayList<>(); // time index of added rows, parallel to their positions
        List<Integer> generatedAt = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int dropped = 0;
        int added = 0;
        for (SeriesRows.Series s : rows.all()) {
            String name = s.label(p.groupIds);
            int[] r = s.rows();
            int last = -1;
            for (int i = r.length - 1; i >= 0; i--) {
                if (!target.isMissing(r[i])) {
                    last = i;
                    break;
                }
            }
            if (last < 0) {
                throw new IllegalArgumentException(source + ": series " + name + " has no observed value of '" + p.target + "'");
            }
            for (int i = 0; i < last; i++) {
                if (target.isMissing(r[i])) {
                    throw new IllegalArgumentException(source + ": series " + name + ": '" + p.target + "' is empty at "
                            + TimeLabels.timeIndex(p, origin, s.time()[i]) + ", inside the history (only the rows after the last "
                            + "observation, " + TimeLabels.timeIndex(p, origin, s.time()[last]) + ", may leave it empty; "
                            + "data.fill_missing fills the history)");
                }
            }
            long lastTime = s.time()[last];
            int lastRow = r[last];
            for (int i = 0; i <= last; i++) {
                base.add(r[i]);
                fill.add(r[i]);
            }
            Set<Long> present = new HashSet<>();
            for (int i = last + 1; i < r.length; i++) {
                long t = s.time()[i];
                if (t > lastTime + horizon) {
                    dropped++;
                    continue;
                }
                if (!present.add(t)) {
                    throw new IllegalArgumentException(source + ": series " + name + " has two rows at "
                            + TimeLabels.timeIndex(p, origin, t));
                }
                for (String k : known) {
                    if (frame.column(k).isMissing(r[i])) {
                        throw new IllegalArgumentException(source + ": series " + name + ": the known input '" + k
                                + "' is empty at " + TimeLabels.timeIndex(p, origin, t) + "; the model needs it for every forecast step");
                    }
                }
                base.add(r[i]);
                fill.add(lastRow);
            }
            if (present.size() < horizon) {
                if (!userInputs.isEmpty()) {
                    throw new IllegalArgumentException(source + ": series " + name + " has " + present.size()
                            + " future rows after its last observation (" + TimeLabels.timeIndex(p, origin, lastTime)
                            + "); the model forecasts " + horizon + " steps and needs its known inputs " + userInputs
                            + " for each: add rows for " + missingSteps(p, origin, lastTime, horizon, present) + " with those "
                            + "columns filled and '" + p.target + "' left empty"
                            + (computed.isEmpty() ? "" : " (" + computed.keySet() + " are computed from the timestamp)"));
                }
                for (long t = lastTime + 1; t <= lastTime + horizon; t++) {
                    if (!present.contains(t)) {
                        generatedAt.add(base.size());
                        generatedTime.add(t);
                        base.add(lastRow);
                        fill.add(lastRow);
                        added++;
                    }
                }
            }
        }
        if (dropped > 0) {
            notes.add(dropped + " rows past the " + horizon + "-step horizon were left out");
        }
        if (added > 0) {
            notes.add(added + " horizon rows were added (" + (computed.isEmpty()
                    ? "the model reads no known future input besides the time index)"
                    : "their known inputs " + computed.keySet() + " computed from the timestamp as in training)"));
        }
        int[] baseRows = base.stream().mapToInt(Integer::intValue).toArray();
        int[] fillRows = fill.stream().mapToInt(Integer::intValue).toArray();
        List<Column> columns = new ArrayList<>();
        for (Column c : frame.columns()) {
            columns.add(c.gather(filled.contains(c.name()) ? fillRows : baseRows));
        }
        Frame out = new Frame(source, columns);
        if (!generatedAt.isEmpty()) {
            out = out.with(retimed(out, p, origin, generatedAt, generatedTime));
            // The added rows hold the last observation's calendar values: compute them for their own timestamps.
            for (Map<String, Object> step : computed.values()) {
                if ("calendar".equals(step.get("op"))) {
                    out = DerivedColumns.apply(out, List.of(step));
                }
            }
        }
        return new Prepared(out, rows.count(), horizon, notes);
    }

    /**
     * The columns that horizon rows take from the series' last observation: the target and the unknown
     * variables (which the model reads only in the encoder) and the static ones.
     */
    private static Set<String> copiedFromLastObservation(DatasetParameters p) {
        Set<String> out = new LinkedHashSet<>();
        out.add(p.target);
        out.addAll(p.unknownReals);
        for (String c : p.unknownCategoricals) {
            out.addAll(p.variableGroups.getOrDefault(c, List.of(c)));
        }
        out.addAll(p.staticReals);
        for (String c : p.staticCategoricals) {
            out.addAll(p.variableGroups.getOrDefault(c, List.of(c)));
        }
        out.removeAll(p.groupIds);
        return out;
    }

    /**
     * The known inputs that added horizon rows can compute by themselves, each with its derived-column step:
     * calendar fields of the data set's timestamp column and constants.
     */
    static Map<String, Map<String, Object>> computedInputs(DatasetParameters p, List<String> known, List<Object> derivedSteps) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (Object o : derivedSteps) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name) || !known.contains(name)) {
                continue;
            }
            boolean calendar = "calendar".equals(m.get("op")) && p.timestamp != null && p.timestamp.equals(m.get("column"));
            @SuppressWarnings("unchecked")
            Map<String, Object> step = (Map<String, Object>) m;
            if (calendar || "constant".equals(m.get("op"))) {
                out.put(name, step);
            } else {
                out.remove(name); // a later step that rewrites the column makes it the user's again
            }
        }
        return out;
    }

    /**
     * The horizon steps without a row, as the user finds them in the file: timestamps when the data set has
     * a timestamp column, else time indices; a run of consecutive steps as "first to last".
     */
    private static String missingSteps(DatasetParameters p, Long origin, long lastTime, int horizon, Set<Long> present) {
        List<Long> missing = new ArrayList<>();
        for (long t = lastTime + 1; t <= lastTime + horizon; t++) {
            if (!present.contains(t)) {
                missing.add(t);
            }
        }
        boolean timestamps = p.timestamp != null && origin != null;
        java.util.function.LongFunction<String> step = t -> timestamps ? TimeLabels.timestamp(p.frequency.advance(origin, t))
                : Long.toString(t);
        String prefix = timestamps ? "'" + p.timestamp + "' " : "time_idx ";
        long first = missing.get(0);
        long last = missing.get(missing.size() - 1);
        if (missing.size() > 2 && last - first + 1 == missing.size()) {
            return prefix + step.apply(first) + " to " + step.apply(last);
        }
        List<String> shown = missing.stream().limit(10).map(step::apply).toList();
        return prefix + String.join(", ", shown) + (missing.size() > shown.size() ? ", ... (" + missing.size() + " steps)" : "");
    }

    /**
     * The columns the model reads in the forecast horizon and that only the user can give: known
     * categoricals (variable groups expanded) and known reals, except the time index itself.
     */
    static List<String> knownInputs(DatasetParameters p) {
        List<String> out = new ArrayList<>();
        for (String c : p.knownCategoricals) {
            out.addAll(p.variableGroups.getOrDefault(c, List.of(c)));
        }
        for (String r : p.knownReals) {
            if (!r.equals(p.timeIdx)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The time column with the added rows' times written in. */
    private static Column retimed(Frame frame, DatasetParameters p, Long origin, List<Integer> at, List<Long> time) {
        if (p.timestamp != null) {
            TimestampColumn c = frame.column(p.timestamp, TimestampColumn.class);
            long[] micros = c.toArray();
            for (int i = 0; i < at.size(); i++) {
                micros[at.get(i)] = p.frequency.advance(origin, time.get(i));
            }
            return new TimestampColumn(c.name(), micros);
        }
        Column c = frame.column(p.timeIdx);
        if (c instanceof IntColumn ints) {
            int[] values = ints.toArray();
            for (int i = 0; i < at.size(); i++) {
                values[at.get(i)] = Math.toIntExact(time.get(i));
            }
            return new IntColumn(c.name(), values);
        }
        long[] values = ((LongColumn) c).toArray();
        for (int i = 0; i < at.size(); i++) {
            values[at.get(i)] = time.get(i);
        }
        return new LongColumn(c.name(), values);
    }
}
