package dev.tempora.tensor.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads text files that must be UTF-8 (configs, model.json, CSV tables), with errors a user can act
 * on: where the first byte that is not UTF-8 sits (line and byte offset), or that the file is UTF-16.
 * A UTF-8 byte-order mark, which some editors write, is accepted and dropped.
 */
public final class Utf8Files {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Utf8Files() {}

    /** A text file that is not UTF-8; the message says where and what to do, without the file's name. */
    public static final class NotUtf8Exception extends IOException {
        private static final long serialVersionUID = 1L;

        /**
         * The error for one file.
         *
         * @param message where the problem is and what to do, e.g. "not UTF-8 at line 3 (byte offset 57): save the file as UTF-8"
         */
        public NotUtf8Exception(String message) {
            super(message);
        }
    }

    /**
     * The whole file as text, without a leading UTF-8 byte-order mark.
     *
     * @param file a UTF-8 text file
     * @return its text
     * @throws NotUtf8Exception when it is UTF-16 or holds a byte sequence that is not UTF-8
     * @throws IOException      when it cannot be read
     */
    public static String read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        checkStart(Arrays.copyOf(bytes, Math.min(bytes.length, 4096)));
        int from = startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, from, bytes.length - from)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw locate(file);
        }
    }

    /**
     * Refuses a file that starts as UTF-16 or UTF-32 text (a byte-order mark, or NUL bytes, which UTF-8
     * text never holds), so that such a file fails with that reason rather than as garbled text.
     *
     * @param file a file about to be read as UTF-8
     * @throws NotUtf8Exception when its start shows another encoding
     * @throws IOException      when it cannot be read
     */
    public static void checkStart(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            checkStart(in.readNBytes(4096));
        }
    }

    private static void checkStart(byte[] head) throws NotUtf8Exception {
        if (startsWith(head, new byte[] {(byte) 0xFF, (byte) 0xFE}) || startsWith(head, new byte[] {(byte) 0xFE, (byte) 0xFF})) {
            throw new NotUtf8Exception("the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8: "
                    + "save the file as UTF-8");
        }
        for (int i = 0; i < head.length; i++) {
            if (head[i] == 0) {
                throw new NotUtf8Exception("not UTF-8 text at line " + lineOf(head, i) + " (byte offset " + i
                        + "): a NUL byte, as UTF-16 text or a binary file has; save the file as UTF-8");
            }
        }
    }

    /**
     * The error for the first byte of {@code file} that is not UTF-8, found by reading it again (call it
     * once reading the file as UTF-8 has failed).
     *
     * @param file the file that failed to decode
     * @return the error naming the line and byte offset of the first bad byte
     * @throws IOException when the file cannot be read
     */
    public static NotUtf8Exception locate(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long consumed = 0;
        long line = 1;
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (true) {
                if (!end) {
                    int n = stream.read(in.array(), in.position(), in.remaining());
                    if (n < 0) {
                        end = true;
                    } else {
                        in.position(in.position() + n);
                    }
                }
                in.flip();
                int before = in.position();
                CoderResult result = decoder.decode(in, out, end);
                out.flip();
                while (out.hasRemaining()) {
                    if (out.get() == '\n') {
                        line++;
                    }
                }
                out.clear();
                if (result.isError()) {
                    long offset = consumed + in.position() - before;
                    return new NotUtf8Exception("not UTF-8 at line " + line + " (byte offset " + offset
                            + "): save the file as UTF-8");
                }
                consumed += in.position() - before;
                in.compact();
                if (end && result.isUnderflow()) {
                    // The file decodes after all (it changed since the failed read): say only what failed.
                    return new NotUtf8Exception("not UTF-8: save the file as UTF-8");
                }
            }
        }
    }

    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            line += bytes[i] == '\n' ? 1 : 0;
        }
        return line;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }
}
