package dev.tempora.data;

/** The value types a {@link Frame} column can hold. */
public enum ColumnType {
    /** float32; a missing value is NaN. */
    FLOAT,
    /** float64; a missing value is NaN. */
    DOUBLE,
    /** int32, with a missing mask. */
    INT,
    /** int64, with a missing mask. */
    LONG,
    /** Text, dictionary-encoded: an int code per row into a table of distinct values. */
    STRING,
    /** An instant as microseconds since 1970-01-01T00:00Z (naive timestamps are read as UTC), with a missing mask. */
    TIMESTAMP;

    /** Whether the values are numbers (timestamps are not, though they are stored as longs). */
    public boolean isNumeric() {
        return this == FLOAT || this == DOUBLE || this == INT || this == LONG;
    }

    /** The name as configs and messages spell it: "float", "double", ... */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses a type name as configs spell it ("float", "double", "int", "long", "string", "timestamp"). */
    public static ColumnType parse(String name) {
        for (ColumnType t : values()) {
            if (t.label().equals(name.toLowerCase(java.util.Locale.ROOT))) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + name
                + "'; expected one of float, double, int, long, string, timestamp");
    }
}
