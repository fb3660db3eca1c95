package dev.tempora.spark;

import dev.tempora.data.Frame;
import dev.tempora.data.ParquetFiles;
import dev.tempora.data.TrainingConfig;
import dev.tempora.parallel.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingPlanTest {

    private static TrainingConfig config() throws Exception {
        return TrainingConfig.load(Path.of(TrainingPlanTest.class.getResource("/small-taxi.json").toURI()));
    }

    @Test
    void thePartitionsHoldEveryRowOnceAndTheTrainingRowsEndAtTheCutoff(@TempDir Path dir) throws Exception {
        TrainingPlan.prepare(config(), dir, 2, settings -> settings, false);
        Frame table = config().loadFrame();
        Path folder = dir.resolve(TrainingPlan.PARTITIONS_FOLDER);
        int all = 0;
        int training = 0;
        for (int rank = 0; rank < 2; rank++) {
            all += ParquetFiles.read(SeriesPartitions.file(folder, "all", rank)).rowCount();
            training += ParquetFiles.read(SeriesPartitions.file(folder, "training", rank)).rowCount();
        }
        assertEquals(table.rowCount(), all);
        // taxi-small: every series has the same time steps, and the cutoff leaves max_prediction_length (12) of them out
        int series = SeriesPartitions.count(table, List.of("pulocationid"));
        assertEquals(table.rowCount() - series * 12, training);
    }

    @Test
    void aFreshRunDeletesAnEarlierLastStateAndResumingNeedsOne(@TempDir Path dir) throws Exception {
        Path lastState = dir.resolve(Trainer.LAST_STATE_FILE);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TrainingPlan.prepare(config(), dir, 2, settings -> settings, true));
        assertTrue(missing.getMessage().contains("--resume: no " + Trainer.LAST_STATE_FILE), missing.getMessage());

        Files.writeString(lastState, "an earlier run's state");
        TrainingPlan.prepare(config(), dir, 2, settings -> settings, true);
        assertTrue(Files.exists(lastState), "resuming keeps the last state");
        TrainingPlan.prepare(config(), dir, 2, settings -> settings, false);
        assertFalse(Files.exists(lastState), "a fresh run must not let a retried task resume from another run's state");
    }

    @Test
    void refusesTasksThatDoNotDivideTheShards(@TempDir Path dir) throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingPlan.prepare(config(), dir, 3, settings -> settings, false));
        assertTrue(e.getMessage().contains("must divide among the 3 tasks"), e.getMessage());
    }
}
