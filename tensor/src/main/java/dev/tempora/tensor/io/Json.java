package dev.tempora.tensor.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259), so the dependency-free core can read
 * safetensors headers, checkpoints' metadata and training configs.
 *
 * <p>Values map to Java as: object → {@code LinkedHashMap<String,Object>} (key order kept), array →
 * {@code ArrayList<Object>}, string → String, number → Long when integral and written without a
 * fraction or exponent, else Double; true/false → Boolean; null → null. Parse errors name the line
 * and column.
 *
 * <p>Writing is byte-reproducible: a map or set with an order of its own (a {@code LinkedHashMap}, a
 * {@code TreeMap}) is written in that order, one without ({@code Map.of}, {@code Map.copyOf},
 * {@code HashMap}, whose order changes from one JVM to the next) sorted by key, so that the same
 * values always give the same text.
 */
public final class Json {

    private Json() {}

    /** Parses one JSON value; trailing content other than whitespace is an error. */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.skipWhitespace();
        Object v = p.value();
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return v;
    }

    /** Parses a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object, got " + describe(v));
        }
        return (Map<String, Object>) v;
    }

    /** Compact JSON. */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, -1, 0);
        return sb.toString();
    }

    /** JSON indented by two spaces, one member per line. */
    public static String writePretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 2, 0);
        return sb.append('\n').toString();
    }

    static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        return "a boolean";
    }

    /** A map's entries in its own order when it has one, else sorted by key. */
    private static Iterable<? extends Map.Entry<?, ?>> inStableOrder(Map<?, ?> m) {
        if (m instanceof java.util.SequencedMap<?, ?> || m.size() < 2) {
            return m.entrySet();
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(m.entrySet());
        entries.sort(java.util.Comparator.comparing(e -> String.valueOf(e.getKey())));
        return entries;
    }

    /** A collection's items in its own order when it has one (lists, linked and sorted sets), else sorted by their JSON text. */
    private static Iterable<?> inStableOrder(Iterable<?> items) {
        if (!(items instanceof java.util.Set<?> set) || items instanceof java.util.SequencedCollection<?> || set.size() < 2) {
            return items;
        }
        List<Object> sorted = new ArrayList<>(set);
        sorted.sort(java.util.Comparator.comparing(Json::write));
        return sorted;
    }

    private static void write(StringBuilder sb, Object v, int indent, int depth) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            quote(sb, s);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("JSON cannot represent " + d);
            }
            // Integral values print without an exponent, except −0, which (long) would turn into 0.
            if (d == Math.rint(d) && Math.abs(d) < 1e15 && Double.doubleToRawLongBits(d) != Long.MIN_VALUE) {
                sb.append((long) d).append(".0");
            } else {
                sb.append(v instanceof Float ? Float.toString((Float) v) : Double.toString(d));
            }
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : inStableOrder(m)) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                newline(sb, indent, depth + 1);
                quote(sb, String.valueOf(e.getKey()));
                sb.append(indent >= 0 ? ": " : ":");
                write(sb, e.getValue(), indent, depth + 1);
            }
            if (!m.isEmpty()) {
                newline(sb, indent, depth);
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> list) {
            sb.append('[');
            boolean first = true;
            boolean scalars = true;
            Iterable<?> items = inStableOrder(list);
            for (Object o : items) {
                scalars &= !(o instanceof Map) && !(o instanceof Iterable);
            }
            for (Object o : items) {
                if (!first) {
                    sb.append(indent >= 0 && scalars ? ", " : ",");
                }
                if (!scalars) {
                    newline(sb, indent, depth + 1);
                }
                first = false;
                write(sb, o, indent, depth + 1);
            }
            if (!first && !scalars) {
                newline(sb, indent, depth);
            }
            sb.append(']');
        } else if (v instanceof int[] a) {
            List<Object> l = new ArrayList<>();
            for (int x : a) {
                l.add((long) x);
            }
            write(sb, l, indent, depth);
        } else if (v instanceof long[] a) {
            List<Object> l = new ArrayList<>();
            for (long x : a) {
                l.add(x);
            }
            write(sb, l, indent, depth);
        } else if (v instanceof double[] a) {
            List<Object> l = new ArrayList<>();
            for (double x : a) {
                l.add(x);
            }
            write(sb, l, indent, depth);
        } else if (v instanceof float[] a) {
            List<Object> l = new ArrayList<>();
            for (float x : a) {
                l.add(x);
            }
            write(sb, l, indent, depth);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void newline(StringBuilder sb, int indent, int depth) {
        if (indent >= 0) {
            sb.append('\n').append(" ".repeat(indent * depth));
        }
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Deeper documents are rejected: the recursive parser would otherwise end in a StackOverflowError. */
    static final int MAX_DEPTH = 1000;

    private static final class Parser {
        private final String s;
        private int pos;
        private int depth;

        Parser(String s) {
            this.s = s;
        }

        Object value() {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("arrays and objects nest deeper than " + MAX_DEPTH + " levels");
            }
        }

        private Map<String, Object> object() {
            enter();
            Map<String, Object> m = new LinkedHashMap<>();
            pos++;
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                depth--;
                return m;
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("expected a quoted member name");
                }
                int keyPos = pos;
                String key = string();
                if (m.containsKey(key)) {
                    pos = keyPos;
                    throw error("duplicate member \"" + key + "\"");
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                m.put(key, value());
                skipWhitespace();
                char c = next("',' or '}'");
                if (c == '}') {
                    depth--;
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            enter();
            List<Object> l = new ArrayList<>();
            pos++;
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                depth--;
                return l;
            }
            while (true) {
                skipWhitespace();
                l.add(value());
                skipWhitespace();
                char c = next("',' or ']'");
                if (c == ']') {
                    depth--;
                    return l;
                }
                if (c != ',') {
                    pos--;
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++;
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = next("closing '\"'");
                if (c == '"') {
                    return sb.toString();
                }
                if (c == '\\') {
                    char e = next("escape character");
                    switch (e) {
                        case '"', '\\', '/' -> sb.append(e);
                        case 'n' -> sb.append('\n');
                        case 'r' -> sb.append('\r');
                        case 't' -> sb.append('\t');
                        case 'b' -> sb.append('\b');
                        case 'f' -> sb.append('\f');
                        case 'u' -> {
                            int code = 0;
                            for (int k = 0; k < 4; k++) {
                                int digit = hexValue(peek());
                                if (digit < 0) {
                                    throw error("bad \\u escape: expected 4 hex digits");
                                }
                                code = code * 16 + digit;
                                pos++;
                            }
                            sb.append((char) code);
                        }
                        default -> {
                            pos--;
                            throw error("bad escape '\\" + e + "'");
                        }
                    }
                } else if (c < 0x20) {
                    pos--;
                    throw error("control character in string");
                } else {
                    sb.append(c);
                }
            }
        }

        // The RFC 8259 grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?. Double.parseDouble
        // alone would also accept "01", "1." and "-.5".
        private Object number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw error("bad number: leading zeros are not allowed");
                }
            } else {
                digits("bad number: expected a digit");
            }
            boolean integral = true;
            if (peek() == '.') {
                integral = false;
                pos++;
                digits("bad number: expected a digit after '.'");
            }
            if (peek() == 'e' || peek() == 'E') {
                integral = false;
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                digits("bad number: expected a digit in the exponent");
            }
            String t = s.substring(start, pos);
            if (integral) {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    pos = start;
                    throw error("integer " + t + " does not fit in a 64-bit long");
                }
            }
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
                pos = start;
                throw error("number " + t + " is out of the range of a double");
            }
            return d;
        }

        private void digits(String message) {
            if (!isDigit(peek())) {
                throw error(message);
            }
            while (isDigit(peek())) {
                pos++;
            }
        }

        // Not Integer.parseInt, which takes a sign ("\\u+123"), nor Character.digit, which takes non-ASCII digits.
        private static int hexValue(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private Object literal(String word, Object value) {
            if (!s.startsWith(word, pos)) {
                throw error("unexpected token, expected " + word);
            }
            pos += word.length();
            return value;
        }

        void skipWhitespace() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private char next(String expected) {
            if (pos >= s.length()) {
                throw error("unexpected end of input, expected " + expected);
            }
            return s.charAt(pos++);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        IllegalArgumentException error(String message) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < Math.min(pos, s.length()); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                    col = 1;
                } else {
                    col++;
                }
            }
            return new IllegalArgumentException("invalid JSON at line " + line + ", column " + col + ": " + message);
        }
    }
}
