package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.models.Checkpoint;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer, the engine, inference and checkpoints need nothing of a model beyond {@link ForecastingModel}. */
class SecondModelKindTest {

    private static final int ENCODER = 8;
    private static final int DECODER = 5;

    @TempDir
    Path dir;

    private static LastValuesLinear model() {
        // SyntheticData's encoder reals: target_center, target_scale, time_idx, target (column 3).
        return new LastValuesLinear(ENCODER, DECODER, 3, TftConfig.DEFAULT_QUANTILES, 7);
    }

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(4).learningRate(0.05).optimizer("adam").shards(8).workers(1)
                .earlyStopping(0, 0);
    }

    private static List<float[]> weights(ForecastingModel m) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : m.parameters()) {
            out.add(v.value().toFloatArray());
        }
        return out;
    }

    @Test
    void theTrainerLowersItsLossAndWorkersDoNotChangeTheWeights() throws IOException {
        SyntheticData data = new SyntheticData(4, 19, ENCODER, DECODER);
        LastValuesLinear one = model();
        Trainer trainer = new Trainer(one, data, settings().build(), null);
        double before = trainer.validationLoss();
        Trainer.Result result = trainer.fit();
        List<EpochResult> epochs = result.epochs();
        assertEquals(4, epochs.size());
        assertTrue(epochs.getLast().trainLoss() < epochs.getFirst().trainLoss(), epochs.toString());
        assertTrue(result.bestValidationLoss() < 0.5 * before, before + " before, " + epochs);

        LastValuesLinear two = model();
        new Trainer(two, data, settings().workers(2).build(), null).fit();
        List<float[]> a = weights(one);
        List<float[]> b = weights(two);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i);
            float[] y = b.get(i);
            for (int j = 0; j < x.length; j++) {
                assertEquals(Float.floatToIntBits(x[j]), Float.floatToIntBits(y[j]),
                        "parameter " + i + " element " + j + ": 1 worker " + x[j] + ", 2 workers " + y[j]);
            }
        }
    }

    @Test
    void theBestModelIsSavedUnderItsKindAndLoadsThroughTheRegistry() throws IOException {
        SyntheticData data = new SyntheticData(3, 12, ENCODER, DECODER);
        LastValuesLinear model = model();
        Path out = dir.resolve("run");
        new Trainer(model, data, settings().maxEpochs(2).outputDir(out).build(), null).fit();
        assertEquals(LastValuesLinear.KIND,
                Json.parseObject(Files.readString(out.resolve(Checkpoint.METADATA_FILE))).get("kind"));
        LastValuesLinear loaded = assertInstanceOf(LastValuesLinear.class, Checkpoint.load(out).model());
        assertEquals(model.configJson(), loaded.configJson());
        assertEquals(model.stateDict().keySet(), loaded.stateDict().keySet());
        assertEquals(model.parameterCount(), loaded.parameterCount());
    }

    @Test
    void shardedInferenceJoinsThePredictions() {
        LastValuesLinear model = model();
        TrainingBatch batch = new SyntheticData(1, 11, ENCODER, DECODER).trainingBatch(0, 0);
        Tensor whole;
        try (GradMode.Scope off = GradMode.noGrad()) {
            whole = model.forward(batch.inputs(), false).prediction().value();
        }
        assertArrayEquals(new int[] {11, DECODER, TftConfig.DEFAULT_QUANTILES.size()}, whole.shape());
        for (int workers : new int[] {1, 3}) {
            Tensor sharded = new DataParallelInference(model, workers).predict(batch.inputs());
            assertArrayEquals(whole.shape(), sharded.shape());
            float[] x = whole.toFloatArray();
            float[] y = sharded.toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(y[i]),
                        workers + " workers: element " + i + " " + x[i] + " vs " + y[i]);
            }
        }
    }
}
