package dev.tempora.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** data.fill_missing as inspect and train report it. */
class FillMissingCommandTest {

    /** Three series, t = 0..19: a misses y at t = 0 and 7 and price at t = 3, c misses y at t = 5, b is complete. */
    private static Path config(Path dir, String fillMissing) throws Exception {
        StringBuilder csv = new StringBuilder("id,t,y,price\n");
        for (String id : List.of("a", "b", "c")) {
            for (int t = 0; t < 20; t++) {
                boolean yMissing = id.equals("a") && (t == 0 || t == 7) || id.equals("c") && t == 5;
                boolean priceMissing = id.equals("a") && t == 3;
                csv.append(id).append(',').append(t).append(',').append(yMissing ? "" : Integer.toString(10 + t % 4)).append(',')
                        .append(priceMissing ? "" : Integer.toString(t % 3)).append('\n');
            }
        }
        Files.writeString(dir.resolve("fills.csv"), csv);
        Path config = dir.resolve("fills.json");
        Files.writeString(config, """
                {"data": {"path": "fills.csv", "dtypes": {"id": "string"}%s},
                 "dataset": {"time_idx": "t", "target": "y", "group_ids": ["id"], "static_categoricals": ["id"],
                   "time_varying_known_reals": ["price"], "time_varying_unknown_reals": ["y"],
                   "max_encoder_length": 4, "max_prediction_length": 2},
                 "model": {"hidden_size": 4, "attention_head_size": 1, "hidden_continuous_size": 2},
                 "training": {"max_epochs": 1, "batch_size": 8, "limit_train_batches": 1, "workers": 1}}
                """.formatted(fillMissing));
        return config;
    }

    @Test
    void inspectCountsTheCellsEachColumnWouldFillAndTheSeriesDropped(@TempDir Path dir) throws Exception {
        Path config = config(dir, ", \"fill_missing\": {\"target\": \"forward\", \"covariates\": \"zero\", "
                + "\"columns\": {\"y\": \"drop_series\"}}");
        Cli.Result r = Cli.run("inspect", "--config", config.toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> fills = (List<Map<String, Object>>) r.json().get("fill_missing");
        assertEquals(2, fills.size(), fills.toString());
        assertEquals("y", fills.get(0).get("column"));
        assertEquals("drop_series", fills.get(0).get("method"));
        assertEquals(List.of("id=a", "id=c"), fills.get(0).get("dropped_series"));
        assertEquals("price", fills.get(1).get("column"));
        assertEquals(0L, fills.get(1).get("filled"), "a, the only series missing a price, is dropped");

        Path linear = config(dir, ", \"fill_missing\": {\"target\": \"linear\", \"covariates\": \"forward\"}");
        Cli.Result text = Cli.run("inspect", "--config", linear.toString());
        assertEquals(0, text.status(), text.toString());
        assertTrue(text.out().contains("Fills    y: 3 missing values filled (linear)")
                && text.out().contains("price: 1 missing value filled (forward)"), text.out());
    }

    @Test
    void withoutTheOptionInspectAndTrainNameTheColumnAndTheOption(@TempDir Path dir) throws Exception {
        Path config = config(dir, "");
        Cli.Result r = Cli.run("inspect", "--config", config.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("'y'") && r.err().contains("fill_missing"), r.err());
        Cli.Result bad = Cli.run("inspect", "--config", config(dir, ", \"fill_missing\": {\"target\": \"interpolate\"}").toString());
        assertEquals(1, bad.status(), bad.toString());
        assertTrue(bad.err().contains("data.fill_missing.target") && bad.err().contains("unknown fill method \"interpolate\""),
                bad.err());
    }

    @Test
    void trainWarnsWhatItFilled(@TempDir Path dir) throws Exception {
        Path config = config(dir, ", \"fill_missing\": {\"target\": \"forward\", \"covariates\": \"forward\"}");
        Cli.Result r = Cli.run("train", "--config", config.toString(), "--out", dir.resolve("model").toString(), "--json");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("warning: fill_missing: y: 3 missing values filled (forward; 1 at the start of a series "
                + "back-filled from its first value)") && r.err().contains("warning: fill_missing: price: 1 missing value filled"),
                r.err());
    }
}
