package dev.tempora.forecast;

import dev.tempora.data.DoubleColumn;
import dev.tempora.data.Frame;
import dev.tempora.data.TableFiles;
import dev.tempora.parallel.LossScale;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The data set's weight column and the "training" section's loss_scale, from the API and a config file to model.json. */
class ScaleFreeTrainingTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void data() {
        TrainingJobTest.data();
    }

    private static Frame withWeight(double weight) {
        double[] w = new double[TrainingJobTest.table.rowCount()];
        java.util.Arrays.fill(w, weight);
        return TrainingJobTest.table.with(new DoubleColumn("w", w));
    }

    private static TrainingJob.Builder weighted(double weight) {
        return TrainingJob.builder(withWeight(weight), TrainingJobTest.parameters().with("weight", "w"))
                .model(ModelSettings.builder().hiddenSize(8).attentionHeadSize(2).hiddenContinuousSize(4).build())
                .trainer(t -> t.maxEpochs(1).limitTrainBatchCount(3).learningRate(0.03).optimizer("adam").seed(5).workers(2))
                .batchSize(16);
    }

    /**
     * A weight column of 1 everywhere trains bit for bit as no column; of 2 everywhere, it doubles the losses
     * (Adam's steps barely change with the gradients' scale, so the validation loss doubles too).
     */
    @Test
    void theWeightColumnWeighsTheTrainingAndValidationLosses() {
        TrainingJob.Result plain = TrainingJobTest.small().trainer(t -> t.maxEpochs(1).limitTrainBatchCount(3)).build().fit();
        TrainingJob.Result ones = weighted(1).build().fit();
        TrainingJob.Result twos = weighted(2).build().fit();
        assertEquals(plain.epochs().getFirst().trainLoss(), ones.epochs().getFirst().trainLoss(), 0.0);
        assertEquals(plain.bestValidationLoss(), ones.bestValidationLoss(), 0.0);
        assertEquals(2 * ones.epochs().getFirst().trainLoss(), twos.epochs().getFirst().trainLoss(),
                1e-3 * ones.epochs().getFirst().trainLoss());
        assertEquals(2 * ones.bestValidationLoss(), twos.bestValidationLoss(), 1e-3 * ones.bestValidationLoss());
    }

    /** A config's loss_scale reaches the trainer and model.json; the API's default is recorded too. */
    @Test
    void theConfigsLossScaleTrainsAndIsRecordedInTheCheckpoint() throws IOException {
        Path csv = dir.resolve("weighted.csv");
        TableFiles.write(withWeight(0.5), csv);
        Path config = dir.resolve("scale-free.json");
        Files.writeString(config, """
                {"data": {"path": "weighted.csv", "dtypes": {"pulocationid": "string", "day_hour": "string"}},
                 "dataset": {"time_idx": "time_idx", "target": "trip_quantity", "group_ids": ["pulocationid"],
                   "max_encoder_length": 24, "max_prediction_length": 12, "weight": "w", "add_relative_time_idx": true,
                   "static_categoricals": ["pulocationid"], "time_varying_unknown_reals": ["trip_quantity"],
                   "target_normalizer": {"type": "GroupNormalizer", "groups": ["pulocationid"]}},
                 "model": {"hidden_size": 8, "attention_head_size": 2, "hidden_continuous_size": 4},
                 "training": {"batch_size": 16, "max_epochs": 1, "limit_train_batches": 2, "loss_scale": "normalised"}}
                """);
        TrainingJob job = TrainingJob.fromConfig(config).outputDirectory(dir.resolve("normalised")).build();
        assertEquals(LossScale.NORMALISED, job.trainerSettings().lossScale());
        TrainingJob.Result r = job.fit();
        assertTrue(Double.isFinite(r.bestValidationLoss()));
        assertEquals("normalised", trainingSection(dir.resolve("normalised")).get("loss_scale"));

        TrainingJobTest.small().trainer(t -> t.maxEpochs(1).limitTrainBatchCount(1)).outputDirectory(dir.resolve("api")).build().fit();
        assertEquals("target", trainingSection(dir.resolve("api")).get("loss_scale"));

        Files.writeString(config, Files.readString(config).replace("\"normalised\"", "\"log\""));
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingJob.fromConfig(config));
        assertTrue(e.getMessage().contains("loss_scale") && e.getMessage().contains("\"normalised\""), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> trainingSection(Path modelDirectory) throws IOException {
        Map<String, Object> json = Json.parseObject(Files.readString(modelDirectory.resolve("model.json")));
        return (Map<String, Object>) ((Map<String, Object>) json.get("config")).get("training");
    }
}
