package dev.tempora.data;

import java.util.BitSet;

/** int32 values with an optional missing mask (a missing row holds 0). */
public final class IntColumn extends Column {

    final int[] values;
    final BitSet missing;

    /** Takes ownership of {@code values} and {@code missing} (null: nothing missing). */
    public IntColumn(String name, int[] values, BitSet missing) {
        super(name);
        this.values = values;
        this.missing = normaliseMask(missing);
    }

    /** A column with nothing missing; takes ownership of {@code values}. */
    public IntColumn(String name, int[] values) {
        this(name, values, null);
    }

    /** The value at {@code row} (0 when missing). */
    public int get(int row) {
        return values[row];
    }

    /** A copy of the values (missing rows hold 0). */
    public int[] toArray() {
        return values.clone();
    }

    @Override public ColumnType type() { return ColumnType.INT; }
    @Override public int size() { return values.length; }
    @Override public boolean isMissing(int row) { return missing != null && missing.get(row); }
    @Override public int missingCount() { return missing == null ? 0 : missing.cardinality(); }
    @Override public double getDouble(int row) { return isMissing(row) ? Double.NaN : values[row]; }
    @Override public String format(int row) { return isMissing(row) ? null : Integer.toString(values[row]); }
    @Override public Column renamed(String newName) { return new IntColumn(newName, values, missing); }
    @Override public long byteSize() { return 4L * values.length + (missing == null ? 0 : values.length / 8); }

    @Override
    public Column gather(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new IntColumn(name, out, gatherMask(missing, rows));
    }
}
