package dev.tempora.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * PyTorch Forecasting's {@code NaNLabelEncoder}: classes are the distinct values in sorted order, coded
 * 0, 1, ...; with {@code add_nan} a "nan" class takes code 0 (the others start at 1) and missing or
 * unknown values map to it. Without it an unknown value is an error. Refitting with
 * {@link #extend} keeps the existing codes and appends new values (PTF's {@code overwrite=False}).
 */
public final class LabelEncoder {

    private final boolean addNan;
    private final List<String> classes = new ArrayList<>();
    private final Map<String, Integer> codes = new HashMap<>();

    private LabelEncoder(boolean addNan) {
        this.addNan = addNan;
    }

    /** Fits on the values (null values are ignored). */
    public static LabelEncoder fit(Collection<String> values, boolean addNan) {
        LabelEncoder e = new LabelEncoder(addNan);
        e.extend(values);
        return e;
    }

    /** An encoder with exactly these classes (without the nan class), e.g. read back from JSON. */
    public static LabelEncoder ofClasses(List<String> classes, boolean addNan) {
        LabelEncoder e = new LabelEncoder(addNan);
        for (String c : classes) {
            e.add(c);
        }
        return e;
    }

    /**
     * Appends the values it does not know yet, in sorted order, after the existing codes. Values that all
     * parse as numbers (group ids from an int column) sort numerically, as numpy sorts a numeric column.
     */
    public LabelEncoder extend(Collection<String> values) {
        boolean numeric = !values.isEmpty();
        for (String v : values) {
            if (v != null && CsvReader.parseDouble(v) == null) {
                numeric = false;
                break;
            }
        }
        TreeSet<String> sorted = numeric
                ? new TreeSet<>(java.util.Comparator.comparingDouble(Double::parseDouble).thenComparing(java.util.Comparator.naturalOrder()))
                : new TreeSet<>();
        for (String v : values) {
            if (v != null && !codes.containsKey(v)) {
                sorted.add(v);
            }
        }
        for (String v : sorted) {
            add(v);
        }
        return this;
    }

    private void add(String value) {
        if (codes.putIfAbsent(value, classes.size() + (addNan ? 1 : 0)) == null) {
            classes.add(value);
        }
    }

    /** PTF's {@code add_nan}: whether code 0 is reserved for missing and unknown values. */
    public boolean addNan() {
        return addNan;
    }

    /** Number of codes, the nan class included: the embedding's number of rows. */
    public int cardinality() {
        return classes.size() + (addNan ? 1 : 0);
    }

    /** The classes in code order, without the nan class. */
    public List<String> classes() {
        return List.copyOf(classes);
    }

    /** The code of a value, or -1 if it is unknown (or null) and there is no nan class. */
    public int encode(String value) {
        Integer c = value == null ? null : codes.get(value);
        if (c != null) {
            return c;
        }
        return addNan ? 0 : -1;
    }

    /** The value for a code; null for the nan class. */
    public String decode(int code) {
        int i = code - (addNan ? 1 : 0);
        if (code < 0 || i >= classes.size()) {
            throw new IllegalArgumentException("code " + code + " is outside the encoder's " + cardinality() + " classes");
        }
        return i < 0 ? null : classes.get(i);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("add_nan", addNan);
        m.put("classes", classes());
        return m;
    }

    static LabelEncoder fromJson(Map<String, Object> m, String variable) {
        return ofClasses(JsonValues.strings(m, "classes", "encoder of '" + variable + "'"),
                JsonValues.bool(m, "add_nan", "encoder of '" + variable + "'", false));
    }
}
