package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.models.NHits;
import dev.tempora.models.NHitsConfig;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N-HiTS through the trainer and sharded inference: ragged batches, and the same bits whatever the worker count. */
class NHitsTrainingTest {

    private static final int ENCODER = 8;
    private static final int DECODER = 5;

    private static NHits model() {
        // SyntheticData's reals: target_center, target_scale, time_idx, target (column 3).
        return new NHits(NHitsConfig.fromDataset(ENCODER, DECODER, TftConfig.DEFAULT_QUANTILES, 3, 4, "none",
                Map.of("hidden_size", 16L, "dropout", 0.1), 7));
    }

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(3).learningRate(0.01).optimizer("adam").shards(8).workers(1)
                .earlyStopping(0, 0);
    }

    @Test
    void trainingLowersTheLossAndTwoWorkersGiveTheSameWeightsAsOne() throws IOException {
        SyntheticData data = new SyntheticData(4, 19, ENCODER, DECODER);
        NHits one = model();
        Trainer trainer = new Trainer(one, data, settings().build(), null);
        double before = trainer.validationLoss();
        Trainer.Result result = trainer.fit();
        assertTrue(result.bestValidationLoss() < before, before + " before, " + result.epochs());

        NHits two = model();
        new Trainer(two, data, settings().workers(2).build(), null).fit();
        List<Variable> a = one.parameters();
        List<Variable> b = two.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            float[] x = a.get(i).value().toFloatArray();
            float[] y = b.get(i).value().toFloatArray();
            for (int j = 0; j < x.length; j++) {
                assertEquals(Float.floatToIntBits(x[j]), Float.floatToIntBits(y[j]),
                        "parameter " + i + " element " + j + ": 1 worker " + x[j] + ", 2 workers " + y[j]);
            }
        }
    }

    @Test
    void shardedInferenceGivesTheWholeBatchsBits() {
        NHits model = model();
        model.eval();
        TrainingBatch batch = new SyntheticData(1, 11, ENCODER, DECODER).trainingBatch(0, 0);
        Tensor whole;
        try (GradMode.Scope off = GradMode.noGrad()) {
            whole = model.forward(batch.inputs(), false).prediction().value();
        }
        for (int workers : new int[] {1, 3}) {
            DataParallelInferenceTest.assertBitwiseEqual(whole, new DataParallelInference(model, workers).predict(batch.inputs()),
                    workers + " workers");
        }
    }
}
