package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceBlas;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import java.util.Arrays;

/** Products: torch's {@code F.linear} and a plain matrix product over the last axis. */
public final class LinearOps {
    private LinearOps() {
    }

    /**
     * {@code x · weightᵀ + bias} over the last axis of x (any leading shape): weight (out, in), bias (out) or
     * null. One GEMM each way (the weight's gradient added straight into its buffer): the forward adds the
     * bias in the GEMM's epilogue, and the weight gradient's GEMM also sums dY's columns into the bias
     * gradient (a separate column sum only when the weight needs no gradient).
     */
    public static DeviceVariable linear(Tape tape, DeviceVariable x, DeviceVariable weight, DeviceVariable bias) {
        int out = weight.size(0);
        int in = weight.size(1);
        if (x.size(-1) != in || (bias != null && bias.numel() != out)) {
            throw new IllegalArgumentException("linear: input " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(weight.shape()) + (bias == null ? "" : ", bias " + Arrays.toString(bias.shape())));
        }
        GpuDevice device = tape.device();
        int rows = x.numel() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        DeviceTensor y = tape.empty(shape);
        DeviceBlas.gemm(device, false, true, rows, out, in, 1f, x.address(), in, weight.address(), in, 0f, y.address(), out,
                bias == null ? 0L : bias.address(), 0L, false);
        return tape.result(y, g -> {
            DeviceVariable.Gradient gb = bias != null && bias.requiresGrad() ? bias.gradientTarget() : null;
            if (weight.requiresGrad()) {
                DeviceVariable.Gradient gw = weight.gradientTarget();
                DeviceBlas.gemm(device, true, false, out, in, rows, 1f, g.address(), out, x.address(), in,
                        gw.flag(), gw.address(), in, 0L, gb == null || in == 0 ? 0L : gb.address(),
                        gb != null && gb.accumulate());
            }
            if (gb != null && (!weight.requiresGrad() || in == 0)) {
                Kernels.columnSums(device, g.address(), gb.address(), gb.accumulate(), rows, out);
            }
            if (x.requiresGrad()) {
                DeviceVariable.Gradient gx = x.gradientTarget();
                DeviceBlas.gemm(device, false, false, rows, in, out, 1f, g.address(), out, weight.address(), in,
                        gx.flag(), gx.address(), in);
            }
        }, x, weight, bias);
    }

    /**
     * A group of equal-shape linear layers in one launch each way: x (members, ..., in) holds the members'
     * inputs stacked, weight (members·out, in) their weights stacked (member m's rows m·out..), bias
     * (members·out) or null; member m's output {@code x[m] · weight[m]ᵀ + bias[m]} is row block m of the result
     * (members, ..., out). The same products as {@link #linear} per member (the same kernels' tiles, batched
     * over the grid; split K is planned for all members together, so a weight gradient may round differently
     * from the lone layer's); the weight gradients' GEMM sums the bias gradients too.
     */
    public static DeviceVariable groupedLinear(Tape tape, DeviceVariable x, DeviceVariable weight, DeviceVariable bias) {
        int members = x.size(0);
        int in = weight.size(1);
        int out = weight.size(0) / Math.max(members, 1);
        if (members < 1 || weight.size(0) != members * out || x.size(-1) != in || x.shape().length < 2
                || (bias != null && bias.numel() != members * out)) {
            throw new IllegalArgumentException("groupedLinear: input " + Arrays.toString(x.shape()) + ", weight "
                    + Arrays.toString(weight.shape()) + (bias == null ? "" : ", bias " + Arrays.toString(bias.shape())));
        }
        GpuDevice device = tape.device();
        int rows = x.numel() / members / in;
        long xStride = (long) rows * in;
        long yStride = (long) rows * out;
        long wStride = (long) out * in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        DeviceTensor y = tape.empty(shape);
        DeviceBlas.gemmBatched(device, members, false, true, rows, out, in, 1f, x.address(), in, xStride,
                weight.address(), in, wStride, 0f, y.address(), out, yStride, bias == null ? 0L : bias.address(), out,
                0L, 0L, false);
        return tape.result(y, g -> {
            DeviceVariable.Gradient gb = bias != null && bias.requiresGrad() ? bias.gradientTarget() : null;
            if (weight.requiresGrad()) {
                DeviceVariable.Gradient gw = weight.gradientTarget();
                DeviceBlas.gemmBatched(device, members, true, false, out, in, rows, 1f, g.address(), out, yStride,
                        x.address(), in, xStride, gw.flag(), gw.address(), in, wStride, 0L, 0L,
                        gb == null || in == 0 ? 0L : gb.address(), out, gb != null && gb.accumulate());
            }
            if (gb != null && (!weight.requiresGrad() || in == 0)) {
                Kernels.sumMiddle(device, g.address(), 0L, gb.address(), gb.accumulate(), members, rows, out);
            }
            if (x.requiresGrad()) {
                DeviceVariable.Gradient gx = x.gradientTarget();
                DeviceBlas.gemmBatched(device, members, false, false, rows, in, out, 1f, g.address(), out, yStride,
                        weight.address(), in, wStride, gx.flag(), gx.address(), in, xStride, 0L, 0L, 0L, 0L, false);
            }
        }, x, weight, bias);
    }

    /** {@code x · m} over the last axis of x: m (in, out), e.g. PTF's feature interpolation matrix. */
    public static DeviceVariable matmul(Tape tape, DeviceVariable x, DeviceVariable m) {
        int in = m.size(0);
        int out = m.size(1);
        if (x.size(-1) != in) {
            throw new IllegalArgumentException("matmul: " + Arrays.toString(x.shape()) + " · " + Arrays.toString(m.shape()));
        }
        GpuDevice device = tape.device();
        int rows = x.numel() / in;
        int[] shape = x.shape();
        shape[shape.length - 1] = out;
        DeviceTensor y = tape.empty(shape);
        DeviceBlas.gemm(device, false, false, rows, out, in, 1f, x.address(), in, m.address(), out, 0f, y.address(), out);
        return tape.result(y, g -> {
            if (m.requiresGrad()) {
                DeviceVariable.Gradient gm = m.gradientTarget();
                DeviceBlas.gemm(device, true, false, in, out, rows, 1f, x.address(), in, g.address(), out,
                        gm.flag(), gm.address(), out);
            }
            if (x.requiresGrad()) {
                DeviceVariable.Gradient gx = x.gradientTarget();
                DeviceBlas.gemm(device, false, true, rows, in, out, 1f, g.address(), out, m.address(), out,
                        gx.flag(), gx.address(), in);
            }
        }, x, m);
    }
}
