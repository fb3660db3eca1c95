package dev.tempora.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Typed access to parsed JSON (maps, lists, numbers) with errors that name the key and where it sits. */
final class JsonValues {

    private JsonValues() {}

    static double number(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a number, got " + describe(v));
        }
        return n.doubleValue();
    }

    static int integer(Map<String, Object> m, String key, String where, Integer fallback) {
        Object v = m.get(key);
        if (v == null && fallback != null) {
            return fallback;
        }
        if (!(v instanceof Long l) || l != l.intValue()) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an integer, got " + describe(v));
        }
        return l.intValue();
    }

    static Integer optionalInteger(Map<String, Object> m, String key, String where) {
        return m.get(key) == null ? null : integer(m, key, where, null);
    }

    static boolean bool(Map<String, Object> m, String key, String where, boolean fallback) {
        Object v = m.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be true or false, got " + describe(v));
        }
        return b;
    }

    static String string(Map<String, Object> m, String key, String where, String fallback) {
        Object v = m.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" is required");
            }
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string, got " + describe(v));
        }
        return s;
    }

    static String optionalString(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a string, got " + describe(v));
        }
        return s;
    }

    /**
     * A list of strings. A lone string is refused rather than taken as a list of one: PTF's
     * {@code [] + group_ids} fails on it too, and a typo there would silently change the data set.
     */
    static List<String> strings(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a list of strings, e.g. [\"" + s
                    + "\"], got the string \"" + s + "\"");
        }
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a list of strings, got " + describe(v));
        }
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                throw new IllegalArgumentException(where + ": \"" + key + "\" must hold strings only, found " + describe(o));
            }
            out.add(s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be an object, got " + describe(v));
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(where + ": \"" + key + "\" must be a list, got " + describe(v));
        }
        return (List<Object>) v;
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "\"" + s + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.toString();
    }
}
