package dev.tempora.tensor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Utf8FilesTest {

    @Test
    void readsUtf8WithAndWithoutAByteOrderMark(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.json"), "{\"zone\": \"Zürich\"}");
        Path bom = dir.resolve("bom.json");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        bytes.write("{\"zone\": \"Zürich\"}".getBytes(StandardCharsets.UTF_8));
        Files.write(bom, bytes.toByteArray());
        assertEquals("{\"zone\": \"Zürich\"}", Utf8Files.read(plain));
        assertEquals("{\"zone\": \"Zürich\"}", Utf8Files.read(bom));
    }

    @Test
    void latin1TextIsRefusedWithTheLineAndByteOffsetOfTheFirstBadByte(@TempDir Path dir) throws Exception {
        // Lines of 10, 10 and 4 bytes, then 'é' in Latin-1 (0xE9, not followed by a continuation byte).
        Path file = dir.resolve("latin.csv");
        Files.write(file, "a,b,c,d,e\n1,2,3,4,5\n6,7,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        Utf8Files.NotUtf8Exception e = assertThrows(Utf8Files.NotUtf8Exception.class, () -> Utf8Files.read(file));
        assertEquals("not UTF-8 at line 3 (byte offset 27): save the file as UTF-8", e.getMessage());
        assertEquals(e.getMessage(), Utf8Files.locate(file).getMessage());
    }

    @Test
    void aBadByteFarIntoALargeFileIsLocatedAcrossReadBuffers(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("row,").append(i).append(",ü\n"); // multi-byte characters on every line, across buffer edges
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(good, good.length + 2);
        bytes[good.length] = (byte) 0xFF;
        bytes[good.length + 1] = '\n';
        Path file = Files.write(dir.resolve("big.csv"), bytes);
        assertEquals("not UTF-8 at line 20001 (byte offset " + good.length + "): save the file as UTF-8",
                Utf8Files.locate(file).getMessage());
    }

    @Test
    void utf16IsNamedAsSuchWithOrWithoutAByteOrderMark(@TempDir Path dir) throws Exception {
        Path withMark = Files.write(dir.resolve("bom16.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16));
        Utf8Files.NotUtf8Exception e = assertThrows(Utf8Files.NotUtf8Exception.class, () -> Utf8Files.checkStart(withMark));
        assertTrue(e.getMessage().contains("UTF-16"), e.getMessage());
        Path withoutMark = Files.write(dir.resolve("le16.csv"), "a,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE));
        Utf8Files.NotUtf8Exception nul = assertThrows(Utf8Files.NotUtf8Exception.class, () -> Utf8Files.read(withoutMark));
        assertEquals("not UTF-8 text at line 1 (byte offset 1): a NUL byte, as UTF-16 text or a binary file has; "
                + "save the file as UTF-8", nul.getMessage());
    }
}
