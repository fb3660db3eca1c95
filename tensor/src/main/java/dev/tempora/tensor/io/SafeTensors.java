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

/**
 * Reads and writes the safetensors format (Hugging Face): an 8-byte little-endian header length,
 * a JSON header mapping each name to {dtype, shape, data_offsets}, then the raw little-endian data.
 * Files written here carry a SHA-256 of the data in {@code __metadata__["sha256"]}, checked on
 * read, and are written atomically (a temporary file in the same directory, then a rename), so a
 * crash never leaves a half-written checkpoint under the real name.
 */
public final class SafeTensors {

    /** Metadata key of the data checksum. */
    public static final String CHECKSUM_KEY = "sha256";
    private static final long MAX_HEADER = 100L << 20;

    private SafeTensors() {}

    /** Tensors by name (in file order) and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes tensors (F32) and metadata atomically to {@code path}; parent directories are created. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<float[]> data = new ArrayList<>();
        Map<String, Object> header = new LinkedHashMap<>();
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
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
        Map<String, Object> meta = new LinkedHashMap<>(metadata);
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

    /** Reads a safetensors file; any corruption is reported with the file name and what is wrong. */
    public static Contents read(Path path) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "checkpoint file not found");
        }
        String where = path.toString();
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
        long maxEnd = 0;
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
            maxEnd = Math.max(maxEnd, offsets[1]);
        }
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
