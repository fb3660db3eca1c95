package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;

/** Embedding lookups: rows of a table chosen by class ids read in place from the batch's categorical tensor. */
public final class EmbeddingOps {
    private EmbeddingOps() {
    }

    /**
     * The (samples, steps, dim) rows {@code table[ids(b, t)]}, the id of (b, t) being the float at
     * {@code ids + b·sampleStride + t·stepStride} (elements; class ids are exact floats, as in the batch). The
     * table's gradient is a scatter-add of the rows' gradients.
     */
    public static DeviceVariable lookup(Tape tape, DeviceVariable table, long ids, int sampleStride, int stepStride,
                                        int samples, int steps) {
        GpuDevice device = tape.device();
        int dim = table.size(1);
        int rows = samples * steps;
        DeviceTensor y = tape.empty(samples, steps, dim);
        device.launch("embedding_forward", rows * dim, new KernelArguments().pointer(table.address()).pointer(ids)
                .i32(sampleStride).i32(stepStride).i32(steps).i32(rows).i32(dim).pointer(y.address()));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gt = table.gradientTarget();
            if (!gt.accumulate()) {
                gt.tensor().zero();
            }
            device.launch("embedding_backward", rows * dim, new KernelArguments().pointer(g.address()).pointer(ids)
                    .i32(sampleStride).i32(stepStride).i32(steps).i32(rows).i32(dim).pointer(gt.address()));
        }, table);
    }
}
