package dev.tempora.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The CSV reader ({@link TableFiles#read(Path)} on a {@code .csv} file, which is {@code CsvReader} with type
 * inference) on arbitrary bytes.
 *
 * <p>Contract: a {@link Frame} whose columns all have the frame's row count, or an
 * {@link IllegalArgumentException} (the file does not parse: it names the file, line and what is wrong) or an
 * {@link UncheckedIOException} (the bytes cannot be read as text), each with a message.
 */
class CsvReaderFuzzTest {

    @FuzzTest
    void readCsv(byte[] input) {
        if (!FuzzContract.withinBound(input)) {
            return;
        }
        Path file = FuzzContract.writeScratch("data.csv", input);
        FuzzContract.expectResultOrDocumentedError("TableFiles.read(csv)", () -> {
            Frame frame = TableFiles.read(file);
            for (Column column : frame.columns()) {
                assertEquals(frame.rowCount(), column.size(), "column '" + column.name() + "' length");
                for (int r = 0; r < column.size(); r++) {
                    column.format(r);
                }
            }
        }, IllegalArgumentException.class, UncheckedIOException.class);
    }
}
