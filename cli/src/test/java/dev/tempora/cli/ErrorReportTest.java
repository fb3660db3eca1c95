package dev.tempora.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorReportTest {

    @Test
    void jdkFailuresReadAsPlainWords() {
        assertEquals("data.csv: the file is not UTF-8 text: save it as UTF-8",
                ErrorReport.message(new UncheckedIOException("data.csv: Input length = 1", new MalformedInputException(1))));
        assertEquals("/tmp/x.csv: no such file or directory", ErrorReport.message(new NoSuchFileException("/tmp/x.csv")));
        assertEquals("training output: out/model: permission denied",
                ErrorReport.message(new UncheckedIOException("training output: out/model", new AccessDeniedException("out/model"))));
        assertEquals("hidden_size must be positive",
                ErrorReport.message(new ExecutionException(new IllegalArgumentException("hidden_size must be positive"))));
    }

    @Test
    void outOfMemorySaysHowToGiveJavaMore() {
        String m = ErrorReport.message(new ExecutionException(new OutOfMemoryError("Java heap space")));
        assertTrue(m.startsWith("out of memory: Java may use at most "), m);
        assertTrue(m.contains("TEMPORA_JAVA_OPTS=-Xmx"), m);
    }

    @Test
    void bugsAreInternalErrorsWithoutClassNames() {
        String m = ErrorReport.message(new RuntimeException("java.lang.ArithmeticException: integer overflow",
                new ArithmeticException("integer overflow")));
        assertTrue(m.startsWith("internal error: "), m);
        assertTrue(m.contains("--verbose"), m);
        assertFalse(m.contains("java.") || m.contains("Exception"), m);
        String npe = ErrorReport.message(new NullPointerException());
        assertTrue(npe.startsWith("internal error: a value was missing"), npe);
    }

    @Test
    void reportPrintsOneLineAndTheTraceOnlyWhenVerbose() {
        StringWriter quiet = new StringWriter();
        assertEquals(1, ErrorReport.report("tempora train", new IllegalStateException("no model"), false, new PrintWriter(quiet)));
        assertEquals("tempora train: no model" + System.lineSeparator(), quiet.toString());
        StringWriter verbose = new StringWriter();
        ErrorReport.report("tempora train", new IllegalStateException("no model"), true, new PrintWriter(verbose));
        assertTrue(verbose.toString().startsWith("tempora train: no model"), verbose.toString());
        assertTrue(verbose.toString().contains("at dev.tempora.cli.ErrorReportTest"), verbose.toString());
    }
}
