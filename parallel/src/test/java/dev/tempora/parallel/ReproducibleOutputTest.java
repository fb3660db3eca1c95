package dev.tempora.parallel;

import dev.tempora.models.Checkpoint;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.tensor.io.DirectoryLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed gives the same bytes in every output file, for any worker count and in any JVM (whose
 * hash seeds, and so the order of {@code Map.of}, differ), and an output directory has one writer.
 */
class ReproducibleOutputTest {

    static final List<String> FILES = List.of(Checkpoint.WEIGHTS_FILE, Checkpoint.METADATA_FILE, Checkpoint.MANIFEST_FILE,
            Trainer.LAST_STATE_FILE);

    @TempDir
    Path dir;

    /** Trains into {@code args[0]} with {@code args[1]} workers: run in a child JVM by the test. */
    public static void main(String[] args) throws IOException {
        train(Path.of(args[0]), Integer.parseInt(args[1]));
    }

    static void train(Path out, int workers) throws IOException {
        // Sections as Map.of, whose order changes from one JVM to the next.
        Map<String, Object> sections = Map.of("zeta", 1L, "alpha", Map.of("y", "2", "b", "3", "k", "4", "c", "5"),
                "mid", List.of("x"), "omega", true);
        TrainerSettings settings = TrainerSettings.builder().maxEpochs(2).learningRate(0.01).shards(8).workers(workers)
                .reduceOnPlateau(1, 0.5, 1e-5).earlyStopping(0, 0).outputDir(out).checkpointSections(sections).build();
        new Trainer(new TemporalFusionTransformer(SyntheticData.config(0.2f)), new SyntheticData(3, 9, 8, 5), settings, null)
                .fit();
    }

    private static void trainInChildJvm(Path out, int workers) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xss4m", "-cp",
                ChildJvm.classPath(ReproducibleOutputTest.class), ReproducibleOutputTest.class.getName(), out.toString(),
                Integer.toString(workers)).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish");
        assertEquals(0, child.exitValue(), output);
    }

    @Test
    void theSameSeedGivesTheSameBytesForAnyWorkerCountInAnyJvm() throws Exception {
        Path here = dir.resolve("here-1-worker");
        train(here, 1);
        Path other = dir.resolve("child-2-workers");
        trainInChildJvm(other, 2);
        Path third = dir.resolve("child-1-worker");
        trainInChildJvm(third, 1);
        for (Path run : List.of(other, third)) {
            for (String file : FILES) {
                assertArrayEquals(Files.readAllBytes(here.resolve(file)), Files.readAllBytes(run.resolve(file)),
                        file + " of " + run.getFileName() + " differs from " + here.getFileName() + "'s");
            }
        }
        // Resuming keeps the epochs' timings in metrics.csv although the state holds none.
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        TrainerSettings settings = TrainerSettings.builder().maxEpochs(2).outputDir(here).build();
        List<EpochResult> restored = new Trainer(model, new SyntheticData(3, 9, 8, 5), settings, null).resume().history();
        assertEquals(2, restored.size());
        assertTrue(restored.get(0).seconds() > 0 || restored.get(0).samplesPerSecond() > 0, restored.get(0).toString());
    }

    @Test
    void aSecondTrainingRunInTheSameDirectoryIsRefused() throws Exception {
        Path out = dir.resolve("busy");
        TrainerSettings settings = TrainerSettings.builder().maxEpochs(1).workers(1).outputDir(out).build();
        Trainer trainer = new Trainer(new TemporalFusionTransformer(SyntheticData.config(0.2f)), new SyntheticData(2, 9, 8, 5),
                settings, null);
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        try (DirectoryLock lock = DirectoryLock.acquire(out, "another run", null)) {
            Thread holder = new Thread(() -> {
                try {
                    trainer.fit();
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            holder.start();
            holder.join(60_000);
        }
        assertTrue(failure.get() instanceof IllegalStateException, String.valueOf(failure.get()));
        assertTrue(failure.get().getMessage().contains("is in use by process " + ProcessHandle.current().pid())
                && failure.get().getMessage().contains("another run"), failure.get().getMessage());
        assertFalse(Files.exists(out.resolve(Checkpoint.WEIGHTS_FILE)), "the refused run wrote nothing");
        trainer.fit(); // free again
        assertTrue(Files.exists(out.resolve(Checkpoint.WEIGHTS_FILE)));
    }

    @Test
    void leftoverTemporaryFilesOfAKilledRunAreRemovedByTheNext() throws IOException {
        Path out = dir.resolve("killed");
        Files.createDirectories(out);
        Path leftover = out.resolve("." + Trainer.LAST_STATE_FILE + ".4711.tmp");
        Files.write(leftover, new byte[100]);
        TrainerSettings settings = TrainerSettings.builder().maxEpochs(1).workers(1).outputDir(out).build();
        new Trainer(new TemporalFusionTransformer(SyntheticData.config(0.2f)), new SyntheticData(2, 9, 8, 5), settings, null)
                .fit();
        assertFalse(Files.exists(leftover));
    }
}
