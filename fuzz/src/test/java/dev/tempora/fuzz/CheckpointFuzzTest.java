package dev.tempora.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.io.SafeTensors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@link Checkpoint#load} on a directory holding a valid {@code model.safetensors} (a small Temporal Fusion
 * Transformer saved once per JVM) beside an arbitrary {@code model.json}, with a manifest
 * ({@value Checkpoint#MANIFEST_FILE}) rewritten to match both, so that every input gets past the integrity check
 * to the parsing of the metadata and the construction of the model it describes.
 *
 * <p>Contract: the model, or an {@link IOException} (the metadata is malformed, names an unknown kind or a model
 * the weights do not fit, or the weights do not belong to it) with a message. No other exception: a damaged
 * or hand-edited {@code model.json} must be reported as such, never as a stack trace or an out-of-memory
 * error. The text {@value #WEIGHTS_SHA256} in an input is replaced by the weights' real checksum, so that the
 * committed inputs keep reaching the model's construction when the initial weights change.
 */
class CheckpointFuzzTest {

    /** Placeholder in inputs for the checksum of the weights file. */
    static final String WEIGHTS_SHA256 = "WEIGHTS_SHA256";

    private static Path directory;
    private static String weightsSha256;
    private static String weightsFileSha256;

    /** A TFT small enough to build in milliseconds: hidden 4, one head, one static categorical, two reals. */
    static TemporalFusionTransformer tinyModel() {
        List<String> reals = List.of("time_idx", "y");
        return new TemporalFusionTransformer(new TftConfig(4, 1, 0.1f, 2, Map.of(), 1, List.of(0.1f, 0.5f, 0.9f),
                List.of("g"), List.of(), List.of(), List.of(), reals, List.of("time_idx"), List.of("g"), reals,
                Map.of("g", 3), Map.of(), Map.of(), true, "softplus", 7));
    }

    private static synchronized Path checkpointDirectory() throws IOException {
        if (directory == null) {
            Path dir = Files.createTempDirectory("tempora-fuzz-checkpoint");
            dir.toFile().deleteOnExit();
            Checkpoint.save(dir, tinyModel(), Map.of());
            dir.resolve(Checkpoint.WEIGHTS_FILE).toFile().deleteOnExit();
            dir.resolve(Checkpoint.METADATA_FILE).toFile().deleteOnExit();
            dir.resolve(Checkpoint.MANIFEST_FILE).toFile().deleteOnExit();
            weightsSha256 = SafeTensors.read(dir.resolve(Checkpoint.WEIGHTS_FILE)).metadata().get(SafeTensors.CHECKSUM_KEY);
            weightsFileSha256 = sha256(Files.readAllBytes(dir.resolve(Checkpoint.WEIGHTS_FILE)));
            directory = dir;
        }
        return directory;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest
    void loadModelJson(byte[] input) throws IOException {
        if (!FuzzContract.withinBound(input)) {
            return;
        }
        Path dir = checkpointDirectory();
        String text = new String(input, StandardCharsets.ISO_8859_1);
        byte[] metadata = text.contains(WEIGHTS_SHA256)
                ? text.replace(WEIGHTS_SHA256, weightsSha256).getBytes(StandardCharsets.ISO_8859_1)
                : input;
        Files.write(dir.resolve(Checkpoint.METADATA_FILE), metadata);
        // The manifest's format: sha256sum's, one "checksum  name" line per file of the pair.
        Files.writeString(dir.resolve(Checkpoint.MANIFEST_FILE), weightsFileSha256 + "  " + Checkpoint.WEIGHTS_FILE + "\n"
                + sha256(metadata) + "  " + Checkpoint.METADATA_FILE + "\n");
        FuzzContract.expectResultOrDocumentedError("Checkpoint.load", () -> Checkpoint.load(dir), IOException.class);
    }
}
