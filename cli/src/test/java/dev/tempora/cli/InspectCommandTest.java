package dev.tempora.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InspectCommandTest {

    /** Series a: t = 0..11; series b: t = 0..11 without 4 and 5; a "note" column no variable uses. */
    private static Path config(Path dir, boolean allowMissing) throws Exception {
        StringBuilder csv = new StringBuilder("id,t,y,price,note\n");
        for (String id : List.of("a", "b")) {
            for (int t = 0; t < 12; t++) {
                if (id.equals("b") && (t == 4 || t == 5)) {
                    continue;
                }
                csv.append(id).append(',').append(t).append(',').append(10 + t).append(',').append(t % 3).append(",x\n");
            }
        }
        Files.writeString(dir.resolve("gaps.csv"), csv);
        Path config = dir.resolve("gaps.json");
        Files.writeString(config, """
                {"data": {"path": "gaps.csv"},
                 "dataset": {"time_idx": "t", "target": "y", "group_ids": ["id"], "static_categoricals": ["id"],
                   "time_varying_known_reals": ["price"], "time_varying_unknown_reals": ["y"],
                   "max_encoder_length": 3, "max_prediction_length": 2, "target_normalizer": null,
                   "allow_missing_timesteps": %s}}
                """.formatted(allowMissing));
        return config;
    }

    @Test
    void reportsSeriesGapsColumnsAndWindows(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("inspect", "--config", config(dir, true).toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        Map<String, Object> json = r.json();
        assertEquals(22L, json.get("rows"));
        Map<String, Object> series = Cli.object(json, "series");
        assertEquals(2L, series.get("count"));
        assertEquals(10L, series.get("length_min"));
        assertEquals(12L, series.get("length_max"));
        assertEquals(2L, series.get("missing_steps"));
        assertEquals(1L, series.get("series_with_gaps"));
        assertEquals("id=b jumps from time_idx 3 to 6", series.get("first_gap"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> columns = (List<Map<String, Object>>) json.get("columns");
        Map<String, List<?>> roles = new java.util.HashMap<>();
        for (Map<String, Object> c : columns) {
            roles.put((String) c.get("name"), (List<?>) c.get("used_as"));
        }
        assertEquals(List.of("group id", "static categorical"), roles.get("id"));
        assertEquals(List.of("time index"), roles.get("t"));
        assertEquals(List.of("target", "unknown real"), roles.get("y"));
        assertEquals(List.of("known real"), roles.get("price"));
        assertEquals(List.of("unused"), roles.get("note"));
        Map<String, Object> y = columns.stream().filter(c -> c.get("name").equals("y")).findFirst().orElseThrow();
        assertEquals(10.0, Cli.number(y, "min"));
        assertEquals(21.0, Cli.number(y, "max"));
        Map<String, Object> windows = Cli.object(json, "windows");
        assertEquals(2L, windows.get("validation"));

        Cli.Result text = Cli.run("inspect", "--config", config(dir, true).toString());
        assertTrue(text.out().contains("1 series miss 2 time steps") && text.out().contains("unused"), text.toString());
    }

    @Test
    void aDatasetThatCannotBeBuiltExitsWithItsReason(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.run("inspect", "--config", config(dir, false).toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().contains("Gaps") && r.out().contains("set allow_missing_timesteps"), r.toString());
        assertTrue(r.err().contains("cannot be built") && r.err().contains("jumps from time_idx 3 to 6"), r.toString());
    }
}
