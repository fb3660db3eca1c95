package dev.tempora.models;

import dev.tempora.tensor.io.JsonKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed access to a parsed JSON object, with errors that name the document and the key. */
public final class JsonFields {

    private final Map<String, Object> map;
    private final String where;
    private final Set<String> known;

    /**
     * Reads any key of {@code map}.
     *
     * @param map   the parsed JSON object
     * @param where names the document in error messages
     */
    public JsonFields(Map<String, Object> map, String where) {
        this.map = map;
        this.where = where;
        this.known = null;
    }

    /**
     * Reads a config section whose keys are exactly {@code known}: an unknown key in {@code map} is refused
     * here, naming the closest known one, and reading a key outside {@code known} is a programming error,
     * so the list cannot drift from what the parser reads.
     *
     * @param map     the parsed JSON object
     * @param where   names the document in error messages
     * @param section the section's name in the unknown-key message, e.g. {@code model}
     * @param known   every key the parser reads
     * @throws IllegalArgumentException naming the first unknown key of {@code map}
     */
    public JsonFields(Map<String, Object> map, String where, String section, Collection<String> known) {
        this.map = map;
        this.where = where;
        this.known = Set.copyOf(known);
        JsonKeys.requireKnown(map, known, section);
    }

    /**
     * Whether {@code key} holds a value (not null).
     *
     * @param key the key
     * @return true when the key is present and not null
     */
    public boolean has(String key) {
        declared(key);
        return map.containsKey(key) && map.get(key) != null;
    }

    private void declared(String key) {
        if (known != null && !known.contains(key)) {
            throw new IllegalStateException(where + ": the parser reads \"" + key + "\" but does not list it among its keys");
        }
    }

    /** Whether the key holds a value; a key written as null is an error, not the default (PTF's None means something else). */
    private boolean given(String key) {
        declared(key);
        if (map.containsKey(key) && map.get(key) == null) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" is null; give a value or leave the key out for the default");
        }
        return map.containsKey(key);
    }

    private Object require(String key) {
        declared(key);
        if (!map.containsKey(key) || map.get(key) == null) {
            throw new IllegalArgumentException(where + ": missing \"" + key + "\"");
        }
        return map.get(key);
    }

    /** The number at {@code key}; missing or not a number is an {@link IllegalArgumentException}. */
    public double number(String key) {
        Object v = require(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a number, got " + v);
        }
        return n.doubleValue();
    }

    /** The number at {@code key}, or {@code fallback} when it is absent or null. */
    public double number(String key, double fallback) {
        return given(key) ? number(key) : fallback;
    }

    /** The integer at {@code key}; missing or not an integer is an {@link IllegalArgumentException}. */
    public int integer(String key) {
        double d = number(key);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an integer, got " + d);
        }
        return (int) d;
    }

    /** The integer at {@code key}, or {@code fallback} when it is absent or null. */
    public int integer(String key, int fallback) {
        return given(key) ? integer(key) : fallback;
    }

    /** The boolean at {@code key}; missing or not a boolean is an {@link IllegalArgumentException}. */
    public boolean bool(String key) {
        Object v = require(key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be true or false, got " + v);
        }
        return b;
    }

    /** The boolean at {@code key}, or {@code fallback} when it is absent or null. */
    public boolean bool(String key, boolean fallback) {
        return given(key) ? bool(key) : fallback;
    }

    /** The string at {@code key}; missing or not a string is an {@link IllegalArgumentException}. */
    public String string(String key) {
        Object v = require(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string, got " + v);
        }
        return s;
    }

    /** The string at {@code key}, or {@code fallback} when it is absent or null. */
    public String string(String key, String fallback) {
        return given(key) ? string(key) : fallback;
    }

    /** The array at {@code key}; missing or not an array is an {@link IllegalArgumentException}. */
    public List<Object> list(String key) {
        Object v = require(key);
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an array, got " + v);
        }
        return new ArrayList<>(l);
    }

    /**
     * The array of numbers at {@code key} as floats (a model's quantiles); missing, or anything but numbers, is an
     * {@link IllegalArgumentException}.
     */
    public List<Float> floats(String key) {
        List<Float> out = new ArrayList<>();
        for (Object o : list(key)) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException(where + ": " + key + " must be numbers, got " + o);
            }
            out.add(n.floatValue());
        }
        return out;
    }

    /**
     * The array of strings at {@code key}, empty when absent; anything else is an {@link IllegalArgumentException}.
     */
    public List<String> strings(String key) {
        return has(key) ? strings(map.get(key), key) : List.of();
    }

    /** The object at {@code key}, empty when absent; not an object is an {@link IllegalArgumentException}. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        if (!has(key)) {
            return new LinkedHashMap<>();
        }
        Object v = map.get(key);
        if (!(v instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an object, got " + v);
        }
        return (Map<String, Object>) v;
    }

    /**
     * The object of integers at {@code key}, empty when absent; a non-integer value is an {@link
     * IllegalArgumentException} naming its key.
     */
    public Map<String, Integer> intMap(String key) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : map(key).entrySet()) {
            if (!(e.getValue() instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + ": \"" + key + "." + e.getKey() + "\" must be an integer");
            }
            out.put(e.getKey(), n.intValue());
        }
        return out;
    }

    static List<String> strings(Object v, String key) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("\"" + key + "\" must be an array of strings, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException("\"" + key + "\" must contain strings, got " + o);
            }
            out.add(s);
        }
        return out;
    }
}
