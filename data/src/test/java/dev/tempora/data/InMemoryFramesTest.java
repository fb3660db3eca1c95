package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryFramesTest {

    /** A row map that keeps its key order and allows null values (Map.of does neither). */
    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void columnsKeepTheirTypesOrderAndMissingValues() {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("zone", new String[] {"a", null, "b"});
        columns.put("time_idx", new int[] {0, 1, 2});
        columns.put("big", new long[] {Long.MAX_VALUE, 0, -1});
        columns.put("f", new float[] {1.5f, Float.NaN, 2});
        columns.put("y", new double[] {0.25, 1e300, Double.NaN});
        columns.put("at", new LocalDateTime[] {LocalDateTime.of(2023, 3, 6, 1, 30), null, LocalDateTime.of(1969, 12, 31, 23, 59, 59)});
        columns.put("instant", new Instant[] {Instant.parse("2023-03-06T01:30:00.123456789Z"), Instant.EPOCH, null});
        columns.put("day", new LocalDate[] {LocalDate.of(2023, 3, 6), null, LocalDate.of(2000, 2, 29)});
        columns.put("offset", new OffsetDateTime[] {OffsetDateTime.of(2023, 3, 6, 1, 0, 0, 0, ZoneOffset.ofHours(2)), null, null});
        columns.put("count", new Integer[] {3, null, -4});
        columns.put("mixed numbers", List.of(1, 2L, 2.5));
        Frame frame = Frame.ofColumns("memory", columns);

        assertEquals("memory", frame.source());
        assertEquals(List.copyOf(columns.keySet()), frame.names());
        assertEquals(3, frame.rowCount());
        assertEquals(List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG, ColumnType.FLOAT, ColumnType.DOUBLE,
                ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.TIMESTAMP, ColumnType.INT,
                ColumnType.DOUBLE), frame.columns().stream().map(Column::type).toList());
        assertEquals(Arrays.asList("a", null, "b"), formatted(frame, "zone"));
        assertEquals(List.of("9223372036854775807", "0", "-1"), formatted(frame, "big"));
        assertEquals(Arrays.asList("1.5", null, "2.0"), formatted(frame, "f"));
        assertEquals(Arrays.asList("0.25", "1.0E300", null), formatted(frame, "y"));
        assertEquals(Arrays.asList("2023-03-06 01:30:00", null, "1969-12-31 23:59:59"), formatted(frame, "at"));
        assertEquals(Arrays.asList("2023-03-06 01:30:00.123456", "1970-01-01 00:00:00", null), formatted(frame, "instant"));
        assertEquals(Arrays.asList("2023-03-06 00:00:00", null, "2000-02-29 00:00:00"), formatted(frame, "day"));
        assertEquals(Arrays.asList("2023-03-05 23:00:00", null, null), formatted(frame, "offset")); // 01:00 at +02:00 in UTC
        assertEquals(Arrays.asList("3", null, "-4"), formatted(frame, "count"));
        assertEquals(List.of("1.0", "2.0", "2.5"), formatted(frame, "mixed numbers"));
        assertEquals(-1_000_000L, frame.column("at", TimestampColumn.class).micros(2));
    }

    @Test
    void columnsAreCopied() {
        double[] y = {1, 2, 3};
        String[] s = {"a", "b", "c"};
        Frame frame = Frame.ofColumns(null, Map.of("y", y, "s", s));
        y[0] = 99;
        s[0] = "changed";
        assertEquals(1.0, frame.column("y", DoubleColumn.class).get(0));
        assertEquals("a", frame.column("s", StringColumn.class).get(0));
        assertEquals("frame", frame.source());
    }

    @Test
    void badColumnsAreErrorsNamingTheColumn() {
        Map<String, Object> unequal = new LinkedHashMap<>();
        unequal.put("a", new int[] {1, 2, 3});
        unequal.put("b", new double[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", unequal));
        assertEquals("t: column 'b' has 2 values but column 'a' has 3; every column needs one value per row", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", Map.of("flag", new boolean[] {true})));
        assertTrue(e.getMessage().startsWith("t: column 'flag' is a boolean[]; give an int[], long[], float[] or double[]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", Map.of("flag", new Boolean[] {true, false})));
        assertTrue(e.getMessage().startsWith("t: column 'flag', row 0: a Boolean (true) is not a supported value"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", Map.of("x", List.of(1, 2, "three"))));
        assertEquals("t: column 'x' mixes types: row 2 holds a String (\"three\") but the rows before hold integers (from row 0); "
                + "a column holds one type", e.getMessage());

        Map<String, Object> nullValues = new LinkedHashMap<>();
        nullValues.put("x", null);
        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", nullValues));
        assertEquals("t: column 'x' has no values (null)", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofColumns("t", Map.of("", new int[] {1})));
        assertTrue(e.getMessage().startsWith("t: a column needs a non-empty name"), e.getMessage());
    }

    @Test
    void recordsAreTypedPerColumnFromAllTheirValues() {
        List<Map<String, Object>> rows = List.of(
                row("zone", "a", "time_idx", 0, "id", 1, "y", 1, "when", LocalDate.of(2023, 3, 6), "empty", null),
                row("zone", "b", "time_idx", 1, "id", 5_000_000_000L, "y", 2.5, "when", LocalDateTime.of(2023, 3, 6, 1, 0)),
                row("time_idx", 2, "zone", null, "id", 3, "y", new BigDecimal("0.125"), "when", Instant.parse("2023-03-06T02:00:00Z"),
                        "late", "only here"));
        Frame frame = Frame.ofRecords("records", rows);
        assertEquals(List.of("zone", "time_idx", "id", "y", "when", "empty", "late"), frame.names());
        assertEquals(List.of(ColumnType.STRING, ColumnType.INT, ColumnType.LONG, ColumnType.DOUBLE, ColumnType.TIMESTAMP,
                ColumnType.DOUBLE, ColumnType.STRING), frame.columns().stream().map(Column::type).toList());
        assertEquals(Arrays.asList("a", "b", null), formatted(frame, "zone"));
        assertArrayEquals(new int[] {0, 1, 2}, frame.column("time_idx", IntColumn.class).toArray());
        assertArrayEquals(new long[] {1, 5_000_000_000L, 3}, frame.column("id", LongColumn.class).toArray());
        assertArrayEquals(new double[] {1, 2.5, 0.125}, frame.column("y", DoubleColumn.class).toArray());
        assertEquals(List.of("2023-03-06 00:00:00", "2023-03-06 01:00:00", "2023-03-06 02:00:00"), formatted(frame, "when"));
        assertEquals(3, frame.column("empty").missingCount()); // null or absent everywhere: NaN, as a CSV column of blanks
        assertEquals(Arrays.asList(null, null, "only here"), formatted(frame, "late"));
        assertFalse(frame.column("time_idx").isMissing(2));
    }

    @Test
    void recordsWithIntegersAndMissingValuesStayIntegers() {
        Frame frame = Frame.ofRecords("r", List.of(row("n", 1), row("n", null), row()));
        IntColumn n = frame.column("n", IntColumn.class);
        assertEquals(3, frame.rowCount());
        assertFalse(n.isMissing(0));
        assertTrue(n.isMissing(1));
        assertTrue(n.isMissing(2));
        assertEquals(0, Frame.ofRecords("none", List.of()).rowCount());
    }

    @Test
    void badRecordsAreErrorsNamingColumnAndRow() {
        var e = assertThrows(IllegalArgumentException.class, () -> Frame.ofRecords("r",
                List.of(row("x", 1.5), row("x", 2), row("x", "3"))));
        assertEquals("r: column 'x' mixes types: row 2 holds a String (\"3\") but the rows before hold numbers (from row 0); "
                + "a column holds one type", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofRecords("r",
                List.of(row("t", LocalDate.of(2023, 1, 1)), row("t", 7))));
        assertTrue(e.getMessage().startsWith("r: column 't' mixes types: row 1 holds an Integer (7) but the rows before hold timestamps"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofRecords("r", List.of(row("ok", true))));
        assertTrue(e.getMessage().startsWith("r: column 'ok', row 0: a Boolean (true) is not a supported value; give Integer, Long"),
                e.getMessage());

        List<Map<String, Object>> withNull = Arrays.asList(row("x", 1), null);
        e = assertThrows(IllegalArgumentException.class, () -> Frame.ofRecords("r", withNull));
        assertTrue(e.getMessage().startsWith("r: row 1 is null"), e.getMessage());
    }

    private static List<String> formatted(Frame frame, String column) {
        Column c = frame.column(column);
        String[] out = new String[c.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = c.format(r);
        }
        return Arrays.asList(out);
    }
}
