package dev.tempora.parallel;

import dev.tempora.autograd.Variable;
import dev.tempora.models.ModelInputs;
import dev.tempora.models.QuantileLoss;
import dev.tempora.models.TemporalFusionTransformer;
import dev.tempora.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Weighted losses in training: the data set's step weights and {@link LossScale#NORMALISED}'s 1 / scale ride
 * with their samples through the engine's shards, so any worker count and a resumed run give the same
 * weights bit for bit; and the normalised scale makes a series of level 10,000 count as much as one of level 1.
 */
class WeightedLossTest {

    @TempDir
    Path dir;

    private static TrainerSettings.Builder settings(LossScale scale) {
        return TrainerSettings.builder().maxEpochs(2).learningRate(0.01).optimizer("ranger").shards(8).workers(1)
                .reduceOnPlateau(1, 0.5, 1e-5).earlyStopping(0, 0).lossScale(scale);
    }

    private static List<float[]> weights(TemporalFusionTransformer m) {
        List<float[]> out = new ArrayList<>();
        for (Variable v : m.parameters()) {
            out.add(v.value().toFloatArray());
        }
        return out;
    }

    private static List<float[]> train(TrainerSettings settings, TrainingData data) throws IOException {
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        new Trainer(model, data, settings, null).fit();
        return weights(model);
    }

    private static void assertBitwiseEqual(List<float[]> a, List<float[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, what + ": parameter " + i);
        }
    }

    @Test
    void weightedNormalisedTrainingIsBitwiseTheSameFor1And2Workers() throws IOException {
        TrainingData data = new WeightedTrainingData(new SyntheticData(4, 19, 8, 5)); // 19 samples: uneven shards
        List<float[]> one = train(settings(LossScale.NORMALISED).workers(1).build(), data);
        assertBitwiseEqual(one, train(settings(LossScale.NORMALISED).workers(2).build(), data), "2 workers vs 1");
        assertBitwiseEqual(one, train(settings(LossScale.NORMALISED).workers(4).build(), data), "4 workers vs 1");
        // The weights are used: the same run on the target scale, or without the weight column, ends elsewhere.
        List<float[]> target = train(settings(LossScale.TARGET).build(), data);
        List<float[]> unweighted = train(settings(LossScale.NORMALISED).build(), new SyntheticData(4, 19, 8, 5));
        assertFalse(java.util.Arrays.equals(one.get(0), target.get(0)));
        assertFalse(java.util.Arrays.equals(one.get(0), unweighted.get(0)));
    }

    @Test
    void resumingAWeightedNormalisedRunEndsWithTheSameWeights() throws IOException {
        TrainingData data = new WeightedTrainingData(new SyntheticData(5, 12, 8, 5));
        List<float[]> straight = train(settings(LossScale.NORMALISED).maxEpochs(3).build(), data);
        TrainerSettings s = settings(LossScale.NORMALISED).maxEpochs(3).outputDir(dir.resolve("run")).checkpointEveryBatches(2)
                .build();
        Trainer interrupted = new Trainer(new TemporalFusionTransformer(SyntheticData.config(0.2f)),
                new CrashingTrainingData(data, 1, 2), s, null);
        assertThrows(CrashingTrainingData.Crash.class, interrupted::fit);
        TemporalFusionTransformer resumedModel = new TemporalFusionTransformer(SyntheticData.config(0.2f));
        new Trainer(resumedModel, data, s, null).resume().fit();
        assertBitwiseEqual(straight, weights(resumedModel), "resumed vs uninterrupted");
    }

    /** The validation loss early stopping reads is taken on the run's loss scale. */
    @Test
    void theValidationLossFollowsTheLossScale() {
        SyntheticData data = new SyntheticData(1, 4, 6, 4);
        TemporalFusionTransformer model = new TemporalFusionTransformer(SyntheticData.config(0f));
        double target;
        double normalised;
        try (Trainer t = new Trainer(model, data, settings(LossScale.TARGET).build(), null)) {
            target = t.validationLoss();
        }
        try (Trainer t = new Trainer(model, data, settings(LossScale.NORMALISED).build(), null)) {
            normalised = t.validationLoss();
        }
        // By hand: each validation sample's loss term divided by its scale (the synthetic levels are 2 to 7).
        TrainingBatch batch = data.validationBatches().getFirst();
        model.eval();
        Variable prediction;
        try (var off = dev.tempora.autograd.GradMode.noGrad()) {
            prediction = model.forward(batch.inputs(), false).prediction();
        }
        QuantileLoss loss = new QuantileLoss();
        float[] scale = batch.inputs().targetScale().toFloatArray();
        double expectedTarget = 0;
        double expectedNormalised = 0;
        for (int i = 0; i < batch.size(); i++) {
            TrainingBatch one = batch.shard(i, i + 1);
            Variable p = Variable.constant(prediction.value().narrow(0, i, 1).contiguous());
            double term = loss.forward(p, one.target(), one.inputs().decoderLengths(), batch.validSteps()).item();
            expectedTarget += term;
            expectedNormalised += term / scale[2 * i + 1];
        }
        assertEquals(expectedTarget, target, 1e-5 * expectedTarget);
        assertEquals(expectedNormalised, normalised, 1e-5 * expectedNormalised);
        assertTrue(normalised < target / 2, "levels 2 to 7 shrink the loss: " + normalised + " vs " + target);
    }

    /**
     * Two series of levels 1 and 10,000 whose network outputs (on the normalised scale) are equally wrong: the
     * prediction is output · scale + center, as the TFT de-normalises. On the target scale the large series'
     * loss term and its output's gradient are 10,000 times the small one's; on the normalised scale they are equal.
     */
    @Test
    void theNormalisedScaleMakesSeriesOfLevels1And10000CountAlike() {
        float[] scales = {1f, 10_000f};
        float[] centers = {0.5f, 20_000f};
        int td = 3;
        int nq = 7;
        float[] normalisedTarget = {0.3f, -0.2f, 1.1f};
        float[] output = new float[2 * td * nq];
        float[] target = new float[2 * td];
        for (int b = 0; b < 2; b++) {
            for (int t = 0; t < td; t++) {
                target[b * td + t] = normalisedTarget[t] * scales[b] + centers[b];
                for (int k = 0; k < nq; k++) {
                    output[(b * td + t) * nq + k] = normalisedTarget[t] + 0.25f * (k - 3) + 0.125f;
                }
            }
        }
        ModelInputs inputs = inputs(2, td, new float[] {centers[0], scales[0], centers[1], scales[1]});
        TrainingBatch batch = new TrainingBatch(inputs, Tensor.wrap(target, 2, td));
        assertSame(batch, LossScale.TARGET.apply(batch));
        assertNull(batch.weight());

        double[] targetShares = shares(batch, output, scales, centers);
        assertEquals(10_000, targetShares[1] / targetShares[0], 1.0, "target units: the large series dominates");
        double[] normalisedShares = shares(LossScale.NORMALISED.apply(batch), output, scales, centers);
        assertEquals(1.0, normalisedShares[1] / normalisedShares[0], 1e-3, "normalised: both count alike");
    }

    /** Per sample: its loss term and the squared norm of the loss's gradient with respect to its network output. */
    private static double[] shares(TrainingBatch batch, float[] output, float[] scales, float[] centers) {
        int td = batch.target().size(1);
        int nq = output.length / (2 * td);
        Variable out = Variable.parameter(Tensor.wrap(output.clone(), 2, td, nq));
        Variable scale = Variable.constant(Tensor.wrap(scales.clone(), 2, 1, 1));
        Variable center = Variable.constant(Tensor.wrap(centers.clone(), 2, 1, 1));
        Variable prediction = out.mul(scale).add(center);
        QuantileLoss loss = new QuantileLoss();
        double[] terms = new double[2];
        for (int b = 0; b < 2; b++) {
            TrainingBatch one = batch.shard(b, b + 1);
            Variable p = Variable.constant(prediction.value().narrow(0, b, 1).contiguous());
            terms[b] = loss.forward(p, one.target(), one.weight(), one.inputs().decoderLengths(), batch.validSteps()).item();
        }
        loss.forward(prediction, batch.target(), batch.weight(), batch.inputs().decoderLengths(), 0).backward();
        float[] grad = out.grad().toFloatArray();
        double[] gradient = new double[2];
        for (int i = 0; i < grad.length; i++) {
            gradient[i / (td * nq)] += (double) grad[i] * grad[i];
        }
        assertEquals(terms[1] / terms[0], Math.sqrt(gradient[1] / gradient[0]), 1e-3 * terms[1] / terms[0],
                "the loss terms and the gradients scale alike");
        return terms;
    }

    private static ModelInputs inputs(int n, int td, float[] targetScale) {
        int te = 2;
        return new ModelInputs(Tensor.zeros(n, te, 1), Tensor.zeros(n, te, 1), Tensor.zeros(n, td, 1),
                Tensor.zeros(n, td, 1), new int[] {te, te}, new int[] {td, td}, Tensor.wrap(targetScale, n, 2));
    }

    @Test
    void normalisedWeightsMultiplyTheDataWeightsAndRefuseAZeroScale() {
        ModelInputs inputs = inputs(2, 2, new float[] {0, 4, 0, -0.5f});
        TrainingBatch batch = new TrainingBatch(inputs, Tensor.zeros(2, 2), Tensor.wrap(new float[] {1, 2, 3, 0}, 2, 2));
        assertArrayEquals(new float[] {0.25f, 0.5f, 6, 0}, LossScale.NORMALISED.apply(batch).weight().toFloatArray(), 0f);
        TrainingBatch zero = new TrainingBatch(inputs(2, 2, new float[] {0, 1, 0, 0}), Tensor.zeros(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossScale.NORMALISED.apply(zero));
        assertTrue(e.getMessage().contains("loss_scale"), e.getMessage());
        assertEquals(LossScale.NORMALISED, LossScale.parse("normalized"));
        assertThrows(IllegalArgumentException.class, () -> LossScale.parse("log"));
    }
}
