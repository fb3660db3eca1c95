package dev.tempora.models;

import dev.tempora.autograd.GradMode;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {

    @TempDir
    Path dir;

    private static ModelInputs batch() {
        int b = 2;
        float[] ec = new float[b * 4 * 2];
        float[] dc = new float[b * 3 * 2];
        for (int i = 0; i < ec.length; i += 2) {
            ec[i] = i % 260;
            ec[i + 1] = i % 168;
        }
        for (int i = 0; i < dc.length; i += 2) {
            dc[i] = 3;
            dc[i + 1] = i;
        }
        return new ModelInputs(Tensor.wrap(ec, b, 4, 2), Tensor.randn(1, b, 4, 6), Tensor.wrap(dc, b, 3, 2),
                Tensor.randn(2, b, 3, 6), new int[] {4, 2}, new int[] {3, 3}, Tensor.uniform(3, 0.5f, 1f, b, 2));
    }

    private static Tensor predict(ForecastingModel m) {
        m.eval();
        try (GradMode.Scope off = GradMode.noGrad()) {
            return m.forward(batch(), false).prediction().value();
        }
    }

    @Test
    void roundTripGivesTheSameModel() throws IOException {
        TemporalFusionTransformer model = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        Checkpoint.save(dir, model, Map.of("dataset", Map.of("target", "trip_quantity")));
        Checkpoint.Loaded loaded = Checkpoint.load(dir);
        TemporalFusionTransformer back = assertInstanceOf(TemporalFusionTransformer.class, loaded.model());
        assertEquals(model.config, back.config);
        assertArrayEquals(predict(model).toFloatArray(), predict(back).toFloatArray());
        assertEquals(Map.of("dataset", Map.of("target", "trip_quantity")), loaded.sections());
        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve(Checkpoint.METADATA_FILE)));
        assertEquals("TemporalFusionTransformer", json.get("kind"));
        assertEquals(20L, ((Map<?, ?>) json.get("model")).get("hidden_size"));
    }

    /** As a directory written before the manifest existed: checked file by file. */
    private static void withoutManifest(Path directory) throws IOException {
        Files.delete(directory.resolve(Checkpoint.MANIFEST_FILE));
    }

    @Test
    void metadataWithoutAKindLoadsAsATft() throws IOException {
        TemporalFusionTransformer model = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        Checkpoint.save(dir, model, Map.of());
        withoutManifest(dir);
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta);
        // As written before there were several kinds: the class name under "model_class", then nothing.
        Files.writeString(meta, json.replace("\"kind\":", "\"model_class\":"));
        TemporalFusionTransformer named = assertInstanceOf(TemporalFusionTransformer.class, Checkpoint.load(dir).model());
        assertTrue(Checkpoint.load(dir).sections().isEmpty());
        Files.writeString(meta, json.replaceAll("\"kind\": \"TemporalFusionTransformer\",\\s*", ""));
        assertFalse(Files.readString(meta).contains("\"kind\""));
        TemporalFusionTransformer unnamed = assertInstanceOf(TemporalFusionTransformer.class, Checkpoint.load(dir).model());
        assertArrayEquals(predict(model).toFloatArray(), predict(named).toFloatArray());
        assertArrayEquals(predict(model).toFloatArray(), predict(unnamed).toFloatArray());
    }

    @Test
    void anUnknownKindIsNamedWithTheKnownOnes() throws IOException {
        Checkpoint.save(dir, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)), Map.of());
        withoutManifest(dir);
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        Files.writeString(meta, Files.readString(meta).replace("\"kind\": \"TemporalFusionTransformer\"",
                "\"kind\": \"TimeMixer\""));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(meta.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("unknown model kind 'TimeMixer'; known kinds: TemporalFusionTransformer"),
                e.getMessage());
    }

    @Test
    void reservedSectionNamesAreRefused() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(dir, model, Map.of("kind", "mine")));
        assertTrue(e.getMessage().contains("'kind' is reserved"), e.getMessage());
        assertFalse(Files.exists(dir.resolve(Checkpoint.METADATA_FILE)));
    }

    @Test
    void corruptWeightsAreDetected() throws IOException {
        Checkpoint.save(dir, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)), Map.of());
        Path w = dir.resolve(Checkpoint.WEIGHTS_FILE);
        byte[] bytes = Files.readAllBytes(w);
        bytes[bytes.length / 2] ^= 1;
        Files.write(w, bytes);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        Files.write(w, Arrays.copyOf(bytes, bytes.length / 3));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(Checkpoint.WEIGHTS_FILE), e.getMessage());
    }

    @Test
    void weightsOfAnotherModelAreAMismatch() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Checkpoint.save(a, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)), Map.of());
        Checkpoint.save(b, new TemporalFusionTransformer(TftConfigs.taxiSeed(100, 0.1f)), Map.of());
        Files.copy(b.resolve(Checkpoint.WEIGHTS_FILE), a.resolve(Checkpoint.WEIGHTS_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(a));
        assertTrue(e.getMessage().contains(Checkpoint.WEIGHTS_FILE + " does not match")
                && e.getMessage().contains("the directory was changed or a write was interrupted"), e.getMessage());
        // Without the manifest (an older directory), model.json's weights checksum catches it.
        withoutManifest(a);
        e = assertThrows(IOException.class, () -> Checkpoint.load(a));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        // Without the checksum link, the shape check names the weight.
        String json = Files.readString(a.resolve(Checkpoint.METADATA_FILE)).replaceAll("\"weights_sha256\": \"[0-9a-f]+\",\\s*", "");
        Files.writeString(a.resolve(Checkpoint.METADATA_FILE), json);
        e = assertThrows(IOException.class, () -> Checkpoint.load(a));
        assertTrue(e.getMessage().contains("input_embeddings.embeddings.pulocationid.weight"), e.getMessage());
    }

    @Test
    void missingFilesAndBadMetadataAreNamed() throws IOException {
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir.resolve("none")));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
        Checkpoint.save(dir, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)), Map.of());
        Files.writeString(dir.resolve(Checkpoint.METADATA_FILE), "{\"format_version\": 1, \"model\": {\"hidden_size\": 20}}");
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(Checkpoint.METADATA_FILE + " does not match"), e.getMessage());
        withoutManifest(dir);
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("model config: missing"), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.METADATA_FILE));
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(Checkpoint.METADATA_FILE), e.getMessage());
    }

    /** Found by CheckpointFuzzTest: a missing or mistyped top-level field escaped as IllegalArgumentException. */
    @Test
    void missingOrMistypedTopLevelFieldsAreIoExceptionsNamingTheField() throws IOException {
        Checkpoint.save(dir, new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f)), Map.of());
        withoutManifest(dir); // edited by hand: no manifest to contradict
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta);
        Map<String, String> broken = Map.of(
                "\"format_version\"", json.replace("\"format_version\"", "\"format_ver'ion\""),
                "\"format_version\" must be a number", json.replace("\"format_version\": 1", "\"format_version\": \"1\""),
                "\"kind\"", json.replace("\"kind\": \"TemporalFusionTransformer\"", "\"kind\": 7"),
                "\"model\"", json.replace("\"model\": {", "\"model\": [1], \"unused\": {"));
        for (Map.Entry<String, String> e : broken.entrySet()) {
            Files.writeString(meta, e.getValue());
            IOException thrown = assertThrows(IOException.class, () -> Checkpoint.load(dir), e.getKey());
            assertTrue(thrown.getMessage().contains(meta.toString()) && thrown.getMessage().contains(e.getKey()),
                    thrown.getMessage());
        }
    }

    @Test
    void configJsonRoundTrip() {
        TftConfig c = TftConfigs.stallion();
        assertEquals(c, TftConfig.fromJson(dev.tempora.tensor.io.Json.parseObject(dev.tempora.tensor.io.Json.write(c.toJson()))));
        assertEquals(List.of("easter_day", "good_friday", "new_year", "christmas", "labor_day", "independence_day",
                "revolution_day_memorial", "regional_games", "fifa_u_17_world_cup", "football_gold_cup", "beer_capital",
                "music_fest"), c.columnsOf("special_days"));
    }
}
