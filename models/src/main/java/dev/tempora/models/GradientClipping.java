package dev.tempora.models;

import dev.tempora.autograd.Variable;
import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.ElementwiseKernels;

import java.util.List;

/** Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_. */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales all gradients by maxNorm / (norm + 1e-6) when the global L2 norm exceeds maxNorm.
     *
     * @return the global norm before clipping (infinite or NaN if some gradient is)
     */
    public static double clipByGlobalNorm(List<Variable> parameters, double maxNorm) {
        double sum = 0;
        for (Variable p : parameters) {
            Tensor g = p.grad();
            if (g != null) {
                Tensor c = g.contiguous();
                sum += ElementwiseKernels.sumOfSquares(c.storage(), c.storageOffset(), c.numel());
            }
        }
        double norm = Math.sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1 && Double.isFinite(norm)) {
            for (Variable p : parameters) {
                if (p.grad() != null) {
                    p.grad().mulInPlace((float) coefficient);
                }
            }
        }
        return norm;
    }
}
