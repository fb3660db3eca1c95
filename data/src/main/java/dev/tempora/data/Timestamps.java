package dev.tempora.data;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Parses ISO-8601 timestamps as CSV files write them, without regular expressions or exceptions per value. */
final class Timestamps {

    private Timestamps() {}

    /**
     * Microseconds since the epoch for "yyyy-MM-dd", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss",
     * "yyyy-MM-dd HH:mm:ss.fraction" (a 'T' may replace the space), each optionally followed by 'Z' or
     * an offset "+hh:mm"; Long.MIN_VALUE if the text is none of these.
     */
    static long parseMicros(String s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return Long.MIN_VALUE;
        }
        int year = TimestampFormat.digits(s, 0, 4);
        int month = TimestampFormat.digits(s, 5, 2);
        int day = TimestampFormat.digits(s, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return Long.MIN_VALUE;
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        long micros = 0;
        int offsetSeconds = 0;
        int i = 10;
        if (i < n) {
            char sep = s.charAt(i);
            if (sep != ' ' && sep != 'T') {
                return Long.MIN_VALUE;
            }
            if (n < 16 || s.charAt(13) != ':') {
                return Long.MIN_VALUE;
            }
            hour = TimestampFormat.digits(s, 11, 2);
            minute = TimestampFormat.digits(s, 14, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
                return Long.MIN_VALUE;
            }
            i = 16;
            if (i < n && s.charAt(i) == ':') {
                second = i + 3 <= n ? TimestampFormat.digits(s, i + 1, 2) : -1;
                if (second < 0 || second > 59) {
                    return Long.MIN_VALUE;
                }
                i += 3;
                if (i < n && s.charAt(i) == '.') {
                    i++;
                    int start = i;
                    long scale = 100_000;
                    while (i < n && Character.isDigit(s.charAt(i))) {
                        if (scale > 0) {
                            micros += (s.charAt(i) - '0') * scale;
                            scale /= 10;
                        }
                        i++;
                    }
                    if (i == start) {
                        return Long.MIN_VALUE;
                    }
                }
            }
            if (i < n) {
                char z = s.charAt(i);
                if (z == 'Z' && i == n - 1) {
                    i++;
                } else if ((z == '+' || z == '-') && n - i == 6 && s.charAt(i + 3) == ':') {
                    int oh = TimestampFormat.digits(s, i + 1, 2);
                    int om = TimestampFormat.digits(s, i + 4, 2);
                    if (oh < 0 || om < 0) {
                        return Long.MIN_VALUE;
                    }
                    offsetSeconds = (z == '+' ? 1 : -1) * (oh * 3600 + om * 60);
                    i = n;
                } else {
                    return Long.MIN_VALUE;
                }
            }
        }
        if (i != n) {
            return Long.MIN_VALUE;
        }
        try {
            LocalDateTime t = LocalDateTime.of(LocalDate.of(year, month, day), java.time.LocalTime.of(hour, minute, second));
            long epochSecond = t.toEpochSecond(ZoneOffset.UTC) - offsetSeconds;
            return epochSecond * 1_000_000L + micros;
        } catch (DateTimeException e) { // 2023-02-30 and the like
            return Long.MIN_VALUE;
        }
    }
}
