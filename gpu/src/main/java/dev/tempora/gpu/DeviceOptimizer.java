package dev.tempora.gpu;

import java.util.Map;

/**
 * An optimiser whose state lives on the device and that updates every parameter in one launch
 * ({@link DeviceAdam}, {@link DeviceRanger}). Its buffers are flat, in the order of the parameter list it was
 * built with, so a trainer can exchange them with the CPU optimiser's per-parameter buffers for checkpoints.
 */
public interface DeviceOptimizer extends AutoCloseable {

    /** One update from the current gradients (asynchronous, in stream order). */
    void step();

    /** The learning rate the next {@link #step()} uses. */
    double learningRate();

    /** Sets the learning rate for the following steps (the CPU trainer's schedule drives it). */
    void setLearningRate(double lr);

    /** The number of updates made so far, including those of a loaded state. */
    long steps();

    /**
     * The state buffers by the CPU optimiser's names for them ({@code exp_avg}, {@code exp_avg_sq},
     * {@code slow_buffer}), each all parameters' values end to end (downloaded).
     */
    Map<String, float[]> buffers();

    /** Replaces the state: buffers as {@link #buffers} gives them (every one), and the step count. */
    void load(Map<String, float[]> buffers, long steps);

    @Override
    void close();

    /** The buffer named {@code kind} of {@code buffers}, checked against the expected length. */
    static float[] require(Map<String, float[]> buffers, String kind, long length) {
        float[] b = buffers.get(kind);
        if (b == null || b.length != length) {
            throw new IllegalArgumentException("optimiser state '" + kind + "' " + (b == null ? "is missing"
                    : "has " + b.length + " values for " + length + " parameters' worth"));
        }
        return b;
    }
}
