package dev.tempora.tensor.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Output files written whole or not at all: a temporary sibling, forced to disk, then renamed over
 * the target, so a crash or an error never leaves a half-written file under the real name (and an
 * existing file is only replaced by a complete one). The one place every writer of the project
 * (checkpoints, Parquet, CSV, plots, configs) goes through.
 */
public final class AtomicFiles {

    /** Writes the body of a file to a stream. */
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes a whole file at the given (temporary) path, for writers that want a path of their own. */
    public interface FileBody {
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFiles() {}

    /** Writes {@code path} from a stream; errors are {@link UncheckedIOException}s naming the path. */
    public static void write(Path path, Body body) {
        writeFile(path, temp -> {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
                body.writeTo(out);
            }
        });
    }

    /** Writes {@code path} through a writer that creates the file at the temporary path it is given. */
    public static void writeFile(Path path, FileBody body) {
        Path dir = path.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + path.getFileName() + ".", ".tmp");
            body.writeTo(temp);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            readableByAll(temp);
            try {
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the original error matters more than a leftover temporary file
                }
            }
        }
    }

    /**
     * Forces a directory's entries (the renames done in it) to disk, where the platform allows it: a
     * rename is durable only once its directory is. Platforms that cannot open a directory skip it.
     *
     * @param directory the directory
     */
    public static void forceDirectory(Path directory) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(directory,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Windows cannot open a directory as a channel; its renames are durable as they are
        }
    }

    /**
     * Removes the temporary files that writes of {@code fileName} in {@code directory} left behind
     * when they were killed (a write that fails removes its own). Only for a caller that knows no
     * other write of that file is in progress: one that holds the directory's {@link DirectoryLock}.
     *
     * @param directory the directory
     * @param fileName  the name of the file whose temporary siblings to remove
     * @return the names of the files removed
     * @throws IOException if the directory cannot be listed or a file cannot be removed
     */
    public static List<String> removeLeftovers(Path directory, String fileName) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return removed;
        }
        String prefix = "." + fileName + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory,
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(".tmp"))) {
            for (Path p : files) {
                Files.deleteIfExists(p);
                removed.add(p.getFileName().toString());
            }
        }
        return removed;
    }

    /**
     * Temporary files are created owner-only (rw-------); a result a user asked for gets the usual
     * rw-r--r-- before it takes the real name.
     */
    private static void readableByAll(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    public static void writeString(Path path, String text) {
        write(path, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes byte buffers one after the other. */
    public static void write(Path path, java.nio.ByteBuffer... parts) {
        write(path, out -> {
            for (java.nio.ByteBuffer b : parts) {
                java.nio.ByteBuffer d = b.duplicate();
                byte[] chunk = new byte[Math.min(d.remaining(), 1 << 16)];
                while (d.hasRemaining()) {
                    int n = Math.min(chunk.length, d.remaining());
                    d.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }
}
