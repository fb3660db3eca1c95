package dev.tempora.forecast;

import dev.tempora.data.Column;
import dev.tempora.data.ColumnType;
import dev.tempora.data.CsvOptions;
import dev.tempora.data.CsvReader;
import dev.tempora.data.Frame;
import dev.tempora.data.StringColumn;
import dev.tempora.data.TableFiles;
import dev.tempora.data.TimestampColumn;
import dev.tempora.data.TimestampFormat;
import dev.tempora.data.TrainingConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A user's table as {@link ConfigDraft} reads it: its columns with inferred types, the timestamp format of
 * each timestamp column, and the choices that depend only on the columns: the time column and the
 * columns that tell series apart.
 */
final class DraftTable {

    /** Names an integer time column is commonly given. */
    private static final Set<String> TIME_NAMES = Set.of("time", "t", "time_idx", "timestep", "time_step", "step", "date",
            "period", "ds", "timestamp", "datetime", "month", "week", "year", "day", "hour");

    final Path file;
    final Frame frame;
    /** Each timestamp column's format, given or detected (Parquet: its text columns' only). */
    final Map<String, TimestampFormat> formats;
    /** Whether the file is Parquet, whose reader detects no timestamps in text: a config must name every format. */
    final boolean parquet;

    private DraftTable(Path file, Frame frame, Map<String, TimestampFormat> formats, boolean parquet) {
        this.file = file;
        this.frame = frame;
        this.formats = formats;
        this.parquet = parquet;
    }

    /**
     * Reads a CSV or Parquet file, inferring column types; Parquet text columns whose values are all
     * timestamps in one recognised form become timestamp columns, as CSV columns do.
     *
     * @param given column to timestamp format, for columns whose form detection cannot tell
     */
    static DraftTable read(Path file, Map<String, String> given) {
        TableFiles.checkReadable(file);
        Map<String, TimestampFormat> formats = new LinkedHashMap<>();
        given.forEach((column, text) -> {
            try {
                formats.put(column, TimestampFormat.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the timestamp format of column '" + column + "': " + e.getMessage(), e);
            }
        });
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            Frame frame = TrainingConfig.readTable(file, Map.of("timestamp_format", given), file.toString());
            Map<String, Object> detected = new LinkedHashMap<>(given);
            for (Column c : frame.columns()) {
                if (c instanceof StringColumn s && !given.containsKey(c.name())) {
                    List<String> values = new ArrayList<>(s.size());
                    for (int r = 0; r < s.size(); r++) {
                        values.add(s.get(r));
                    }
                    TimestampFormat f = TimestampFormat.detect(values, c.name());
                    if (f != null) {
                        detected.put(c.name(), f.text());
                        formats.put(c.name(), f);
                    }
                }
            }
            if (detected.size() > given.size()) {
                frame = TrainingConfig.readTable(file, Map.of("timestamp_format", detected), file.toString());
            }
            return new DraftTable(file, frame, formats, true);
        }
        CsvOptions options = CsvOptions.defaults().withTimestampFormats(formats);
        if (name.endsWith(".tsv")) {
            options = options.withDelimiter('\t');
        }
        CsvReader.Table table = CsvReader.readWithFormats(file, options);
        return new DraftTable(file, table.frame(), new LinkedHashMap<>(table.timestampFormats()), false);
    }

    /** The column, or an error listing the table's columns. */
    Column column(String name, String option) {
        if (!frame.names().contains(name)) {
            throw new IllegalArgumentException(option + " '" + name + "': " + file + " has no such column; its columns are "
                    + frame.names());
        }
        return frame.column(name);
    }

    /**
     * The time column: the one given, else the timestamp column (one named like a date when there are
     * several), else an integer column named like a time.
     */
    String timeColumn(String given, List<String> choices) {
        if (given != null) {
            Column c = column(given, "--time");
            if (!(c instanceof TimestampColumn) && !(c.type() == ColumnType.INT || c.type() == ColumnType.LONG)) {
                throw new IllegalArgumentException("--time '" + given + "' holds " + c.type().label() + " values, not timestamps or "
                        + "integers" + (c.type() == ColumnType.STRING ? "; if they are dates in a form Tempora does not recognise, "
                        + "give it with --timestamp-format " + given + "=PATTERN (a java.time pattern such as dd-MM-yyyy)" : ""));
            }
            choices.add("time: '" + given + "' (given)" + formatNote(given));
            checkNoneMissing(c);
            return given;
        }
        List<String> timestamps = new ArrayList<>();
        for (Column c : frame.columns()) {
            if (c instanceof TimestampColumn) {
                timestamps.add(c.name());
            }
        }
        if (!timestamps.isEmpty()) {
            String chosen = timestamps.stream().filter(n -> TIME_NAMES.contains(n.toLowerCase(Locale.ROOT))).findFirst()
                    .orElse(timestamps.get(0));
            choices.add("time: '" + chosen + "' (" + (timestamps.size() == 1 ? "the only timestamp column"
                    : "of the timestamp columns " + timestamps + ", the first named like a time; give --time to choose another")
                    + ")" + formatNote(chosen));
            checkNoneMissing(frame.column(chosen));
            return chosen;
        }
        for (Column c : frame.columns()) {
            if ((c.type() == ColumnType.INT || c.type() == ColumnType.LONG) && TIME_NAMES.contains(c.name().toLowerCase(Locale.ROOT))) {
                choices.add("time: '" + c.name() + "' (no timestamp column; an integer column named like a time index, used as "
                        + "time_idx)");
                checkNoneMissing(c);
                return c.name();
            }
        }
        throw new IllegalArgumentException(file + " has no timestamp column (dates such as 2024-01-31, 1949-01, 2020-W05, "
                + "31.01.2024, 01/31/2024) and no integer column named like a time index (" + String.join(", ",
                new java.util.TreeSet<>(TIME_NAMES)) + "); name it with --time (and --timestamp-format COLUMN=PATTERN for dates "
                + "in another form)");
    }

    private String formatNote(String column) {
        TimestampFormat f = formats.get(column);
        if (f == null) {
            return "";
        }
        return switch (f.text()) {
            case "iso" -> ", ISO-8601 dates or date-times";
            case "yyyy-MM" -> ", written yyyy-MM: each month's first day";
            case "YYYY-'W'ww" -> ", ISO weeks written YYYY-'W'ww: each week's Monday";
            default -> ", written " + f.text();
        };
    }

    private void checkNoneMissing(Column c) {
        int missing = c.missingCount();
        if (missing > 0) {
            int row = 0;
            while (!c.isMissing(row)) {
                row++;
            }
            throw new IllegalArgumentException("the time column '" + c.name() + "' is empty in " + missing + " rows (the first is "
                    + "data row " + (row + 1) + "); every row needs a time: drop those rows or fill them in");
        }
    }

    /** The time of every row: microseconds for a timestamp column, the integer otherwise. */
    long[] times(String time) {
        Column c = frame.column(time);
        long[] out = new long[frame.rowCount()];
        for (int r = 0; r < out.length; r++) {
            out[r] = c instanceof TimestampColumn ts ? ts.micros(r) : (long) c.getDouble(r);
        }
        return out;
    }

    /**
     * The columns that tell series apart: the ones given, else none when no time repeats, else the text
     * column (or two) that makes every (series, time) pair unique, the one with fewest values first.
     */
    List<String> groupColumns(List<String> given, String time, long[] times, List<String> choices) {
        if (!given.isEmpty()) {
            for (String g : given) {
                column(g, "--group");
            }
            String repeated = firstRepeat(given, time, times);
            if (repeated != null) {
                throw new IllegalArgumentException("--group " + given + " does not tell the series apart: " + repeated
                        + " appears twice; add the column(s) that do");
            }
            choices.add("series: by " + given + " (given), " + seriesCount(given) + " series");
            return given;
        }
        if (firstRepeat(List.of(), time, times) == null) {
            choices.add("series: one (no time appears twice, so the table is a single series)");
            return List.of();
        }
        List<String> text = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Column c : frame.columns()) {
            if (c.name().equals(time)) {
                continue;
            }
            if (c instanceof StringColumn) {
                text.add(c.name());
            } else if ((c.type() == ColumnType.INT || c.type() == ColumnType.LONG) && c.name().toLowerCase(Locale.ROOT).endsWith("id")) {
                ids.add(c.name());
            }
        }
        Comparator<String> fewestValues = Comparator.comparingInt(this::distinctCount);
        text.sort(fewestValues);
        ids.sort(fewestValues);
        List<List<String>> candidates = new ArrayList<>();
        text.forEach(c -> candidates.add(List.of(c)));
        for (int i = 0; i < text.size(); i++) {
            for (int j = i + 1; j < text.size(); j++) {
                candidates.add(List.of(text.get(i), text.get(j)));
            }
        }
        ids.forEach(c -> candidates.add(List.of(c)));
        for (List<String> candidate : candidates) {
            if (firstRepeat(candidate, time, times) == null) {
                choices.add("series: by " + candidate + ", " + seriesCount(candidate) + " series (times repeat across rows; "
                        + (candidate.size() == 1 ? "this column" : "these columns") + " make every (series, time) pair unique"
                        + (blocks(candidate) ? ", its rows come in blocks" : "") + ")");
                return candidate;
            }
        }
        throw new IllegalArgumentException("times repeat in " + file + " (" + firstRepeat(List.of(), time, times) + " appears more "
                + "than once) and no text column (or two) tells the series apart; name the columns that do with --group");
    }

    /** The first (group values, time) that appears twice, described, or null when every pair is unique. */
    private String firstRepeat(List<String> groups, String time, long[] times) {
        List<Column> columns = groups.stream().map(frame::column).toList();
        Set<List<Object>> seen = new HashSet<>();
        for (int r = 0; r < times.length; r++) {
            List<Object> key = new ArrayList<>(columns.size() + 1);
            for (Column c : columns) {
                key.add(c.format(r));
            }
            key.add(times[r]);
            if (!seen.add(key)) {
                StringBuilder what = new StringBuilder();
                for (Column c : columns) {
                    what.append(c.name()).append('=').append(c.format(r)).append(", ");
                }
                return "(" + what + time + "=" + frame.column(time).format(r) + ", data row " + (r + 1) + ")";
            }
        }
        return null;
    }

    private int distinctCount(String column) {
        Column c = frame.column(column);
        if (c instanceof StringColumn s) {
            return s.distinctCount();
        }
        Set<String> values = new HashSet<>();
        for (int r = 0; r < c.size(); r++) {
            values.add(c.format(r));
        }
        return values.size();
    }

    /** Whether each group's rows are contiguous (a long table, series after series). */
    private boolean blocks(List<String> groups) {
        int[] series = seriesOfRows(groups);
        Set<Integer> done = new HashSet<>();
        for (int r = 1; r < series.length; r++) {
            if (series[r] != series[r - 1] && !done.add(series[r - 1])) {
                return false;
            }
        }
        return !done.contains(series[series.length - 1]);
    }

    int seriesCount(List<String> groups) {
        int max = -1;
        for (int s : seriesOfRows(groups)) {
            max = Math.max(max, s);
        }
        return max + 1;
    }

    /** The series of each row, numbered 0, 1, ... in order of first appearance. */
    int[] seriesOfRows(List<String> groups) {
        List<Column> columns = groups.stream().map(frame::column).toList();
        Map<List<String>, Integer> ids = new HashMap<>();
        int[] out = new int[frame.rowCount()];
        for (int r = 0; r < out.length; r++) {
            List<String> key = new ArrayList<>(columns.size());
            for (Column c : columns) {
                key.add(c.format(r));
            }
            out[r] = ids.computeIfAbsent(key, k -> ids.size());
        }
        return out;
    }

    /** Whether a column holds one value within each series (a static input). */
    boolean constantPerSeries(String column, int[] series) {
        Column c = frame.column(column);
        Map<Integer, String> value = new HashMap<>();
        for (int r = 0; r < series.length; r++) {
            String v = c.format(r);
            String first = value.putIfAbsent(series[r], v == null ? "" : v);
            if (first != null && !first.equals(v == null ? "" : v)) {
                return false;
            }
        }
        return true;
    }
}
