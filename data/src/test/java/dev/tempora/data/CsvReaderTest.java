package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvReaderTest {

    private static Path write(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void infersTypesAndReadsQuotedAndMissingFields(@TempDir Path dir) throws Exception {
        Path p = write(dir, "a.csv", "\uFEFFid,big,x,when,label,empty\r\n"
                + "1,5000000000,1.5,2014-07-01 00:30:00,\"a, b\",\n"
                + "2,7,NA,2014-07-01,\"say \"\"hi\"\"\",\n"
                + "\n"
                + ",8,-2e3,2014-07-01T01:00:00Z,\"two\nlines\",NaN\n");
        Frame f = CsvReader.read(p);
        assertEquals(3, f.rowCount());
        assertEquals(ColumnType.INT, f.column("id").type());
        assertEquals(ColumnType.LONG, f.column("big").type());
        assertEquals(ColumnType.DOUBLE, f.column("x").type());
        assertEquals(ColumnType.TIMESTAMP, f.column("when").type());
        assertEquals(ColumnType.STRING, f.column("label").type());
        assertEquals(ColumnType.DOUBLE, f.column("empty").type());
        assertTrue(f.column("id").isMissing(2));
        assertEquals(5_000_000_000L, f.column("big", LongColumn.class).get(0));
        assertTrue(Double.isNaN(f.column("x").getDouble(1)));
        assertEquals(-2000.0, f.column("x").getDouble(2));
        assertEquals("2014-07-01 00:30:00", f.column("when").format(0));
        assertEquals("2014-07-01 00:00:00", f.column("when").format(1));
        assertEquals("2014-07-01 01:00:00", f.column("when").format(2));
        assertEquals("a, b", f.column("label").format(0));
        assertEquals("say \"hi\"", f.column("label").format(1));
        assertEquals("two\nlines", f.column("label").format(2));
        assertNull(f.column("id").format(2));
        assertEquals(3, f.column("empty").missingCount());
    }

    @Test
    void givenTypesOverrideInference(@TempDir Path dir) throws Exception {
        Path p = write(dir, "b.csv", "zone,value\n7,1\n12,2\n");
        Frame f = CsvReader.read(p, CsvOptions.defaults().withTypes(Map.of("zone", ColumnType.STRING, "value", ColumnType.FLOAT)));
        assertEquals(ColumnType.STRING, f.column("zone").type());
        assertEquals("12", f.column("zone").format(1));
        assertEquals(ColumnType.FLOAT, f.column("value").type());
    }

    @Test
    void badFilesAreNamedWithTheLine(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(dir.resolve("none.csv")));
        assertTrue(e.getMessage().contains("none.csv") && e.getMessage().contains("no such file"), e.getMessage());

        Path empty = write(dir, "empty.csv", "");
        e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(empty));
        assertTrue(e.getMessage().contains("empty.csv") && e.getMessage().contains("empty"), e.getMessage());

        Path ragged = write(dir, "ragged.csv", "a,b\n1,2\n3\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(ragged));
        assertTrue(e.getMessage().contains("ragged.csv line 3") && e.getMessage().contains("expected 2 fields"), e.getMessage());

        Path open = write(dir, "open.csv", "a,b\n1,\"2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(open));
        assertTrue(e.getMessage().contains("open.csv line 2") && e.getMessage().contains("never closed"), e.getMessage());

        Path typed = write(dir, "typed.csv", "a,b\n1,2\nx,3\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> CsvReader.read(typed, CsvOptions.defaults().withTypes(Map.of("a", ColumnType.INT))));
        assertTrue(e.getMessage().contains("typed.csv line 3, column 'a'") && e.getMessage().contains("'x' is not a valid int"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> CsvReader.read(typed, CsvOptions.defaults().withTypes(Map.of("c", ColumnType.INT))));
        assertTrue(e.getMessage().contains("'c'"), e.getMessage());

        Path dup = write(dir, "dup.csv", "a,a\n1,2\n");
        e = assertThrows(IllegalArgumentException.class, () -> CsvReader.read(dup));
        assertTrue(e.getMessage().contains("dup.csv") && e.getMessage().contains("'a' twice"), e.getMessage());
    }

    @Test
    void sharedCsvFilesLoad() {
        Frame taxi = CsvReader.read(SharedData.file("nyc_taxi.csv"));
        assertEquals(10_320, taxi.rowCount());
        assertEquals(ColumnType.TIMESTAMP, taxi.column("timestamp").type());
        assertEquals(ColumnType.INT, taxi.column("value").type());
        Frame ett = CsvReader.read(SharedData.file("ETTh2.csv"));
        assertEquals(17_420, ett.rowCount());
        assertEquals(8, ett.columnCount());
        assertEquals(ColumnType.TIMESTAMP, ett.column("date").type());
        assertEquals(ColumnType.DOUBLE, ett.column("OT").type());
        Frame tutorial = CsvReader.read(SharedData.file("stallion_tutorial.csv"));
        assertEquals(21_000, tutorial.rowCount());
        assertEquals(31, tutorial.columnCount());
        assertEquals(ColumnType.INT, tutorial.column("month").type()); // "1".."12" infer as numbers; configs cast it
    }

    @Test
    void timestampParsingIsStrict() {
        assertEquals(0L, Timestamps.parseMicros("1970-01-01"));
        assertEquals(1_500_000L, Timestamps.parseMicros("1970-01-01 00:00:01.5"));
        assertEquals(-3_600_000_000L, Timestamps.parseMicros("1970-01-01T00:00:00+01:00"));
        assertEquals(Long.MIN_VALUE, Timestamps.parseMicros("2023-02-30"));
        assertEquals(Long.MIN_VALUE, Timestamps.parseMicros("2023-1-3"));
        assertEquals(Long.MIN_VALUE, Timestamps.parseMicros("2023-01-03x"));
        assertEquals(Long.MIN_VALUE, Timestamps.parseMicros("hello world"));
    }
}
