package dev.tempora.forecast;

import dev.tempora.autograd.Variable;
import dev.tempora.models.Checkpoint;
import dev.tempora.parallel.Trainer;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.DirectoryLock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outputs are reproducible byte for byte, never silently non-finite, and written by one job at a time. */
class OutputReliabilityTest {

    @TempDir
    static Path dir;

    static TrainedModel oneWorker;

    @BeforeAll
    static void train() {
        TrainingJobTest.data();
        oneWorker = TrainingJobTest.small().trainer(t -> t.workers(1)).outputDirectory(dir.resolve("one")).build().fit().model();
    }

    @Test
    void theSameSeedGivesTheSameFileBytesForOneAndTwoWorkers() throws Exception {
        TrainedModel twoWorkers = TrainingJobTest.small().trainer(t -> t.workers(2)).outputDirectory(dir.resolve("two")).build()
                .fit().model();
        for (String file : List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE, Checkpoint.MANIFEST_FILE,
                Trainer.LAST_STATE_FILE)) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(file)), Files.readAllBytes(dir.resolve("two").resolve(file)),
                    file);
        }
        Path a = dir.resolve("forecasts-1.csv");
        Path b = dir.resolve("forecasts-2.csv");
        oneWorker.predict(TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON),
                InferenceOptions.defaults().withWorkers(1)).table().write(a);
        twoWorkers.predict(TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON),
                InferenceOptions.defaults().withWorkers(2)).table().write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "forecasts.csv");
    }

    @Test
    void aNonFiniteForecastIsAnErrorNamingTheSeriesAndStep() {
        TrainedModel broken = TrainedModel.load(dir.resolve("one"));
        Variable bias = broken.model().stateDict().get("output_layer.bias");
        Tensor value = bias.value();
        value.storage()[value.storageOffset() + 3] = Float.NaN; // the median quantile's output
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> broken.predict(TrainingJobTest.predictInput(TrainingJobTest.table, TrainingJobTest.LAST - TrainingJobTest.HORIZON)));
        assertTrue(e.getMessage().contains("forecast NaN for series pulocationid = ") && e.getMessage().contains(" at time_idx ")
                && e.getMessage().contains("(step 1 of the horizon)") && e.getMessage().contains("quantile 0.5"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> broken.evaluate(TrainingJobTest.table));
        assertTrue(e.getMessage().contains("forecast NaN for series pulocationid = "), e.getMessage());
        // Saved, the NaN weight is refused at load, naming the tensor.
        Path saved = dir.resolve("nan");
        broken.save(saved);
        UncheckedIOException load = assertThrows(UncheckedIOException.class, () -> TrainedModel.load(saved));
        assertTrue(load.getMessage().contains("tensor 'output_layer.bias' holds NaN at index 3"), load.getMessage());
    }

    @Test
    void aJobIsRefusedWhileAnotherWritesItsDirectory() throws Exception {
        Path busy = dir.resolve("busy");
        try (DirectoryLock lock = DirectoryLock.acquire(busy, "tempora train (test)", null)) {
            Throwable refused = CompletableFuture.supplyAsync(() -> {
                try {
                    TrainingJobTest.small().outputDirectory(busy).build().fit();
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(refused != null && refused.getMessage().contains("is in use by process " + ProcessHandle.current().pid())
                    && refused.getMessage().contains("tempora train (test)"), String.valueOf(refused));
        }
        assertFalse(Files.exists(busy.resolve(Checkpoint.WEIGHTS_FILE)), "the refused job wrote no model");
    }
}
