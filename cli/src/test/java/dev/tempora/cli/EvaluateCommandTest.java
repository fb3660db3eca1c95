package dev.tempora.cli;

import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateCommandTest {

    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            int rc = Main.run(args);
            return new String[] {Integer.toString(rc), o.toString(), e.toString()};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void printsBaselineMetricsAsJson() {
        String[] r = run("evaluate", "--config", Path.of("..", "examples", "taxi-small.json").toString(), "--model", "baseline", "--json");
        assertEquals("0", r[0], r[2]);
        Map<String, Object> m = Json.parseObject(r[1].strip());
        assertEquals(java.util.List.of("mae", "rmse", "smape", "mase"), java.util.List.copyOf(m.keySet()));
        assertTrue(((Number) m.get("mae")).doubleValue() > 0);
    }

    @Test
    void failsClearlyOnBadInput() {
        String[] r = run("evaluate", "--config", "absent.json", "--model", "baseline");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("absent.json") && r[2].contains("no such config"), r[2]);
        r = run("evaluate", "--config", Path.of("..", "examples", "taxi-small.json").toString(), "--model", "tft");
        assertEquals("1", r[0]);
        assertTrue(r[2].contains("--model tft"), r[2]);
        r = run("evaluate", "--help");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("Example"), r[1]);
    }
}
