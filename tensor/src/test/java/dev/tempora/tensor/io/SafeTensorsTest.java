package dev.tempora.tensor.io;

import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafeTensorsTest {

    @TempDir
    Path dir;

    private Path writeSample() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a.weight", Tensor.randn(1, 3, 4));
        t.put("b", Tensor.of(1f, 2f));
        t.put("scalar", Tensor.scalar(7f));
        Path p = dir.resolve("m.safetensors");
        SafeTensors.write(p, t, Map.of("note", "x"));
        return p;
    }

    @Test
    void roundTripKeepsNamesShapesValuesAndMetadata() throws IOException {
        Path p = writeSample();
        SafeTensors.Contents c = SafeTensors.read(p);
        assertEquals(java.util.List.of("a.weight", "b", "scalar"), java.util.List.copyOf(c.tensors().keySet()));
        assertArrayEquals(Tensor.randn(1, 3, 4).toFloatArray(), c.tensors().get("a.weight").toFloatArray());
        assertArrayEquals(new int[] {3, 4}, c.tensors().get("a.weight").shape());
        assertEquals(7f, c.tensors().get("scalar").item());
        assertEquals("x", c.metadata().get("note"));
        assertEquals(64, c.metadata().get(SafeTensors.CHECKSUM_KEY).length());
        // The header length is a multiple of 8 and the layout is the standard one.
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, b.getLong() % 8);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void flippedDataByteIsACheckSumError() throws IOException {
        Path p = writeSample();
        byte[] bytes = Files.readAllBytes(p);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(p, bytes);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("checksum mismatch") && e.getMessage().contains(p.toString()), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheProblem() throws IOException {
        Path p = writeSample();
        byte[] bytes = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(bytes, bytes.length - 10));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("outside"), e.getMessage());
        Files.write(p, Arrays.copyOf(bytes, 30));
        e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        Files.write(p, new byte[3]);
        e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("not a safetensors file"), e.getMessage());
    }

    @Test
    void garbageHeaderIsReported() throws IOException {
        Path p = dir.resolve("bad.safetensors");
        byte[] json = "{not json}".getBytes();
        ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Files.write(p, b.array());
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("corrupt safetensors header"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nope.safetensors");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("nope.safetensors"), e.getMessage());
    }

    @Test
    void rewriteReplacesAtomically() throws IOException {
        Path p = writeSample();
        SafeTensors.write(p, Map.of("only", Tensor.of(5f)), Map.of());
        assertEquals(java.util.Set.of("only"), SafeTensors.read(p).tensors().keySet());
    }

    /** A file with this header (padded) and {@code dataBytes} zero bytes of data. */
    private Path raw(String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Path p = dir.resolve("raw.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void byteRangesMustTileTheDataExactly() throws IOException {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[%d,%d]}}";
        // b pointed at a's bytes
        Path p = raw(two.formatted(0, 8, 0, 8), 8);
        IOException e = assertThrows(IOException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("overlaps tensor 'a'") || e.getMessage().contains("overlaps tensor 'b'"), e.getMessage());
        Path partly = raw(two.formatted(0, 8, 4, 12), 12);
        e = assertThrows(IOException.class, () -> SafeTensors.read(partly));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        Path gap = raw(two.formatted(0, 8, 12, 20), 20);
        e = assertThrows(IOException.class, () -> SafeTensors.read(gap));
        assertTrue(e.getMessage().contains("4 bytes before tensor 'b'") && e.getMessage().contains("belong to no tensor"),
                e.getMessage());
        Path leftover = raw(two.formatted(0, 8, 8, 16), 20);
        e = assertThrows(IOException.class, () -> SafeTensors.read(leftover));
        assertTrue(e.getMessage().contains("end at byte 16 of 20"), e.getMessage());
        Path past = raw(two.formatted(0, 8, 8, 16), 12);
        e = assertThrows(IOException.class, () -> SafeTensors.read(past));
        assertTrue(e.getMessage().contains("outside the 12 data bytes"), e.getMessage());
        // Header order need not be offset order (the reference writer orders its header otherwise).
        Path swapped = raw(two.formatted(8, 16, 0, 8), 16);
        assertEquals(2, SafeTensors.read(swapped).tensors().size());
    }

    @Test
    void requireFiniteNamesTheTensorIndexAndPosition() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("fine", Tensor.of(1f, 2f));
        t.put("broken", Tensor.wrap(new float[] {0, 1, 2, 3, Float.POSITIVE_INFINITY, 5}, 2, 3));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.requireFinite(t, "f.safetensors"));
        assertTrue(e.getMessage().startsWith("f.safetensors: tensor 'broken' holds Infinity at index 4 (position [1, 1] of shape [2, 3])"),
                e.getMessage());
        SafeTensors.requireFinite(Map.of("fine", Tensor.of(1f, 2f)), "f.safetensors");
    }

    @Test
    void unorderedMapsAreWrittenInKeyOrder() throws IOException {
        Map<String, String> meta = Map.of("zz", "1", "aa", "2", "mm", "3", "bb", "4");
        Path unordered = dir.resolve("u.safetensors");
        Path sorted = dir.resolve("s.safetensors");
        SafeTensors.write(unordered, Map.of("y", Tensor.of(1f), "x", Tensor.of(2f), "w", Tensor.of(3f)), meta);
        SafeTensors.write(sorted, new java.util.TreeMap<>(Map.of("y", Tensor.of(1f), "x", Tensor.of(2f), "w", Tensor.of(3f))),
                new java.util.TreeMap<>(meta));
        assertArrayEquals(Files.readAllBytes(sorted), Files.readAllBytes(unordered));
        assertEquals(java.util.List.of("w", "x", "y"), java.util.List.copyOf(SafeTensors.read(unordered).tensors().keySet()));
    }
}
