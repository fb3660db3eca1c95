package dev.tempora.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tempora.autograd.GradientChecker;
import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link QuantileLoss}'s hand-written backward against central finite differences in double precision
 * ({@link GradientChecker}), and its forward and backward against hand-worked values, ties and padding included.
 */
class QuantileLossTest {

    private static final List<Float> QUANTILES = List.of(0.1f, 0.5f, 0.9f);

    /**
     * Predictions, and targets at least 0.2 away from every prediction of their step, so that no error is
     * within the finite-difference stencil (4 · 2⁻⁶) of the loss's kink at e = 0.
     */
    private static Tensor[] awayFromKinks(long seed, int batch, int steps) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] prediction = new float[batch * steps * QUANTILES.size()];
        float[] target = new float[batch * steps];
        for (int row = 0; row < batch * steps; row++) {
            target[row] = Math.round((float) rng.nextGaussian() * 4096f) / 4096f;
            for (int k = 0; k < QUANTILES.size(); k++) {
                double away = 0.2 + 1.3 * rng.nextDouble();
                prediction[row * QUANTILES.size() + k] = (float) (target[row] + (rng.nextBoolean() ? away : -away));
            }
        }
        return new Tensor[] {Tensor.wrap(prediction, batch, steps, QUANTILES.size()), Tensor.wrap(target, batch, steps)};
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Tensor[] data = awayFromKinks(5, 3, 4);
        int[] lengths = {4, 2, 3};
        GradientChecker.Result result = new GradientChecker()
                .check(in -> loss.forward(in[0], data[1], lengths), data[0]);
        assertTrue(result.passed(), result.report());
    }

    @Test
    void backwardOfAShardMatchesFiniteDifferences() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Tensor[] data = awayFromKinks(6, 2, 5);
        int[] lengths = {5, 1};
        GradientChecker.Result result = new GradientChecker()
                .check(in -> loss.forward(in[0], data[1], lengths, 17), data[0]);
        assertTrue(result.passed(), result.report());
    }

    /**
     * One valid step (the second is padding) with y = 1 and predictions (0, 1, 3) for q = (0.1, 0.5, 0.9):
     * errors (1, 0, −2) give losses 2·max((q−1)e, qe) = (0.2, 0, 0.4), mean 0.2; the gradients are −2q/3 for
     * e &gt; 0, −2(q − 1)/3 for e &lt; 0 and, at the tie, torch's even split −(2q − 1)/3 = 0; padding gets none.
     */
    @Test
    void handWorkedValuesTiesAndPadding() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Variable prediction = Variable.parameter(Tensor.wrap(new float[] {0, 1, 3, 7, 7, 7}, 1, 2, 3));
        Variable value = loss.forward(prediction, Tensor.wrap(new float[] {1, -5}, 1, 2), new int[] {1});
        assertEquals(0.2f, value.value().item(), 1e-7f);
        value.backward();
        float[] grad = prediction.grad().toFloatArray();
        assertArrayEquals(new float[] {-0.2f / 3, 0f, 0.2f / 3, 0, 0, 0}, grad, 1e-7f);
        // The same step as a shard of a batch of 4 valid steps: a quarter of the batch's mean.
        Variable shard = loss.forward(Variable.parameter(prediction.value()), Tensor.wrap(new float[] {1, -5}, 1, 2),
                new int[] {1}, 4);
        assertEquals(0.05f, shard.value().item(), 1e-7f);
    }

    @Test
    void weightedBackwardMatchesFiniteDifferences() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Tensor[] data = awayFromKinks(7, 3, 4);
        // Weights spanning four orders of magnitude, as 1 / scale does for series of levels 1 to 10,000.
        Tensor weight = Tensor.wrap(new float[] {1, 1, 1, 1, 1e-4f, 1e-4f, 3, 3, 0.5f, 2, 0, 7}, 3, 4);
        int[] lengths = {4, 2, 3};
        GradientChecker.Result result = new GradientChecker()
                .check(in -> loss.forward(in[0], data[1], weight, lengths, 20), data[0]);
        assertTrue(result.passed(), result.report());
    }

    /**
     * Two samples, one step each, q = (0.1, 0.5, 0.9). Sample 0: y = 1, predictions (0, 1, 3), step loss
     * (0.2 + 0 + 0.4) / 3 = 0.2, weight 3. Sample 1: y = 0, predictions (1, 1, 1), errors −1, losses
     * 2·0.9, 2·0.5, 2·0.1 = (1.8, 1, 0.2), step loss 1, weight 0.5. PTF's weighted mean divides by the
     * valid steps (2), not by the weights' sum: (3·0.2 + 0.5·1) / 2 = 0.55. The gradients are the
     * unweighted ones times the weight, over 2 steps · 3 quantiles.
     */
    @Test
    void weightedLossIsTheHandComputedReference() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Variable prediction = Variable.parameter(Tensor.wrap(new float[] {0, 1, 3, 1, 1, 1}, 2, 1, 3));
        Tensor weight = Tensor.wrap(new float[] {3, 0.5f}, 2, 1);
        Variable value = loss.forward(prediction, Tensor.wrap(new float[] {1, 0}, 2, 1), weight, new int[] {1, 1}, 0);
        assertEquals(0.55f, value.value().item(), 1e-6f);
        value.backward();
        float[] expected = {3 * -0.2f / 6, 0f, 3 * 0.2f / 6, 0.5f * 1.8f / 6, 0.5f * 1f / 6, 0.5f * 0.2f / 6};
        assertArrayEquals(expected, prediction.grad().toFloatArray(), 1e-7f);
    }

    /** Weights of 1 give the unweighted loss and gradient bit for bit (so turning the mechanism on changes nothing). */
    @Test
    void unitWeightsAreBitwiseTheUnweightedLoss() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Tensor[] data = awayFromKinks(8, 4, 6);
        int[] lengths = {6, 3, 5, 1};
        Variable plain = Variable.parameter(data[0]);
        Variable weighted = Variable.parameter(data[0]);
        Variable a = loss.forward(plain, data[1], lengths, 0);
        Variable b = loss.forward(weighted, data[1], Tensor.ones(4, 6), lengths, 0);
        assertEquals(Float.floatToIntBits(a.value().item()), Float.floatToIntBits(b.value().item()));
        a.backward();
        b.backward();
        assertArrayEquals(plain.grad().toFloatArray(), weighted.grad().toFloatArray(), 0f);
    }

    @Test
    void refusesAWeightOfTheWrongShape() {
        QuantileLoss loss = new QuantileLoss(QUANTILES);
        Tensor[] data = awayFromKinks(9, 2, 3);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> loss.forward(Variable.constant(data[0]), data[1], Tensor.ones(3, 2), new int[] {3, 3}, 0));
        assertTrue(e.getMessage().contains("weight"), e.getMessage());
    }
}
