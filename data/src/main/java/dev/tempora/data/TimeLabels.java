package dev.tempora.data;

import java.time.LocalDateTime;
import java.util.Locale;

/**
 * Time steps as messages name them: a time index, and beside it the timestamp it stands for when the
 * data set has a timestamp column ("time_idx 63 (2024-03-05)"), so that the user can find the row in
 * the file without computing periods from the time origin.
 */
public final class TimeLabels {

    private TimeLabels() {}

    /**
     * A timestamp as short as it can be said: the date alone at midnight, hours and minutes when the
     * seconds are zero, else the full "yyyy-MM-dd HH:mm:ss[.ffffff]".
     *
     * @param micros microseconds since 1970-01-01 00:00 (UTC wall-clock time, as the columns hold it)
     * @return e.g. "2024-03-05" or "2024-03-05 14:00"
     */
    public static String timestamp(long micros) {
        LocalDateTime t = TimestampColumn.toDateTime(micros);
        String date = String.format(Locale.ROOT, "%04d-%02d-%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth());
        if (Math.floorMod(micros, 60_000_000L) != 0) {
            return TimestampColumn.formatMicros(micros);
        }
        return t.getHour() == 0 && t.getMinute() == 0 ? date
                : date + String.format(Locale.ROOT, " %02d:%02d", t.getHour(), t.getMinute());
    }

    /**
     * A time index for a message, with its timestamp when the data set has a timestamp column.
     *
     * @param p      the data set parameters (their timestamp column and frequency)
     * @param origin microseconds of time index 0, or null when unknown (then only the index is given)
     * @param time   the time index
     * @return e.g. "time_idx 63 (2024-03-05)", or "time_idx 63"
     */
    public static String timeIndex(DatasetParameters p, Long origin, long time) {
        String index = "time_idx " + time;
        if (p.timestamp == null || p.frequency == null || origin == null) {
            return index;
        }
        return index + " (" + timestamp(p.frequency.advance(origin, time)) + ")";
    }
}
