package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampFormatTest {

    private static Path csv(Path dir, String text) throws Exception {
        Path p = dir.resolve("t.csv");
        Files.writeString(p, text);
        return p;
    }

    private static LocalDateTime at(Frame f, String column, int row) {
        return f.column(column, TimestampColumn.class).dateTime(row);
    }

    @Test
    void commonFormsAreDetectedAndReadAsTheirFirstInstant(@TempDir Path dir) throws Exception {
        Path p = csv(dir, "month,week,slash,dot,us,eu,minutes,value\n"
                + "1949-01,2020-W01,2024/01/31,31.01.2024,01/31/2024,31/01/2024,2024-01-31 13:30,1\n"
                + "1949-12,2020-W05,2024/2/1,1.2.2024,2/1/2024 06:15,1/2/2024,2024-01-31 14:00,2\n");
        CsvReader.Table t = CsvReader.readWithFormats(p, CsvOptions.defaults());
        Frame f = t.frame();
        assertEquals(LocalDate.of(1949, 1, 1).atStartOfDay(), at(f, "month", 0));
        assertEquals(LocalDate.of(1949, 12, 1).atStartOfDay(), at(f, "month", 1));
        assertEquals(LocalDate.of(2019, 12, 30).atStartOfDay(), at(f, "week", 0)); // ISO week 1 of 2020 starts in 2019
        assertEquals(LocalDate.of(2020, 1, 27).atStartOfDay(), at(f, "week", 1));
        assertEquals(LocalDate.of(2024, 2, 1).atStartOfDay(), at(f, "slash", 1));
        assertEquals(LocalDate.of(2024, 2, 1).atStartOfDay(), at(f, "dot", 1));
        assertEquals(LocalDateTime.of(2024, 2, 1, 6, 15), at(f, "us", 1)); // 01/31 told the month comes first
        assertEquals(LocalDate.of(2024, 2, 1).atStartOfDay(), at(f, "eu", 1)); // 31/01 told the day comes first
        assertEquals(LocalDateTime.of(2024, 1, 31, 13, 30), at(f, "minutes", 0));
        assertEquals(ColumnType.INT, f.column("value").type());
        assertEquals(Map.of("month", "yyyy-MM", "week", "YYYY-'W'ww", "slash", "yyyy/MM/dd", "dot", "dd.MM.yyyy",
                        "us", "MM/dd/yyyy", "eu", "dd/MM/yyyy", "minutes", "iso"),
                t.timestampFormats().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().text())));
    }

    @Test
    void aColumnIsATimestampOnlyWhenEveryValueHasOneForm(@TempDir Path dir) throws Exception {
        Path p = csv(dir, "mixed,week53,compact,bad_day\n2024-01,2020-W53,20240131,2024/02/30\n2024-01-05,2021-W53,20240201,2024/02/28\n");
        Frame f = CsvReader.read(p);
        assertEquals(ColumnType.STRING, f.column("mixed").type());
        assertEquals(ColumnType.STRING, f.column("week53").type()); // 2021 has only 52 ISO weeks
        assertEquals(ColumnType.INT, f.column("compact").type()); // yyyyMMdd only when asked for
        assertEquals(ColumnType.STRING, f.column("bad_day").type());
    }

    @Test
    void dayMonthOrderThatNoValueDecidesAsksForAFormat(@TempDir Path dir) throws Exception {
        Path p = csv(dir, "date,value\n01/02/2024,1\n03/04/2024,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(p));
        assertTrue(e.getMessage().contains("'date'") && e.getMessage().contains("timestamp_format")
                && e.getMessage().contains("MM/dd/yyyy") && e.getMessage().contains("dd/MM/yyyy"), e.getMessage());
        Frame f = TrainingConfig.readTable(p, Map.of("timestamp_format", Map.of("date", "dd/MM/yyyy")), "test");
        assertEquals(LocalDate.of(2024, 2, 1).atStartOfDay(), at(f, "date", 0));
    }

    @Test
    void aConfigFormatIsUsedAndAMismatchNamesLineValueAndFormat(@TempDir Path dir) throws Exception {
        Path p = csv(dir, "day,week,when\n20240131,2020-05,05 Jan 2024 10:00\n20240201,2020-06,06 Jan 2024 11:00\n");
        Map<String, Object> options = Map.of("timestamp_format",
                Map.of("day", "yyyyMMdd", "week", "YYYY-ww", "when", "dd MMM yyyy HH:mm"));
        Frame f = TrainingConfig.readTable(p, options, "test");
        assertEquals(LocalDate.of(2024, 2, 1).atStartOfDay(), at(f, "day", 1));
        assertEquals(LocalDate.of(2020, 1, 27).atStartOfDay(), at(f, "week", 0)); // ISO week 5's Monday
        assertEquals(LocalDateTime.of(2024, 1, 6, 11, 0), at(f, "when", 1));

        Path bad = csv(dir, "month,value\n1949-01,1\n1949-13,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.readTable(bad, Map.of("timestamp_format", Map.of("month", "year-month")), "test"));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("'month'") && e.getMessage().contains("'1949-13'")
                && e.getMessage().contains("yyyy-MM"), e.getMessage());
        IllegalArgumentException noColumn = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.readTable(bad, Map.of("timestamp_format", Map.of("mnth", "year-month")), "test"));
        assertTrue(noColumn.getMessage().contains("'mnth'"), noColumn.getMessage());
        IllegalArgumentException noYear = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.readTable(bad, Map.of("timestamp_format", Map.of("month", "MM-dd")), "test"));
        assertTrue(noYear.getMessage().contains("no year"), noYear.getMessage());
    }

    @Test
    void parquetTextColumnsTakeTheConfigFormat(@TempDir Path dir) {
        StringColumn.Builder months = new StringColumn.Builder("month", 3);
        List.of("1949-01", "1949-02", "1949-x").forEach(months::add);
        Path p = dir.resolve("m.parquet");
        TableFiles.write(new Frame("m", List.of(months.build(), new DoubleColumn("value", new double[] {1, 2, 3}))), p);
        Path good = dir.resolve("good.parquet");
        TableFiles.write(TableFiles.read(p).filter(r -> r < 2), good);
        Frame f = TrainingConfig.readTable(good, Map.of("timestamp_format", Map.of("month", "yyyy-MM")), "test");
        assertEquals(LocalDate.of(1949, 2, 1).atStartOfDay(), at(f, "month", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingConfig.readTable(p, Map.of("timestamp_format", Map.of("month", "yyyy-MM")), "test"));
        assertTrue(e.getMessage().contains("row 3") && e.getMessage().contains("'1949-x'"), e.getMessage());
    }

    @Test
    void monthlyAndWeeklyFrequenciesCountCalendarSteps() {
        long jan1949 = TimestampFormat.parse("year-month").parseMicros("1949-01");
        long mar1950 = TimestampFormat.parse("year-month").parseMicros("1950-03");
        assertEquals(14, Frequency.parse("1mo").periods(jan1949, mar1950));
        assertEquals(14, Frequency.parse("M").periods(jan1949, mar1950));
        assertEquals(Long.MIN_VALUE, Frequency.parse("3mo").periods(jan1949, mar1950));
        assertEquals(5, Frequency.parse("3mo").periods(jan1949, TimestampFormat.parse("yyyy-MM").parseMicros("1950-04")));
        assertEquals(mar1950, Frequency.parse("1mo").advance(jan1949, 14));
        long week1 = TimestampFormat.parse("year-week").parseMicros("2020-W01");
        assertEquals(52, Frequency.parse("1w").periods(week1, TimestampFormat.parse("year-week").parseMicros("2020-W53")));
    }
}
