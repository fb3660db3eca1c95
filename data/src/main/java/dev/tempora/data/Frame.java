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

    public String source() {
        return source;
    }

    public int rowCount() {
        return rowCount;
    }

    public int columnCount() {
        return columns.size();
    }

    public List<String> names() {
        return List.copyOf(columns.keySet());
    }

    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

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
                    + c.type().label() + " values");
        }
        return c;
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
