package dev.tempora.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * How to read a CSV file: the delimiter, whether the first line is a header, which tokens mean
 * "missing" and, optionally, the type of some columns (the others are inferred from all their values).
 *
 * @param delimiter      field separator (',' by default)
 * @param header         whether the first record holds the column names (else they are column_0, column_1...)
 * @param missingValues  tokens read as missing (pandas' defaults: "", NA, N/A, NaN, null, None, ...)
 * @param types          column types to use instead of inference
 * @param charset        text encoding (UTF-8)
 */
public record CsvOptions(char delimiter, boolean header, Set<String> missingValues, Map<String, ColumnType> types,
                         Charset charset) {

    /** The tokens pandas reads as missing by default. */
    public static final Set<String> DEFAULT_MISSING = Set.of("", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan",
            "NULL", "null", "None", "<NA>", "#N/A", "#NA", "#N/A N/A");

    /** Checks the delimiter and copies the sets. */
    public CsvOptions {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("a CSV delimiter cannot be a quote or a line break");
        }
        missingValues = Set.copyOf(missingValues);
        types = Map.copyOf(types);
    }

    /** Comma-separated, a header line, pandas' missing tokens, every type inferred, UTF-8. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', true, DEFAULT_MISSING, Map.of(), StandardCharsets.UTF_8);
    }

    /** These options with another field separator. */
    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(d, header, missingValues, types, charset);
    }

    /** These options with or without a header line. */
    public CsvOptions withHeader(boolean h) {
        return new CsvOptions(delimiter, h, missingValues, types, charset);
    }

    /** These options with other missing-value tokens. */
    public CsvOptions withMissingValues(Set<String> tokens) {
        return new CsvOptions(delimiter, header, tokens, types, charset);
    }

    /** These options with the given column types (the other columns' types are inferred). */
    public CsvOptions withTypes(Map<String, ColumnType> t) {
        return new CsvOptions(delimiter, header, missingValues, t, charset);
    }
}
