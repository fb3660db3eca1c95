package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import dev.tempora.models.Ranger;

/**
 * Ranger (RAdam + Lookahead) on the device: one launch of {@code ranger_step} ({@code src/main/cuda/optimizer.cuh})
 * updates every parameter, and on every k-th step also pulls the slow weights towards the fast ones and restarts
 * from them, in that same launch. The CPU reference is {@link Ranger}, which this matches bit for bit: its
 * hyper-parameters and its per-step scalars ({@link Ranger.RAdamStep}, {@link Ranger#isLookaheadStep}) are
 * decided here by the very same code, in double on the host, and the device does the same float operations in
 * the same order (no fused multiply-adds).
 *
 * <p>The moments and the slow weights live on the device, allocated here outside the device's pool and scopes, as
 * does the table of the parameters' and gradients' addresses: those addresses must stay valid and fixed for the
 * life of the optimiser. The slow weights start as a copy of the parameters' values when this is constructed,
 * taken in stream order. Every parameter is updated at every step (there is no "parameter without a gradient").
 *
 * <p>The learning rate and the per-step scalars are kernel arguments: a CUDA graph that captured {@link #step()}
 * would replay the first step's values, so launch the step outside the captured graph.
 */
public final class DeviceRanger implements DeviceOptimizer {
    private final GpuDevice device;
    private final ChunkTable table;
    /** Device addresses of the concatenated moments (exp_avg, exp_avg_sq) and slow weights (slow_buffer). */
    private final long expAvg;
    private final long expAvgSq;
    private final long slow;
    private final double weightDecay;
    private double learningRate;
    private long steps;
    private boolean closed;

    /** Ranger with PTF's hyper-parameters; {@code weightDecay} shrinks the weights directly by lr·decay. */
    public DeviceRanger(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                        double weightDecay) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        if (gradientAddresses.length != parameterAddresses.length) {
            throw new IllegalArgumentException(parameterAddresses.length + " parameters but " + gradientAddresses.length
                    + " gradients");
        }
        this.device = device;
        this.table = new ChunkTable(device, parameterAddresses, gradientAddresses, sizes);
        long total = table.totalElements();
        this.expAvg = device.driver().allocate(4 * Math.max(1, total));
        this.expAvgSq = device.driver().allocate(4 * Math.max(1, total));
        this.slow = device.driver().allocate(4 * Math.max(1, total));
        device.driver().fill(expAvg, 0, total);
        device.driver().fill(expAvgSq, 0, total);
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] > 0) { // an empty tensor may have no memory behind its address
                device.driver().copy(slow + 4 * offset, parameterAddresses[i], 4L * sizes[i]);
            }
            offset += sizes[i];
        }
        this.learningRate = lr;
        this.weightDecay = weightDecay;
    }

    /** One update of every parameter from its current gradient (asynchronous, in stream order). */
    @Override
    public void step() {
        steps++;
        if (table.chunks() == 0) {
            return;
        }
        // As Ranger.update converts them to float; (1 − β) in double, as torch does.
        Ranger.RAdamStep radam = Ranger.RAdamStep.at(steps);
        KernelArguments arguments = table.appendTo(new KernelArguments())
                .pointer(expAvg).pointer(expAvgSq).pointer(slow)
                .f32((float) Ranger.BETA1).f32((float) Ranger.BETA2)
                .f32((float) (1 - Ranger.BETA1)).f32((float) (1 - Ranger.BETA2)).f32((float) Ranger.EPS)
                .f32((float) (radam.stepSize() * learningRate)).i32(radam.rectified() ? 1 : 0)
                .i32(weightDecay != 0 ? 1 : 0).f32((float) (weightDecay * learningRate))
                .i32(Ranger.isLookaheadStep(steps) ? 1 : 0).f32(Ranger.LOOKAHEAD_ALPHA);
        device.launch("ranger_step", table.grid(), new int[] {GpuDevice.BLOCK, 1, 1}, 0, arguments);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double lr) {
        this.learningRate = lr;
    }

    /** Steps taken so far (RAdam's t; Lookahead synchronises when it is a multiple of k). */
    @Override
    public long steps() {
        return steps;
    }

    /** The first moments of all parameters, concatenated in parameter order (for checkpoints). */
    public float[] firstMoments() {
        return download(expAvg);
    }

    /** The second moments of all parameters, concatenated in parameter order. */
    public float[] secondMoments() {
        return download(expAvgSq);
    }

    /** Lookahead's slow weights of all parameters, concatenated in parameter order. */
    public float[] slowWeights() {
        return download(slow);
    }

    private float[] download(long address) {
        float[] values = new float[(int) table.totalElements()];
        device.driver().download(address, values, 0, values.length);
        return values;
    }

    @Override
    public java.util.Map<String, float[]> buffers() {
        java.util.Map<String, float[]> all = new java.util.LinkedHashMap<>();
        all.put("exp_avg", download(expAvg));
        all.put("exp_avg_sq", download(expAvgSq));
        all.put("slow_buffer", download(slow));
        return all;
    }

    @Override
    public void load(java.util.Map<String, float[]> buffers, long steps) {
        long n = table.totalElements();
        float[] expAvgValues = DeviceOptimizer.require(buffers, "exp_avg", n);
        float[] expAvgSqValues = DeviceOptimizer.require(buffers, "exp_avg_sq", n);
        float[] slowValues = DeviceOptimizer.require(buffers, "slow_buffer", n);
        device.driver().upload(expAvg, expAvgValues, 0, expAvgValues.length);
        device.driver().upload(expAvgSq, expAvgSqValues, 0, expAvgSqValues.length);
        device.driver().upload(slow, slowValues, 0, slowValues.length);
        this.steps = steps;
    }

    /** Frees the moments, the slow weights and the table. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            table.close();
            device.driver().free(expAvg);
            device.driver().free(expAvgSq);
            device.driver().free(slow);
        }
    }
}
