package dev.tempora.data;

/** float64 values; missing is NaN. */
public final class DoubleColumn extends Column {

    final double[] values;

    /** Takes ownership of {@code values} (no copy). */
    public DoubleColumn(String name, double[] values) {
        super(name);
        this.values = values;
    }

    /** The value at {@code row} (NaN when missing). */
    public double get(int row) {
        return values[row];
    }

    /** A copy of the values. */
    public double[] toArray() {
        return values.clone();
    }

    @Override public ColumnType type() { return ColumnType.DOUBLE; }
    @Override public int size() { return values.length; }
    @Override public boolean isMissing(int row) { return Double.isNaN(values[row]); }
    @Override public double getDouble(int row) { return values[row]; }
    @Override public String format(int row) { return isMissing(row) ? null : Double.toString(values[row]); }
    @Override public Column renamed(String newName) { return new DoubleColumn(newName, values); }
    @Override public long byteSize() { return 8L * values.length; }

    @Override
    public Column gather(int[] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = values[rows[i]];
        }
        return new DoubleColumn(name, out);
    }
}
