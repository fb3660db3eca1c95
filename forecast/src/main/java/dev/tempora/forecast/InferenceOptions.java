package dev.tempora.forecast;

/**
 * How a trained model runs its forecasts.
 *
 * @param batchSize windows per forward pass (default 64)
 * @param workers   data-parallel workers on the CPU, each forecasting a shard of every batch (null: one per
 *                  core, at most 8); results are bitwise the same for any number
 * @param device    {@code cpu} (the default) or an accelerator's name ({@code cuda}, through the gpu module)
 */
public record InferenceOptions(int batchSize, Integer workers, String device) {

    /** Checks the values. */
    public InferenceOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        device = device == null ? "cpu" : device;
        if (workers != null && !device.equals("cpu")) {
            throw new IllegalArgumentException("workers apply to the cpu device only");
        }
    }

    /** {@return batches of 64 on the CPU, one worker per core (at most 8)} */
    public static InferenceOptions defaults() {
        return new InferenceOptions(64, null, "cpu");
    }

    /**
     * These options with another batch size.
     *
     * @param windows windows per forward pass, at least 1
     * @return the new options
     */
    public InferenceOptions withBatchSize(int windows) {
        return new InferenceOptions(windows, workers, device);
    }

    /**
     * These options with another worker count.
     *
     * @param count data-parallel workers, at least 1; null for one per core (at most 8)
     * @return the new options
     * @throws IllegalArgumentException when a count is given and the device is not the CPU
     */
    public InferenceOptions withWorkers(Integer count) {
        return new InferenceOptions(batchSize, count, device);
    }

    /**
     * These options on another device; a worker count is dropped for a device other than the CPU.
     *
     * @param name {@code cpu} or {@code cuda}; null for the CPU
     * @return the new options
     */
    public InferenceOptions withDevice(String name) {
        return new InferenceOptions(batchSize, name != null && !name.equals("cpu") ? null : workers, name);
    }
}
