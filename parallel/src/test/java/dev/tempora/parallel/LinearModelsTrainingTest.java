package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.autograd.Variable;
import dev.tempora.models.DLinear;
import dev.tempora.models.ForecastingModel;
import dev.tempora.models.LinearForecasterConfig;
import dev.tempora.models.NLinear;
import dev.tempora.models.TftConfig;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NLinear and DLinear on the trainer and the data-parallel engine: they learn, and workers change no bit. */
class LinearModelsTrainingTest {

    private static final int ENCODER = 8;
    private static final int DECODER = 5;

    private static LinearForecasterConfig config() {
        // SyntheticData's reals: target_center, target_scale, time_idx, target.
        return new LinearForecasterConfig("target", List.of("target_center", "target_scale", "time_idx", "target"), ENCODER,
                DECODER, TftConfig.DEFAULT_QUANTILES, "none", 7);
    }

    private static final List<Supplier<ForecastingModel>> MODELS = List.of(() -> new NLinear(config()),
            () -> new DLinear(config(), 3));

    private static TrainerSettings.Builder settings() {
        return TrainerSettings.builder().maxEpochs(4).learningRate(0.05).optimizer("adam").shards(8).workers(1)
                .earlyStopping(0, 0);
    }

    @Test
    void theyLearnAndOneOrTwoWorkersTrainBitwiseTheSameWeights() throws IOException {
        SyntheticData data = new SyntheticData(4, 19, ENCODER, DECODER);
        for (Supplier<ForecastingModel> make : MODELS) {
            ForecastingModel one = make.get();
            Trainer trainer = new Trainer(one, data, settings().build(), null);
            double before = trainer.validationLoss();
            Trainer.Result result = trainer.fit();
            assertTrue(result.bestValidationLoss() < 0.5 * before, one.kind() + ": " + before + " before, " + result.epochs());

            ForecastingModel two = make.get();
            new Trainer(two, data, settings().workers(2).build(), null).fit();
            List<Variable> a = one.parameters();
            List<Variable> b = two.parameters();
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                float[] x = a.get(i).value().toFloatArray();
                float[] y = b.get(i).value().toFloatArray();
                for (int j = 0; j < x.length; j++) {
                    assertEquals(Float.floatToIntBits(x[j]), Float.floatToIntBits(y[j]),
                            one.kind() + " parameter " + i + " element " + j + ": 1 worker " + x[j] + ", 2 workers " + y[j]);
                }
            }
        }
    }

    @Test
    void shardedInferenceGivesTheWholeBatchsPrediction() {
        TrainingBatch batch = new SyntheticData(1, 11, ENCODER, DECODER).trainingBatch(0, 0);
        for (Supplier<ForecastingModel> make : MODELS) {
            ForecastingModel model = make.get();
            Tensor whole;
            try (GradMode.Scope off = GradMode.noGrad()) {
                whole = model.forward(batch.inputs(), false).prediction().value();
            }
            for (int workers : new int[] {1, 3}) {
                DataParallelInferenceTest.assertBitwiseEqual(whole, new DataParallelInference(model, workers).predict(batch.inputs()),
                        model.kind() + ", " + workers + " workers");
            }
        }
    }
}
