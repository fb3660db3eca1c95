package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import dev.tempora.models.Ranger;

/**
 * Ranger (RAdam + Lookahead) on the device: one launch of {@code ranger_step} ({@code src/main/cuda/optimizer.cuh})
 * updates every parameter, and on every k-th step also pulls the slow weights towards the fast ones and restarts
 * from them, in that same launch. The CPU reference is {@link Ranger}, which this matches bit for bit: its
 * hyper-parameters and its per-step scalars ({@link Ranger.RAdamStep}, {@link Ranger#isLookaheadStep}) are
 * decided here by the very same code, in double on the host, and the device does the same float operations in
 * the same order (no fused multiply-adds). {@link #steps()} is RAdam's t; Lookahead synchronises when it is a
 * multiple of k.
 *
 * <p>The state is the moments (exp_avg, exp_avg_sq) and the slow weights (slow_buffer), kept as
 * {@link ChunkedDeviceOptimizer} describes. The slow weights start as a copy of the parameters' values when this
 * is constructed, taken in stream order.
 *
 * <p>The learning rate and the per-step scalars are kernel arguments: a CUDA graph that captured {@link #step()}
 * would replay the first step's values, so launch the step outside the captured graph.
 */
public final class DeviceRanger extends ChunkedDeviceOptimizer {
    private final long slow;
    private final double weightDecay;

    /** Ranger with PTF's hyper-parameters; {@code weightDecay} shrinks the weights directly by lr·decay. */
    public DeviceRanger(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                        double weightDecay) {
        super(device, "ranger_step", parameterAddresses, gradientAddresses, sizes, lr, "slow_buffer");
        this.slow = state("slow_buffer");
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > 0) { // an empty tensor may have no memory behind its address
                device.driver().copy(slow + 4 * offset, parameterAddresses[i], 4L * sizes[i]);
            }
            offset += sizes[i];
        }
        this.weightDecay = weightDecay;
    }

    @Override
    KernelArguments appendScalars(KernelArguments arguments) {
        // As Ranger.update converts them to float; (1 − β) in double, as torch does.
        long steps = steps();
        double learningRate = learningRate();
        Ranger.RAdamStep radam = Ranger.RAdamStep.at(steps);
        return arguments
                .f32((float) Ranger.BETA1).f32((float) Ranger.BETA2)
                .f32((float) (1 - Ranger.BETA1)).f32((float) (1 - Ranger.BETA2)).f32((float) Ranger.EPS)
                .f32((float) (radam.stepSize() * learningRate)).i32(radam.rectified() ? 1 : 0)
                .i32(weightDecay != 0 ? 1 : 0).f32((float) (weightDecay * learningRate))
                .i32(Ranger.isLookaheadStep(steps) ? 1 : 0).f32(Ranger.LOOKAHEAD_ALPHA);
    }

    /** Lookahead's slow weights of all parameters, concatenated in parameter order. */
    public float[] slowWeights() {
        return download(slow);
    }
}
