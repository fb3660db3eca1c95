package dev.tempora.models;

import dev.tempora.tensor.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a checkpoint directory's two files are committed as one unit, and verified as one.
 *
 * <p>The manifest ({@value Checkpoint#MANIFEST_FILE}, in {@code sha256sum} format, so that
 * {@code sha256sum -c} checks it too) holds the SHA-256 of the whole weights file, header included, and
 * of {@code model.json}. A save runs:
 * <ol>
 *   <li>both new files are written under pending names ({@code model.safetensors.pending},
 *       {@code model.json.pending}), each complete and forced to disk before it takes that name;</li>
 *   <li>the manifest naming the new files' checksums replaces the old one atomically: <b>the commit
 *       point</b>;</li>
 *   <li>each pending file is renamed to its final name.</li>
 * </ol>
 * A kill before the commit point leaves the old pair and the old manifest in place (pending files are
 * removed by the next save); a kill after it leaves the new manifest, and each new file under its
 * final name or its pending one. The loader takes each file from whichever name matches the manifest,
 * so every moment leaves the old pair or the new pair loadable, and the next save completes the
 * renames. Anything else that does not match the manifest (a file edited, replaced or truncated) is
 * refused, naming the file and both checksums.
 *
 * <p>A directory without a manifest was written before it existed: it loads with the per-file checks
 * of that time (the data checksum and model.json's {@code weights_sha256}) and a note saying so.
 */
final class CheckpointFiles {

    static final String PENDING_SUFFIX = ".pending";
    private static final List<String> FILES = List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE);

    private CheckpointFiles() {}

    /** The two files' bytes as verified, and what the reader should know about how they were found. */
    record Verified(byte[] weights, byte[] metadata, boolean hasManifest, List<String> notes) {}

    /**
     * Before a save: completes a committed save that a kill interrupted (its renames), removes pending
     * files of an uncommitted one and the temporary files of killed writes.
     */
    static void recover(Path directory) throws IOException {
        for (String name : List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE, Checkpoint.MANIFEST_FILE,
                Checkpoint.WEIGHTS_FILE + PENDING_SUFFIX, Checkpoint.METADATA_FILE + PENDING_SUFFIX)) {
            AtomicFiles.removeLeftovers(directory, name);
        }
        Map<String, String> manifest = readManifest(directory);
        for (String name : FILES) {
            Path pending = directory.resolve(name + PENDING_SUFFIX);
            if (!Files.exists(pending)) {
                continue;
            }
            if (manifest != null && sha256(Files.readAllBytes(pending)).equals(manifest.get(name))) {
                move(pending, directory.resolve(name));
            } else {
                Files.delete(pending);
            }
        }
        AtomicFiles.forceDirectory(directory);
    }

    /** Writes a file under its pending name, whole and forced to disk (step 1). */
    static void writePending(Path directory, String name, byte[] bytes) throws IOException {
        try {
            AtomicFiles.write(directory.resolve(name + PENDING_SUFFIX), java.nio.ByteBuffer.wrap(bytes));
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Commits the pending pair whose checksums are given (step 2), then gives the files their names (step 3). */
    static void commit(Path directory, String weightsSha, String metadataSha) throws IOException {
        String manifest = weightsSha + "  " + Checkpoint.WEIGHTS_FILE + "\n" + metadataSha + "  " + Checkpoint.METADATA_FILE + "\n";
        try {
            AtomicFiles.writeString(directory.resolve(Checkpoint.MANIFEST_FILE), manifest);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        for (String name : FILES) {
            move(directory.resolve(name + PENDING_SUFFIX), directory.resolve(name));
        }
        AtomicFiles.forceDirectory(directory);
    }

    /**
     * Reads the pair and checks it against the manifest: each file is taken from its final name, or from
     * its pending name when a kill interrupted a committed save before its rename.
     *
     * @throws IOException naming the file, the expected and the found checksum when they differ
     */
    static Verified read(Path directory) throws IOException {
        Map<String, String> manifest = readManifest(directory);
        List<String> notes = new ArrayList<>();
        if (manifest == null) {
            notes.add(directory + " has no " + Checkpoint.MANIFEST_FILE + " (it was written by an older Tempora): "
                    + "only the weights' data checksum and model.json's weights_sha256 were checked; saving the model "
                    + "again adds the manifest");
            return new Verified(readRequired(directory.resolve(Checkpoint.WEIGHTS_FILE), "checkpoint file not found"),
                    readRequired(directory.resolve(Checkpoint.METADATA_FILE), "checkpoint metadata not found"), false, notes);
        }
        byte[][] bytes = new byte[2][];
        for (int i = 0; i < 2; i++) {
            String name = FILES.get(i);
            String expected = manifest.get(name);
            Path file = directory.resolve(name);
            Path pending = directory.resolve(name + PENDING_SUFFIX);
            byte[] found = Files.exists(file) ? Files.readAllBytes(file) : null;
            if (found != null && sha256(found).equals(expected)) {
                bytes[i] = found;
                continue;
            }
            byte[] interrupted = Files.exists(pending) ? Files.readAllBytes(pending) : null;
            if (interrupted != null && sha256(interrupted).equals(expected)) {
                bytes[i] = interrupted;
                notes.add(file + ": read from " + pending.getFileName() + " (a save was interrupted after its commit; "
                        + "the next save completes it)");
                continue;
            }
            if (found == null) {
                throw new NoSuchFileException(file.toString(), null, "missing, although " + Checkpoint.MANIFEST_FILE
                        + " lists it: the directory was changed or a write was interrupted");
            }
            throw new IOException(file + " does not match " + directory.resolve(Checkpoint.MANIFEST_FILE) + ": expected sha256 "
                    + expected + ", found " + sha256(found) + ": the directory was changed or a write was interrupted "
                    + "(the weights and model.json must come from the same save)");
        }
        return new Verified(bytes[0], bytes[1], true, notes);
    }

    /** The manifest's checksums by file name, or null when the directory has none. */
    private static Map<String, String> readManifest(Path directory) throws IOException {
        Path path = directory.resolve(Checkpoint.MANIFEST_FILE);
        if (!Files.exists(path)) {
            return null;
        }
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            String[] parts = line.strip().split("\\s+\\*?", 2);
            if (line.isBlank()) {
                continue;
            }
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}")) {
                throw new IOException(path + ": malformed line '" + line + "' (expected '<sha256>  <file name>'): "
                        + "the directory was changed or a write was interrupted");
            }
            sums.put(parts[1], parts[0]);
        }
        for (String name : FILES) {
            if (!sums.containsKey(name)) {
                throw new IOException(path + " has no checksum of " + name + ": the directory was changed");
            }
        }
        return sums;
    }

    private static byte[] readRequired(Path file, String reason) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, reason);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
