package dev.tempora.parallel.distributed;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message on a ring link: a 32-byte header (kind, element count, operation number, chunk index,
 * a double that carries the scalar partial sum) and a payload of floats, longs or an abort message,
 * all little-endian. Floats travel as their raw bits, so a partial sum arrives bitwise as it was sent.
 */
record RingFrame(int kind, int count, long operation, int chunk, double scalar, byte[] bytes) {

    /** A partial sum of a chunk of floats, on its way to the rank that adds next. */
    static final int FLOAT_PARTIAL = 1;
    /** A finished sum of a chunk of floats, on its way around the ring to every rank. */
    static final int FLOAT_TOTAL = 2;
    /** Partially reduced longs. */
    static final int LONG_PARTIAL = 3;
    /** Reduced longs. */
    static final int LONG_TOTAL = 4;
    /** The sender failed; the payload says why in UTF-8. */
    static final int ABORT = 9;

    static final int HEADER_BYTES = 32;
    /** More than any real chunk; a larger count means the stream is not ours or is corrupt. */
    static final int MAX_PAYLOAD_BYTES = 1 << 28;

    static String kindName(int kind) {
        return switch (kind) {
            case FLOAT_PARTIAL -> "a partial float sum";
            case FLOAT_TOTAL -> "a total float sum";
            case LONG_PARTIAL -> "a partial long reduction";
            case LONG_TOTAL -> "a total long reduction";
            case ABORT -> "an abort";
            default -> "an unknown kind " + kind;
        };
    }

    /** Elements [from, from + count) of {@code values} as a frame. */
    static byte[] floats(int kind, long operation, int chunk, double scalar, float[] values, int from, int count) {
        ByteBuffer buffer = header(kind, count, operation, chunk, scalar, (long) count * Float.BYTES);
        buffer.asFloatBuffer().put(values, from, count);
        return buffer.array();
    }

    static byte[] longs(int kind, long operation, long[] values) {
        ByteBuffer buffer = header(kind, values.length, operation, 0, 0, (long) values.length * Long.BYTES);
        buffer.asLongBuffer().put(values);
        return buffer.array();
    }

    static byte[] abort(long operation, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = header(ABORT, text.length, operation, 0, 0, text.length);
        buffer.put(text);
        return buffer.array();
    }

    private static ByteBuffer header(int kind, int count, long operation, int chunk, double scalar, long payloadBytes) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(HEADER_BYTES + payloadBytes)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(kind).putInt(count).putLong(operation).putInt(chunk).putInt(0).putDouble(scalar);
        return buffer;
    }

    /** The header's fields from its 32 bytes, with the payload still to read into {@code bytes}. */
    static RingFrame ofHeader(byte[] header, byte[] frameBytes) {
        ByteBuffer buffer = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int kind = buffer.getInt();
        int count = buffer.getInt();
        long operation = buffer.getLong();
        int chunk = buffer.getInt();
        buffer.getInt();
        return new RingFrame(kind, count, operation, chunk, buffer.getDouble(), frameBytes);
    }

    /** Payload bytes that follow a header of this kind and count, or -1 when they make no sense. */
    static long payloadBytes(int kind, int count) {
        if (count < 0) {
            return -1;
        }
        long bytes = switch (kind) {
            case FLOAT_PARTIAL, FLOAT_TOTAL -> (long) count * Float.BYTES;
            case LONG_PARTIAL, LONG_TOTAL -> (long) count * Long.BYTES;
            case ABORT -> count;
            default -> -1;
        };
        return bytes > MAX_PAYLOAD_BYTES ? -1 : bytes;
    }

    /** Copies the payload floats into {@code target[from, from + count)}. */
    void floatsInto(float[] target, int from) {
        payload().asFloatBuffer().get(target, from, count);
    }

    long[] longs() {
        long[] values = new long[count];
        payload().asLongBuffer().get(values);
        return values;
    }

    String message() {
        return new String(bytes, HEADER_BYTES, count, StandardCharsets.UTF_8);
    }

    private ByteBuffer payload() {
        return ByteBuffer.wrap(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
