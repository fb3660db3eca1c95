package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.IntColumn;
import dev.tempora.data.LongColumn;
import dev.tempora.data.Preprocessing;
import dev.tempora.data.TimestampColumn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Prepares a user's table for forecasting after the last observed step of every series. The table
 * holds each series' history and, when the model reads known future inputs (a calendar column, a
 * planned price), the rows of the forecast horizon with those inputs filled and the target left empty.
 *
 * <p>Per series: the last row with a target is the last observation; the next max_prediction_length
 * steps are the horizon. Horizon rows must be present when the model has known inputs other than the
 * time index (which this class can count on by itself); without such inputs missing horizon rows are
 * added. Rows past the horizon are dropped. In horizon rows the target and the unknown variables,
 * which the model reads only in the encoder, are filled with the last observation's values so that the
 * dataset accepts the rows; they do not reach the forecast.
 */
final class FutureRows {

    /** The table ready for a predict-mode dataset, and notes for the user. */
    record Prepared(Frame frame, int series, int horizon, List<String> notes) {}

    private FutureRows() {}

    static Prepared prepare(Frame frame, Preprocessing preprocessing) {
        DatasetParameters p = preprocessing.parameters();
        String source = frame.source();
        int horizon = p.maxPredictionLength;
        Column target = frame.numeric(p.target, "target");
        SeriesRows rows = SeriesRows.of(frame, p, preprocessing.timeOrigin());
        List<String> known = knownInputs(p);
        for (String k : known) {
            frame.column(k); // a missing column is an error that lists the columns there are
        }
        Set<String> filled = new LinkedHashSet<>();
        filled.add(p.target);
        filled.addAll(p.unknownReals);
        for (String c : p.unknownCategoricals) {
            filled.addAll(p.variableGroups.getOrDefault(c, List.of(c)));
        }
        filled.addAll(p.staticReals);
        for (String c : p.staticCategoricals) {
            filled.addAll(p.variableGroups.getOrDefault(c, List.of(c)));
        }
        filled.removeAll(p.groupIds);

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
                    throw new IllegalArgumentException(source + ": series " + name + ": '" + p.target + "' is empty at time_idx "
                            + s.time()[i] + ", inside the history (only the rows after the last observation, time_idx "
                            + s.time()[last] + ", may leave it empty)");
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
                    throw new IllegalArgumentException(source + ": series " + name + " has two rows at time_idx " + t);
                }
                for (String k : known) {
                    if (frame.column(k).isMissing(r[i])) {
                        throw new IllegalArgumentException(source + ": series " + name + ": the known input '" + k
                                + "' is empty at time_idx " + t + "; the model needs it for every forecast step");
                    }
                }
                base.add(r[i]);
                fill.add(lastRow);
            }
            if (present.size() < horizon) {
                if (!known.isEmpty()) {
                    throw new IllegalArgumentException(source + ": series " + name + " has " + present.size()
                            + " future rows after its last observation (time_idx " + lastTime + "); the model forecasts "
                            + horizon + " steps and needs its known inputs " + known + " for each: add rows for time_idx "
                            + (lastTime + 1) + " to " + (lastTime + horizon) + " with '" + p.target + "' left empty");
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
            notes.add(added + " horizon rows were added (the model reads no known future input besides the time index)");
        }
        int[] baseRows = base.stream().mapToInt(Integer::intValue).toArray();
        int[] fillRows = fill.stream().mapToInt(Integer::intValue).toArray();
        List<Column> columns = new ArrayList<>();
        for (Column c : frame.columns()) {
            columns.add(c.gather(filled.contains(c.name()) ? fillRows : baseRows));
        }
        Frame out = new Frame(source, columns);
        if (!generatedAt.isEmpty()) {
            out = out.with(retimed(out, p, preprocessing.timeOrigin(), generatedAt, generatedTime));
        }
        return new Prepared(out, rows.count(), horizon, notes);
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
