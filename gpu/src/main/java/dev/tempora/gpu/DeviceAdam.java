package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

/**
 * Adam on the device: one launch of {@code adam_step} ({@code src/main/cuda/optimizer.cuh}) updates every
 * parameter. The CPU reference is {@link dev.tempora.models.Adam}, which this matches bit for bit: the same
 * bias corrections computed on the host in double, the same float operations in the same order on the device
 * (the kernel uses no fused multiply-adds).
 *
 * <p>The moments live on the device, allocated here (zero) outside the device's pool and scopes, as does the
 * table of the parameters' and gradients' addresses: those addresses must stay valid and fixed for the life of
 * the optimiser. Every parameter is updated at every step (there is no "parameter without a gradient").
 *
 * <p>The learning rate and bias corrections are kernel arguments: a CUDA graph that captured {@link #step()}
 * would replay the first step's values, so launch the step outside the captured graph.
 */
public final class DeviceAdam implements DeviceOptimizer {
    private final GpuDevice device;
    private final ChunkTable table;
    /** Device addresses of the concatenated moments (torch's exp_avg and exp_avg_sq). */
    private final long expAvg;
    private final long expAvgSq;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;
    private double learningRate;
    private long steps;
    private boolean closed;

    /** Adam with L2 weight decay (added to the gradient), as {@code torch.optim.Adam}. */
    public DeviceAdam(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                      double beta1, double beta2, double eps, double weightDecay) {
        this(device, parameterAddresses, gradientAddresses, sizes, lr, beta1, beta2, eps, weightDecay, false);
    }

    /** With {@code decoupled}, AdamW: the decay shrinks the weights directly by lr·decay. */
    public DeviceAdam(GpuDevice device, long[] parameterAddresses, long[] gradientAddresses, int[] sizes, double lr,
                      double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
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
        device.driver().fill(expAvg, 0, total);
        device.driver().fill(expAvgSq, 0, total);
        this.learningRate = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /** One update of every parameter from its current gradient (asynchronous, in stream order). */
    @Override
    public void step() {
        steps++;
        if (table.chunks() == 0) {
            return;
        }
        // As Adam.update computes them, on the host.
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2 = 1 - Math.pow(beta2, steps);
        float stepSize = (float) (learningRate / correction1);
        float sqrtCorrection2 = (float) Math.sqrt(correction2);
        // (1 − β) in double, as torch does: 1 − (float) 0.9 would be 0.10000002.
        KernelArguments arguments = table.appendTo(new KernelArguments())
                .pointer(expAvg).pointer(expAvgSq)
                .f32((float) beta1).f32((float) beta2).f32((float) (1 - beta1)).f32((float) (1 - beta2)).f32((float) eps)
                .f32(stepSize).f32(sqrtCorrection2).f32((float) weightDecay).i32(decoupled ? 1 : 0)
                .f32((float) (1 - learningRate * weightDecay));
        device.launch("adam_step", table.grid(), new int[] {GpuDevice.BLOCK, 1, 1}, 0, arguments);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(double lr) {
        this.learningRate = lr;
    }

    /** Steps taken so far (the bias corrections' t). */
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
        return all;
    }

    @Override
    public void load(java.util.Map<String, float[]> buffers, long steps) {
        long n = table.totalElements();
        float[] expAvgValues = DeviceOptimizer.require(buffers, "exp_avg", n);
        float[] expAvgSqValues = DeviceOptimizer.require(buffers, "exp_avg_sq", n);
        device.driver().upload(expAvg, expAvgValues, 0, expAvgValues.length);
        device.driver().upload(expAvgSq, expAvgSqValues, 0, expAvgSqValues.length);
        this.steps = steps;
    }

    /** Frees the moments and the table. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            table.close();
            device.driver().free(expAvg);
            device.driver().free(expAvgSq);
        }
    }
}
