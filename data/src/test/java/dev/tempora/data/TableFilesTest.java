package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableFilesTest {

    private static final long HOUR = 3_600_000_000L;
    private static final long MARCH_6_2023 = 1_678_060_800_000_000L; // 2023-03-06T00:00Z in microseconds

    @Test
    void csvTextIsWhatTheHandWrittenWriterProduced() throws IOException {
        BitSet missingTime = new BitSet();
        missingTime.set(3);
        Frame frame = new Frame("small", List.of(
                StringColumn.of("zone", "Z1", "Z1", "Z2", "Z2"),
                new IntColumn("time_idx", new int[] {0, 1, 2, 3}),
                new DoubleColumn("demand", new double[] {1.5, Double.NaN, -0.25, 1e10}),
                new TimestampColumn("when", new long[] {MARCH_6_2023, MARCH_6_2023 + HOUR, MARCH_6_2023 + 2 * HOUR + 30_000_250L, 0},
                        missingTime),
                StringColumn.of("note", "plain", "a, b", "say \"hi\"", "two\nlines")));
        // The old writer's rules, applied by hand: quote only fields with a comma, quote or line break; missing is empty.
        String expected = """
                zone,time_idx,demand,when,note
                Z1,0,1.5,2023-03-06 00:00:00,plain
                Z1,1,,2023-03-06 01:00:00,"a, b"
                Z2,2,-0.25,2023-03-06 02:00:30.000250,"say ""hi\"""
                Z2,3,1.0E10,,"two
                lines"
                """;
        StringWriter out = new StringWriter();
        TableFiles.writeCsv(frame, out);
        assertEquals(expected, out.toString());
    }

    @Test
    void csvRoundTripKeepsTypesAwkwardTextAndMissingValues(@TempDir Path dir) throws IOException {
        BitSet missingInt = new BitSet();
        missingInt.set(2);
        BitSet missingTime = new BitSet();
        missingTime.set(0);
        Frame frame = new Frame("awkward", List.of(
                StringColumn.of("text", "comma, inside", "a \"quoted\" word", null, "line\nbreak", "crlf\r\nbreak", " leading blank"),
                new IntColumn("count", new int[] {1, -2, 0, Integer.MAX_VALUE, Integer.MIN_VALUE, 7}, missingInt),
                new LongColumn("big", new long[] {Long.MAX_VALUE, Long.MIN_VALUE + 1, 0, 1, -1, 5_000_000_000L}),
                new DoubleColumn("value", new double[] {Math.PI, Double.NaN, -1e-300, 1e300, 0.1 + 0.2, -0.0}),
                new TimestampColumn("at", new long[] {0, MARCH_6_2023, MARCH_6_2023 + 1, -86_400_000_000L, MARCH_6_2023 + HOUR, 1},
                        missingTime)));
        Path file = dir.resolve("awkward.csv");
        TableFiles.write(frame, file);
        Frame back = CsvReader.read(file);
        assertEquals(frame.names(), back.names());
        assertEquals(frame.rowCount(), back.rowCount());
        for (Column column : frame.columns()) {
            Column read = back.column(column.name());
            assertEquals(column.type(), read.type(), column.name());
            for (int r = 0; r < frame.rowCount(); r++) {
                assertEquals(column.isMissing(r), read.isMissing(r), column.name() + " row " + r);
                assertEquals(column.format(r), read.format(r), column.name() + " row " + r);
            }
        }
        assertEquals(-0.0, back.column("value", DoubleColumn.class).get(5)); // the sign survives the text
        assertEquals(1 / -0.0, 1 / back.column("value", DoubleColumn.class).get(5));
    }

    @Test
    void aOneColumnTableKeepsItsMissingRows(@TempDir Path dir) throws IOException {
        Frame frame = new Frame("one", List.of(new DoubleColumn("y", new double[] {1, Double.NaN, 3})));
        StringWriter out = new StringWriter();
        TableFiles.writeCsv(frame, out);
        assertEquals("y\n1.0\n\"\"\n3.0\n", out.toString()); // a blank line would be skipped by readers
        Path file = dir.resolve("one.txt"); // writeCsv(frame, path) writes CSV whatever the extension
        TableFiles.writeCsv(frame, file);
        assertEquals(out.toString(), Files.readString(file, StandardCharsets.UTF_8));
        Frame back = TableFiles.read(file);
        assertEquals(3, back.rowCount());
        assertTrue(back.column("y").isMissing(1));
    }

    @Test
    void writesParquetByExtensionAtomically(@TempDir Path dir) throws IOException {
        Frame frame = new Frame("p", List.of(StringColumn.of("s", "a", null, "c"), new LongColumn("n", new long[] {1, 2, 3})));
        for (String name : List.of("t.parquet", "t.PQ", "t.csv")) {
            Path file = dir.resolve(name);
            TableFiles.write(frame, file);
            Frame back = TableFiles.read(file);
            assertEquals(List.of("s", "n"), back.names(), name);
            assertTrue(back.column("s").isMissing(1), name);
            assertEquals("c", back.column("s").format(2), name);
            assertEquals(3.0, back.column("n").getDouble(2), name);
        }
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void refusesOtherExtensionsBeforeWriting(@TempDir Path dir) {
        Frame frame = new Frame("p", List.of(new IntColumn("n", new int[] {1})));
        var e = assertThrows(IllegalArgumentException.class, () -> TableFiles.checkExtension(dir.resolve("out.xlsx"), "--out"));
        assertTrue(e.getMessage().startsWith("--out ") && e.getMessage().contains("out.xlsx")
                && e.getMessage().contains(".csv or .parquet"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TableFiles.write(frame, dir.resolve("table.tsv")));
        assertTrue(e.getMessage().contains("table.tsv"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("table.tsv")));
        TableFiles.checkExtension(dir.resolve("Table.CSV"), "--out");
    }
}
