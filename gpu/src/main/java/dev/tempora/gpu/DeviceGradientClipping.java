package dev.tempora.gpu;

import dev.tempora.gpu.driver.KernelArguments;

/**
 * Gradient clipping by global norm on the device, as {@link dev.tempora.models.GradientClipping#clipByGlobalNorm}
 * (torch's {@code clip_grad_norm_}): the L2 norm over all gradients in double, and when maxNorm / (norm + 1e-6)
 * is below 1 every gradient is scaled by it. Two launches for all gradients ({@code clip_sum_squares} and
 * {@code clip_scale} in {@code src/main/cuda/optimizer.cuh}), summed in a fixed order, and no host
 * synchronisation: the norm stays on the device.
 *
 * <p>An instance owns the device table of the gradients' addresses, uploaded when it is made (outside any
 * graph capture), so a training loop whose gradients stay put holds one instance and uploads its table once.
 */
public final class DeviceGradientClipping implements AutoCloseable {
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

    @Override
    public void close() {
        table.close();
    }
}
