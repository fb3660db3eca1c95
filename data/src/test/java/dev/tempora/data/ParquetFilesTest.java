package dev.tempora.data;

import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ParquetFilesTest {

    @Test
    void stallionReadsWithItsSchema() {
        Path file = SharedData.file("stallion.parquet");
        Frame f = ParquetFiles.read(file);
        assertEquals(21_000, f.rowCount());
        assertEquals(27, f.columnCount());
        assertEquals(ColumnType.STRING, f.column("agency").type());
        assertEquals(ColumnType.STRING, f.column("sku").type());
        assertEquals(ColumnType.DOUBLE, f.column("volume").type());
        assertEquals(ColumnType.TIMESTAMP, f.column("date").type());
        assertEquals(ColumnType.LONG, f.column("industry_volume").type());
        assertEquals(ColumnType.LONG, f.column("easter_day").type());
        Set<String> series = new HashSet<>();
        StringColumn agency = f.column("agency", StringColumn.class);
        StringColumn sku = f.column("sku", StringColumn.class);
        for (int r = 0; r < f.rowCount(); r++) {
            series.add(agency.get(r) + "|" + sku.get(r));
        }
        assertEquals(350, series.size());
        assertEquals(58, agency.distinctCount());
        assertEquals(25, sku.distinctCount());
        // first row as pandas prints it
        assertEquals("Agency_22", agency.get(0));
        assertEquals("SKU_01", sku.get(0));
        assertEquals(52.272, f.column("volume", DoubleColumn.class).get(0));
        assertEquals("2013-01-01 00:00:00", f.column("date").format(0));
        assertEquals(492612703L, f.column("industry_volume", LongColumn.class).get(0));
    }

    @Test
    void stallionParquetMatchesTheTutorialCsvValues() {
        Frame parquet = ParquetFiles.read(SharedData.file("stallion.parquet"));
        Frame csv = CsvReader.read(SharedData.file("stallion_tutorial.csv"));
        // The CSV is sorted by agency, sku, date; compare per (agency, sku, date) key.
        java.util.Map<String, Double> volume = new java.util.HashMap<>();
        for (int r = 0; r < parquet.rowCount(); r++) {
            volume.put(parquet.column("agency").format(r) + parquet.column("sku").format(r) + parquet.column("date").format(r),
                    parquet.column("volume").getDouble(r));
        }
        for (int r = 0; r < csv.rowCount(); r++) {
            String key = csv.column("agency").format(r) + csv.column("sku").format(r) + csv.column("date").format(r);
            assertEquals(volume.get(key), csv.column("volume").getDouble(r), 1e-9, key);
        }
    }

    @Test
    void roundTripKeepsEveryTypeAndMissingValue(@TempDir Path dir) {
        BitSet missing = new BitSet();
        missing.set(1);
        Frame f = new Frame("test", List.of(
                new IntColumn("i", new int[] {1, 0, -7}, missing),
                new LongColumn("l", new long[] {Long.MAX_VALUE, -2, 0}),
                new FloatColumn("f", new float[] {1.5f, Float.NaN, -0.25f}),
                new DoubleColumn("d", new double[] {Math.PI, 1e300, Double.NaN}),
                StringColumn.of("s", "zone 1", null, "zone \"2\""),
                new TimestampColumn("t", new long[] {0, 1_700_000_000_123_456L, -86_400_000_000L})));
        for (CompressionCodecName codec : List.of(CompressionCodecName.SNAPPY, CompressionCodecName.GZIP, CompressionCodecName.UNCOMPRESSED)) {
            Path p = dir.resolve("t-" + codec + ".parquet");
            ParquetFiles.write(f, p, codec);
            Frame back = ParquetFiles.read(p);
            assertEquals(f.names(), back.names());
            for (Column c : f.columns()) {
                Column b = back.column(c.name());
                assertEquals(c.type(), b.type(), c.name());
                for (int r = 0; r < 3; r++) {
                    assertEquals(c.isMissing(r), b.isMissing(r), c.name() + " row " + r);
                    assertEquals(c.format(r), b.format(r), c.name() + " row " + r);
                }
            }
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void largeFrameRoundTripsExactly(@TempDir Path dir) {
        int n = 300_000; // several pages and a dictionary that falls back to plain encoding
        float[] f = new float[n];
        int[] codes = new int[n];
        String[] dictionary = new String[5000];
        for (int i = 0; i < dictionary.length; i++) {
            dictionary[i] = "value-" + i;
        }
        var rng = new java.util.SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            f[i] = (float) rng.nextGaussian();
            codes[i] = rng.nextInt(dictionary.length);
        }
        Frame frame = new Frame("big", List.of(new FloatColumn("x", f), new StringColumn("s", codes, dictionary)));
        Path p = dir.resolve("big.parquet");
        ParquetFiles.write(frame, p);
        Frame back = ParquetFiles.read(p);
        assertArrayEquals(f, back.column("x", FloatColumn.class).toArray());
        StringColumn s = back.column("s", StringColumn.class);
        for (int i = 0; i < n; i++) {
            assertEquals(dictionary[codes[i]], s.get(i));
        }
    }

    @Test
    void snappyPagesRoundTrip(@TempDir Path dir) {
        int n = 50_000;
        double[] repetitive = new double[n];
        double[] random = new double[n];
        String[] labels = new String[n];
        var rng = new java.util.SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            repetitive[i] = (i % 97) * 0.5 + i / 10_000;
            random[i] = rng.nextDouble();
            labels[i] = i % 7 == 0 ? null : "series " + (i % 1000) + ", \"quoted\"";
        }
        Frame frame = new Frame("snappy", List.of(new DoubleColumn("repetitive", repetitive), new DoubleColumn("random", random),
                StringColumn.of("label", labels)));
        Path snappy = dir.resolve("snappy.parquet");
        ParquetFiles.write(frame, snappy, CompressionCodecName.SNAPPY);
        Frame back = ParquetFiles.read(snappy);
        assertArrayEquals(repetitive, back.column("repetitive", DoubleColumn.class).toArray());
        assertArrayEquals(random, back.column("random", DoubleColumn.class).toArray());
        for (int i = 0; i < n; i++) {
            assertEquals(labels[i], back.column("label", StringColumn.class).get(i), "row " + i);
        }
    }

    @Test
    void snappyShrinksRepetitiveText(@TempDir Path dir) throws Exception {
        String[] lines = new String[40_000]; // all distinct, so Parquet falls back from a dictionary to plain pages
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "pickups in zone " + i + " of the city during hour " + (i % 24);
        }
        Frame frame = new Frame("text", List.of(StringColumn.of("line", lines)));
        Path snappy = dir.resolve("snappy.parquet");
        Path plain = dir.resolve("plain.parquet");
        ParquetFiles.write(frame, snappy, CompressionCodecName.SNAPPY);
        ParquetFiles.write(frame, plain, CompressionCodecName.UNCOMPRESSED);
        assertTrue(Files.size(snappy) < Files.size(plain) / 2,
                "Snappy pages take " + Files.size(snappy) + " bytes, uncompressed " + Files.size(plain));
        StringColumn back = ParquetFiles.read(snappy).column("line", StringColumn.class);
        for (int i = 0; i < lines.length; i++) {
            assertEquals(lines[i], back.get(i));
        }
    }

    @Test
    void aCorruptSnappyPageIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        String[] labels = new String[2000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = "zone " + i + " of the city, zone " + i;
        }
        Path file = dir.resolve("corrupt.parquet");
        ParquetFiles.write(new Frame("labels", List.of(StringColumn.of("label", labels))), file, CompressionCodecName.SNAPPY);
        byte[] bytes = Files.readAllBytes(file);
        int payload = firstPagePayload(file, bytes);
        int varintLength = 0;
        while ((bytes[payload + varintLength] & 0x80) != 0) {
            varintLength++;
        }
        varintLength++;

        // A body that refers back 2^32 - 1 bytes: aircompressor's bounds checks catch it.
        byte[] badBody = bytes.clone();
        java.util.Arrays.fill(badBody, payload + varintLength, payload + varintLength + 16, (byte) 0xFF);
        Files.write(file, badBody);
        var e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(file));
        assertTrue(e.getMessage().contains("corrupt.parquet") && e.getMessage().contains("corrupt SNAPPY page"), e.getMessage());

        // A length header that disagrees with the page header.
        byte[] badLength = bytes.clone();
        badLength[payload] ^= 0x01;
        Files.write(file, badLength);
        e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(file));
        assertTrue(e.getMessage().contains("corrupt.parquet") && e.getMessage().contains("the page header says"), e.getMessage());
    }

    /** Where the compressed bytes of the file's first page start: after the Thrift page header at the first column chunk. */
    private static int firstPagePayload(Path file, byte[] bytes) throws java.io.IOException {
        long start;
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(new org.apache.parquet.io.LocalInputFile(file),
                org.apache.parquet.ParquetReadOptions.builder(new org.apache.parquet.conf.PlainParquetConfiguration()).build())) {
            start = reader.getFooter().getBlocks().get(0).getColumns().get(0).getStartingPos();
        }
        var in = new java.io.ByteArrayInputStream(bytes, (int) start, bytes.length - (int) start);
        int before = in.available();
        org.apache.parquet.format.Util.readPageHeader(in);
        return (int) start + before - in.available();
    }

    @Test
    void badInputsNameTheFileAndColumn(@TempDir Path dir) throws Exception {
        Path absent = dir.resolve("absent.parquet");
        var e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(absent));
        assertTrue(e.getMessage().contains("absent.parquet") && e.getMessage().contains("no such file"), e.getMessage());

        Path stallion = SharedData.file("stallion.parquet");
        e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(stallion, List.of("volume", "nope")));
        assertTrue(e.getMessage().contains("stallion.parquet") && e.getMessage().contains("'nope'"), e.getMessage());

        Path garbage = dir.resolve("garbage.parquet");
        Files.writeString(garbage, "this is not parquet");
        e = assertThrows(IllegalArgumentException.class, () -> ParquetFiles.read(garbage));
        assertTrue(e.getMessage().contains("garbage.parquet"), e.getMessage());
    }

    @Test
    void readingLeavesTheFileUntouched() throws Exception {
        Path stallion = SharedData.file("stallion.parquet");
        long modified = Files.getLastModifiedTime(stallion).toMillis();
        byte[] before = Files.readAllBytes(stallion);
        ParquetFiles.read(stallion);
        assertArrayEquals(before, Files.readAllBytes(stallion));
        assertEquals(modified, Files.getLastModifiedTime(stallion).toMillis());
    }
}
