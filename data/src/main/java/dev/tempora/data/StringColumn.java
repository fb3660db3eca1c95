package dev.tempora.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text values, dictionary-encoded: {@code codes[row]} indexes {@code dictionary} (distinct values in order
 * of first appearance); code -1 marks a missing value. Repeated labels (series ids, categories) cost four
 * bytes a row.
 */
public final class StringColumn extends Column {

    final int[] codes;
    final String[] dictionary;

    /** Takes ownership of both arrays; the dictionary's entries must be distinct and non-null. */
    public StringColumn(String name, int[] codes, String[] dictionary) {
        super(name);
        this.codes = codes;
        this.dictionary = dictionary;
    }

    /** Encodes the given values (null is missing). */
    public static StringColumn of(String name, String... values) {
        Builder b = new Builder(name, values.length);
        for (String v : values) {
            b.add(v);
        }
        return b.build();
    }

    /** The value, or null when missing. */
    public String get(int row) {
        int c = codes[row];
        return c < 0 ? null : dictionary[c];
    }

    /** The dictionary code of the row (-1 when missing). */
    public int code(int row) {
        return codes[row];
    }

    /** Number of distinct values. */
    public int distinctCount() {
        return dictionary.length;
    }

    /** The distinct values, in order of first appearance. */
    public List<String> dictionary() {
        return List.of(dictionary);
    }

    @Override public ColumnType type() { return ColumnType.STRING; }
    @Override public int size() { return codes.length; }
    @Override public boolean isMissing(int row) { return codes[row] < 0; }
    @Override public String format(int row) { return get(row); }
    @Override public Column renamed(String newName) { return new StringColumn(newName, codes, dictionary); }

    @Override
    public long byteSize() {
        long bytes = 4L * codes.length;
        for (String s : dictionary) {
            bytes += 40 + 2L * s.length();
        }
        return bytes;
    }

    @Override
    public double getDouble(int row) {
        throw new IllegalArgumentException("column '" + name + "' holds strings, not numbers");
    }

    @Override
    public Column gather(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = codes[rows[i]];
        }
        return new StringColumn(name, out, dictionary);
    }

    /** Builds a column value by value, interning repeated strings into one dictionary entry. */
    public static final class Builder {
        private final String name;
        private int[] codes;
        private int size;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> dictionary = new ArrayList<>();

        /** An empty column named {@code name}, with room for {@code expectedRows} values before it grows. */
        public Builder(String name, int expectedRows) {
            this.name = name;
            this.codes = new int[Math.max(16, expectedRows)];
        }

        /** Appends a value (null for missing). */
        public Builder add(String value) {
            if (size == codes.length) {
                codes = java.util.Arrays.copyOf(codes, Math.max(16, codes.length + (codes.length >> 1)));
            }
            if (value == null) {
                codes[size++] = -1;
            } else {
                Integer code = index.get(value);
                if (code == null) {
                    code = dictionary.size();
                    index.put(value, code);
                    dictionary.add(value);
                }
                codes[size++] = code;
            }
            return this;
        }

        /** The values added so far. */
        public int size() {
            return size;
        }

        /** The column of the values added, dictionary-encoded. */
        public StringColumn build() {
            return new StringColumn(name, java.util.Arrays.copyOf(codes, size), dictionary.toArray(new String[0]));
        }
    }
}
