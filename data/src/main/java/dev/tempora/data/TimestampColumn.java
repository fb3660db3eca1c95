package dev.tempora.data;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;

/**
 * Instants as microseconds since 1970-01-01T00:00Z, with an optional missing mask. Timestamps without
 * a zone (CSV text, Parquet's non-UTC-adjusted timestamps) are read as UTC wall-clock time, so calendar
 * fields (month, hour) come out as written.
 */
public final class TimestampColumn extends Column {

    final long[] micros;
    final BitSet missing;

    /** Takes ownership of {@code micros} and {@code missing} (null: nothing missing). */
    public TimestampColumn(String name, long[] micros, BitSet missing) {
        super(name);
        this.micros = micros;
        this.missing = normaliseMask(missing);
    }

    /** A column with nothing missing; takes ownership of {@code micros} (microseconds since the epoch, UTC). */
    public TimestampColumn(String name, long[] micros) {
        this(name, micros, null);
    }

    /** Microseconds since the epoch. */
    public long micros(int row) {
        return micros[row];
    }

    /** The value at {@code row} as a date-time in UTC. */
    public LocalDateTime dateTime(int row) {
        return toDateTime(micros[row]);
    }

    /** A copy of the microseconds (missing rows hold 0). */
    public long[] toArray() {
        return micros.clone();
    }

    static LocalDateTime toDateTime(long micros) {
        long seconds = Math.floorDiv(micros, 1_000_000L);
        int nanos = (int) Math.floorMod(micros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    /** "yyyy-MM-dd HH:mm:ss", with a fraction only when there is one. */
    static String formatMicros(long micros) {
        LocalDateTime t = toDateTime(micros);
        String text = String.format(java.util.Locale.ROOT, "%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(),
                t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond());
        int fraction = (int) Math.floorMod(micros, 1_000_000L);
        return fraction == 0 ? text : text + String.format(java.util.Locale.ROOT, ".%06d", fraction);
    }

    static long toMicros(LocalDateTime t) {
        Instant i = t.toInstant(ZoneOffset.UTC);
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
    }

    @Override public ColumnType type() { return ColumnType.TIMESTAMP; }
    @Override public int size() { return micros.length; }
    @Override public boolean isMissing(int row) { return missing != null && missing.get(row); }
    @Override public int missingCount() { return missing == null ? 0 : missing.cardinality(); }
    @Override public double getDouble(int row) { return isMissing(row) ? Double.NaN : micros[row]; }
    @Override public Column renamed(String newName) { return new TimestampColumn(newName, micros, missing); }
    @Override public long byteSize() { return 8L * micros.length + (missing == null ? 0 : micros.length / 8); }

    @Override
    public String format(int row) {
        if (isMissing(row)) {
            return null;
        }
        return formatMicros(micros[row]);
    }

    @Override
    public Column gather(int[] rows) {
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = micros[rows[i]];
        }
        return new TimestampColumn(name, out, gatherMask(missing, rows));
    }
}
