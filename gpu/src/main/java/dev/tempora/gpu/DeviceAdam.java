package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

/**
 * Adam on the device: one launch of {@code adam_step} ({@code src/main/cuda/optimizer.cuh}) updates every
 * parameter. The CPU reference is {@link dev.tempora.models.Adam}, which this matches bit for bit: the same
 * bias corrections computed on the host in double, the same float operations in the same order on the device
 * (the kernel uses no fused multiply-adds). The state is the moments (torch's exp_avg and exp_avg_sq), kept as
 * {@link ChunkedDeviceOptimizer} describes; {@link #steps()} is the bias corrections' t.
 *
 * <p>The learning rate and bias corrections are kernel arguments: a CUDA graph that captured {@link #step()}
 * would replay the first step's values, so launch the step outside the captured graph.
 */
public final class DeviceAdam extends ChunkedDeviceOptimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    /** Adam with L2 weight decay (added to the gradient), as {@code torch.optim.Adam}. */
    public DeviceAdam(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                      double beta1, double beta2, double eps, double weightDecay) {
        this(device, parameterAddresses, gradientAddresses, sizes, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** With {@code decoupled}, AdamW: the decay shrinks the weights directly by lr·decay. */
    public DeviceAdam(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                      double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(device, "adam_step", parameterAddresses, gradientAddresses, sizes, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    KernelArguments appendScalars(KernelArguments arguments) {
        // As Adam.update computes them, on the host.
        double learningRate = learningRate();
        double correction1 = 1 - Math.pow(beta1, steps());
        double correction2 = 1 - Math.pow(beta2, steps());
        float stepSize = (float) (learningRate / correction1);
        float sqrtCorrection2 = (float) Math.sqrt(correction2);
        // (1 − β) in double, as torch does: 1 − (float) 0.9 would be 0.10000002.
        return arguments
                .f32((float) beta1).f32((float) beta2).f32((float) (1 - beta1)).f32((float) (1 - beta2)).f32((float) eps)
                .f32(stepSize).f32(sqrtCorrection2).f32((float) weightDecay).i32(decoupled ? 1 : 0)
                .f32((float) (1 - learningRate * weightDecay));
    }
}
