package dev.tempora.parallel;

import dev.tempora.autograd.GradMode;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.models.TftOutput;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataParallelInferenceTest {

    /** 13 samples (no shard count below divides them) with ragged encoder and decoder lengths. */
    private static ModelInputs raggedBatch() {
        ModelInputs batch = new SyntheticData(1, 13, 7, 4).trainingBatch(0, 0).inputs();
        assertEquals(13, batch.batchSize());
        assertEquals(true, Arrays.stream(batch.encoderLengths()).distinct().count() > 1, "encoder lengths are ragged");
        return batch;
    }

    private static TftOutput wholeBatch(TemporalFusionTransformer model, ModelInputs batch, boolean interpret) {
        model.eval();
        try (GradMode.Scope off = GradMode.noGrad()) {
            return model.forward(batch, interpret);
        }
    }

    /** Asserts the same shape and bitwise the same elements; the model tests of other kinds use it too. */
    static void assertBitwiseEqual(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] x = expected.toFloatArray();
        float[] y = actual.toFloatArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(y[i]),
                    what + ": element " + i + " differs: " + x[i] + " vs " + y[i]);
        }
    }

    @Test
    void shardedPredictionsAreTheWholeBatchsBitForBit() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        ModelInputs batch = raggedBatch();
        Tensor expected = wholeBatch(model, batch, false).prediction().value();
        for (int[] ws : new int[][] {{1, 1}, {1, 8}, {2, 8}, {3, 8}, {4, 4}, {5, 13}, {8, 16}}) {
            DataParallelInference inference = new DataParallelInference(model, ws[0], ws[1]);
            String what = ws[0] + " workers, " + ws[1] + " shards";
            assertBitwiseEqual(expected, inference.predict(batch), what);
            assertBitwiseEqual(expected, inference.predict(batch), what + ", pools reused");
        }
    }

    @Test
    void shardedInterpretationIsTheWholeBatchsBitForBit() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        ModelInputs batch = raggedBatch();
        TftOutput expected = wholeBatch(model, batch, true);
        for (int workers : new int[] {1, 3}) {
            TftOutput sharded = assertInstanceOf(TftOutput.class,
                    new DataParallelInference(model, workers).forward(batch, true));
            String what = workers + " workers";
            assertBitwiseEqual(expected.prediction().value(), sharded.prediction().value(), what + ", prediction");
            assertBitwiseEqual(expected.attention(), sharded.attention(), what + ", attention");
            assertEquals(expected.encoderSteps(), sharded.encoderSteps());
            assertBitwiseEqual(expected.staticVariables().value(), sharded.staticVariables().value(), what + ", static weights");
            assertBitwiseEqual(expected.encoderVariables().value(), sharded.encoderVariables().value(), what + ", encoder weights");
            assertBitwiseEqual(expected.decoderVariables().value(), sharded.decoderVariables().value(), what + ", decoder weights");
        }
        assertNull(assertInstanceOf(TftOutput.class, new DataParallelInference(model, 2).forward(batch, false)).attention());
    }

    @Test
    void everyBatchSizeAgreesWithTheWholeBatch() {
        // Small batches: no shard may hold a lone sample (a one-row GEMM sums in another order).
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        ModelInputs all = raggedBatch();
        DataParallelInference inference = new DataParallelInference(model, 2, 8);
        for (int n = 1; n <= all.batchSize(); n++) {
            ModelInputs batch = all.samples(all.batchSize() - n, all.batchSize());
            assertBitwiseEqual(wholeBatch(model, batch, false).prediction().value(), inference.predict(batch),
                    n + " samples over 8 shards");
        }
    }

    @Test
    void rejectsMoreWorkersThanShards() {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        assertThrows(IllegalArgumentException.class, () -> new DataParallelInference(model, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new DataParallelInference(model, 0));
    }
}
