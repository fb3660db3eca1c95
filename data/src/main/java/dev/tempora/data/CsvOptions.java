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
 * @param timestampFormats how some columns write their timestamps (those columns are timestamps); the other
 *                       columns are timestamps when every value is in one of the forms {@link TimestampFormat}
 *                       recognises
 */
public record CsvOptions(char delimiter, boolean header, Set<String> missingValues, Map<String, ColumnType> types,
                         Charset charset, Map<String, TimestampFormat> timestampFormats) {

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
        timestampFormats = Map.copyOf(timestampFormats);
        for (String column : timestampFormats.keySet()) {
            ColumnType type = types.get(column);
            if (type != null && type != ColumnType.TIMESTAMP) {
                throw new IllegalArgumentException("column '" + column + "' has a timestamp format but is given the type "
                        + type.label() + "; leave its type out (or make it timestamp)");
            }
        }
    }

    /** Comma-separated, a header line, pandas' missing tokens, every type inferred, UTF-8. */
    public static CsvOptions defaults() {
        return new CsvOptions(',', true, DEFAULT_MISSING, Map.of(), StandardCharsets.UTF_8, Map.of());
    }

    /** These options with another field separator. */
    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(d, header, missingValues, types, charset, timestampFormats);
    }

    /** These options with or without a header line. */
    public CsvOptions withHeader(boolean h) {
        return new CsvOptions(delimiter, h, missingValues, types, charset, timestampFormats);
    }

    /** These options with other missing-value tokens. */
    public CsvOptions withMissingValues(Set<String> tokens) {
        return new CsvOptions(delimiter, header, tokens, types, charset, timestampFormats);
    }

    /** These options with the given column types (the other columns' types are inferred). */
    public CsvOptions withTypes(Map<String, ColumnType> t) {
        return new CsvOptions(delimiter, header, missingValues, t, charset, timestampFormats);
    }

    /** These options with the given columns' timestamp formats (the other columns' formats are detected). */
    public CsvOptions withTimestampFormats(Map<String, TimestampFormat> formats) {
        return new CsvOptions(delimiter, header, missingValues, types, charset, formats);
    }
}
