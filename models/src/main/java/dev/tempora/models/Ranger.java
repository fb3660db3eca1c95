package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Ranger: RAdam with Lookahead, PyTorch Forecasting's default optimiser when the seed was written
 * (lessw2020's Ranger as PTF vendored it: betas 0.95/0.999, eps 1e-5, N_sma threshold 5, Lookahead
 * k 6 and alpha 0.5). RAdam rectifies the adaptive step while the variance estimate is unreliable
 * (early steps use plain momentum); every k steps Lookahead pulls a slow copy of the weights
 * alpha of the way towards the fast ones and restarts from it.
 */
public final class Ranger extends Optimizer {

    // The hyper-parameters PTF's Ranger fixes; public so that the device Ranger (gpu module) uses the same ones.
    /** β1, the momentum's decay. */
    public static final double BETA1 = 0.95;
    /** β2, the squared gradients' decay. */
    public static final double BETA2 = 0.999;
    /** Added to √v in a rectified step. */
    public static final double EPS = 1e-5;
    /** RAdam rectifies once the approximated SMA's length N_sma exceeds this. */
    public static final int SMA_THRESHOLD = 5;
    /** Lookahead's k: the slow weights synchronise at every k-th step. */
    public static final int LOOKAHEAD_STEPS = 6;
    /** Lookahead's alpha: how far the slow weights move towards the fast ones at a synchronisation. */
    public static final float LOOKAHEAD_ALPHA = 0.5f;

    private final double weightDecay;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] slow;

    /** Ranger without weight decay. */
    public Ranger(List<Variable> parameters, double lr) {
        this(parameters, lr, 0);
    }

    /** Ranger with weight decay that shrinks the weights (w −= lr·decay·w) at each update. */
    public Ranger(List<Variable> parameters, double lr, double weightDecay) {
        super(parameters, lr);
        this.weightDecay = weightDecay;
        this.expAvg = buffers();
        this.expAvgSq = buffers();
        this.slow = buffers();
        for (int i = 0; i < parameters.size(); i++) {
            System.arraycopy(parameters.get(i).value().contiguous().toFloatArray(), 0, slow[i], 0, slow[i].length);
        }
    }

    @Override
    protected void update(int i, float[] w, int offset, float[] g) {
        float[] m = expAvg[i];
        float[] v = expAvgSq[i];
        RAdamStep radam = RAdamStep.at(steps);
        boolean rectified = radam.rectified();
        float lrStep = (float) (radam.stepSize() * learningRate);
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float c1 = (float) (1 - BETA1);
        float c2 = (float) (1 - BETA2);
        for (int j = 0; j < g.length; j++) {
            float grad = g[j];
            v[j] = b2 * v[j] + c2 * grad * grad;
            m[j] = b1 * m[j] + c1 * grad;
            float p = w[offset + j];
            if (weightDecay != 0) {
                p -= (float) (weightDecay * learningRate) * p;
            }
            p -= rectified ? lrStep * m[j] / ((float) Math.sqrt(v[j]) + (float) EPS) : lrStep * m[j];
            w[offset + j] = p;
        }
        if (isLookaheadStep(steps)) {
            float[] s = slow[i];
            for (int j = 0; j < g.length; j++) {
                s[j] += LOOKAHEAD_ALPHA * (w[offset + j] - s[j]);
                w[offset + j] = s[j];
            }
        }
    }

    /**
     * RAdam's per-step scalars at step {@code t} (from 1), decided in double: whether the update is rectified
     * (N_sma above {@link #SMA_THRESHOLD}: the momentum is divided by √v + eps) and the step size that multiplies
     * the learning rate (the rectification term over β1's bias correction, or the bias correction alone while
     * the variance estimate is unreliable and the step is plain momentum).
     */
    public record RAdamStep(boolean rectified, double stepSize) {
        /** The scalars of step {@code t}, counted from 1. */
        public static RAdamStep at(long t) {
            double beta2t = Math.pow(BETA2, t);
            double smaMax = 2 / (1 - BETA2) - 1;
            double sma = smaMax - 2 * t * beta2t / (1 - beta2t);
            double correction1 = 1 - Math.pow(BETA1, t);
            return sma > SMA_THRESHOLD
                    ? new RAdamStep(true, Math.sqrt((1 - beta2t) * (sma - 4) / (smaMax - 4) * (sma - 2) / sma * smaMax
                            / (smaMax - 2)) / correction1)
                    : new RAdamStep(false, 1.0 / correction1);
        }
    }

    /** Whether step {@code t} (from 1) ends with Lookahead's synchronisation. */
    public static boolean isLookaheadStep(long t) {
        return t % LOOKAHEAD_STEPS == 0;
    }

    @Override
    protected void saveBuffers(Map<String, Tensor> s) {
        save(s, "exp_avg", expAvg);
        save(s, "exp_avg_sq", expAvgSq);
        save(s, "slow_buffer", slow);
    }

    @Override
    protected void loadBuffers(Map<String, Tensor> s) {
        load(s, "exp_avg", expAvg);
        load(s, "exp_avg_sq", expAvgSq);
        load(s, "slow_buffer", slow);
    }
}
