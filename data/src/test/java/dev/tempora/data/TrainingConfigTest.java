package dev.tempora.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingConfigTest {

    @Test
    void taxiExamplesDescribeTheSeedSetUp() {
        TrainingConfig cfg = TrainingConfig.load(Path.of("..", "examples", "taxi-small.json"));
        assertEquals(20L, cfg.model().get("hidden_size"));
        assertEquals(128L, cfg.training().get("batch_size"));
        TrainingConfig.Datasets sets = cfg.datasets();
        assertEquals(24, sets.validation().size());
        TimeSeriesDataSet.Window w = sets.validation().window(0);
        assertEquals(63, w.encoderLength());
        assertEquals(168, w.decoderLength());
        DatasetDescription d = sets.training().description();
        assertEquals(java.util.List.of("encoder_length", "trip_quantity_center", "trip_quantity_scale", "time_idx", "relative_time_idx",
                "trip_quantity"), d.reals());
        assertEquals(168, d.cardinalities().get("day_hour"));
        assertEquals(24, d.cardinalities().get("pulocationid"));
        Batch b = sets.training().trainLoader(128, 42).epoch(0).iterator().next();
        assertEquals(128, b.size());
        TrainingConfig full = TrainingConfig.load(Path.of("..", "examples", "taxi.json"));
        assertEquals("builtin:taxi", full.dataPath());
        assertEquals(8L, full.model().get("attention_head_size"));
    }

    @Test
    void badConfigsAreNamed(@TempDir Path dir) throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(dir.resolve("none.json")));
        assertTrue(e.getMessage().contains("none.json") && e.getMessage().contains("no such config"), e.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"data\": {\"path\": \"builtin:taxi-small\"}, \"dataset\": {\"time_idx\": \"time_idx\", \"target\": "
                + "\"trip_quantity\", \"max_encoder_lenght\": 3}}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(bad));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("max_encoder_lenght"), e.getMessage());
        Path section = dir.resolve("section.json");
        Files.writeString(section, "{\"data\": {\"path\": \"x.csv\"}, \"dataset\": {}, \"modle\": {}}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(section));
        assertTrue(e.getMessage().contains("modle"), e.getMessage());
        Path missing = dir.resolve("missing.json");
        Files.writeString(missing, "{\"data\": {\"path\": \"absent.csv\"}, \"dataset\": {\"time_idx\": \"t\", \"target\": \"y\"}}");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(missing).loadFrame());
        assertTrue(e.getMessage().contains("absent.csv") && e.getMessage().contains("no such file"), e.getMessage());
        Path json = dir.resolve("json.json");
        Files.writeString(json, "{\"data\": {\"path\": \"a.csv\"},");
        e = assertThrows(IllegalArgumentException.class, () -> TrainingConfig.load(json));
        assertTrue(e.getMessage().contains("json.json") && e.getMessage().contains("line 1"), e.getMessage());
    }

    @Test
    void relativePathsResolveAgainstTheConfigFolder(@TempDir Path dir) throws Exception {
        Path sub = Files.createDirectories(dir.resolve("data"));
        Files.writeString(sub.resolve("s.csv"), "t,id,y\n0,a,1\n1,a,2\n2,a,3\n3,a,4\n4,a,5\n");
        Path cfg = Files.createDirectories(dir.resolve("configs")).resolve("c.json");
        Files.writeString(cfg, "{\"data\": {\"path\": \"../data/s.csv\", \"dtypes\": {\"y\": \"double\"}}, \"dataset\": {\"time_idx\": \"t\", "
                + "\"target\": \"y\", \"group_ids\": [\"id\"], \"max_encoder_length\": 2, \"max_prediction_length\": 1, "
                + "\"time_varying_unknown_reals\": [\"y\"]}}");
        TrainingConfig c = TrainingConfig.load(cfg);
        assertEquals(5, c.loadFrame().rowCount());
        TrainingConfig.Datasets sets = c.datasets();
        assertEquals(3, sets.trainingCutoff());
        assertEquals(1, sets.validation().size());
        assertEquals(2, sets.training().size());
    }
}
