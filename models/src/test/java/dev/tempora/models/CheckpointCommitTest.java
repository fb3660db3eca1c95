package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint directory is one unit: every byte checked, committed so that a kill leaves the old or the new pair. */
class CheckpointCommitTest {

    @TempDir
    Path root;

    private Path dir;
    private TemporalFusionTransformer oldModel;
    private TemporalFusionTransformer newModel;
    private Path oldSave;
    private Path newSave;

    @BeforeEach
    void twoSaves() throws IOException {
        dir = root.resolve("model");
        oldModel = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        newModel = new TemporalFusionTransformer(TftConfigs.taxiSeed(260, 0.1f));
        // The same layout, other weights: only the checksums tell the two saves apart.
        for (Variable v : newModel.stateDict().values()) {
            v.value().copyFrom(Tensor.randn(11, v.shape()));
        }
        oldSave = root.resolve("old");
        newSave = root.resolve("new");
        Checkpoint.save(oldSave, oldModel, Map.of("dataset", Map.of("target", "old")));
        Checkpoint.save(newSave, newModel, Map.of("dataset", Map.of("target", "new")));
    }

    private static float[] weights(ForecastingModel model) {
        List<Float> all = new ArrayList<>();
        for (Variable v : model.stateDict().values()) {
            for (float f : v.value().toFloatArray()) {
                all.add(f);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    private void copy(Path fromDirectory, String name, String as) throws IOException {
        Files.createDirectories(dir);
        Files.copy(fromDirectory.resolve(name), dir.resolve(as), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private void assertLoads(TemporalFusionTransformer expected, String target) throws IOException {
        Checkpoint.Loaded loaded = Checkpoint.load(dir);
        assertArrayEquals(weights(expected), weights(loaded.model()));
        assertEquals(Map.of("target", target), loaded.sections().get("dataset"));
    }

    private IOException flipAndLoad(String file, int position) throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        Path path = dir.resolve(file);
        byte[] bytes = Files.readAllBytes(path);
        bytes[position < 0 ? bytes.length + position : position] ^= 0x01;
        Files.write(path, bytes);
        return assertThrows(IOException.class, () -> Checkpoint.load(dir));
    }

    @Test
    void aChangedByteOfTheHeaderTheDataOrModelJsonIsRefused() throws IOException {
        // In the header's padding: still valid JSON, the data checksum still matches; only the manifest sees it.
        Checkpoint.save(dir, oldModel, Map.of());
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(Checkpoint.WEIGHTS_FILE)), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN).getLong();
        for (int at : new int[] {(int) (8 + headerLength - 1), -5}) {
            IOException e = flipAndLoad(Checkpoint.WEIGHTS_FILE, at);
            assertTrue(e.getMessage().contains(Checkpoint.WEIGHTS_FILE + " does not match")
                    && e.getMessage().contains("expected sha256 ") && e.getMessage().contains(", found ")
                    && e.getMessage().contains("the directory was changed or a write was interrupted"), e.getMessage());
        }
        IOException e = flipAndLoad(Checkpoint.METADATA_FILE, 40);
        assertTrue(e.getMessage().contains(Checkpoint.METADATA_FILE + " does not match"), e.getMessage());
    }

    @Test
    void reorderedQuantilesInModelJsonAreRefused() throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        Path meta = dir.resolve(Checkpoint.METADATA_FILE);
        String json = Files.readString(meta);
        String swapped = json.replace("0.019999999552965164, 0.10000000149011612", "0.10000000149011612, 0.019999999552965164");
        assertNotEquals(json, swapped, "the test must change the quantiles");
        Files.writeString(meta, swapped);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(Checkpoint.METADATA_FILE + " does not match"), e.getMessage());
    }

    @Test
    void aNonFiniteWeightIsRefusedNamingTheTensorAndIndex() throws IOException {
        Map.Entry<String, Variable> first = oldModel.stateDict().entrySet().iterator().next();
        Tensor t = first.getValue().value();
        t.storage()[t.storageOffset() + 3] = Float.NaN;
        Checkpoint.save(dir, oldModel, Map.of());
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("tensor '" + first.getKey() + "' holds NaN at index 3"), e.getMessage());
        t.storage()[t.storageOffset() + 3] = Float.NEGATIVE_INFINITY;
        Checkpoint.save(dir, oldModel, Map.of());
        e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains("holds -Infinity at index 3"), e.getMessage());
    }

    @Test
    void aKillAtEveryStepOfASaveLeavesTheOldOrTheNewPair() throws IOException {
        String pendingWeights = Checkpoint.WEIGHTS_FILE + CheckpointFiles.PENDING_SUFFIX;
        String pendingJson = Checkpoint.METADATA_FILE + CheckpointFiles.PENDING_SUFFIX;
        // The old pair, committed.
        copy(oldSave, Checkpoint.WEIGHTS_FILE, Checkpoint.WEIGHTS_FILE);
        copy(oldSave, Checkpoint.METADATA_FILE, Checkpoint.METADATA_FILE);
        copy(oldSave, Checkpoint.MANIFEST_FILE, Checkpoint.MANIFEST_FILE);
        assertLoads(oldModel, "old");
        // Killed while writing the new weights: a temporary file.
        Files.write(dir.resolve("." + pendingWeights + ".123.tmp"), new byte[] {1, 2, 3});
        assertLoads(oldModel, "old");
        // Killed after both pending files were written, before the commit.
        copy(newSave, Checkpoint.WEIGHTS_FILE, pendingWeights);
        copy(newSave, Checkpoint.METADATA_FILE, pendingJson);
        assertLoads(oldModel, "old");
        // Killed right after the commit: the new manifest, the old files, the new ones still pending.
        copy(newSave, Checkpoint.MANIFEST_FILE, Checkpoint.MANIFEST_FILE);
        assertLoads(newModel, "new");
        assertEquals(2, Checkpoint.load(dir).notes().size(), Checkpoint.load(dir).notes().toString());
        // Killed between the two renames.
        Files.move(dir.resolve(pendingWeights), dir.resolve(Checkpoint.WEIGHTS_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertLoads(newModel, "new");
        // The next save completes the renames before it starts, and removes the temporary file.
        CheckpointFiles.recover(dir);
        assertLoads(newModel, "new");
        assertTrue(Checkpoint.load(dir).notes().isEmpty());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(Checkpoint.MANIFEST_FILE, Checkpoint.METADATA_FILE, Checkpoint.WEIGHTS_FILE),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void uncommittedPendingFilesAndTemporaryFilesAreRemovedByTheNextSave() throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        copy(newSave, Checkpoint.WEIGHTS_FILE, Checkpoint.WEIGHTS_FILE + CheckpointFiles.PENDING_SUFFIX);
        Files.write(dir.resolve("." + Checkpoint.METADATA_FILE + ".98765.tmp"), new byte[] {'{'});
        Files.write(dir.resolve("." + Checkpoint.MANIFEST_FILE + ".5.tmp"), new byte[0]);
        Files.write(dir.resolve("unrelated.tmp"), new byte[0]);
        Checkpoint.save(dir, newModel, Map.of("dataset", Map.of("target", "new")));
        assertLoads(newModel, "new");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(Checkpoint.MANIFEST_FILE, Checkpoint.METADATA_FILE, Checkpoint.WEIGHTS_FILE, "unrelated.tmp"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theManifestIsSha256sumsFormatOverTheWholeFiles() throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        List<String> lines = Files.readAllLines(dir.resolve(Checkpoint.MANIFEST_FILE));
        assertEquals(List.of(CheckpointFiles.sha256(Files.readAllBytes(dir.resolve(Checkpoint.WEIGHTS_FILE))) + "  "
                        + Checkpoint.WEIGHTS_FILE,
                CheckpointFiles.sha256(Files.readAllBytes(dir.resolve(Checkpoint.METADATA_FILE))) + "  " + Checkpoint.METADATA_FILE),
                lines);
    }

    @Test
    void aDirectoryWrittenBeforeTheManifestLoadsWithANote() throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        Files.delete(dir.resolve(Checkpoint.MANIFEST_FILE));
        Checkpoint.Loaded loaded = Checkpoint.load(dir);
        assertArrayEquals(weights(oldModel), weights(loaded.model()));
        assertEquals(1, loaded.notes().size());
        assertTrue(loaded.notes().get(0).contains("has no " + Checkpoint.MANIFEST_FILE), loaded.notes().get(0));
        // Saving it again adds the manifest.
        Checkpoint.save(dir, loaded.model(), loaded.sections());
        assertTrue(Checkpoint.load(dir).notes().isEmpty());
    }

    @Test
    void aManifestListingAMissingFileIsNamed() throws IOException {
        Checkpoint.save(dir, oldModel, Map.of());
        Files.delete(dir.resolve(Checkpoint.WEIGHTS_FILE));
        IOException e = assertThrows(IOException.class, () -> Checkpoint.load(dir));
        assertTrue(e.getMessage().contains(Checkpoint.WEIGHTS_FILE) && e.getMessage().contains("lists it"), e.getMessage());
    }

    @Test
    void theSameModelAndSectionsGiveTheSameBytesWhateverTheMapsOrder() throws IOException {
        Map<String, Object> unordered = Map.of("zeta", 1L, "alpha", Map.of("y", 2L, "b", 3L, "k", 4L), "mid", "x");
        Map<String, Object> sorted = new TreeMap<>(Map.of("zeta", 1L, "alpha", new TreeMap<>(Map.of("y", 2L, "b", 3L, "k", 4L)),
                "mid", "x"));
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        Checkpoint.save(a, oldModel, unordered);
        Checkpoint.save(b, oldModel, new LinkedHashMap<>(sorted));
        for (String file : List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE, Checkpoint.MANIFEST_FILE)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
        }
        String header = new String(Files.readAllBytes(a.resolve(Checkpoint.WEIGHTS_FILE)), 8, 200, StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"format\":\"pt\",\"producer\":\"tempora\",\"sha256\":"), header);
        assertFalse(Files.exists(a.resolve(Checkpoint.WEIGHTS_FILE + CheckpointFiles.PENDING_SUFFIX)));
    }
}
