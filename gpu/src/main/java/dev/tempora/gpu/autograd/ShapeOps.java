package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;

/** Reshapes, concatenation and narrowing along an axis, on dense row-major tensors. */
public final class ShapeOps {
    private static final int MAX_LIST = 16;

    private ShapeOps() {
    }

    /** The same memory seen with another shape; the gradient passes through without a copy. */
    public static DeviceVariable reshape(Tape tape, DeviceVariable x, int... shape) {
        return tape.result(x.value().reshape(shape), g -> x.takeGradient(g.reshape(x.shape())), x);
    }

    /** Inputs side by side along {@code axis} (their other sizes equal), as torch.cat. */
    public static DeviceVariable concat(Tape tape, int axis, DeviceVariable... parts) {
        GpuDevice device = tape.device();
        int n = parts.length;
        int[] shape = parts[0].shape();
        int a = axis < 0 ? shape.length + axis : axis;
        if (n > MAX_LIST) {
            throw new IllegalArgumentException("concat: at most " + MAX_LIST + " inputs, got " + n);
        }
        int outer = leading(shape, a);
        int[] widths = new int[MAX_LIST];
        long[] sources = new long[n];
        int total = 0;
        int axisSize = 0;
        for (int k = 0; k < n; k++) {
            int[] s = parts[k].shape();
            boolean fits = s.length == shape.length;
            for (int i = 0; fits && i < shape.length; i++) {
                fits = i == a || s[i] == shape[i];
            }
            if (!fits) {
                throw new IllegalArgumentException("concat along " + axis + ": " + Arrays.toString(shape) + " and "
                        + Arrays.toString(s));
            }
            widths[k] = parts[k].numel() / outer;
            total += widths[k];
            axisSize += s[a];
            sources[k] = parts[k].address();
        }
        int[] outShape = shape.clone();
        outShape[a] = axisSize;
        DeviceTensor y = tape.empty(outShape);
        int width = total;
        device.launch("concat_forward", outer * total, new KernelArguments().pointers(sources, MAX_LIST).ints(widths)
                .i32(outer).i32(total).pointer(y.address()));
        return tape.result(y, g -> {
            long[] targets = new long[n];
            int[] accumulate = new int[MAX_LIST];
            for (int k = 0; k < n; k++) {
                if (parts[k].requiresGrad()) {
                    DeviceVariable.Gradient t = parts[k].gradientTarget();
                    targets[k] = t.address();
                    accumulate[k] = t.flag();
                }
            }
            device.launch("concat_backward", outer * width, new KernelArguments().pointer(g.address())
                    .pointers(targets, MAX_LIST).ints(widths).ints(accumulate).i32(outer).i32(width));
        }, parts);
    }

    /** Inputs of one shape stacked along a new first axis (torch.stack(parts, 0)): one copy each way. */
    public static DeviceVariable stack(Tape tape, DeviceVariable... parts) {
        int[] shape = parts[0].shape();
        int[] stacked = new int[shape.length + 1];
        stacked[0] = parts.length;
        System.arraycopy(shape, 0, stacked, 1, shape.length);
        for (DeviceVariable p : parts) {
            if (!Arrays.equals(p.shape(), shape)) {
                throw new IllegalArgumentException("stack: shapes " + Arrays.toString(shape) + " and "
                        + Arrays.toString(p.shape()));
            }
        }
        return reshape(tape, parts.length == 1 ? parts[0] : concat(tape, 0, parts), stacked);
    }

    /**
     * The members of a stacked x (members, ...) as separate results, seen in x's memory (torch.unbind(x, 0);
     * no copy). The backward gathers their gradients into x's (one copy; zero for a member the backward did
     * not reach).
     */
    public static DeviceVariable[] unstack(Tape tape, DeviceVariable x) {
        GpuDevice device = tape.device();
        int n = x.size(0);
        if (n > MAX_LIST) {
            throw new IllegalArgumentException("unstack: at most " + MAX_LIST + " members, got " + n);
        }
        int[] shape = Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        if (n == 1) {
            return new DeviceVariable[] {reshape(tape, x, shape)};
        }
        int per = x.numel() / n;
        DeviceTensor[] views = new DeviceTensor[n];
        for (int m = 0; m < n; m++) {
            views[m] = x.value().slice((long) m * per, shape);
        }
        return tape.results(views, outs -> {
            DeviceTensor g = device.empty(x.shape());
            long[] sources = new long[n];
            int[] widths = new int[MAX_LIST];
            for (int m = 0; m < n; m++) {
                DeviceTensor gm = Tape.gradientOf(outs[m]);
                sources[m] = gm != null ? gm.address() : device.zeros(shape).address();
                widths[m] = per;
            }
            device.launch("concat_forward", n * per, new KernelArguments().pointers(sources, MAX_LIST).ints(widths)
                    .i32(1).i32(n * per).pointer(g.address()));
            x.takeGradient(g);
        }, x);
    }

    /** The product of the sizes before {@code axis}. */
    private static int leading(int[] shape, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= shape[i];
        }
        return n;
    }

    /** Indices [start, start + length) of {@code axis}, copied to a dense tensor (torch's narrow, then contiguous). */
    public static DeviceVariable narrow(Tape tape, DeviceVariable x, int axis, int start, int length) {
        GpuDevice device = tape.device();
        int[] shape = x.shape();
        int a = axis < 0 ? shape.length + axis : axis;
        if (start < 0 || length < 0 || start + length > shape[a]) {
            throw new IllegalArgumentException("narrow of " + Arrays.toString(shape) + " along " + axis + " at " + start
                    + " for " + length);
        }
        int outer = leading(shape, a);
        int inner = x.numel() / outer / shape[a];
        int[] sizes = {1, outer, length, inner};
        int[] strides = {0, shape[a] * inner, inner, 1};
        long offset = 4L * start * inner;
        int[] outShape = shape.clone();
        outShape[a] = length;
        DeviceTensor y = tape.empty(outShape);
        Kernels.strided(device, false, x.address() + offset, y.address(), sizes, strides);
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            if (!gx.accumulate()) { // the rows outside the narrowed range get no gradient
                gx.tensor().zero();
            }
            Kernels.strided(device, true, g.address(), gx.address() + offset, sizes, strides);
        }, x);
    }
}
