package dev.tempora.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The Parquet reader ({@link ParquetFiles#read(Path)}, Parquet-MR under our pure-Java page codecs) on arbitrary
 * bytes written to a {@code .parquet} file.
 *
 * <p>Contract: a {@link Frame} whose columns all have the frame's row count, or an
 * {@link IllegalArgumentException} (not Parquet, a corrupt footer or page, an unsupported column: it names the
 * file) or an {@link UncheckedIOException} (the file cannot be read), each with a message.
 */
class ParquetFilesFuzzTest {

    @FuzzTest
    void readParquet(byte[] input) {
        if (!FuzzContract.withinBound(input)) {
            return;
        }
        Path file = FuzzContract.writeScratch("data.parquet", input);
        FuzzContract.expectResultOrDocumentedError("ParquetFiles.read", () -> {
            Frame frame = ParquetFiles.read(file);
            for (Column column : frame.columns()) {
                assertEquals(frame.rowCount(), column.size(), "column '" + column.name() + "' length");
                for (int r = 0; r < column.size(); r++) {
                    column.format(r);
                }
            }
        }, IllegalArgumentException.class, UncheckedIOException.class);
    }
}
