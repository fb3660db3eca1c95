package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.models.DropoutSeeds;

/**
 * The dropout seeds of one step in device memory, so a captured step replays with new masks: slot k holds
 * the seed of the step's (k+1)-th dropout call, exactly what {@link DropoutSeeds#next()} returns inside a
 * scope opened with the step's base seed. Masks then match the CPU model's bit for bit. Ops take their slot
 * with {@link #next()} in the CPU's call order; {@link #load} writes a step's seeds before it runs.
 */
public final class DeviceDropoutSeeds implements AutoCloseable {
    private final GpuDevice device;
    private final DeviceTensor buffer;
    private final long[] seeds;
    private int used;

    /** Room on {@code device} for the seeds of {@code capacity} dropout calls per step. */
    public DeviceDropoutSeeds(GpuDevice device, int capacity) {
        this.device = device;
        this.seeds = new long[capacity];
        this.buffer = device.empty(2 * capacity); // two 32-bit words a seed
    }

    /** Computes the seeds of a CPU scope opened with {@code baseSeed} and copies them to the device. */
    public void load(long baseSeed) {
        try (DropoutSeeds.Scope scope = DropoutSeeds.open(baseSeed)) {
            for (int i = 0; i < seeds.length; i++) {
                seeds[i] = DropoutSeeds.next();
            }
        }
        device.driver().upload(buffer.address(), seeds, 0, seeds.length);
    }

    /** Starts a forward pass: the next dropout call takes slot 0. */
    public void restart() {
        used = 0;
    }

    /** The slot of the next dropout call. */
    public int next() {
        if (used == seeds.length) {
            throw new IllegalStateException("more than " + seeds.length + " dropout calls in one step");
        }
        return used++;
    }

    /** The device address of slot 0 (64-bit words). */
    public long address() {
        return buffer.address();
    }

    @Override
    public void close() {
        buffer.close();
    }
}
