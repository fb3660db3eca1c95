package dev.tempora.cli;

import dev.tempora.data.Column;
import dev.tempora.data.DatasetParameters;
import dev.tempora.data.Frame;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TimestampColumn;
import dev.tempora.data.TrainingConfig;
import dev.tempora.forecast.SeriesRows;
import dev.tempora.tensor.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tempora inspect}: what a config's data holds and how the dataset will use it. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Reports what a config's data holds and what each column will be used as.",
                "",
                "Reads the data a training config names (with its derived columns) and reports: the series (count, "
                + "lengths, time span), gaps and duplicate time steps, each column's type, missing values and range, what "
                + "each column will be used as (group id, time index, target, static/known/unknown categorical or real, "
                + "unused), and the training and validation windows the config gives. Exits with status 1 when the dataset "
                + "cannot be built, saying why."},
        footer = {"", "Examples:", "  ./tempora inspect --config examples/taxi-small.json",
                "  ./tempora inspect --config examples/stallion.json --json"})
final class InspectCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Training config (JSON).")
    Path config;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() {
        TrainingConfig cfg = TrainingConfig.load(config);
        DatasetParameters p = cfg.dataset();
        Frame frame = cfg.loadFrame();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("config", config.toString());
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
        String error = null;
        try {
            TrainingConfig.Datasets sets = cfg.datasets(frame);
            Map<String, Object> windows = new LinkedHashMap<>();
            windows.put("training", sets.training().size());
            windows.put("training_cutoff", sets.trainingCutoff());
            windows.put("validation", sets.validation().size());
            windows.put("max_encoder_length", p.maxEncoderLength);
            windows.put("max_prediction_length", p.maxPredictionLength);
            windows.put("warnings", sets.training().warnings());
            report.put("windows", windows);
        } catch (IllegalArgumentException | IllegalStateException e) {
            error = e.getMessage();
            report.put("dataset_error", error);
        }
        if (json) {
            System.out.println(Json.write(report));
        } else {
            print(report, frame, p);
        }
        if (error != null) {
            System.err.println("tempora inspect: the dataset cannot be built: " + error);
            return 1;
        }
        return 0;
    }

    private static Map<String, Object> seriesFacts(Frame frame, DatasetParameters p) {
        if (frame.rowCount() == 0) {
            throw new IllegalArgumentException(frame.source() + ": the table is empty (no rows)");
        }
        SeriesRows rows = SeriesRows.of(frame, p, null);
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
                        firstDuplicate = s.label(p.groupIds) + " has two rows at time_idx " + t[k];
                    }
                } else if (step > 1) {
                    missing += step - 1;
                    if (firstGap == null) {
                        firstGap = s.label(p.groupIds) + " jumps from time_idx " + t[k - 1] + " to " + t[k];
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

    /** What the dataset will use a column as (several roles for a group id that is also a static categorical). */
    static List<String> roles(DatasetParameters p, String column) {
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

    /** Whole numbers as they are, others to 4 significant digits. */
    private static String number(Object value) {
        double v = ((Number) value).doubleValue();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> r, Frame frame, DatasetParameters p) {
        Map<String, Object> s = (Map<String, Object>) r.get("series");
        System.out.printf(Locale.ROOT, "%s: %s, %,d rows, %d columns%n", r.get("config"), r.get("data"), frame.rowCount(),
                frame.columnCount());
        System.out.printf(Locale.ROOT, "Series   %d (by %s), %s to %s rows long (median %s); time_idx %s to %s%n",
                s.get("count"), String.join(", ", p.groupIds), s.get("length_min"), s.get("length_max"),
                s.get("length_median"), s.get("time_idx_min"), s.get("time_idx_max"));
        long gaps = (Long) s.get("missing_steps");
        System.out.printf(Locale.ROOT, "Gaps     %s%n", gaps == 0 ? "none"
                : s.get("series_with_gaps") + " series miss " + gaps + " time steps in all (first: " + s.get("first_gap") + ")"
                + (p.allowMissingTimesteps ? "; allow_missing_timesteps fills them" : "; set allow_missing_timesteps to fill them"));
        long duplicates = (Long) s.get("duplicate_steps");
        System.out.printf(Locale.ROOT, "Repeats  %s%n", duplicates == 0 ? "none" : duplicates + " repeated time steps (first: "
                + s.get("first_duplicate") + "); each series needs one row per time step");
        System.out.println("Columns");
        List<Map<String, Object>> columns = (List<Map<String, Object>>) r.get("columns");
        int nameWidth = 4;
        int roleWidth = 7;
        for (Map<String, Object> c : columns) {
            nameWidth = Math.max(nameWidth, ((String) c.get("name")).length());
            roleWidth = Math.max(roleWidth, String.join(", ", (List<String>) c.get("used_as")).length());
        }
        String format = "  %-" + nameWidth + "s  %-9s  %-" + roleWidth + "s  %7s  %s%n";
        System.out.printf(Locale.ROOT, format, "name", "type", "used as", "missing", "values");
        for (Map<String, Object> c : columns) {
            String values = c.containsKey("distinct") ? c.get("distinct") + " distinct"
                    : c.containsKey("mean") ? number(c.get("min")) + " .. " + number(c.get("max")) + " (mean " + number(c.get("mean")) + ")"
                    : c.containsKey("min") ? c.get("min") + " .. " + c.get("max") : "-";
            System.out.printf(Locale.ROOT, format, c.get("name"), c.get("type"),
                    String.join(", ", (List<String>) c.get("used_as")), c.get("missing"), values);
        }
        System.out.printf(Locale.ROOT, "Added    %s%n", ((List<String>) r.get("added_features")).isEmpty() ? "none"
                : String.join("; ", (List<String>) r.get("added_features")));
        Map<String, Object> w = (Map<String, Object>) r.get("windows");
        if (w != null) {
            System.out.printf(Locale.ROOT, "Windows  training %,d (time_idx <= %s), validation %,d (each series' last window), "
                            + "encoder up to %s steps, prediction up to %s%n", w.get("training"), w.get("training_cutoff"),
                    w.get("validation"), w.get("max_encoder_length"), w.get("max_prediction_length"));
            for (String warning : (List<String>) w.get("warnings")) {
                System.out.println("         warning: " + warning);
            }
        }
    }
}
