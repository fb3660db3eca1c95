package dev.tempora.data;

import java.util.BitSet;

/**
 * One named, typed column of a {@link Frame}. Columns are immutable: every operation returns a new
 * column. The concrete classes hold primitive arrays ({@link FloatColumn}, {@link DoubleColumn},
 * {@link IntColumn}, {@link LongColumn}, {@link TimestampColumn}) or dictionary codes
 * ({@link StringColumn}), so a column of n rows costs n times its element size.
 */
public abstract sealed class Column
        permits FloatColumn, DoubleColumn, IntColumn, LongColumn, StringColumn, TimestampColumn {

    final String name;

    Column(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a column needs a non-empty name");
        }
        this.name = name;
    }

    /** The column's name, unique within a frame. */
    public final String name() {
        return name;
    }

    /** The column's value type. */
    public abstract ColumnType type();

    /** Number of rows. */
    public abstract int size();

    /** Whether the value at {@code row} is missing (NaN for floating-point columns). */
    public abstract boolean isMissing(int row);

    /** Number of missing values. */
    public int missingCount() {
        int n = 0;
        for (int i = 0; i < size(); i++) {
            if (isMissing(i)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The value as a double (NaN when missing); timestamps give microseconds since the epoch.
     * String columns throw: they have no numeric value.
     */
    public abstract double getDouble(int row);

    /** The value as text, as a CSV writer would print it; null when missing. */
    public abstract String format(int row);

    /** The same values under another name. */
    public abstract Column renamed(String newName);

    /** The rows at the given positions, in that order. */
    public abstract Column gather(int[] rows);

    /** Approximate heap bytes held by the values (for memory reports). */
    public abstract long byteSize();

    @Override
    public String toString() {
        return name + " (" + type().label() + ", " + size() + " rows)";
    }

    static BitSet gatherMask(BitSet missing, int[] rows) {
        if (missing == null) {
            return null;
        }
        BitSet out = new BitSet(rows.length);
        for (int i = 0; i < rows.length; i++) {
            if (missing.get(rows[i])) {
                out.set(i);
            }
        }
        return out.isEmpty() ? null : out;
    }

    static BitSet normaliseMask(BitSet missing) {
        return missing == null || missing.isEmpty() ? null : missing;
    }
}
