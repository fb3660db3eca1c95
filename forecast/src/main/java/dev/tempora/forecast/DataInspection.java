package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.MissingValues;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimeLabels;
import dev.tempora.data.TimestampColumn;
import dev.tempora.data.TrainingConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a config's data holds and how the data set will use it, before anything is trained: the series
 * (count, lengths, time span, gaps, repeated steps), each column's type, missing values, range and role
 * (group id, time index, target, loss weight, static/known/unknown categorical or real, unused), the features the
 * data set adds, and the training and validation windows the config gives (or why they cannot be built).
 */
public final class DataInspection {

    private DataInspection() {}

    /**
     * The report as a JSON-ready map: config, data, rows, series, columns (their missing values as read),
     * fill_missing (per column the method, the cells it fills and the series it drops; empty without the
     * option), added_features, and windows or, when the data set cannot be built, dataset_error with the reason.
     *
     * @param cfg the training config whose data to read
     * @return the report
     * @throws IllegalArgumentException when the data cannot be read at all (a missing file or column)
     */
    public static Map<String, Object> inspect(TrainingConfig cfg) {
        DatasetParameters p = cfg.dataset();
        Frame frame = cfg.readFrame();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", cfg.file().toString());
        report.put("data", frame.source());
        report.put("rows", frame.rowCount());
        report.put("series", seriesFacts(frame, p));
        List<Map<String, Object>> columns = new ArrayList<>();
        for (Column c : frame.columns()) {
            columns.add(columnFacts(c, roles(p, c.name())));
        }
        report.put("columns", columns);
        List<String> added = new ArrayList<>();
        if (p.addEncoderLength) {
            added.add("encoder_length (static real)");
        }
        if (p.addTargetScales) {
            added.add(p.target + "_center, " + p.target + "_scale (static reals)");
        }
        if (p.timestamp != null) {
            added.add((p.timeIdx != null ? p.timeIdx : "time_idx") + " (the time index: periods of " + p.frequency + " since the earliest '" + p.timestamp + "'"
                    + (p.knownReals.contains(p.timeIdx) ? ", a known real)" : ")"));
        }
        if (p.addRelativeTimeIdx) {
            added.add("relative_time_idx (known real)");
        }
        report.put("added_features", added);
        List<Map<String, Object>> fills = new ArrayList<>();
        report.put("fill_missing", fills);
        try {
            MissingValues.Filled filled = MissingValues.apply(frame, p, cfg.fillMissing());
            for (MissingValues.ColumnFill c : filled.report().columns()) {
                Map<String, Object> fill = new LinkedHashMap<>();
                fill.put("column", c.column());
                fill.put("method", c.method().key());
                fill.put("filled", c.filled());
                fill.put("back_filled", c.backFilled());
                fill.put("dropped_series", c.droppedSeries());
                fill.put("summary", c.describe());
                fills.add(fill);
            }
            TrainingConfig.Datasets sets = cfg.datasets(filled.frame());
            Map<String, Object> windows = new LinkedHashMap<>();
            windows.put("training", sets.training().size());
            windows.put("training_cutoff", sets.trainingCutoff());
            windows.put("validation", sets.validation().size());
            windows.put("validation_split", describeValidation(cfg.split(), p.maxPredictionLength));
            windows.put("test", sets.test() == null ? null : sets.test().size());
            windows.put("test_split", cfg.split().test() == null ? null : cfg.split().test().describe());
            windows.put("max_encoder_length", p.maxEncoderLength);
            windows.put("max_prediction_length", p.maxPredictionLength);
            windows.put("warnings", sets.training().warnings());
            report.put("windows", windows);
        } catch (IllegalArgumentException | IllegalStateException e) {
            report.put("dataset_error", e.getMessage());
        }
        return report;
    }

    private static String describeValidation(dev.tempora.data.DataSplit split, int horizon) {
        if (split.trainingCutoff() != null) {
            return split.predictValidation() ? "each series' last window after time_idx " + split.trainingCutoff()
                    : "every window after time_idx " + split.trainingCutoff();
        }
        return split.validationWindows() == 1 ? "each series' last window"
                : "each series' last " + split.validationWindows() + " windows, " + split.validationStrideFor(horizon) + " steps apart";
    }

    private static Map<String, Object> seriesFacts(Frame frame, DatasetParameters p) {
        if (frame.rowCount() == 0) {
            throw new IllegalArgumentException(frame.source() + ": the table is empty (no rows)");
        }
        SeriesRows rows = SeriesRows.of(frame, p, null);
        Long origin = p.timestamp == null ? null
                : Arrays.stream(frame.column(p.timestamp, TimestampColumn.class).toArray()).min().orElse(0);
        int n = rows.count();
        int[] lengths = new int[n];
        long gaps = 0;
        long duplicates = 0;
        int seriesWithGaps = 0;
        String firstGap = null;
        String firstDuplicate = null;
        long minTime = Long.MAX_VALUE;
        long maxTime = Long.MIN_VALUE;
        int i = 0;
        for (SeriesRows.Series s : rows.all()) {
            long[] t = s.time();
            lengths[i++] = t.length;
            minTime = Math.min(minTime, t[0]);
            maxTime = Math.max(maxTime, t[t.length - 1]);
            long missing = 0;
            for (int k = 1; k < t.length; k++) {
                long step = t[k] - t[k - 1];
                if (step == 0) {
                    duplicates++;
                    if (firstDuplicate == null) {
                        firstDuplicate = s.label(p.groupIds) + " has two rows at " + TimeLabels.timeIndex(p, origin, t[k]);
                    }
                } else if (step > 1) {
                    missing += step - 1;
                    if (firstGap == null) {
                        firstGap = s.label(p.groupIds) + " jumps from " + TimeLabels.timeIndex(p, origin, t[k - 1]) + " to "
                                + TimeLabels.timeIndex(p, origin, t[k]).substring("time_idx ".length());
                    }
                }
            }
            gaps += missing;
            seriesWithGaps += missing > 0 ? 1 : 0;
        }
        Arrays.sort(lengths);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_ids", p.groupIds);
        out.put("count", n);
        out.put("length_min", lengths[0]);
        out.put("length_median", lengths[n / 2]);
        out.put("length_max", lengths[n - 1]);
        out.put("time_idx_min", minTime);
        out.put("time_idx_max", maxTime);
        out.put("missing_steps", gaps);
        out.put("series_with_gaps", seriesWithGaps);
        out.put("first_gap", firstGap);
        out.put("duplicate_steps", duplicates);
        out.put("first_duplicate", firstDuplicate);
        return out;
    }

    /**
     * What the data set will use a column as (several roles for a group id that is also a static categorical).
     *
     * @param p      the data set parameters
     * @param column the column's name
     * @return its roles, or ["unused"]
     */
    public static List<String> roles(DatasetParameters p, String column) {
        List<String> roles = new ArrayList<>();
        if (p.groupIds.contains(column)) {
            roles.add("group id");
        }
        if (column.equals(p.timestamp)) {
            roles.add("timestamp (time index, every " + p.frequency + ")");
        } else if (column.equals(p.timeIdx) && p.timestamp == null) {
            roles.add("time index");
        }
        if (column.equals(p.target)) {
            roles.add("target");
        }
        if (column.equals(p.weight)) {
            roles.add("loss weight");
        }
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("static categorical", p.staticCategoricals);
        lists.put("static real", p.staticReals);
        lists.put("known categorical", p.knownCategoricals);
        lists.put("known real", p.knownReals);
        lists.put("unknown categorical", p.unknownCategoricals);
        lists.put("unknown real", p.unknownReals);
        for (Map.Entry<String, List<String>> e : lists.entrySet()) {
            if (e.getValue().contains(column)) {
                roles.add(e.getKey());
            }
            for (String group : e.getValue()) {
                if (p.variableGroups.getOrDefault(group, List.of()).contains(column)) {
                    roles.add(e.getKey() + " (in group " + group + ")");
                }
            }
        }
        if (roles.isEmpty()) {
            roles.add("unused");
        }
        return roles;
    }

    private static Map<String, Object> columnFacts(Column c, List<String> roles) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("type", c.type().label());
        out.put("used_as", roles);
        out.put("missing", c.missingCount());
        if (c instanceof StringColumn s) {
            out.put("distinct", s.distinctCount());
        } else if (c instanceof TimestampColumn ts) {
            long[] micros = ts.toArray();
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (int r = 0; r < micros.length; r++) {
                if (!ts.isMissing(r)) {
                    lo = Math.min(lo, micros[r]);
                    hi = Math.max(hi, micros[r]);
                }
            }
            if (lo <= hi) {
                out.put("min", new TimestampColumn("t", new long[] {lo}).format(0));
                out.put("max", new TimestampColumn("t", new long[] {hi}).format(0));
            }
        } else {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long n = 0;
            for (int r = 0; r < c.size(); r++) {
                double v = c.getDouble(r);
                if (!Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    sum += v;
                    n++;
                }
            }
            if (n > 0) {
                out.put("min", lo);
                out.put("mean", sum / n);
                out.put("max", hi);
            }
        }
        return out;
    }

}
