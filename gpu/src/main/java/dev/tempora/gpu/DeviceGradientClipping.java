package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradient clipping by global norm on the device, as {@link dev.tempora.models.GradientClipping#clipByGlobalNorm}
 * (torch's {@code clip_grad_norm_}): the L2 norm over all gradients in double, and when maxNorm / (norm + 1e-6)
 * is below 1 every gradient is scaled by it. Two launches for all gradients ({@code clip_sum_squares} and
 * {@code clip_scale} in {@code src/main/cuda/optimizer.cuh}), summed in a fixed order, and no host
 * synchronisation: the norm stays on the device.
 *
 * <p>An instance owns the device table of the gradients' addresses. The static methods keep the tables of the
 * last few gradient lists they saw, so a training loop whose gradients stay put uploads its table once.
 */
public final class DeviceGradientClipping implements AutoCloseable {
    private static final int CACHED_TABLES = 4;
    private static final Map<Key, DeviceGradientClipping> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, DeviceGradientClipping> eldest) {
            boolean full = size() > CACHED_TABLES;
            if (full) {
                eldest.getValue().close();
            }
            return full;
        }
    };

    private final GpuDevice device;
    private final ChunkTable table;

    /** Clipping of these gradients (their addresses must stay valid while this lives). */
    public DeviceGradientClipping(GpuDevice device, long[] gradientAddresses, int[] sizes) {
        this.device = device;
        this.table = new ChunkTable(device, gradientAddresses, null, sizes);
    }

    /** Clips the gradients in place; {@code normOut}, when not null, receives the norm before clipping. */
    public void clip(float maxNorm, DeviceTensor normOut) {
        if (normOut != null && normOut.numel() != 1) {
            throw new IllegalArgumentException("the norm goes to a tensor of one element, not " + normOut);
        }
        int[] block = {GpuDevice.BLOCK, 1, 1};
        if (table.chunks() == 0) {
            if (normOut != null) {
                normOut.zero();
            }
            return;
        }
        device.launch("clip_sum_squares", table.grid(), block, 0,
                table.appendTo(new KernelArguments()).pointer(table.partials()));
        device.launch("clip_scale", table.grid(), block, 0, table.appendTo(new KernelArguments())
                .pointer(table.partials()).i32(table.chunks()).f32(maxNorm).pointer(normOut == null ? 0 : normOut.address()));
    }

    /** Clips the gradients at these addresses in place when their global norm exceeds maxNorm. */
    public static void clipByGlobalNorm(GpuDevice device, long[] gradientAddresses, int[] sizes, float maxNorm) {
        clipByGlobalNorm(device, gradientAddresses, sizes, maxNorm, null);
    }

    /** As {@link #clipByGlobalNorm(GpuDevice, long[], int[], float)}, writing the norm before clipping to normOut. */
    public static void clipByGlobalNorm(GpuDevice device, long[] gradientAddresses, int[] sizes, float maxNorm,
                                        DeviceTensor normOut) {
        DeviceGradientClipping clipping;
        synchronized (CACHE) {
            clipping = CACHE.computeIfAbsent(new Key(device, gradientAddresses.clone(), sizes.clone()),
                    k -> new DeviceGradientClipping(device, k.addresses, k.sizes));
        }
        clipping.clip(maxNorm, normOut);
    }

    @Override
    public void close() {
        table.close();
    }

    /** A gradient list by value. */
    private record Key(GpuDevice device, long[] addresses, int[] sizes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.device == device && Arrays.equals(k.addresses, addresses)
                    && Arrays.equals(k.sizes, sizes);
        }

        @Override
        public int hashCode() {
            return (System.identityHashCode(device) * 31 + Arrays.hashCode(addresses)) * 31 + Arrays.hashCode(sizes);
        }
    }
}
