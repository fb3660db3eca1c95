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

    private final double beta1 = 0.95;
    private final double beta2 = 0.999;
    private final double eps = 1e-5;
    private final double weightDecay;
    private final int smaThreshold = 5;
    private final int k = 6;
    private final float alpha = 0.5f;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] slow;

    public Ranger(List<Variable> parameters, double lr) {
        this(parameters, lr, 0);
    }

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
        double beta2t = Math.pow(beta2, steps);
        double smaMax = 2 / (1 - beta2) - 1;
        double sma = smaMax - 2 * steps * beta2t / (1 - beta2t);
        boolean rectified = sma > smaThreshold;
        double stepSize = rectified
                ? Math.sqrt((1 - beta2t) * (sma - 4) / (smaMax - 4) * (sma - 2) / sma * smaMax / (smaMax - 2))
                  / (1 - Math.pow(beta1, steps))
                : 1.0 / (1 - Math.pow(beta1, steps));
        float lrStep = (float) (stepSize * learningRate);
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        for (int j = 0; j < g.length; j++) {
            float grad = g[j];
            v[j] = b2 * v[j] + c2 * grad * grad;
            m[j] = b1 * m[j] + c1 * grad;
            float p = w[offset + j];
            if (weightDecay != 0) {
                p -= (float) (weightDecay * learningRate) * p;
            }
            p -= rectified ? lrStep * m[j] / ((float) Math.sqrt(v[j]) + (float) eps) : lrStep * m[j];
            w[offset + j] = p;
        }
        if (steps % k == 0) {
            float[] s = slow[i];
            for (int j = 0; j < g.length; j++) {
                s[j] += alpha * (w[offset + j] - s[j]);
                w[offset + j] = s[j];
            }
        }
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
