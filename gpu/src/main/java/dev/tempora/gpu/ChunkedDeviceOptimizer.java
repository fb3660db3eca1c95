package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the device optimisers of the Adam family ({@link DeviceAdam}, {@link DeviceRanger}) share: one launch of a
 * multi-tensor kernel of {@code src/main/cuda/optimizer.cuh} per step over a {@link ChunkTable} of the parameters'
 * and gradients' addresses, and named state buffers, each all parameters' values end to end: the moments
 * {@code exp_avg} and {@code exp_avg_sq}, then whatever further state a subclass names. A subclass gives only its
 * step's scalar arguments.
 *
 * <p>The state and the table live on the device, allocated here outside the device's pool and scopes: the
 * parameters' and gradients' addresses must stay valid and fixed for the life of the optimiser. The state starts
 * at zero. Every parameter is updated at every step (there is no "parameter without a gradient").
 */
abstract class ChunkedDeviceOptimizer implements DeviceOptimizer {
    private final GpuDevice device;
    private final ChunkTable table;
    private final String kernel;
    /** The state buffers' names (the CPU optimiser's) and device addresses, in the kernel's argument order. */
    private final String[] stateNames;
    private final long[] state;
    private double learningRate;
    private long steps;
    private boolean closed;

    /**
     * @param kernel     the step's kernel, whose arguments are the table, the state buffers in order and then the
     *                   scalars of {@link #appendScalars}
     * @param extraState the names of the state buffers after the two moments
     */
    ChunkedDeviceOptimizer(GpuDevice device, String kernel, long[] parameterAddresses, long[] gradientAddresses,
                           int[] sizes, double lr, String... extraState) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + lr);
        }
        if (gradientAddresses.length != parameterAddresses.length) {
            throw new IllegalArgumentException(parameterAddresses.length + " parameters but " + gradientAddresses.length
                    + " gradients");
        }
        this.device = device;
        this.kernel = kernel;
        this.table = new ChunkTable(device, parameterAddresses, gradientAddresses, sizes);
        this.stateNames = new String[2 + extraState.length];
        stateNames[0] = "exp_avg";
        stateNames[1] = "exp_avg_sq";
        System.arraycopy(extraState, 0, stateNames, 2, extraState.length);
        long total = table.totalElements();
        this.state = new long[stateNames.length];
        for (int i = 0; i < state.length; i++) {
            state[i] = device.driver().allocate(4 * Math.max(1, total));
            device.driver().fill(state[i], 0, total);
        }
        this.learningRate = lr;
    }

    /** Appends the step's scalar arguments, those after the table and the state buffers; {@link #steps} is its t. */
    abstract KernelArguments appendScalars(KernelArguments arguments);

    /** The device address of the state buffer named {@code name}. */
    final long state(String name) {
        for (int i = 0; i < stateNames.length; i++) {
            if (stateNames[i].equals(name)) {
                return state[i];
            }
        }
        throw new IllegalArgumentException("no optimiser state '" + name + "'");
    }

    /** One update of every parameter from its current gradient (asynchronous, in stream order). */
    @Override
    public final void step() {
        steps++;
        if (table.chunks() == 0) {
            return;
        }
        KernelArguments arguments = table.appendTo(new KernelArguments());
        for (long address : state) {
            arguments.pointer(address);
        }
        device.launch(kernel, table.grid(), new int[] {GpuDevice.BLOCK, 1, 1}, 0, appendScalars(arguments));
    }

    @Override
    public final double learningRate() {
        return learningRate;
    }

    @Override
    public final void setLearningRate(double lr) {
        this.learningRate = lr;
    }

    @Override
    public final long steps() {
        return steps;
    }

    /** The first moments of all parameters, concatenated in parameter order (for checkpoints). */
    public final float[] firstMoments() {
        return download(state("exp_avg"));
    }

    /** The second moments of all parameters, concatenated in parameter order. */
    public final float[] secondMoments() {
        return download(state("exp_avg_sq"));
    }

    /** The buffer at {@code address}: all parameters' values, concatenated in parameter order. */
    final float[] download(long address) {
        float[] values = new float[(int) table.totalElements()];
        device.driver().download(address, values, 0, values.length);
        return values;
    }

    @Override
    public final Map<String, float[]> buffers() {
        Map<String, float[]> all = new LinkedHashMap<>();
        for (int i = 0; i < state.length; i++) {
            all.put(stateNames[i], download(state[i]));
        }
        return all;
    }

    @Override
    public final void load(Map<String, float[]> buffers, long steps) {
        float[][] values = new float[state.length][];
        for (int i = 0; i < state.length; i++) { // every one checked before any is uploaded
            values[i] = DeviceOptimizer.require(buffers, stateNames[i], table.totalElements());
        }
        for (int i = 0; i < state.length; i++) {
            device.driver().upload(state[i], values[i], 0, values[i].length);
        }
        this.steps = steps;
    }

    /** Frees the state and the table. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            table.close();
            for (long address : state) {
                device.driver().free(address);
            }
        }
    }
}
