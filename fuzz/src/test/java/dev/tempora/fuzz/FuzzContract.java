package dev.tempora.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What every fuzz target checks: the reader under test, given any input, returns a result or throws one of
 * the error types its Javadoc documents, with a message a user can act on. Anything else (a
 * {@link NullPointerException}, an {@link ArrayIndexOutOfBoundsException}, an {@link OutOfMemoryError}, an
 * error with no message) fails the input, and Jazzer keeps it as a finding.
 *
 * <p>Inputs longer than {@link #MAX_INPUT_BYTES} are skipped, so that the time and memory an input may take
 * stay bounded; the time per input is bounded by {@code junit-platform.properties} (JUnit's timeout in
 * regression runs, libFuzzer's {@code -timeout} when fuzzing).
 */
final class FuzzContract {

    /** The largest input a target reads: 64 KiB, ample for every format's structure. */
    static final int MAX_INPUT_BYTES = 64 * 1024;

    private FuzzContract() {}

    /** An action on a file that may throw any checked exception. */
    @FunctionalInterface
    interface Target {
        void run() throws Exception;
    }

    /** True when the input is within the size bound (the target should skip it otherwise). */
    static boolean withinBound(byte[] input) {
        return input.length <= MAX_INPUT_BYTES;
    }

    /**
     * Runs {@code target} and fails unless it returns or throws one of {@code documented} with a non-empty
     * message.
     *
     * @param what       the target, named in a failure
     * @param documented the exception types the target's contract allows
     */
    @SafeVarargs
    static void expectResultOrDocumentedError(String what, Target target, Class<? extends Exception>... documented) {
        try {
            target.run();
        } catch (Exception e) {
            boolean allowed = List.of(documented).stream().anyMatch(type -> type.isInstance(e));
            if (!allowed) {
                throw new AssertionError(what + " threw an undocumented " + e.getClass().getName() + ": " + e.getMessage(), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(what + " threw " + e.getClass().getName() + " without a message", e);
            }
        } catch (StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + " ran out of stack or memory: " + e, e);
        }
    }

    /**
     * Writes {@code input} to the file {@code name} in this JVM's scratch directory, replacing what an earlier
     * input left there (one directory per JVM rather than one per input: fuzzing runs millions of inputs).
     */
    static Path writeScratch(String name, byte[] input) {
        try {
            Path file = scratchDirectory().resolve(name);
            Files.write(file, input);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path scratch;

    private static synchronized Path scratchDirectory() throws IOException {
        if (scratch == null) {
            scratch = Files.createTempDirectory("tempora-fuzz");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }
}
