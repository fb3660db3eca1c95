package dev.tempora.gpu.driver;

/**
 * What the GPU backend needs from a device: memory, copies, kernel launches by name, and ordering. Two
 * implementations: {@link CudaDriver} (an NVIDIA GPU through JCuda's driver API, kernels from the PTX built
 * out of {@code src/main/cuda}) and {@link EmulatedDriver} (the very same kernel sources compiled for the
 * CPU, so parity tests run without a GPU). Addresses are plain 64-bit device addresses.
 *
 * <p>A driver is used from one thread at a time; work is issued in order on one stream, so a download sees
 * every launch issued before it.
 */
public interface DeviceDriver extends AutoCloseable {

    /** The device in words: name, memory, driver version. */
    String description();

    /** Allocates {@code bytes} of device memory and returns its address. */
    long allocate(long bytes);

    /** Frees memory from {@link #allocate}. */
    void free(long address);

    /** Copies {@code count} floats from {@code source[offset]} to the device address {@code destination}. */
    void upload(long destination, float[] source, int offset, int count);

    /**
     * Copies {@code count} floats from the device address {@code source} to {@code destination[offset]}, after
     * every launch issued before it.
     */
    void download(long source, float[] destination, int offset, int count);

    /** 64-bit words (dropout seeds, address tables), copied as {@link #upload(long, float[], int, int)} copies floats. */
    void upload(long destination, long[] source, int offset, int count);

    /** Sets {@code count} 32-bit words at {@code destination} to {@code bits}. */
    void fill(long destination, int bits, long count);

    /** Copies {@code bytes} within device memory. */
    void copy(long destination, long source, long bytes);

    /**
     * Launches the kernel named {@code kernel}; {@code grid} and {@code block} are (x, y, z). Throws when
     * the kernel does not exist or the launch is refused.
     */
    void launch(String kernel, int[] grid, int[] block, int sharedBytes, KernelArguments arguments);

    /** Waits until every issued operation has finished (and reports an asynchronous fault, if any). */
    void synchronize();

    /** One profiled kernel: its name, launch shape and time on the device alone, in microseconds. */
    record ProfiledLaunch(String kernel, int[] grid, int[] block, double microseconds) {}

    /**
     * Turns kernel profiling on or off. While on, every launch runs in isolation and is timed on the device
     * (slow: for finding where a step's time goes, never while capturing a graph); {@link #takeProfile}
     * returns what was measured since the last call.
     */
    default void setProfiling(boolean on) {
        throw new UnsupportedOperationException(description() + " does not profile kernels");
    }

    /** The launches timed since the last call (see {@link #setProfiling}); empty when profiling is off. */
    default java.util.List<ProfiledLaunch> takeProfile() {
        return java.util.List.of();
    }

    /** Records the whole sequence of launches {@code body} issues as one replayable graph (CUDA graphs). */
    default Graph capture(Runnable body) {
        body.run();
        return () -> body.run();
    }

    /** A captured sequence of launches, replayed with the same addresses and arguments. */
    interface Graph extends AutoCloseable {
        /** Replays the captured launches on the stream. */
        void launch();

        @Override
        default void close() {
        }
    }

    @Override
    void close();
}
