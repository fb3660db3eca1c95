package dev.tempora.cli;

import dev.tempora.tensor.io.AtomicFiles;
import dev.tempora.data.Column;
import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a frame as CSV or Parquet, chosen by the file's extension, atomically. */
final class Tables {

    private Tables() {}

    /** Checks that a path names a table format before any work is done. */
    static void checkExtension(Path path, String option) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(name.endsWith(".csv") || name.endsWith(".parquet") || name.endsWith(".pq"))) {
            throw new IllegalArgumentException(option + " " + path + ": expected a .csv or .parquet file name");
        }
    }

    static void write(Frame frame, Path path) {
        checkExtension(path, "output");
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet") || name.endsWith(".pq")) {
            ParquetFiles.write(frame, path);
        } else {
            writeCsv(frame, path);
        }
    }

    /** RFC 4180: a header line, fields quoted when they hold a comma, quote or line break; missing values empty. */
    static void writeCsv(Frame frame, Path path) {
        AtomicFiles.write(path, stream -> {
            Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            writeCsv(frame, out);
            out.flush();
        });
    }

    static void writeCsv(Frame frame, Writer out) throws IOException {
        List<Column> columns = frame.columns();
        for (int c = 0; c < columns.size(); c++) {
            out.write(c == 0 ? "" : ",");
            out.write(quote(columns.get(c).name()));
        }
        out.write('\n');
        for (int r = 0; r < frame.rowCount(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    out.write(',');
                }
                String v = columns.get(c).format(r);
                if (v != null) {
                    out.write(quote(v));
                }
            }
            out.write('\n');
        }
    }

    private static String quote(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
