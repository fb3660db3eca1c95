package dev.tempora.data;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.time.temporal.WeekFields;
import java.util.Locale;

/**
 * How a column writes its timestamps: one of the common forms a CSV reader recognises by itself, or a
 * {@link DateTimeFormatter} pattern given in a config's {@code data.timestamp_format}.
 *
 * <p>The recognised forms, each parsed by hand (no exception per value):
 * <ul>
 *   <li>{@code iso}: {@code 2024-01-31}, {@code 2024-01-31 13:30[:00[.5]]}, a {@code T} for the blank, an
 *       optional {@code Z} or {@code +hh:mm}</li>
 *   <li>{@code yyyy-MM} (short name {@code year-month}): {@code 1949-01}, read as the first day of the month</li>
 *   <li>{@code YYYY-'W'ww} ({@code year-week}): ISO week {@code 2020-W05}, read as that week's Monday</li>
 *   <li>{@code yyyy/MM/dd}, {@code dd.MM.yyyy}, {@code MM/dd/yyyy}, {@code dd/MM/yyyy}: one or two digits for
 *       day and month, optionally followed by a time {@code HH:mm} or {@code HH:mm:ss}</li>
 * </ul>
 * Any other pattern is read with {@link DateTimeFormatter} (week-based letters {@code Y} and {@code w} mean
 * ISO weeks); a date without a day is the first of its month, a week without a day its Monday.
 * Timestamps without an offset are UTC wall-clock time, as {@link TimestampColumn} keeps them.
 */
public final class TimestampFormat {

    /** The forms recognised without a pattern, in the order detection tries them. */
    enum Kind {
        ISO("iso"), YEAR_MONTH("yyyy-MM"), YEAR_WEEK("YYYY-'W'ww"), YEAR_MONTH_DAY_SLASH("yyyy/MM/dd"),
        DAY_MONTH_YEAR_DOT("dd.MM.yyyy"), MONTH_DAY_YEAR_SLASH("MM/dd/yyyy"), DAY_MONTH_YEAR_SLASH("dd/MM/yyyy"), PATTERN(null);

        final String text;

        Kind(String text) {
            this.text = text;
        }
    }

    private static final long MICROS_PER_DAY = 86_400_000_000L;

    final Kind kind;
    private final String text;
    private final DateTimeFormatter formatter;

    private TimestampFormat(Kind kind, String text, DateTimeFormatter formatter) {
        this.kind = kind;
        this.text = text;
        this.formatter = formatter;
    }

    /** ISO-8601 dates and date-times, the form CSV files written by Tempora and pandas use. */
    public static final TimestampFormat ISO = new TimestampFormat(Kind.ISO, "iso", null);

    static TimestampFormat of(Kind kind) {
        return kind == Kind.ISO ? ISO : new TimestampFormat(kind, kind.text, null);
    }

    /**
     * Reads a format as a config writes it: a short name ({@code "iso"}, {@code "year-month"}, {@code
     * "year-week"}) or a {@link DateTimeFormatter} pattern ({@code "yyyy-MM"}, {@code "dd.MM.yyyy HH:mm"}).
     *
     * @param text the name or pattern
     * @return the format
     * @throws IllegalArgumentException when the pattern is not a valid DateTimeFormatter pattern, or names no year
     */
    public static TimestampFormat parse(String text) {
        String t = text.strip();
        switch (t.toLowerCase(Locale.ROOT)) {
            case "iso" -> {
                return ISO;
            }
            case "year-month" -> {
                return of(Kind.YEAR_MONTH);
            }
            case "year-week" -> {
                return of(Kind.YEAR_WEEK);
            }
            default -> { }
        }
        for (Kind k : Kind.values()) {
            if (t.equals(k.text)) {
                return of(k);
            }
        }
        String letters = patternLetters(t);
        if (letters.indexOf('y') < 0 && letters.indexOf('u') < 0 && letters.indexOf('Y') < 0) {
            throw new IllegalArgumentException("timestamp format \"" + text + "\" has no year (y, u or Y); use a java.time "
                    + "pattern such as \"yyyy-MM-dd\" or \"dd.MM.yyyy HH:mm\", or \"iso\", \"year-month\", \"year-week\"");
        }
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().parseCaseInsensitive();
        try {
            b.appendPattern(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("timestamp format \"" + text + "\" is not a java.time pattern: " + e.getMessage()
                    + "; use one such as \"yyyy-MM-dd\" or \"dd.MM.yyyy HH:mm\", or \"iso\", \"year-month\", \"year-week\"", e);
        }
        boolean hasDay = letters.indexOf('d') >= 0 || letters.indexOf('D') >= 0;
        if (letters.indexOf('w') >= 0) {
            if (letters.indexOf('e') < 0 && letters.indexOf('E') < 0 && letters.indexOf('c') < 0) {
                b.parseDefaulting(WeekFields.ISO.dayOfWeek(), 1); // a week's Monday
            }
        } else if (!hasDay) {
            if (letters.indexOf('M') < 0 && letters.indexOf('L') < 0) {
                b.parseDefaulting(ChronoField.MONTH_OF_YEAR, 1);
            }
            b.parseDefaulting(ChronoField.DAY_OF_MONTH, 1);
        }
        // The United Kingdom's week rules are ISO's (weeks start on Monday, week 1 holds January 4th).
        return new TimestampFormat(Kind.PATTERN, t, b.toFormatter(Locale.UK));
    }

    /** The pattern letters of a DateTimeFormatter pattern, quoted text left out. */
    private static String patternLetters(String pattern) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && Character.isLetter(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@return the format as a config writes it in data.timestamp_format: "iso" or a java.time pattern} */
    public String text() {
        return text;
    }

    /** {@return whether this is the ISO form, which every reader recognises without being told} */
    public boolean isIso() {
        return kind == Kind.ISO;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TimestampFormat f && f.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * Parses one value.
     *
     * @param value the text of a cell
     * @return microseconds since 1970-01-01T00:00Z, or {@link Long#MIN_VALUE} when the value is not in this format
     */
    public long parseMicros(String value) {
        return switch (kind) {
            case ISO -> Timestamps.parseMicros(value);
            case YEAR_MONTH -> yearMonth(value);
            case YEAR_WEEK -> yearWeek(value);
            case YEAR_MONTH_DAY_SLASH -> threeNumbers(value, '/', 0, 1, 2);
            case DAY_MONTH_YEAR_DOT -> threeNumbers(value, '.', 2, 1, 0);
            case MONTH_DAY_YEAR_SLASH -> threeNumbers(value, '/', 2, 0, 1);
            case DAY_MONTH_YEAR_SLASH -> threeNumbers(value, '/', 2, 1, 0);
            case PATTERN -> pattern(value);
        };
    }

    private static long yearMonth(String s) {
        if (s.length() != 7 || s.charAt(4) != '-') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        if (year < 0 || month < 1 || month > 12) {
            return Long.MIN_VALUE;
        }
        return LocalDate.of(year, month, 1).toEpochDay() * MICROS_PER_DAY;
    }

    private static long yearWeek(String s) {
        if (s.length() != 8 || s.charAt(4) != '-' || s.charAt(5) != 'W') {
            return Long.MIN_VALUE;
        }
        int year = digits(s, 0, 4);
        int week = digits(s, 6, 2);
        if (year < 0 || week < 1) {
            return Long.MIN_VALUE;
        }
        LocalDate january4 = LocalDate.of(year, 1, 4); // always in week 1
        if (week > IsoFields.WEEK_OF_WEEK_BASED_YEAR.rangeRefinedBy(january4).getMaximum()) {
            return Long.MIN_VALUE;
        }
        LocalDate monday = january4.with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week).with(DayOfWeek.MONDAY);
        return monday.toEpochDay() * MICROS_PER_DAY;
    }

    /**
     * A date written as three numbers with one separator (a four-digit year, one or two digits for the day
     * and the month), optionally followed by " HH:mm" or " HH:mm:ss"; the year, month and day are the
     * numbers at positions {@code yearAt}, {@code monthAt}, {@code dayAt}.
     */
    private static long threeNumbers(String s, char separator, int yearAt, int monthAt, int dayAt) {
        int[] numbers = new int[3];
        int i = 0;
        int n = s.length();
        for (int part = 0; part < 3; part++) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 4) {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
            }
            int length = i - start;
            if (part == yearAt ? length != 4 : length < 1 || length > 2) {
                return Long.MIN_VALUE;
            }
            numbers[part] = v;
            if (part < 2) {
                if (i >= n || s.charAt(i) != separator) {
                    return Long.MIN_VALUE;
                }
                i++;
            }
        }
        int secondOfDay = 0;
        if (i < n) {
            secondOfDay = timeOfDay(s, i);
            if (secondOfDay < 0) {
                return Long.MIN_VALUE;
            }
        }
        int month = numbers[monthAt];
        int day = numbers[dayAt];
        if (month < 1 || month > 12 || day < 1 || day > 31) {
            return Long.MIN_VALUE;
        }
        try {
            return LocalDate.of(numbers[yearAt], month, day).toEpochDay() * MICROS_PER_DAY + secondOfDay * 1_000_000L;
        } catch (DateTimeException e) { // 30.02.2024 and the like
            return Long.MIN_VALUE;
        }
    }

    /** Seconds since midnight of " HH:mm" or " HH:mm:ss" (or 'T' for the blank) at {@code from}, or -1. */
    private static int timeOfDay(String s, int from) {
        int n = s.length() - from;
        if ((n != 6 && n != 9) || (s.charAt(from) != ' ' && s.charAt(from) != 'T') || s.charAt(from + 3) != ':') {
            return -1;
        }
        int hour = digits(s, from + 1, 2);
        int minute = digits(s, from + 4, 2);
        int second = 0;
        if (n == 9) {
            second = s.charAt(from + 6) == ':' ? digits(s, from + 7, 2) : -1;
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return -1;
        }
        return hour * 3600 + minute * 60 + second;
    }

    private long pattern(String s) {
        // parseUnresolved reports a mismatch through the position, not an exception: only values that match
        // the pattern's shape but name no real date (February 30th) reach the resolving parse and its exception.
        ParsePosition position = new ParsePosition(0);
        if (formatter.parseUnresolved(s, position) == null || position.getIndex() != s.length()) {
            return Long.MIN_VALUE;
        }
        try {
            TemporalAccessor t = formatter.parse(s);
            LocalDate date = t.query(TemporalQueries.localDate());
            if (date == null) {
                return Long.MIN_VALUE;
            }
            LocalTime time = t.query(TemporalQueries.localTime());
            ZoneOffset offset = t.query(TemporalQueries.offset());
            long seconds = date.toEpochDay() * 86_400L + (time == null ? 0 : time.toSecondOfDay())
                    - (offset == null ? 0 : offset.getTotalSeconds());
            return seconds * 1_000_000L + (time == null ? 0 : time.getNano() / 1000);
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    static int digits(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The one recognised form that every value parses under, or null when there is none.
     *
     * @param values the non-missing values of a column
     * @param column the column's name, for the error message
     * @return the format, or null when the values are not all timestamps of one recognised form
     * @throws IllegalArgumentException when every value reads both as MM/dd/yyyy and as dd/MM/yyyy, naming the
     *         column and asking for a data.timestamp_format
     */
    public static TimestampFormat detect(Iterable<String> values, String column) {
        Detection d = new Detection();
        for (String v : values) {
            if (v != null) {
                d.see(v);
            }
        }
        return d.format(column);
    }

    /** Detection over a column's values, one at a time: which recognised forms every value so far parses under. */
    static final class Detection {
        private static final Kind[] CANDIDATES = {Kind.ISO, Kind.YEAR_MONTH, Kind.YEAR_WEEK, Kind.YEAR_MONTH_DAY_SLASH,
            Kind.DAY_MONTH_YEAR_DOT, Kind.MONTH_DAY_YEAR_SLASH, Kind.DAY_MONTH_YEAR_SLASH};
        private static final TimestampFormat[] FORMATS = java.util.Arrays.stream(CANDIDATES).map(TimestampFormat::of)
                .toArray(TimestampFormat[]::new);

        private int alive = (1 << CANDIDATES.length) - 1;
        private boolean any;
        private String example;

        /** Notes one non-missing value. */
        void see(String v) {
            if (alive == 0) {
                return;
            }
            if (!any) {
                any = true;
                example = v;
            }
            for (int k = 0; k < CANDIDATES.length; k++) {
                if ((alive & (1 << k)) != 0 && FORMATS[k].parseMicros(v) == Long.MIN_VALUE) {
                    alive &= ~(1 << k);
                }
            }
        }

        /** Whether every value seen (at least one) parses under some recognised form. */
        boolean possible() {
            return any && alive != 0;
        }

        /** The form every value parses under, or null; both day-month orders possible is an error. */
        TimestampFormat format(String column) {
            if (!possible()) {
                return null;
            }
            int monthFirst = 1 << Kind.MONTH_DAY_YEAR_SLASH.ordinal();
            int dayFirst = 1 << Kind.DAY_MONTH_YEAR_SLASH.ordinal();
            if ((alive & monthFirst) != 0 && (alive & dayFirst) != 0) {
                throw new IllegalArgumentException("column '" + column + "': its dates (such as '" + example + "') read both as "
                        + "MM/dd/yyyy and as dd/MM/yyyy (no day above 12); say which in the config's data section: "
                        + "\"timestamp_format\": {\"" + column + "\": \"MM/dd/yyyy\"} or {\"" + column + "\": \"dd/MM/yyyy\"} (tempora "
                        + "init: --timestamp-format " + column + "=MM/dd/yyyy)");
            }
            return FORMATS[Integer.numberOfTrailingZeros(alive)];
        }
    }
}
