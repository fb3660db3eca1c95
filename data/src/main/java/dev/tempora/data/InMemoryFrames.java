package dev.tempora.data;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Frames made from values in memory: {@link Frame#ofColumns} (one array or list per column) and
 * {@link Frame#ofRecords} (one map per row). Primitive arrays keep their type; object values are typed as
 * a whole column: all {@code Integer} (or {@code Short}, {@code Byte}) an int column, with {@code Long}
 * a long column, with any other {@code Number} a double column, all {@code String} a string column, all
 * temporal ({@link LocalDateTime}, {@link LocalDate} at midnight, {@link Instant}, {@link OffsetDateTime},
 * {@link ZonedDateTime}) a timestamp column. {@code null} is a missing value (so is NaN in a double column);
 * a column with no value at all is a double column of NaN, as {@link CsvReader} reads one.
 */
final class InMemoryFrames {

    /** What one value is, and what a column of such values becomes. */
    private enum Kind {
        INT("integers"), LONG("longs"), REAL("numbers"), STRING("strings"), TEMPORAL("timestamps");

        final String plural;

        Kind(String plural) {
            this.plural = plural;
        }

        /** The kind of a column holding values of both kinds, or null when they do not mix. */
        Kind join(Kind other) {
            if (this == other) {
                return this;
            }
            if (isNumber() && other.isNumber()) {
                return this == REAL || other == REAL ? REAL : LONG;
            }
            return null;
        }

        boolean isNumber() {
            return this == INT || this == LONG || this == REAL;
        }
    }

    private static final String SUPPORTED_VALUES = "Integer, Long, Short, Byte, Double, Float (or another Number), String, "
            + "LocalDateTime, LocalDate, Instant, OffsetDateTime or ZonedDateTime; null for a missing value";

    private InMemoryFrames() {}

    static Frame ofColumns(String source, Map<String, ?> columns) {
        String where = source == null ? "frame" : source;
        if (columns == null) {
            throw new IllegalArgumentException(where + ": no columns given (null); pass a map from column name to values");
        }
        List<Column> out = new ArrayList<>();
        String first = null;
        for (Map.Entry<String, ?> entry : columns.entrySet()) {
            String name = entry.getKey();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException(where + ": a column needs a non-empty name, got " + JsonValues.describe(name));
            }
            Column column = column(where, name, entry.getValue());
            if (first != null && column.size() != out.getFirst().size()) {
                throw new IllegalArgumentException(where + ": column '" + name + "' has " + column.size() + " values but column '"
                        + first + "' has " + out.getFirst().size() + "; every column needs one value per row");
            }
            if (first == null) {
                first = name;
            }
            out.add(column);
        }
        return new Frame(source, out);
    }

    static Frame ofRecords(String source, List<? extends Map<String, ?>> rows) {
        String where = source == null ? "frame" : source;
        if (rows == null) {
            throw new IllegalArgumentException(where + ": no rows given (null); pass a list of maps from column name to value");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, ?> row = rows.get(r);
            if (row == null) {
                throw new IllegalArgumentException(where + ": row " + r + " is null; give an empty map for a row of missing values");
            }
            for (String name : row.keySet()) {
                if (name == null || name.isEmpty()) {
                    throw new IllegalArgumentException(where + ": row " + r + " has a column with no name (" + JsonValues.describe(name) + ")");
                }
                names.add(name);
            }
        }
        List<Column> out = new ArrayList<>();
        for (String name : names) {
            out.add(typed(where, name, null, rows.size(), r -> rows.get(r).get(name)));
        }
        return new Frame(source, out);
    }

    /** One column from an array or list; primitive arrays keep their type, object values are typed by what they hold. */
    private static Column column(String where, String name, Object values) {
        return switch (values) {
            case null -> throw new IllegalArgumentException(where + ": column '" + name + "' has no values (null)");
            case int[] a -> new IntColumn(name, a.clone());
            case long[] a -> new LongColumn(name, a.clone());
            case float[] a -> new FloatColumn(name, a.clone());
            case double[] a -> new DoubleColumn(name, a.clone());
            case Object[] a -> typed(where, name, declaredKind(a.getClass().getComponentType()), a.length, r -> a[r]);
            case List<?> list -> typed(where, name, null, list.size(), list::get);
            default -> throw new IllegalArgumentException(where + ": column '" + name + "' is a " + values.getClass().getSimpleName()
                    + "; give an int[], long[], float[] or double[], or an array or list of " + SUPPORTED_VALUES);
        };
    }

    /** The kind an array's element type fixes, so that an all-null String[] is still a string column; null: look at the values. */
    private static Kind declaredKind(Class<?> element) {
        if (element == Integer.class || element == Short.class || element == Byte.class) {
            return Kind.INT;
        }
        if (element == Long.class) {
            return Kind.LONG;
        }
        if (element == Double.class || element == Float.class) {
            return Kind.REAL;
        }
        if (element == String.class) {
            return Kind.STRING;
        }
        boolean temporal = element == LocalDateTime.class || element == LocalDate.class || element == Instant.class
                || element == OffsetDateTime.class || element == ZonedDateTime.class;
        return temporal ? Kind.TEMPORAL : null;
    }

    private static Kind kindOf(Object value) {
        return switch (value) {
            case Integer i -> Kind.INT;
            case Short s -> Kind.INT;
            case Byte b -> Kind.INT;
            case Long l -> Kind.LONG;
            case Number n -> Kind.REAL;
            case String s -> Kind.STRING;
            case LocalDateTime t -> Kind.TEMPORAL;
            case LocalDate d -> Kind.TEMPORAL;
            case Instant i -> Kind.TEMPORAL;
            case OffsetDateTime t -> Kind.TEMPORAL;
            case ZonedDateTime t -> Kind.TEMPORAL;
            default -> null;
        };
    }

    /**
     * Types a column from all its values (starting from {@code declared} when the array's element type
     * fixes it), then fills the matching primitive array.
     */
    private static Column typed(String where, String name, Kind declared, int size, IntFunction<Object> value) {
        Kind kind = declared;
        int firstTyped = -1;
        for (int r = 0; r < size; r++) {
            Object v = value.apply(r);
            if (v == null) {
                continue;
            }
            Kind k = kindOf(v);
            if (k == null) {
                throw new IllegalArgumentException(where + ": column '" + name + "', row " + r + ": " + describe(v)
                        + " is not a supported value; give " + SUPPORTED_VALUES);
            }
            Kind joined = kind == null ? k : kind.join(k);
            if (joined == null) { // an array's element type admits one kind only, so the rows before set it
                throw new IllegalArgumentException(where + ": column '" + name + "' mixes types: row " + r + " holds "
                        + describe(v) + " but the rows before hold " + kind.plural + " (from row " + firstTyped
                        + "); a column holds one type");
            }
            if (firstTyped < 0) {
                firstTyped = r;
            }
            kind = joined;
        }
        if (kind == null) {
            double[] none = new double[size];
            java.util.Arrays.fill(none, Double.NaN);
            return new DoubleColumn(name, none);
        }
        return fill(name, kind, size, value);
    }

    private static Column fill(String name, Kind kind, int size, IntFunction<Object> value) {
        BitSet missing = new BitSet();
        switch (kind) {
            case STRING -> {
                StringColumn.Builder strings = new StringColumn.Builder(name, size);
                for (int r = 0; r < size; r++) {
                    strings.add((String) value.apply(r));
                }
                return strings.build();
            }
            case REAL -> {
                double[] values = new double[size];
                for (int r = 0; r < size; r++) {
                    values[r] = value.apply(r) instanceof Number n ? n.doubleValue() : Double.NaN;
                }
                return new DoubleColumn(name, values);
            }
            case INT -> {
                int[] values = new int[size];
                for (int r = 0; r < size; r++) {
                    if (value.apply(r) instanceof Number n) {
                        values[r] = n.intValue();
                    } else {
                        missing.set(r);
                    }
                }
                return new IntColumn(name, values, missing);
            }
            default -> {
                long[] values = new long[size];
                for (int r = 0; r < size; r++) {
                    Object v = value.apply(r);
                    if (v == null) {
                        missing.set(r);
                    } else {
                        values[r] = kind == Kind.LONG ? ((Number) v).longValue() : micros(v);
                    }
                }
                return kind == Kind.LONG ? new LongColumn(name, values, missing) : new TimestampColumn(name, values, missing);
            }
        }
    }

    /** Microseconds since the epoch (UTC); wall-clock times without a zone count as UTC, as CSV text does. */
    private static long micros(Object temporal) {
        LocalDateTime utc = switch (temporal) {
            case LocalDateTime t -> t;
            case LocalDate d -> d.atStartOfDay();
            case OffsetDateTime t -> LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
            case ZonedDateTime t -> LocalDateTime.ofInstant(t.toInstant(), ZoneOffset.UTC);
            default -> LocalDateTime.ofInstant((Instant) temporal, ZoneOffset.UTC);
        };
        return TimestampColumn.toMicros(utc);
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "a String (\"" + s + "\")";
        }
        String type = v.getClass().getSimpleName();
        return ("AEIOU".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type + " (" + v + ")";
    }
}
