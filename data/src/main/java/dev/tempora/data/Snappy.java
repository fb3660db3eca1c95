package dev.tempora.data;

import java.util.Arrays;

/**
 * The Snappy block format (the raw format Parquet pages use, not the framed stream), in plain Java:
 * Parquet-MR would otherwise reach for the native snappy-java library through Hadoop's codec classes.
 * Format: a varint of the uncompressed length, then elements tagged by their low two bits: 0 a literal,
 * 1/2/3 a back-reference with a 1-, 2- or 4-byte offset.
 */
final class Snappy {

    private Snappy() {}

    /** Decompresses {@code length} bytes of {@code in} from {@code offset}; the result must be {@code expected} bytes. */
    static byte[] decompress(byte[] in, int offset, int length, int expected) {
        int end = offset + length;
        int pos = offset;
        long declared = 0;
        for (int shift = 0; ; shift += 7) {
            if (pos >= end || shift > 28) {
                throw corrupt("bad length header");
            }
            int b = in[pos++] & 0xff;
            declared |= (long) (b & 0x7f) << shift;
            if (b < 0x80) {
                break;
            }
        }
        if (declared != expected) {
            throw corrupt("page holds " + declared + " bytes, the page header says " + expected);
        }
        byte[] out = new byte[expected];
        int op = 0;
        while (pos < end) {
            int tag = in[pos++] & 0xff;
            int kind = tag & 3;
            if (kind == 0) {
                int len = tag >>> 2;
                if (len >= 60) {
                    int extra = len - 59;
                    if (pos + extra > end) {
                        throw corrupt("truncated literal length");
                    }
                    len = 0;
                    for (int i = 0; i < extra; i++) {
                        len |= (in[pos++] & 0xff) << (8 * i);
                    }
                }
                len += 1;
                if (len <= 0 || pos + len > end || op + len > expected) {
                    throw corrupt("literal runs past the end");
                }
                System.arraycopy(in, pos, out, op, len);
                pos += len;
                op += len;
            } else {
                int len;
                int distance;
                if (kind == 1) {
                    if (pos >= end) {
                        throw corrupt("truncated copy");
                    }
                    len = ((tag >>> 2) & 7) + 4;
                    distance = ((tag >>> 5) << 8) | (in[pos++] & 0xff);
                } else if (kind == 2) {
                    if (pos + 2 > end) {
                        throw corrupt("truncated copy");
                    }
                    len = (tag >>> 2) + 1;
                    distance = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8;
                    pos += 2;
                } else {
                    if (pos + 4 > end) {
                        throw corrupt("truncated copy");
                    }
                    len = (tag >>> 2) + 1;
                    distance = (in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8 | (in[pos + 2] & 0xff) << 16 | (in[pos + 3] & 0xff) << 24;
                    pos += 4;
                }
                if (distance <= 0 || distance > op || op + len > expected) {
                    throw corrupt("back-reference out of range");
                }
                int from = op - distance;
                if (distance >= len) {
                    System.arraycopy(out, from, out, op, len);
                    op += len;
                } else { // overlapping copy repeats a short pattern
                    for (int i = 0; i < len; i++) {
                        out[op++] = out[from + i];
                    }
                }
            }
        }
        if (op != expected) {
            throw corrupt("decoded " + op + " bytes, expected " + expected);
        }
        return out;
    }

    /** Compresses with a greedy 4-byte-hash matcher over 64 KiB blocks (as the reference encoder does). */
    static byte[] compress(byte[] in, int offset, int length) {
        byte[] out = new byte[32 + length + length / 6];
        int op = 0;
        int n = length;
        while (true) { // varint length
            if (n < 0x80) {
                out[op++] = (byte) n;
                break;
            }
            out[op++] = (byte) ((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        int[] table = new int[1 << 14];
        int blockStart = offset;
        int end = offset + length;
        while (blockStart < end) {
            int blockEnd = Math.min(end, blockStart + 65536);
            Arrays.fill(table, -1);
            int literalStart = blockStart;
            int pos = blockStart;
            while (pos + 4 <= blockEnd) {
                int word = readInt(in, pos);
                int h = (word * 0x1e35a7bd) >>> 18;
                int candidate = table[h];
                table[h] = pos;
                if (candidate >= blockStart && readInt(in, candidate) == word) {
                    op = literal(in, literalStart, pos - literalStart, out, op);
                    int len = 4;
                    while (pos + len < blockEnd && in[candidate + len] == in[pos + len]) {
                        len++;
                    }
                    op = copy(pos - candidate, len, out, op);
                    pos += len;
                    literalStart = pos;
                } else {
                    pos++;
                }
            }
            op = literal(in, literalStart, blockEnd - literalStart, out, op);
            blockStart = blockEnd;
        }
        return Arrays.copyOf(out, op);
    }

    private static int readInt(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
    }

    private static int literal(byte[] in, int from, int len, byte[] out, int op) {
        if (len == 0) {
            return op;
        }
        int n = len - 1;
        if (n < 60) {
            out[op++] = (byte) (n << 2);
        } else if (n < 1 << 8) {
            out[op++] = (byte) (60 << 2);
            out[op++] = (byte) n;
        } else if (n < 1 << 16) {
            out[op++] = (byte) (61 << 2);
            out[op++] = (byte) n;
            out[op++] = (byte) (n >>> 8);
        } else {
            out[op++] = (byte) (62 << 2);
            out[op++] = (byte) n;
            out[op++] = (byte) (n >>> 8);
            out[op++] = (byte) (n >>> 16);
        }
        System.arraycopy(in, from, out, op, len);
        return op + len;
    }

    private static int copy(int distance, int len, byte[] out, int op) {
        while (len > 0) { // copies with a 2-byte offset hold at most 64 bytes
            int chunk = Math.min(len, 64);
            if (len - chunk > 0 && len - chunk < 4) {
                chunk = len - 4; // keep the remainder long enough for its own copy
            }
            out[op++] = (byte) (((chunk - 1) << 2) | 2);
            out[op++] = (byte) distance;
            out[op++] = (byte) (distance >>> 8);
            len -= chunk;
        }
        return op;
    }

    private static IllegalStateException corrupt(String what) {
        return new IllegalStateException("corrupt Snappy data: " + what);
    }
}
