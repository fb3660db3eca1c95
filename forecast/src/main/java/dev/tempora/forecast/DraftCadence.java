package dev.tempora.forecast;

import dev.tempora.data.Frequency;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How often a table's series step, as {@link ConfigDraft} infers it: the frequency (the most common step
 * between consecutive rows of a series), the kind of data it makes (hourly, daily, monthly...) and the
 * defaults that kind suggests (horizon, season, encoder length, calendar fields).
 *
 * @param frequency the step as a config writes it ("30min", "1h", "1d", "1w", "1mo"), or null for an integer time column
 * @param kind      what the frequency is, for the defaults
 * @param commonest how many consecutive pairs of rows are one step apart
 * @param pairs     how many consecutive pairs of rows there are
 * @param stepsPerDay time steps in a day for steps shorter than a day (else 0)
 */
record DraftCadence(String frequency, Kind kind, int commonest, int pairs, int stepsPerDay) {

    /** The kinds of data that suggest different defaults. */
    enum Kind {
        SUB_DAILY("sub-daily"), HOURLY("hourly"), DAILY("daily"), WEEKLY("weekly"), MONTHLY("monthly"),
        QUARTERLY("quarterly"), YEARLY("yearly"), OTHER("steps");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final long MINUTE = 60_000_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    /**
     * The frequency of timestamps, from the steps between consecutive timestamps of each series (each
     * series' timestamps sorted). Timestamps that all fall at midnight on a month's first day step in
     * calendar months.
     */
    static DraftCadence ofTimestamps(List<long[]> seriesMicros) {
        boolean monthStarts = true;
        scan:
        for (long[] series : seriesMicros) {
            for (long t : series) {
                LocalDateTime d = LocalDateTime.ofEpochSecond(Math.floorDiv(t, 1_000_000L), 0, ZoneOffset.UTC);
                if (d.getDayOfMonth() != 1 || Math.floorMod(t, DAY) != 0) {
                    monthStarts = false;
                    break scan;
                }
            }
        }
        Map<Long, Integer> counts = new HashMap<>();
        int pairs = 0;
        for (long[] series : seriesMicros) {
            for (int i = 1; i < series.length; i++) {
                long step = monthStarts ? monthIndex(series[i]) - monthIndex(series[i - 1]) : series[i] - series[i - 1];
                counts.merge(step, 1, Integer::sum);
                pairs++;
            }
        }
        if (pairs == 0) {
            throw new IllegalArgumentException("every series has a single row, so there is no step between rows to tell the "
                    + "frequency from; give a longer table");
        }
        // The commonest step; on a tie the shorter one (a gap never makes the step shorter).
        Map.Entry<Long, Integer> mode = null;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            if (mode == null || e.getValue() > mode.getValue() || (e.getValue().equals(mode.getValue()) && e.getKey() < mode.getKey())) {
                mode = e;
            }
        }
        long step = mode.getKey();
        if (monthStarts) {
            Kind kind = step == 1 ? Kind.MONTHLY : step == 3 ? Kind.QUARTERLY : step == 12 ? Kind.YEARLY : Kind.OTHER;
            return new DraftCadence(step == 3 ? "quarter" : step == 12 ? "year" : step + "mo", kind, mode.getValue(), pairs, 0);
        }
        Kind kind;
        if (step == 7 * DAY) {
            kind = Kind.WEEKLY;
        } else if (step == DAY) {
            kind = Kind.DAILY;
        } else if (step == HOUR) {
            kind = Kind.HOURLY;
        } else if (step < DAY && DAY % step == 0) {
            kind = Kind.SUB_DAILY;
        } else {
            kind = Kind.OTHER;
        }
        return new DraftCadence(durationText(step), kind, mode.getValue(), pairs, step < DAY && DAY % step == 0 ? (int) (DAY / step) : 0);
    }

    /** The cadence of an integer time column: steps of one, the defaults of unknown seasonality. */
    static DraftCadence ofIntegers(List<long[]> seriesValues) {
        int ones = 0;
        int pairs = 0;
        for (long[] series : seriesValues) {
            for (int i = 1; i < series.length; i++) {
                ones += series[i] - series[i - 1] == 1 ? 1 : 0;
                pairs++;
            }
        }
        return new DraftCadence(null, Kind.OTHER, ones, pairs, 0);
    }

    private static long monthIndex(long micros) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), 0, ZoneOffset.UTC);
        return d.getYear() * 12L + d.getMonthValue() - 1;
    }

    /** A duration as {@link Frequency#parse} reads it, in the largest unit that divides it: "1w", "2d", "1h", "30min", "15s". */
    static String durationText(long micros) {
        if (micros == 7 * DAY) {
            return "1w";
        }
        if (micros % DAY == 0) {
            return micros / DAY + "d";
        }
        if (micros % HOUR == 0) {
            return micros / HOUR + "h";
        }
        if (micros % MINUTE == 0) {
            return micros / MINUTE + "min";
        }
        if (micros % 1_000_000L == 0) {
            return micros / 1_000_000L + "s";
        }
        return micros + "us";
    }

    /** The horizon this kind of data suggests: a day of sub-daily steps (at most 96), 24 hours, a week of days... */
    int defaultHorizon() {
        return switch (kind) {
            case SUB_DAILY -> Math.min(stepsPerDay, 96);
            case HOURLY -> 24;
            case DAILY -> 7;
            case WEEKLY -> 13;
            case MONTHLY -> 12;
            case QUARTERLY -> 4;
            case YEARLY -> 3;
            case OTHER -> 10;
        };
    }

    /** Why {@link #defaultHorizon}, in words. */
    String horizonReason() {
        return switch (kind) {
            case SUB_DAILY -> stepsPerDay <= 96 ? "a day of " + frequency + " steps" : "96 steps (a day would be " + stepsPerDay + ")";
            case HOURLY -> "a day of hourly steps";
            case DAILY -> "a week of days";
            case WEEKLY -> "a quarter of weeks";
            case MONTHLY -> "a year of months";
            case QUARTERLY -> "a year of quarters";
            case YEARLY -> "three years";
            case OTHER -> "no calendar to go by";
        };
    }

    /** The dominant season in steps (a day, a week, a year), whose multiples the encoder length is made of. */
    int season() {
        return switch (kind) {
            case SUB_DAILY -> stepsPerDay;
            case HOURLY -> 24;
            case DAILY -> 7;
            case WEEKLY -> 13;
            case MONTHLY -> 12;
            case QUARTERLY -> 4;
            case YEARLY, OTHER -> 1;
        };
    }

    /** The encoder length to aim for when the series are long enough. */
    int preferredEncoder() {
        return switch (kind) {
            case SUB_DAILY -> 2 * stepsPerDay <= 336 ? 2 * stepsPerDay : stepsPerDay;
            case HOURLY -> 168;
            case DAILY -> 28;
            case WEEKLY -> 52;
            case MONTHLY -> 24;
            case QUARTERLY -> 8;
            case YEARLY -> 10;
            case OTHER -> 30;
        };
    }

    /** What {@link #preferredEncoder} covers, in words. */
    String preferredEncoderReason() {
        return switch (kind) {
            case SUB_DAILY -> 2 * stepsPerDay <= 336 ? "two days" : "a day";
            case HOURLY -> "a week of hours";
            case DAILY -> "four weeks";
            case WEEKLY -> "a year of weeks";
            case MONTHLY -> "two years of months";
            case QUARTERLY -> "two years of quarters";
            case YEARLY -> "ten years";
            case OTHER -> "PTF's default";
        };
    }

    /**
     * The calendar fields to derive as known categoricals, with the name each derived column gets
     * (DerivedColumns' "calendar" fields).
     *
     * @param longestSteps the longest series' length in steps: a yearly field needs a year of data (week_of_year two)
     */
    List<String[]> calendarFields(long longestSteps) {
        return switch (kind) {
            case SUB_DAILY, HOURLY -> List.of(new String[] {"hour_of_day", "hour"}, new String[] {"day_of_week", "day_of_week"});
            case DAILY -> longestSteps >= 365 ? List.of(new String[] {"day_of_week", "day_of_week"}, new String[] {"month", "month"})
                    : List.<String[]>of(new String[] {"day_of_week", "day_of_week"});
            case WEEKLY -> longestSteps >= 104 ? List.<String[]>of(new String[] {"week_of_year", "week_of_year"})
                    : longestSteps >= 52 ? List.<String[]>of(new String[] {"month", "month"}) : List.of();
            case MONTHLY, QUARTERLY -> List.<String[]>of(new String[] {"month", "month"});
            case YEARLY, OTHER -> List.of();
        };
    }
}
