package dev.tempora.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnappyTest {

    @Test
    void decodesAHandWrittenBlock() {
        // "abcabcabcabcX": varint 13, literal "abc" (tag (3-1)<<2), copy len 9 offset 3 (2-byte form), literal "X".
        byte[] block = {13, 2 << 2, 'a', 'b', 'c', (byte) (((9 - 1) << 2) | 2), 3, 0, 0, 'X'};
        assertArrayEquals("abcabcabcabcX".getBytes(StandardCharsets.US_ASCII), Snappy.decompress(block, 0, block.length, 13));
    }

    @Test
    void roundTripsRandomAndRepetitiveData() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int size : new int[] {0, 1, 3, 4, 63, 64, 65, 1000, 70_000, 300_000}) {
            for (int alphabet : new int[] {2, 16, 256}) {
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = (byte) rng.nextInt(alphabet);
                }
                byte[] packed = Snappy.compress(data, 0, size);
                assertArrayEquals(data, Snappy.decompress(packed, 0, packed.length, size), "size " + size + " alphabet " + alphabet);
            }
        }
    }

    @Test
    void compressesRepetitiveData() {
        byte[] data = new byte[100_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ((i % 100) * 7);
        }
        byte[] packed = Snappy.compress(data, 0, data.length);
        assertTrue(packed.length < data.length / 20, "a period-100 pattern packs to " + packed.length + " bytes");
        assertArrayEquals(data, Snappy.decompress(packed, 0, packed.length, data.length));
    }

    @Test
    void rejectsCorruptData() {
        byte[] block = {13, 2 << 2, 'a', 'b', 'c', (byte) (((9 - 1) << 2) | 2), 9, 0, 0, 'X'}; // offset 9 > 3 bytes written
        assertThrows(IllegalStateException.class, () -> Snappy.decompress(block, 0, block.length, 13));
        assertThrows(IllegalStateException.class, () -> Snappy.decompress(new byte[] {5}, 0, 1, 6));
    }
}
