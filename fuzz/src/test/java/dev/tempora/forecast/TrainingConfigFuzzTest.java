package dev.tempora.forecast;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tempora.data.TrainingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training config parser on arbitrary bytes: {@link TrainingConfig#load} (JSON, the "data" and
 * "validation" entries, the "dataset" section through {@code DatasetParameters.fromJson}), then the "model"
 * section through {@link ModelSettings#fromJson} and the "training" section through the trainer's settings, as
 * {@link TrainingJob#fromConfig(TrainingConfig)} reads them (without reading or generating the data).
 *
 * <p>This class sits in {@code dev.tempora.forecast} to reach the package-private parser of the "training"
 * section. Contract: the settings, or an {@link IllegalArgumentException} naming the file or section and the
 * key at fault, or an {@link UncheckedIOException} when the file cannot be read as text, each with a message.
 * Inputs over 64 KiB are skipped; junit-platform.properties bounds the time per input.
 */
class TrainingConfigFuzzTest {

    private static final int MAX_INPUT_BYTES = 64 * 1024;

    private static Path scratch;

    /** One config file per JVM, rewritten for each input (fuzzing runs millions of them). */
    private static synchronized Path scratchFile() throws IOException {
        if (scratch == null) {
            Path dir = Files.createTempDirectory("tempora-fuzz");
            dir.toFile().deleteOnExit();
            scratch = dir.resolve("config.json");
            scratch.toFile().deleteOnExit();
        }
        return scratch;
    }

    @FuzzTest
    void loadConfig(byte[] input) throws IOException {
        if (input.length > MAX_INPUT_BYTES) {
            return;
        }
        Path file = scratchFile();
        Files.write(file, input);
        try {
            TrainingConfig config = TrainingConfig.load(file);
            ModelKindSettings.fromJson(config.model());
            ConfigSections.trainerSettings(config.training(), config.model()).build();
            ConfigSections.batchSize(config.training());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("config parser threw " + e.getClass().getName() + " without a message", e);
            }
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError("config parser threw an undocumented " + e, e);
        }
    }
}
