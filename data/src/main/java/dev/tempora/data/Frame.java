package dev.tempora.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * A columnar table: named, typed columns of equal length. Frames are immutable; {@link #with},
 * {@link #select} and {@link #filter} return new frames that share the unchanged columns. Reading a
 * file never changes it: {@link #read(Path)} only opens it for reading.
 *
 * <p>{@link #source()} names where the rows came from (a file path, "builtin:taxi", ...) so that an
 * error about a column can say which table it means.
 */
public final class Frame {

    private final String source;
    private final Map<String, Column> columns;
    private final int rowCount;

    /**
     * A frame of {@code columns}, which must have distinct names and one length; {@code source} names where the
     * rows came from (null: "frame").
     */
    public Frame(String source, List<? extends Column> columns) {
        this.source = source == null ? "frame" : source;
        Map<String, Column> byName = new LinkedHashMap<>();
        int rows = -1;
        for (Column c : columns) {
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException(this.source + ": duplicate column name '" + c.name() + "'");
            }
            if (rows >= 0 && c.size() != rows) {
                throw new IllegalArgumentException(this.source + ": column '" + c.name() + "' has " + c.size()
                        + " rows but the columns before it have " + rows);
            }
            rows = c.size();
        }
        this.columns = Collections.unmodifiableMap(byName);
        this.rowCount = Math.max(rows, 0);
    }

    /**
     * A frame of the given columns, in the map's order (a {@link java.util.LinkedHashMap} keeps the order of
     * insertion), each given as an array or a list of values:
     * <ul>
     *   <li>{@code int[]}, {@code long[]}, {@code float[]}, {@code double[]}: an int, long, float or double
     *       column (NaN is a missing float or double);</li>
     *   <li>{@code String[]}: a string column; {@code LocalDateTime[]} (read as UTC wall-clock time, as CSV
     *       text is), {@code LocalDate[]} (midnight), {@code Instant[]}, {@code OffsetDateTime[]} or
     *       {@code ZonedDateTime[]}: a timestamp column (microseconds since the epoch, finer digits dropped);
     *       {@code Integer[]}, {@code Long[]}, {@code Double[]}: int, long, double; in these {@code null} is
     *       a missing value;</li>
     *   <li>any other object array or a {@link List}: typed from its values as {@link #ofRecords} types a
     *       column.</li>
     * </ul>
     * The arrays are copied: changing them afterwards does not change the frame.
     *
     * @param source  what the table is, named in error messages (null: "frame")
     * @param columns column name to values
     * @return the frame
     * @throws IllegalArgumentException when the columns differ in length, a name is empty, or values are of
     *         an unsupported type or mixed types (the message names the column and row)
     */
    public static Frame ofColumns(String source, Map<String, ?> columns) {
        return InMemoryFrames.ofColumns(source, columns);
    }

    /**
     * A frame of the given rows, each a map from column name to value. The columns are the keys in the
     * order they first appear (the first row's map order, then keys first seen in later rows); a key
     * absent from a row is a missing value there, as is {@code null}. Each column is typed from all its
     * values: all {@code Integer} (or {@code Short}, {@code Byte}) an int column, with some {@code Long} a
     * long column, with any other {@code Number} a double column; all {@code String} a string column; all
     * {@code LocalDateTime}, {@code LocalDate}, {@code Instant}, {@code OffsetDateTime} or
     * {@code ZonedDateTime} a timestamp column (as in {@link #ofColumns}). A column with no value at all is
     * a double column of NaN, as {@link CsvReader} reads one.
     *
     * @param source what the table is, named in error messages (null: "frame")
     * @param rows   one map per row
     * @return the frame
     * @throws IllegalArgumentException when a row is null, a column mixes types (say numbers and strings) or
     *         holds an unsupported value (say a Boolean); the message names the column and row
     */
    public static Frame ofRecords(String source, List<? extends Map<String, ?>> rows) {
        return InMemoryFrames.ofRecords(source, rows);
    }

    /** Reads a Parquet (.parquet) or CSV (.csv, .tsv, .txt) file, inferring CSV column types. */
    public static Frame read(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            return ParquetFiles.read(path);
        }
        if (name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt")) {
            return CsvReader.read(path, name.endsWith(".tsv") ? CsvOptions.defaults().withDelimiter('\t') : CsvOptions.defaults());
        }
        throw new IllegalArgumentException(path + ": unknown file type; expected .parquet or .csv (or .tsv)");
    }

    /** Where the rows came from (a file path, "builtin:taxi", ...), for error messages. */
    public String source() {
        return source;
    }

    /** The number of rows. */
    public int rowCount() {
        return rowCount;
    }

    /** The number of columns. */
    public int columnCount() {
        return columns.size();
    }

    /** The column names, in order. */
    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    /** The columns, in order. */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    /** Whether there is a column named {@code name}. */
    public boolean has(String name) {
        return columns.containsKey(name);
    }

    /** The named column; a missing one is an error that lists the columns there are. */
    public Column column(String name) {
        Column c = columns.get(name);
        if (c == null) {
            throw new IllegalArgumentException(source + ": no column '" + name + "'; the columns are " + names());
        }
        return c;
    }

    /** The named column, which must be numeric (float, double, int or long). */
    public Column numeric(String name, String role) {
        Column c = column(name);
        if (!c.type().isNumeric()) {
            throw new IllegalArgumentException(source + ": column '" + name + "' (" + role + ") must be numeric but holds "
                    + c.type().label() + " values" + firstNonNumber(c) + "; fix those cells, or list them as missing values");
        }
        return c;
    }

    /** {@return ", such as 'abc' in row 7" for the first text cell that is not a number, or "" when none is} */
    private static String firstNonNumber(Column c) {
        if (c instanceof StringColumn text) {
            for (int r = 0; r < text.size(); r++) {
                String v = text.isMissing(r) ? null : text.get(r);
                if (v == null) {
                    continue;
                }
                try {
                    Double.parseDouble(v.trim());
                } catch (NumberFormatException e) {
                    return ", such as '" + v + "' in row " + (r + 1);
                }
            }
        }
        return "";
    }

    /** The named column, which must have the given type. */
    @SuppressWarnings("unchecked")
    public <C extends Column> C column(String name, Class<C> type) {
        Column c = column(name);
        if (!type.isInstance(c)) {
            throw new IllegalArgumentException(source + ": column '" + name + "' holds " + c.type().label()
                    + " values, expected " + type.getSimpleName().replace("Column", "").toLowerCase(java.util.Locale.ROOT));
        }
        return (C) c;
    }

    /** This frame with {@code column} added, or replacing the column of the same name in place. */
    public Frame with(Column column) {
        if (column.size() != rowCount && !columns.isEmpty()) {
            throw new IllegalArgumentException(source + ": column '" + column.name() + "' has " + column.size()
                    + " rows, the frame has " + rowCount);
        }
        List<Column> out = new ArrayList<>(columns.values());
        boolean replaced = false;
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).name().equals(column.name())) {
                out.set(i, column);
                replaced = true;
            }
        }
        if (!replaced) {
            out.add(column);
        }
        return new Frame(source, out);
    }

    /** This frame without the named columns (names that are absent are ignored). */
    public Frame without(String... names) {
        List<Column> out = new ArrayList<>(columns.values());
        out.removeIf(c -> List.of(names).contains(c.name()));
        return new Frame(source, out);
    }

    /** The named columns only, in the given order. */
    public Frame project(List<String> names) {
        List<Column> out = new ArrayList<>();
        for (String n : names) {
            out.add(column(n));
        }
        return new Frame(source, out);
    }

    /** The rows at the given positions, in that order. */
    public Frame select(int[] rows) {
        List<Column> out = new ArrayList<>();
        for (Column c : columns.values()) {
            out.add(c.gather(rows));
        }
        return new Frame(source, out);
    }

    /** The rows for which {@code keep} is true, in order. */
    public Frame filter(IntPredicate keep) {
        int[] rows = new int[rowCount];
        int n = 0;
        for (int i = 0; i < rowCount; i++) {
            if (keep.test(i)) {
                rows[n++] = i;
            }
        }
        return n == rowCount ? this : select(java.util.Arrays.copyOf(rows, n));
    }

    /** Approximate heap bytes held by the column values. */
    public long byteSize() {
        long bytes = 0;
        for (Column c : columns.values()) {
            bytes += c.byteSize();
        }
        return bytes;
    }

    /** The schema as "name: type" lines. */
    public String describe() {
        StringBuilder sb = new StringBuilder(source).append(": ").append(rowCount).append(" rows\n");
        for (Column c : columns.values()) {
            sb.append("  ").append(c.name()).append(": ").append(c.type().label());
            int missing = c.missingCount();
            if (missing > 0) {
                sb.append(" (").append(missing).append(" missing)");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source + " (" + rowCount + " rows, columns " + names() + ")";
    }
}
