package dev.tempora.data;

import java.time.LocalDateTime;
import java.util.Locale;

/**
 * The step between consecutive rows of a series, for turning a timestamp column into PTF's integer
 * {@code time_idx}: a fixed duration ("30min", "1h", "1d", "1w", "15s") or a calendar step ("month",
 * "quarter", "year", also written "1mo", "1M", "MS", "Q", "Y"; "3mo" is three months). Calendar steps
 * count calendar months between timestamps, so months of 28 to 31 days are one step each.
 *
 * @param micros the step's length in microseconds (0 for a calendar step)
 * @param months the step in calendar months (0 for a fixed duration)
 * @param text   the frequency as written
 */
public record Frequency(long micros, int months, String text) {

    /**
     * Reads a frequency ("30min", "1h", "1d", "month", ...); an unknown or ambiguous one ("m") is an {@link
     * IllegalArgumentException} listing the accepted forms.
     */
    public static Frequency parse(String text) {
        String t = text.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "month", "monthly", "ms", "m" -> {
                if (t.equals("m")) {
                    break; // "m" alone is ambiguous (minute or month): refuse below
                }
                return new Frequency(0, 1, text);
            }
            case "quarter", "quarterly", "q", "qs" -> {
                return new Frequency(0, 3, text);
            }
            case "year", "yearly", "annual", "y", "ys", "a" -> {
                return new Frequency(0, 12, text);
            }
            default -> { }
        }
        if (t.equals("1M") || t.equals("M")) {
            return new Frequency(0, 1, text);
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        long count = i == 0 ? 1 : Long.parseLong(t.substring(0, i));
        String unit = t.substring(i).toLowerCase(Locale.ROOT);
        if (unit.equals("mo") || unit.equals("mon") || unit.equals("month") || unit.equals("months")) {
            if (count <= 0 || count > 1200) {
                throw new IllegalArgumentException("frequency '" + text + "' must be 1 to 1200 months");
            }
            return new Frequency(0, (int) count, text);
        }
        long unitMicros = switch (unit) {
            case "us", "micros" -> 1L;
            case "ms", "millis" -> 1_000L;
            case "s", "sec", "second", "seconds" -> 1_000_000L;
            case "min", "t", "minute", "minutes" -> 60_000_000L;
            case "h", "hour", "hours", "hourly" -> 3_600_000_000L;
            case "d", "day", "days", "daily" -> 86_400_000_000L;
            case "w", "week", "weeks", "weekly" -> 7 * 86_400_000_000L;
            default -> throw new IllegalArgumentException("unknown frequency '" + text
                    + "'; use a duration such as 30min, 1h, 1d, 1w, or a calendar step: 1mo (month), quarter, year");
        };
        if (count <= 0) {
            throw new IllegalArgumentException("frequency '" + text + "' must be positive");
        }
        return new Frequency(count * unitMicros, 0, text);
    }

    /**
     * Periods from {@code origin} to {@code t}; {@link Long#MIN_VALUE} if t is not a whole number of
     * periods after (or before) the origin.
     */
    public long periods(long originMicros, long tMicros) {
        if (months > 0) {
            LocalDateTime o = TimestampColumn.toDateTime(originMicros);
            LocalDateTime x = TimestampColumn.toDateTime(tMicros);
            long monthsBetween = (x.getYear() * 12L + x.getMonthValue()) - (o.getYear() * 12L + o.getMonthValue());
            if (monthsBetween % months != 0 || !x.minusMonths(monthsBetween).equals(o)) {
                return Long.MIN_VALUE;
            }
            return monthsBetween / months;
        }
        long delta = tMicros - originMicros;
        if (delta % micros != 0) {
            return Long.MIN_VALUE;
        }
        return delta / micros;
    }

    /** The timestamp {@code periods} steps after {@code origin}. */
    public long advance(long originMicros, long periods) {
        if (months > 0) {
            return TimestampColumn.toMicros(TimestampColumn.toDateTime(originMicros).plusMonths(periods * months));
        }
        return originMicros + periods * micros;
    }

    @Override
    public String toString() {
        return text;
    }
}
