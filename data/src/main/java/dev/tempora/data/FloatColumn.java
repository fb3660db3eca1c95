package dev.tempora.data;

/** float32 values; missing is NaN. */
public final class FloatColumn extends Column {

    final float[] values;

    /** Takes ownership of {@code values} (no copy). */
    public FloatColumn(String name, float[] values) {
        super(name);
        this.values = values;
    }

    /** The value at {@code row} (NaN when missing). */
    public float get(int row) {
        return values[row];
    }

    /** A copy of the values. */
    public float[] toArray() {
        return values.clone();
    }

    @Override public ColumnType type() { return ColumnType.FLOAT; }
    @Override public int size() { return values.length; }
    @Override public boolean isMissing(int row) { return Float.isNaN(values[row]); }
    @Override public double getDouble(int row) { return values[row]; }
    @Override public String format(int row) { return isMissing(row) ? null : Float.toString(values[row]); }
    @Override public Column renamed(String newName) { return new FloatColumn(newName, values); }
    @Override public long byteSize() { return 4L * values.length; }

    @Override
    public Column gather(int[] rows) {
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new FloatColumn(name, out);
    }
}
