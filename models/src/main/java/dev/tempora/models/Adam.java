package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Adam (torch.optim.Adam): bias-corrected first and second moments, eps added to the square root;
 * weight decay, if any, is L2 added to the gradient. With {@code decoupled} it is AdamW: the decay
 * shrinks the weights directly by lr·decay.
 */
public class Adam extends Optimizer {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private final float[][] expAvg;
    private final float[][] expAvgSq;

    /** torch.optim.Adam's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Variable> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0, false);
    }

    /**
     * Adam with every hyper-parameter; {@code decoupled} applies {@code weightDecay} to the weights directly
     * (AdamW) instead of adding it to the gradient (Adam's L2).
     */
    public Adam(List<Variable> parameters, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean decoupled) {
        super(parameters, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.expAvg = buffers();
        this.expAvgSq = buffers();
    }

    @Override
    protected void update(int i, float[] w, int offset, float[] g) {
        float[] m = expAvg[i];
        float[] v = expAvgSq[i];
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate / correction1);
        float sqrtCorrection2 = (float) Math.sqrt(correction2);
        // (1 − β) in double, as torch does: 1 − (float) 0.9 would be 0.10000002.
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1);
        float c2 = (float) (1 - beta2);
        float e = (float) eps;
        for (int j = 0; j < g.length; j++) {
            float grad = g[j];
            if (weightDecay != 0) {
                if (decoupled) {
                    w[offset + j] *= (float) (1 - learningRate * weightDecay);
                } else {
                    grad += (float) weightDecay * w[offset + j];
                }
            }
            m[j] = b1 * m[j] + c1 * grad;
            v[j] = b2 * v[j] + c2 * grad * grad;
            float denom = (float) Math.sqrt(v[j]) / sqrtCorrection2 + e;
            w[offset + j] -= stepSize * m[j] / denom;
        }
    }

    @Override
    protected void saveBuffers(Map<String, Tensor> s) {
        save(s, "exp_avg", expAvg);
        save(s, "exp_avg_sq", expAvgSq);
    }

    @Override
    protected void loadBuffers(Map<String, Tensor> s) {
        load(s, "exp_avg", expAvg);
        load(s, "exp_avg_sq", expAvgSq);
    }
}
