package dev.tempora.tensor.io;

import dev.tempora.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.TreeMap;

/**
 * Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length,
 * a JSON header mapping each name to {dtype, shape, data_offsets}, then the raw little-endian data.
 * Files written here carry a SHA-256 of the data in {@code __metadata__["sha256"]}, checked on
 * read, and are written atomically (a temporary file in the same directory, then a rename), so a
 * crash never leaves a half-written checkpoint under the real name.
 *
 * <p>Reading checks the layout as the reference implementation does: the tensors' byte ranges, in
 * offset order, must tile the data exactly (no overlap, no gap, nothing past the end or left over),
 * so that a header can never point one tensor at another's bytes. The checksum covers the data
 * only; a checkpoint directory's manifest covers the whole file, header included.
 *
 * <p>Writing is byte-reproducible: the same tensors and metadata give the same bytes in any JVM. A
 * map without an order of its own ({@code Map.of}, {@code HashMap}) is written sorted by key.
 */
public final class SafeTensors {

    /** Metadata key of the data checksum. */
    public static final String CHECKSUM_KEY = "sha256";
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** Tensors by name (in file order) and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /**
     * Writes tensors (F32) and metadata atomically to {@code path}; parent directories are created.
     *
     * @param path     the file to write
     * @param tensors  the tensors by name, written in the map's order (by name when the map has no order)
     * @param metadata string metadata, in the map's order (by key when the map has no order); the
     *                 {@value #CHECKSUM_KEY} entry is added
     * @throws IOException if the file cannot be written
     */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<float[]> data = new ArrayList<>();
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : ordered(tensors).entrySet()) {
            float[] values = e.getValue().toFloatArray();
            data.add(values);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", e.getValue().shape());
            entry.put("data_offsets", new long[] {offset, offset + 4L * values.length});
            header.put(e.getKey(), entry);
            offset += 4L * values.length;
        }
        ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(offset)).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] values : data) {
            body.asFloatBuffer().put(values);
            body.position(body.position() + 4 * values.length);
        }
        body.flip();
        Map<String, Object> meta = new LinkedHashMap<>(ordered(metadata));
        meta.put(CHECKSUM_KEY, sha256(body.duplicate()));
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("__metadata__", meta);
        full.putAll(header);
        byte[] json = Json.write(full).getBytes(StandardCharsets.UTF_8);
        // Pad the header with spaces to a multiple of 8, as the reference implementation does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try {
            AtomicFiles.write(path, head, body);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A map in its own order when it has one, else sorted by key, so that no hash order reaches a file. */
    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map instanceof SequencedMap<String, V> ? map : new TreeMap<>(map);
    }

    /**
     * Reads a safetensors file; any corruption is reported with the file name and what is wrong.
     *
     * @param path the file
     * @return its tensors, in header order, and its metadata
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException if it cannot be read, its header is malformed, its tensors' byte ranges do not
     *                     tile the data exactly, or its data checksum does not match
     */
    public static Contents read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint file not found");
        }
        return parse(bytes, path.toString());
    }

    /**
     * Parses a safetensors file's bytes (for a caller that checksums the very bytes it parses).
     *
     * @param bytes the whole file
     * @param where the file's name, for messages
     * @return its tensors, in header order, and its metadata
     * @throws IOException as {@link #read} does
     */
    public static Contents parse(byte[] bytes, String where) throws IOException {
        if (bytes.length < 8) {
            throw new IOException(where + ": not a safetensors file (only " + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > bytes.length) {
            throw new IOException(where + ": corrupt or truncated safetensors header (declared length " + headerLength
                    + ", file has " + bytes.length + " bytes)");
        }
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).strip());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": corrupt safetensors header: " + e.getMessage(), e);
        }
        int dataStart = (int) (8 + headerLength);
        int dataLength = bytes.length - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                }
                continue;
            }
            String name = e.getKey();
            if (!(e.getValue() instanceof Map<?, ?> entry)) {
                throw new IOException(where + ": tensor '" + name + "' has no header entry object");
            }
            String dtype = String.valueOf(entry.get("dtype"));
            int[] shape = longs(entry.get("shape"), where, name, "shape");
            int[] offsets = longs(entry.get("data_offsets"), where, name, "data_offsets");
            if (offsets.length != 2 || offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength) {
                throw new IOException(where + ": tensor '" + name + "' has data offsets " + java.util.Arrays.toString(offsets)
                        + " outside the " + dataLength + " data bytes (truncated file?)");
            }
            int count = 1;
            for (int s : shape) {
                count *= s;
            }
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F64" -> 8;
                default -> throw new IOException(where + ": tensor '" + name + "' has dtype " + dtype
                        + "; only F32 and F64 are supported");
            };
            if ((long) count * width != offsets[1] - offsets[0]) {
                throw new IOException(where + ": tensor '" + name + "' of shape " + java.util.Arrays.toString(shape)
                        + " and dtype " + dtype + " needs " + (long) count * width + " bytes, the header gives "
                        + (offsets[1] - offsets[0]));
            }
            float[] values = new float[count];
            ByteBuffer slice = ByteBuffer.wrap(bytes, dataStart + offsets[0], offsets[1] - offsets[0]).order(ByteOrder.LITTLE_ENDIAN);
            if (width == 4) {
                slice.asFloatBuffer().get(values);
            } else {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) slice.getDouble();
                }
            }
            tensors.put(name, Tensor.wrap(values, shape));
            ranges.add(new long[] {offsets[0], offsets[1], rangeNames.size()});
            rangeNames.add(name);
        }
        checkLayout(ranges, rangeNames, dataLength, where);
        String expected = metadata.get(CHECKSUM_KEY);
        if (expected != null) {
            String actual = sha256(ByteBuffer.wrap(bytes, dataStart, dataLength));
            if (!expected.equals(actual)) {
                throw new IOException(where + ": checksum mismatch (the data is corrupt): expected sha256 " + expected
                        + ", got " + actual);
            }
        }
        return new Contents(tensors, metadata);
    }

    /**
     * The tensors' byte ranges, sorted by start, must follow one another with no overlap or gap and end
     * exactly at the end of the data, as the reference implementation requires.
     */
    private static void checkLayout(List<long[]> ranges, List<String> names, long dataLength, String where)
            throws IOException {
        ranges.sort(java.util.Comparator.<long[]>comparingLong(r -> r[0]).thenComparingLong(r -> r[1]));
        long expected = 0;
        String previous = null;
        for (long[] r : ranges) {
            String name = names.get((int) r[2]);
            if (r[0] < expected) {
                throw new IOException(where + ": tensor '" + name + "' (bytes " + r[0] + " to " + r[1]
                        + ") overlaps tensor '" + previous + "' (ending at byte " + expected
                        + "): the header is corrupt or was edited");
            }
            if (r[0] > expected) {
                throw new IOException(where + ": " + (r[0] - expected) + " bytes before tensor '" + name
                        + "' (from byte " + expected + " to " + r[0] + ") belong to no tensor: the header is corrupt or was edited");
            }
            expected = r[1];
            previous = name;
        }
        if (expected != dataLength) {
            throw new IOException(where + ": the tensors end at byte " + expected + " of " + dataLength
                    + " data bytes; the rest belongs to no tensor: the header is corrupt or was edited");
        }
    }

    /**
     * Refuses a tensor holding NaN or an infinity: a weight that is not finite makes every forecast
     * empty, so it is an error at load, never a silent result.
     *
     * @param tensors the tensors by name
     * @param where   the file they come from, for the message
     * @throws IOException naming the first tensor, index (and position in its shape) and value that are not finite
     */
    public static void requireFinite(Map<String, Tensor> tensors, String where) throws IOException {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            float[] values = e.getValue().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IOException(where + ": tensor '" + e.getKey() + "' holds " + values[i] + " at index " + i
                            + " (position " + java.util.Arrays.toString(position(i, e.getValue().shape())) + " of shape "
                            + java.util.Arrays.toString(e.getValue().shape()) + "); a checkpoint must hold finite values "
                            + "only (was it saved from a diverged run, or edited?)");
                }
            }
        }
    }

    private static int[] position(int index, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = shape[d] == 0 ? 0 : index % shape[d];
            index = shape[d] == 0 ? index : index / shape[d];
        }
        return at;
    }

    private static int[] longs(Object value, String where, String name, String field) throws IOException {
        if (!(value instanceof List<?> list)) {
            throw new IOException(where + ": tensor '" + name + "' has no " + field + " array");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw new IOException(where + ": tensor '" + name + "' has a bad " + field + " entry " + list.get(i));
            }
            out[i] = (int) (long) l;
        }
        return out;
    }

    static String sha256(ByteBuffer data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
