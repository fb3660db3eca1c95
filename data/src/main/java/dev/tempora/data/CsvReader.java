package dev.tempora.data;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads RFC 4180 CSV into a {@link Frame}: a header line, quoted fields (with "" for a quote and line
 * breaks inside quotes), missing-value tokens, and column types that are given or inferred.
 *
 * <p>Inference looks at every non-missing value of a column (two passes over the file, so the second
 * pass parses straight into primitive arrays): int if all fit in 32 bits, else long, else double;
 * timestamp if all are in one of the forms {@link TimestampFormat} recognises (ISO dates and date-times
 * such as "2014-07-01", "2014-07-01 00:30:00", "2014-07-01T00:30:00.5Z"; "1949-01"; "2020-W05";
 * "2024/01/31"; "31.01.2024"; "01/31/2024" or "31/01/2024", the order told by a day above 12), or a
 * column of {@link CsvOptions#timestampFormats()}; otherwise string. A column with no values at all is
 * double (all NaN).
 */
public final class CsvReader {

    private CsvReader() {}

    /** Reads a CSV file with {@link CsvOptions#defaults()}. */
    public static Frame read(Path path) {
        return read(path, CsvOptions.defaults());
    }

    /** Reads a CSV file with {@code options}; a file that does not exist is an {@link IllegalArgumentException}. */
    public static Frame read(Path path, CsvOptions options) {
        return readWithFormats(path, options).frame();
    }

    /**
     * A table read from CSV with how each timestamp column wrote its timestamps.
     *
     * @param frame            the table
     * @param timestampFormats each timestamp column's format, given or detected
     */
    public record Table(Frame frame, Map<String, TimestampFormat> timestampFormats) {
        /** Copies the map. */
        public Table {
            timestampFormats = Map.copyOf(timestampFormats);
        }
    }

    /**
     * Reads a CSV file as {@link #read(Path, CsvOptions)} does, and says which format each timestamp
     * column's values are in (so that a config can name it).
     *
     * @param path    the file
     * @param options how to read it
     * @return the table and its timestamp columns' formats
     * @throws IllegalArgumentException when the file is absent or does not parse, naming the line and column
     */
    public static Table readWithFormats(Path path, CsvOptions options) {
        TableFiles.checkReadable(path);
        boolean utf8 = options.charset().equals(java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (utf8) {
                dev.tempora.tensor.io.Utf8Files.checkStart(path);
            }
            String[] names;
            ColumnType[] types;
            TimestampFormat[] formats;
            int rows;
            try (Reader in = Files.newBufferedReader(path, options.charset())) {
                Tokenizer t = new Tokenizer(in, options.delimiter(), path.toString());
                names = header(t, options, path);
                Inference[] inference = new Inference[names.length];
                for (int c = 0; c < names.length; c++) {
                    inference[c] = new Inference();
                }
                rows = 0;
                List<String> record;
                while ((record = t.next()) != null) {
                    checkWidth(record, names.length, t, path);
                    for (int c = 0; c < names.length; c++) {
                        String v = record.get(c);
                        if (!options.missingValues().contains(v)) {
                            inference[c].see(v);
                        }
                    }
                    rows++;
                }
                types = new ColumnType[names.length];
                formats = new TimestampFormat[names.length];
                for (int c = 0; c < names.length; c++) {
                    ColumnType given = options.types().get(names[c]);
                    formats[c] = options.timestampFormats().get(names[c]);
                    types[c] = given != null ? given : formats[c] != null ? ColumnType.TIMESTAMP : inference[c].type();
                    if (types[c] == ColumnType.TIMESTAMP && formats[c] == null) {
                        formats[c] = inference[c].timestampFormat(names[c], path);
                    }
                }
                Set<String> known = new HashSet<>(Arrays.asList(names));
                for (String given : options.types().keySet()) {
                    if (!known.contains(given)) {
                        throw new IllegalArgumentException(path + ": a type is given for column '" + given
                                + "' but the file has no such column; its columns are " + Arrays.toString(names));
                    }
                }
                for (String given : options.timestampFormats().keySet()) {
                    if (!known.contains(given)) {
                        throw new IllegalArgumentException(path + ": a timestamp format is given for column '" + given
                                + "' but the file has no such column; its columns are " + Arrays.toString(names));
                    }
                }
            }
            Builder[] builders = new Builder[names.length];
            for (int c = 0; c < names.length; c++) {
                builders[c] = new Builder(names[c], types[c], formats[c], rows);
            }
            try (Reader in = Files.newBufferedReader(path, options.charset())) {
                Tokenizer t = new Tokenizer(in, options.delimiter(), path.toString());
                header(t, options, path);
                List<String> record;
                int row = 0;
                while ((record = t.next()) != null) {
                    for (int c = 0; c < names.length; c++) {
                        String v = record.get(c);
                        if (options.missingValues().contains(v)) {
                            builders[c].setMissing(row);
                        } else if (!builders[c].set(row, v)) {
                            throw new IllegalArgumentException(path + " line " + t.recordLine() + ", column '" + names[c]
                                    + "': '" + v + "' is not a valid " + types[c].label()
                                    + (formats[c] != null ? " in the format \"" + formats[c] + "\"" : ""));
                        }
                    }
                    row++;
                }
            }
            List<Column> columns = new ArrayList<>();
            Map<String, TimestampFormat> timestampFormats = new HashMap<>();
            for (int c = 0; c < names.length; c++) {
                columns.add(builders[c].build());
                if (types[c] == ColumnType.TIMESTAMP) {
                    timestampFormats.put(names[c], formats[c]);
                }
            }
            return new Table(new Frame(path.toString(), columns), timestampFormats);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(path + ": no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            // The reader only says "Input length = 1": find the line and byte offset for the user.
            String where;
            try {
                where = utf8 ? dev.tempora.tensor.io.Utf8Files.locate(path).getMessage() : "not " + options.charset() + " text";
            } catch (IOException again) {
                where = "not " + options.charset() + " text";
            }
            throw new IllegalArgumentException(path + ": " + where, e);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    private static String[] header(Tokenizer t, CsvOptions options, Path path) throws IOException {
        List<String> first = t.next();
        if (first == null) {
            throw new IllegalArgumentException(path + ": the file is empty (no header line)");
        }
        String[] names = new String[first.size()];
        if (options.header()) {
            Set<String> seen = new HashSet<>();
            for (int c = 0; c < names.length; c++) {
                String n = first.get(c).strip();
                if (n.isEmpty()) {
                    n = "column_" + c;
                }
                if (!seen.add(n)) {
                    throw new IllegalArgumentException(path + ": the header names column '" + n + "' twice");
                }
                names[c] = n;
            }
        } else {
            for (int c = 0; c < names.length; c++) {
                names[c] = "column_" + c;
            }
            t.pushBack(first);
        }
        return names;
    }

    private static void checkWidth(List<String> record, int width, Tokenizer t, Path path) {
        if (record.size() != width) {
            throw new IllegalArgumentException(path + " line " + t.recordLine() + ": expected " + width
                    + " fields (as in the header), found " + record.size());
        }
    }

    /** Tracks which types every value seen so far fits. */
    private static final class Inference {
        boolean any;
        boolean isInt = true;
        boolean isLong = true;
        boolean isDouble = true;
        final TimestampFormat.Detection timestamps = new TimestampFormat.Detection();

        void see(String v) {
            any = true;
            if (isLong) {
                long parsed = parseLongOrMin(v);
                if (parsed == Long.MIN_VALUE) {
                    isLong = false;
                    isInt = false;
                } else if (parsed < Integer.MIN_VALUE || parsed > Integer.MAX_VALUE) {
                    isInt = false;
                }
            }
            if (!isLong && isDouble) {
                isDouble = parseDouble(v) != null;
            }
            timestamps.see(v); // a column of numbers stays numbers ("20240131" too): type() asks about numbers first
        }

        ColumnType type() {
            if (!any) {
                return ColumnType.DOUBLE;
            }
            if (isInt) {
                return ColumnType.INT;
            }
            if (isLong) {
                return ColumnType.LONG;
            }
            if (isDouble) {
                return ColumnType.DOUBLE;
            }
            return timestamps.possible() ? ColumnType.TIMESTAMP : ColumnType.STRING;
        }

        /** The one format all values are in; both day-month orders possible is an error asking for timestamp_format. */
        TimestampFormat timestampFormat(String column, Path path) {
            TimestampFormat detected;
            try {
                detected = timestamps.format(column);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
            }
            return detected != null ? detected : TimestampFormat.ISO; // a timestamp type given without values to tell
        }
    }

    /** The integer in {@code s} (optional sign, digits only), or Long.MIN_VALUE if it is not one. */
    static long parseLongOrMin(String s) {
        int n = s.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i == n || n - i > 19) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return Long.MIN_VALUE;
            }
            long next = value * 10 - (c - '0'); // accumulate negatively so Long.MIN_VALUE+1.. fit
            if (next > value) {
                return Long.MIN_VALUE;
            }
            value = next;
        }
        if (!negative && value == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return negative ? value : -value;
    }

    static Double parseDouble(String s) {
        if (s.isEmpty()) {
            return null;
        }
        char first = s.charAt(0);
        // Java also accepts "1d", "0x1p3" and surrounding blanks; CSV numbers are plain decimals.
        if (!(first == '-' || first == '+' || first == '.' || (first >= '0' && first <= '9') || first == 'I' || first == 'N')) {
            return null;
        }
        char last = s.charAt(s.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Fills one column's primitive array during the second pass. */
    private static final class Builder {
        final String name;
        final ColumnType type;
        final TimestampFormat format;
        int[] ints;
        long[] longs;
        double[] doubles;
        float[] floats;
        BitSet missing;
        StringColumn.Builder strings;

        Builder(String name, ColumnType type, TimestampFormat format, int rows) {
            this.name = name;
            this.type = type;
            this.format = format;
            switch (type) {
                case INT -> ints = new int[rows];
                case LONG, TIMESTAMP -> longs = new long[rows];
                case DOUBLE -> doubles = new double[rows];
                case FLOAT -> floats = new float[rows];
                case STRING -> strings = new StringColumn.Builder(name, rows);
            }
        }

        void setMissing(int row) {
            switch (type) {
                case DOUBLE -> doubles[row] = Double.NaN;
                case FLOAT -> floats[row] = Float.NaN;
                case STRING -> strings.add(null);
                default -> {
                    if (missing == null) {
                        missing = new BitSet();
                    }
                    missing.set(row);
                }
            }
        }

        boolean set(int row, String v) {
            switch (type) {
                case INT -> {
                    long x = parseLongOrMin(v);
                    if (x == Long.MIN_VALUE || x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) {
                        return false;
                    }
                    ints[row] = (int) x;
                }
                case LONG -> {
                    long x = parseLongOrMin(v);
                    if (x == Long.MIN_VALUE) {
                        return false;
                    }
                    longs[row] = x;
                }
                case TIMESTAMP -> {
                    long x = format.parseMicros(v);
                    if (x == Long.MIN_VALUE) {
                        return false;
                    }
                    longs[row] = x;
                }
                case DOUBLE -> {
                    Double x = parseDouble(v);
                    if (x == null) {
                        return false;
                    }
                    doubles[row] = x;
                }
                case FLOAT -> {
                    Double x = parseDouble(v);
                    if (x == null) {
                        return false;
                    }
                    floats[row] = (float) (double) x;
                }
                case STRING -> strings.add(v);
            }
            return true;
        }

        Column build() {
            return switch (type) {
                case INT -> new IntColumn(name, ints, missing);
                case LONG -> new LongColumn(name, longs, missing);
                case TIMESTAMP -> new TimestampColumn(name, longs, missing);
                case DOUBLE -> new DoubleColumn(name, doubles);
                case FLOAT -> new FloatColumn(name, floats);
                case STRING -> strings.build();
            };
        }
    }

    /** Splits the text into records of fields (RFC 4180). */
    static final class Tokenizer {
        private final Reader in;
        private final char delimiter;
        private final String file;
        private final char[] buffer = new char[1 << 16];
        private int pos;
        private int limit;
        private int line = 1;
        private int recordLine;
        private boolean started;
        private List<String> pushedBack;
        private final StringBuilder field = new StringBuilder();

        Tokenizer(Reader in, char delimiter, String file) {
            this.in = in;
            this.delimiter = delimiter;
            this.file = file;
        }

        /** 1-based line where the last returned record started. */
        int recordLine() {
            return recordLine;
        }

        void pushBack(List<String> record) {
            pushedBack = record;
        }

        private int read() throws IOException {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return -1;
                }
            }
            return buffer[pos++];
        }

        private int peek() throws IOException {
            if (pos == limit) {
                limit = in.read(buffer, 0, buffer.length);
                pos = 0;
                if (limit <= 0) {
                    limit = 0;
                    return -1;
                }
            }
            return buffer[pos];
        }

        /** The next record, or null at the end. Blank lines are skipped. */
        List<String> next() throws IOException {
            if (pushedBack != null) {
                List<String> r = pushedBack;
                pushedBack = null;
                return r;
            }
            int c = read();
            if (!started) {
                started = true;
                if (c == '\uFEFF') {
                    c = read();
                }
            }
            while (c == '\n' || c == '\r') { // blank lines
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                c = read();
            }
            if (c == -1) {
                return null;
            }
            recordLine = line;
            List<String> record = new ArrayList<>();
            field.setLength(0);
            boolean quotedField = false;
            while (true) {
                if (c == '"' && field.isEmpty() && !quotedField) {
                    quotedField = true;
                    int quoteLine = line;
                    while (true) {
                        int q = read();
                        if (q == -1) {
                            throw new IllegalArgumentException(file + " line " + quoteLine + ": a quoted field is never closed");
                        }
                        if (q == '"') {
                            if (peek() == '"') {
                                read();
                                field.append('"');
                            } else {
                                break;
                            }
                        } else {
                            if (q == '\n') {
                                line++;
                            }
                            field.append((char) q);
                        }
                    }
                    c = read();
                    continue;
                }
                if (c == delimiter) {
                    record.add(field.toString());
                    field.setLength(0);
                    quotedField = false;
                } else if (c == '\n' || c == '\r' || c == -1) {
                    if (c == '\r' && peek() == '\n') {
                        read();
                    }
                    if (c != -1) {
                        line++;
                    }
                    record.add(field.toString());
                    return record;
                } else {
                    if (quotedField) {
                        throw new IllegalArgumentException(file + " line " + line
                                + ": text after the closing quote of a field (a quote inside a field must be doubled)");
                    }
                    field.append((char) c);
                }
                c = read();
            }
        }
    }
}
