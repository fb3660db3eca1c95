package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * PyTorch Forecasting's QuantileLoss: for quantile q and error e = y − ŷ_q the loss is
 * 2·max((q − 1)·e, q·e), averaged over the quantiles and over the valid (unpadded) decoder steps
 * of the batch, in target units. One fused autograd op: the forward and the gradient are a single
 * pass each.
 *
 * <p>With weights (PTF's data set {@code weight}: the target is a (target, weight) pair), each step's
 * loss is multiplied by its weight before the average, and the average is still over the count of
 * valid steps, not over the weights' sum, as PTF's {@code MultiHorizonMetric.update} and
 * {@code reduce_loss} take it.
 */
public final class QuantileLoss {

    private final float[] quantiles;

    /** The loss over PTF's default quantiles, {@link TftConfig#DEFAULT_QUANTILES}. */
    public QuantileLoss() {
        this(TftConfig.DEFAULT_QUANTILES);
    }

    /** The loss over {@code quantiles}, at least one, each in (0, 1) ({@link #checkLevels}). */
    public QuantileLoss(List<Float> quantiles) {
        checkLevels(quantiles);
        this.quantiles = new float[quantiles.size()];
        for (int i = 0; i < this.quantiles.length; i++) {
            this.quantiles[i] = quantiles.get(i);
        }
    }

    /**
     * Refuses an empty list of quantiles or one outside (0, 1): the one check that every model's config, the loss,
     * the metrics and the config sections' settings make.
     *
     * @param quantiles the quantile levels
     * @throws IllegalArgumentException naming the bad level
     */
    public static void checkLevels(List<Float> quantiles) {
        if (quantiles.isEmpty()) {
            throw new IllegalArgumentException("at least one quantile is needed");
        }
        for (float q : quantiles) {
            if (!(q > 0f && q < 1f)) {
                throw new IllegalArgumentException("quantiles must lie in (0, 1), got " + q);
            }
        }
    }

    /** The quantiles, in the order of the prediction's last axis. */
    public List<Float> quantiles() {
        Float[] boxed = new Float[quantiles.length];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = quantiles[i];
        }
        return List.of(boxed);
    }

    /** Index of the median (the point forecast), or the quantile closest to 0.5. */
    public int medianIndex() {
        int best = 0;
        for (int i = 1; i < quantiles.length; i++) {
            if (Math.abs(quantiles[i] - 0.5f) < Math.abs(quantiles[best] - 0.5f)) {
                best = i;
            }
        }
        return best;
    }

    /**
     * @param prediction (B, Td, quantiles)
     * @param target     (B, Td), padded steps ignored
     * @param lengths    valid decoder steps per sample
     */
    public Variable forward(Variable prediction, Tensor target, int[] lengths) {
        return forward(prediction, target, lengths, 0);
    }

    /**
     * As {@link #forward(Variable, Tensor, int[])}, but averaged over {@code validSteps} steps instead
     * of this batch's own count: shards of a batch pass the whole batch's count, so their losses
     * (and gradients) add up to the batch's.
     */
    public Variable forward(Variable prediction, Tensor target, int[] lengths, long validSteps) {
        return forward(prediction, target, null, lengths, validSteps);
    }

    /**
     * The weighted loss: each valid step's loss (averaged over the quantiles) times its weight, summed
     * and divided by {@code validSteps} (or by this batch's valid steps when {@code validSteps} is 0),
     * as PTF averages a weighted metric.
     *
     * @param prediction (B, Td, quantiles)
     * @param target     (B, Td), padded steps ignored
     * @param weight     (B, Td) weights of the steps, or null for all 1; padded steps ignored
     * @param lengths    valid decoder steps per sample
     * @param validSteps the count to average over, or 0 for this batch's own
     * @return the scalar loss, on the tape when the prediction is
     * @throws IllegalArgumentException if the shapes do not fit or there is no valid step
     */
    public Variable forward(Variable prediction, Tensor target, Tensor weight, int[] lengths, long validSteps) {
        Tensor p = prediction.value().contiguous();
        int[] ps = p.shape();
        int nq = quantiles.length;
        if (ps.length != 3 || ps[2] != nq || target.dim() != 2 || target.size(0) != ps[0] || target.size(1) != ps[1]
                || lengths.length != ps[0]) {
            throw new IllegalArgumentException("quantile loss: prediction " + Arrays.toString(ps) + ", target "
                    + Arrays.toString(target.shape()) + " and " + lengths.length + " lengths do not fit (B, Td, "
                    + nq + "), (B, Td), B");
        }
        if (weight != null && !Arrays.equals(weight.shape(), target.shape())) {
            throw new IllegalArgumentException("quantile loss: weight " + Arrays.toString(weight.shape())
                    + " does not fit the target " + Arrays.toString(target.shape()));
        }
        int batch = ps[0];
        int steps = ps[1];
        float[] pd = p.storage();
        int po = p.storageOffset();
        Tensor y = target.contiguous();
        float[] yd = y.storage();
        int yo = y.storageOffset();
        Tensor w = weight == null ? null : weight.contiguous();
        float[] wd = w == null ? null : w.storage();
        int wo = w == null ? 0 : w.storageOffset();
        long count = 0;
        double total = 0;
        for (int b = 0; b < batch; b++) {
            int len = Math.min(lengths[b], steps);
            count += len;
            for (int t = 0; t < len; t++) {
                float actual = yd[yo + b * steps + t];
                int row = po + (b * steps + t) * nq;
                double stepWeight = wd == null ? 1.0 : wd[wo + b * steps + t];
                for (int k = 0; k < nq; k++) {
                    float e = actual - pd[row + k];
                    // A weight of 1 leaves every term, and so the sum, as without weights.
                    total += 2f * Math.max((quantiles[k] - 1f) * e, quantiles[k] * e) * stepWeight;
                }
            }
        }
        long denominator = validSteps > 0 ? validSteps : count;
        if (denominator == 0) {
            throw new IllegalArgumentException("quantile loss over a batch with no valid decoder step");
        }
        float norm = 1f / (nq * (float) denominator);
        Tensor loss = Tensor.scalar((float) (total * norm));
        return Variable.fromOp(loss, (g, sink) -> {
            float scale = g.item() * norm;
            Tensor grad = Tensor.zeros(ps);
            float[] gd = grad.storage();
            for (int b = 0; b < batch; b++) {
                int len = Math.min(lengths[b], steps);
                for (int t = 0; t < len; t++) {
                    float actual = yd[yo + b * steps + t];
                    int row = (b * steps + t) * nq;
                    float stepScale = wd == null ? scale : scale * wd[wo + b * steps + t];
                    for (int k = 0; k < nq; k++) {
                        float e = actual - pd[po + row + k];
                        // d/dŷ of 2·max((q−1)e, qe); at a tie (e = 0) torch splits the gradient evenly.
                        float de = e > 0f ? 2f * quantiles[k] : e < 0f ? 2f * (quantiles[k] - 1f) : 2f * quantiles[k] - 1f;
                        gd[row + k] = -de * stepScale;
                    }
                }
            }
            sink.accumulate(0, grad);
        }, prediction);
    }
}
