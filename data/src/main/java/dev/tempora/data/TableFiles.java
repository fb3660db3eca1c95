package dev.tempora.data;

import dev.tempora.tensor.io.AtomicFiles;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Tables in and out of files, the format chosen by the file name's extension: Parquet ({@code .parquet},
 * {@code .pq}) or CSV ({@code .csv}; {@code .tsv} and {@code .txt} for reading too).
 *
 * <p>CSV is written as RFC 4180 with Apache Commons CSV: a header line, then one line per row ending in a
 * line feed; a field is quoted when it holds a comma, a quote (doubled inside) or a line break, or when it
 * starts with a character up to {@code '#'} or ends in a blank (Commons CSV's cautious rule; readers
 * unquote it all the same). A missing value is an empty field. Values are written as {@link Column#format} spells them: ints and longs
 * in decimal, doubles and floats as {@link Double#toString}/{@link Float#toString}, timestamps as
 * {@code yyyy-MM-dd HH:mm:ss} (with microseconds when there are any), so {@link CsvReader} reads every
 * value back as it was.
 */
public final class TableFiles {

    /** RFC 4180 (minimal quoting, no escape character) with a line feed, not CRLF, after each record. */
    private static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private TableFiles() {}

    /**
     * Reads a Parquet ({@code .parquet}, {@code .pq}) or CSV ({@code .csv}, {@code .tsv} tab-separated,
     * {@code .txt}) file, inferring CSV column types from every value; the file is only opened for reading.
     *
     * @param file the table to read
     * @return the table, with the file's path as its {@link Frame#source()}
     * @throws IllegalArgumentException when the file is absent, has another extension, or does not parse
     */
    public static Frame read(Path file) {
        return Frame.read(file);
    }

    /**
     * {@link #read(Path)} with some columns' types given rather than inferred, as a config's "dtypes" gives
     * them: ids that look like numbers read as strings, so that they can be categoricals.
     *
     * @param file  the table to read
     * @param types column name to its type; a Parquet column can be cast to string or double
     * @return the table
     * @throws IllegalArgumentException when the file is absent, does not parse, or a column cannot take its type
     */
    public static Frame read(Path file, java.util.Map<String, ColumnType> types) {
        java.util.Map<String, Object> dtypes = new java.util.LinkedHashMap<>();
        types.forEach((name, type) -> dtypes.put(name, type.label()));
        return TrainingConfig.readTable(file, java.util.Map.of("dtypes", dtypes), file.toString());
    }

    /**
     * Writes a frame as Parquet (Snappy pages) or CSV, chosen by the file's extension, atomically: the
     * table goes to a temporary file beside {@code file} that is then renamed, so a reader never sees half
     * a table and a failed write leaves any earlier file in place.
     *
     * @param frame the table to write
     * @param file  a {@code .csv}, {@code .parquet} or {@code .pq} path (missing folders are created)
     * @throws IllegalArgumentException when the extension is none of those
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void write(Frame frame, Path file) {
        checkExtension(file, "output");
        if (isParquet(file)) {
            ParquetFiles.write(frame, file);
        } else {
            writeCsv(frame, file);
        }
    }

    /**
     * Writes a frame as a UTF-8 CSV file (see the class comment for the format) whatever the file's
     * extension, atomically as {@link #write(Frame, Path)} does.
     *
     * @param frame the table to write
     * @param file  where the text goes (missing folders are created)
     * @throws java.io.UncheckedIOException when the file cannot be written
     */
    public static void writeCsv(Frame frame, Path file) {
        AtomicFiles.write(file, stream -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            writeCsv(frame, out);
            out.flush();
        });
    }

    /**
     * Writes a frame as CSV text (see the class comment for the format) to {@code out}, which is flushed
     * but left open.
     *
     * @param frame the table to write
     * @param out   where the text goes
     * @throws IOException when {@code out} fails
     */
    public static void writeCsv(Frame frame, Writer out) throws IOException {
        List<Column> columns = frame.columns();
        // A lone missing value would be a blank line, which CSV readers skip: write it as "" (also read as missing).
        boolean blankLinePossible = columns.size() == 1;
        CSVPrinter printer = new CSVPrinter(out, CSV);
        printer.printRecord(frame.names());
        for (int r = 0; r < frame.rowCount(); r++) {
            for (Column column : columns) {
                String value = column.format(r);
                printer.print(value == null && blankLinePossible ? "" : value);
            }
            printer.println();
        }
        printer.flush(); // not close(): the writer is the caller's
    }

    /**
     * Checks that a path names a table format this class writes, before any work is done, so a long
     * computation does not end in a refused file name.
     *
     * @param path   the path to check
     * @param option what the path is for, named in the message (a command-line option such as "--out")
     * @throws IllegalArgumentException when the file name does not end in .csv, .parquet or .pq
     */
    public static void checkExtension(Path path, String option) {
        String name = fileName(path);
        if (!(name.endsWith(".csv") || isParquet(path))) {
            throw new IllegalArgumentException(option + " " + path + ": expected a .csv or .parquet file name");
        }
    }

    /**
     * Checks that a table to read is a readable file, with the reason when it is not: missing, a
     * directory, or not readable.
     *
     * @param path the table about to be read
     * @throws IllegalArgumentException naming the path and what is wrong with it
     */
    public static void checkReadable(Path path) {
        if (java.nio.file.Files.isDirectory(path)) {
            throw new IllegalArgumentException(path + ": is a directory, expected a .csv or .parquet file");
        }
        if (!java.nio.file.Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file");
        }
        if (!java.nio.file.Files.isRegularFile(path)) {
            throw new IllegalArgumentException(path + ": is not a regular file, expected a .csv or .parquet file");
        }
        if (!java.nio.file.Files.isReadable(path)) {
            throw new IllegalArgumentException(path + ": permission denied (the file cannot be read)");
        }
    }

    private static boolean isParquet(Path path) {
        String name = fileName(path);
        return name.endsWith(".parquet") || name.endsWith(".pq");
    }

    private static String fileName(Path path) {
        return path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
