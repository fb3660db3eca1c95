package dev.tempora.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * Turns anything a command throws into the one line a user reads: {@code tempora <command>: <message>}.
 * Known JDK failures (a missing file, a full heap, text that is not UTF-8) get plain words instead of
 * their class names; anything else is an internal error that asks for {@code --verbose}, which adds the
 * stack trace.
 */
final class ErrorReport {

    /** A fully qualified Java type at the start of a message, as {@code Throwable.toString()} writes it: dropped. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ");

    private ErrorReport() {}

    /**
     * Prints the one-line report (and, when verbose, the stack trace) and returns the exit status.
     *
     * @param command the command's full name, e.g. {@code tempora train}
     * @param error   what the command threw
     * @param verbose whether the user asked for the stack trace
     * @param err     where the report goes (standard error)
     * @return 1, the status of a failed command
     */
    static int report(String command, Throwable error, boolean verbose, PrintWriter err) {
        err.println(command + ": " + message(error));
        if (verbose) {
            error.printStackTrace(err);
        }
        err.flush();
        return 1;
    }

    /** {@return the plain-words message for {@code error}: no class names, one line} */
    static String message(Throwable error) {
        Throwable t = unwrap(error);
        String plain = plain(t);
        if (plain != null) {
            return plain;
        }
        String own = t.getMessage();
        Throwable cause = t.getCause() != null ? unwrap(t.getCause()) : null;
        String causePlain = cause != null ? plain(cause) : null;
        if (own == null || own.isBlank()) {
            return causePlain != null ? causePlain : internal(t, null);
        }
        if (causePlain != null && cause.getMessage() != null && own.contains(cause.getMessage())) {
            // "data.csv: Input length = 1" -> "data.csv: not UTF-8 text ..."; a file the cause names already is not repeated.
            String rest = own.replace(cause.getMessage(), "").replaceAll("[:\\s]+$", "");
            own = rest.isEmpty() || causePlain.startsWith(rest) ? causePlain : rest + ": " + causePlain;
        }
        String text = oneLine(CLASS_PREFIX.matcher(own).replaceAll(""));
        return isUserError(t) ? text : internal(t, text);
    }

    /** The failure behind the wrappers that threads, futures and reflection add. */
    private static Throwable unwrap(Throwable t) {
        while (t.getCause() != null && (t instanceof ExecutionException || t instanceof CompletionException
                || t instanceof InvocationTargetException
                || (t instanceof UncheckedIOException && t.getMessage() != null && t.getMessage().equals(t.getCause().toString()))
                || (t instanceof RuntimeException && t.getClass() == RuntimeException.class && t.getMessage() != null
                        && t.getMessage().equals(t.getCause().toString())))) {
            t = t.getCause();
        }
        return t;
    }

    /** Failures a user's input or machine causes (as opposed to a bug in Tempora). */
    private static boolean isUserError(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException || t instanceof java.io.IOException
                || t instanceof UncheckedIOException || t instanceof UnsupportedOperationException;
    }

    /** The plain message for the JDK failures whose own text is a class name or a bare path; null for others. */
    private static String plain(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return outOfMemory();
        }
        if (t instanceof StackOverflowError) {
            return "ran out of stack space (nesting too deep); give Java a larger stack with TEMPORA_JAVA_OPTS=-Xss64m";
        }
        if (t instanceof CharacterCodingException) {
            return "the file is not UTF-8 text: save it as UTF-8";
        }
        if (t instanceof FileSystemException f) {
            String file = f.getFile() != null ? f.getFile() : "a file";
            String what = t instanceof NoSuchFileException ? "no such file or directory"
                    : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof FileAlreadyExistsException ? "already exists"
                    : t instanceof NotDirectoryException ? "is not a directory"
                    : t instanceof DirectoryNotEmptyException ? "the directory is not empty"
                    : f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : "cannot be read or written";
            return file + ": " + what + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "");
        }
        return null;
    }

    /** The out-of-memory advice: how much Java may use now and how to give it more. */
    static String outOfMemory() {
        long max = Runtime.getRuntime().maxMemory();
        long suggestion = Math.max(2, 2 * (long) Math.ceil(max / (double) (1L << 30)));
        return String.format(Locale.ROOT, "out of memory: Java may use at most %s; give it more with "
                + "TEMPORA_JAVA_OPTS=-Xmx%dg (below the machine's memory), or make batch_size, hidden_size or "
                + "max_encoder_length smaller", dev.tempora.tensor.MemoryBudget.size(max), suggestion);
    }

    private static String internal(Throwable t, String detail) {
        return "internal error: " + describeInternal(t) + (detail != null ? " (" + detail + ")" : "")
                + "; run again with --verbose for the details and report it";
    }

    /** An internal error named by what went wrong, not by its Java class. */
    private static String describeInternal(Throwable t) {
        if (t instanceof ArithmeticException) {
            return "a number overflowed";
        }
        if (t instanceof IndexOutOfBoundsException || t instanceof NegativeArraySizeException) {
            return "an index or size was out of range";
        }
        if (t instanceof NullPointerException) {
            return "a value was missing";
        }
        return "an unexpected failure";
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
