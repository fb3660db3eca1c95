package dev.tempora.tensor.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict JSON reader and writer: RFC 8259 values, errors with line and column, round trips. */
class JsonTest {

    @Test
    void parsesEveryKindOfValue() {
        Map<String, Object> m = Json.parseObject("""
                {"name": "tft", "layers": 2, "dropout": 0.1, "big": 9223372036854775807,
                 "tiny": -2.5E-3, "exp": 1e3, "zero": -0, "flags": [true, false, null], "nested": {"a": []}}""");
        assertEquals(List.of("name", "layers", "dropout", "big", "tiny", "exp", "zero", "flags", "nested"),
                new ArrayList<>(m.keySet()), "key order is kept");
        assertEquals("tft", m.get("name"));
        assertEquals(2L, m.get("layers"));
        assertEquals(0.1, m.get("dropout"));
        assertEquals(Long.MAX_VALUE, m.get("big"));
        assertEquals(-0.0025, m.get("tiny"));
        assertEquals(1000.0, m.get("exp"), "an exponent makes a Double");
        assertEquals(0L, m.get("zero"));
        assertEquals(Arrays.asList(true, false, null), m.get("flags"));
        assertEquals(Map.of("a", List.of()), m.get("nested"));
        assertNull(Json.parse(" null "));
        assertEquals(List.of(), Json.parse("[ ]"));
        assertEquals(Map.of(), Json.parse("{ }"));
    }

    @Test
    void stringEscapes() {
        assertEquals("a\"b\\c/d\b\f\n\r\té😀", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
        assertEquals("é", Json.parse("\"é\""), "non-ASCII passes through");
        assertEquals("\"\\\\\\n\\t\\u0001é\"", Json.write("\\\n\t\u0001é"));
        assertEquals("\"\\\"\"", Json.write("\""));
    }

    @Test
    void numbersAreLongsOnlyWhenWrittenAsIntegers() {
        assertInstanceOf(Long.class, Json.parse("12"));
        assertInstanceOf(Long.class, Json.parse("-12"));
        assertInstanceOf(Double.class, Json.parse("12.0"));
        assertInstanceOf(Double.class, Json.parse("12e0"));
        assertEquals(-1.5e-7, Json.parse("-1.5e-7"));
        assertEquals(2.0e10, Json.parse("2E+10"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"01", "-01", "1.", ".5", "-.5", "-", "1e", "1e+", "+1", "1.5.3", "0x10", "1ee5", "--1",
        "NaN", "Infinity", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "\"\\u+123\"", "\"\\u12G4\"", "\"\\x\"", "tru",
        "nul", "[1 2]", "{\"a\" 1}", "\"unterminated", "", "   ", "1 2", "[", "{\"a\":"})
    void rejectsWhatRfc8259Rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text),
                "should reject " + text);
        assertTrue(e.getMessage().startsWith("invalid JSON at line 1, column "), e.getMessage());
    }

    @Test
    void integersBeyondALongAreRejectedClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("9223372036854775808"));
        assertTrue(e.getMessage().contains("9223372036854775808") && e.getMessage().contains("64-bit"), e.getMessage());
    }

    @Test
    void errorsNameLineAndColumn() {
        String text = "{\n  \"a\": 1,\n  \"b\": }";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals("invalid JSON at line 3, column 8: unexpected character '}'", e.getMessage());
        IllegalArgumentException control = assertThrows(IllegalArgumentException.class, () -> Json.parse("[\"a\nb\"]"));
        assertTrue(control.getMessage().contains("line 1, column 4") && control.getMessage().contains("control character"),
                control.getMessage());
    }

    @Test
    void duplicateMembersAreErrorsPointingAtTheSecond() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("{\"a\": 1,\n \"a\": 2}"));
        assertEquals("invalid JSON at line 2, column 2: duplicate member \"a\"", e.getMessage());
    }

    @Test
    void deepNestingIsAnErrorNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nest"), e.getMessage());
        assertEquals(1, ((List<?>) Json.parse("[".repeat(500) + "]".repeat(500))).size());
        assertEquals(2001, ((List<?>) Json.parse("[" + "{\"a\":[]},".repeat(2000) + "[]]")).size(), "siblings do not nest");
    }

    @Test
    void parseObjectNamesWhatItGot() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertEquals("expected a JSON object, got an array", e.getMessage());
    }

    // ------------------------------------------------------------------ writing

    private static Map<String, Object> sample() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("d", List.of());
        inner.put("e", new LinkedHashMap<>());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1L);
        m.put("b", Arrays.asList(1L, 2.5, "x", null, true));
        m.put("c", inner);
        m.put("rows", List.of(Map.of("k", -3L), List.of(1L, 2L)));
        m.put("text", "tab\there \"quoted\" \u0002 ünï");
        return m;
    }

    @Test
    void compactWriting() {
        assertEquals("{\"a\":1,\"b\":[1,2.5,\"x\",null,true],\"c\":{\"d\":[],\"e\":{}},\"rows\":[{\"k\":-3},[1,2]],"
                + "\"text\":\"tab\\there \\\"quoted\\\" \\u0002 ünï\"}", Json.write(sample()));
    }

    @Test
    void prettyWritingIndentsByTwoAndKeepsScalarArraysOnOneLine() {
        String expected = """
                {
                  "a": 1,
                  "b": [1, 2.5, "x", null, true],
                  "c": {
                    "d": [],
                    "e": {}
                  },
                  "rows": [
                    {
                      "k": -3
                    },
                    [1, 2]
                  ],
                  "text": "tab\\there \\"quoted\\" \\u0002 ünï"
                }
                """;
        assertEquals(expected, Json.writePretty(sample()));
    }

    @Test
    void roundTripsBothForms() {
        assertEquals(sample(), Json.parse(Json.write(sample())));
        assertEquals(sample(), Json.parse(Json.writePretty(sample())));
    }

    @Test
    void numbersAndPrimitiveArraysWriteAsJson() {
        assertEquals("[3.0,0.1,1.0E20,-0.0,0.1,7]", Json.write(Arrays.asList(3.0, 0.1, 1e20, -0.0, 0.1f, 7)));
        assertEquals(-0.0, Json.parse(Json.write(-0.0)));
        assertEquals(1e20, Json.parse(Json.write(1e20)));
        assertEquals(3.0, Json.parse(Json.write(3.0)), "an integral double stays a double");
        assertEquals("[1,2]", Json.write(new int[] {1, 2}));
        assertEquals("[5]", Json.write(new long[] {5}));
        assertEquals("[0.5,2.0]", Json.write(new double[] {0.5, 2}));
        assertEquals("[0.1,2.0]", Json.write(new float[] {0.1f, 2}));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(Float.POSITIVE_INFINITY)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }

    @Test
    void mapsAndSetsWithoutAnOrderOfTheirOwnAreWrittenSorted() {
        java.util.Map<String, Object> hashed = new java.util.HashMap<>();
        for (String k : new String[] {"zeta", "alpha", "mid", "beta", "omega", "k1", "k10", "k2"}) {
            hashed.put(k, java.util.Set.of("q", "c", "x"));
        }
        String sortedSet = "[\"c\",\"q\",\"x\"]";
        assertEquals("{\"alpha\":" + sortedSet + ",\"beta\":" + sortedSet + ",\"k1\":" + sortedSet + ",\"k10\":" + sortedSet
                + ",\"k2\":" + sortedSet + ",\"mid\":" + sortedSet + ",\"omega\":" + sortedSet + ",\"zeta\":" + sortedSet + "}",
                Json.write(hashed));
        // A map with an order of its own keeps it.
        java.util.Map<String, Object> linked = new java.util.LinkedHashMap<>();
        linked.put("z", 1L);
        linked.put("a", 2L);
        assertEquals("{\"z\":1,\"a\":2}", Json.write(linked));
        assertEquals("[3,1,2]", Json.write(java.util.List.of(3L, 1L, 2L)));
    }
}
