package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;

/**
 * Row-wise ops over the last axis: layer norm, the gated linear unit, GateAddNorm's fused tail, softmax and
 * the variable selection's weighted sum. The row kernels give each row one warp, eight rows a block.
 */
public final class NormOps {
    private static final int ROWS_PER_BLOCK = 8;

    private NormOps() {
    }

    private static int[] rowGrid(int rows) {
        return new int[] {(rows + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK, 1, 1};
    }

    private static final int[] ROW_BLOCK = {32 * ROWS_PER_BLOCK, 1, 1};

    /**
     * The rows of each of a group's members: x's rows are {@code weight.numel() / len} blocks of equal size
     * (the members' stacked activations), each normalised with its own row of the stacked (members·len)
     * weight and bias; a (len) weight is one member, the plain layer.
     */
    private static int rowsPerMember(String op, DeviceVariable x, DeviceVariable weight, int rows, int len) {
        int members = weight.numel() / len;
        if (members < 1 || weight.numel() != members * len || rows % members != 0) {
            throw new IllegalArgumentException(op + ": input " + Arrays.toString(x.shape()) + " with weight "
                    + Arrays.toString(weight.shape()));
        }
        return Math.max(rows / members, 1);
    }

    /**
     * Layer norm over the last axis with weight and bias (len) as torch's (biased variance); with stacked
     * (members·len) weight and bias, a group of layer norms over the members' stacked rows (each member the
     * same number of rows), one launch each way.
     */
    public static DeviceVariable layerNorm(Tape tape, DeviceVariable x, DeviceVariable weight, DeviceVariable bias,
                                           float eps) {
        GpuDevice device = tape.device();
        int len = x.size(-1);
        int rows = x.numel() / len;
        int perMember = rowsPerMember("layerNorm", x, weight, rows, len);
        int members = weight.numel() / len;
        DeviceTensor y = tape.empty(x.shape());
        DeviceTensor mean = tape.empty(rows);
        DeviceTensor rstd = tape.empty(rows);
        device.launch("layer_norm_forward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments().pointer(x.address())
                .pointer(weight.address()).pointer(bias.address()).pointer(y.address()).pointer(mean.address())
                .pointer(rstd.address()).i32(rows).i32(len).f32(eps).i32(perMember));
        return tape.result(y, g -> {
            boolean weightGrad = weight.requiresGrad();
            // The kernel always writes an input gradient: a scratch one when x needs none.
            try (DeviceTensor gn = weightGrad ? device.empty(rows, len) : null;
                 DeviceTensor scratch = x.requiresGrad() ? null : device.empty(rows, len)) {
                DeviceVariable.Gradient gx = x.requiresGrad() ? x.gradientTarget()
                        : new DeviceVariable.Gradient(scratch, false);
                device.launch("layer_norm_backward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments()
                        .pointer(g.address()).pointer(x.address()).pointer(mean.address()).pointer(rstd.address())
                        .pointer(weight.address()).pointer(gx.address()).pointer(gn == null ? 0L : gn.address())
                        .i32(rows).i32(len).i32(gx.flag()).i32(perMember));
                normParameterGradients(device, weight, bias, gn, g, members, perMember, len);
            }
        }, x, weight, bias);
    }

    /**
     * A norm's weight and bias gradients from gn = g·n and g ((members, rowsPerMember, len) each): the column
     * sums over each member's rows, both in one reduction when both are needed.
     */
    private static void normParameterGradients(GpuDevice device, DeviceVariable weight, DeviceVariable bias,
                                               DeviceTensor gn, DeviceTensor g, int members, int perMember, int len) {
        DeviceVariable.Gradient gw = weight.requiresGrad() ? weight.gradientTarget() : null;
        DeviceVariable.Gradient gb = bias.requiresGrad() ? bias.gradientTarget() : null;
        if (gw != null && gb != null) { // both column sums in one reduction
            Kernels.columnSumsPair(device, gn.address(), gw.address(), gw.accumulate(), g.address(), gb.address(),
                    gb.accumulate(), members, perMember, len);
        } else if (gw != null) {
            Kernels.sumMiddle(device, gn.address(), 0L, gw.address(), gw.accumulate(), members, perMember, len);
        } else if (gb != null) {
            Kernels.sumMiddle(device, g.address(), 0L, gb.address(), gb.accumulate(), members, perMember, len);
        }
    }

    /** The gated linear unit over the last axis (2h → h): first half · σ(second half), as torch's {@code F.glu}. */
    public static DeviceVariable glu(Tape tape, DeviceVariable x) {
        GpuDevice device = tape.device();
        int h = x.size(-1) / 2;
        int rows = x.numel() / (2 * h);
        int[] shape = x.shape();
        shape[shape.length - 1] = h;
        DeviceTensor y = tape.empty(shape);
        device.launch("glu_forward", rows * h, new KernelArguments().pointer(x.address()).pointer(y.address()).i32(rows)
                .i32(h));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("glu_backward", rows * h, new KernelArguments().pointer(x.address()).pointer(g.address())
                    .pointer(gx.address()).i32(rows).i32(h).i32(gx.flag()));
        }, x);
    }

    /**
     * {@code layerNorm(glu(z) + skip)} with weight and bias (h): z (..., 2h) the gate layer's output, skip
     * (..., h). PTF's GateAddNorm after its gate layer, one kernel each way. With stacked (members·h) weight
     * and bias, a group's over the members' stacked rows, as {@link #layerNorm}.
     */
    public static DeviceVariable gateAddNorm(Tape tape, DeviceVariable z, DeviceVariable skip, DeviceVariable weight,
                                             DeviceVariable bias, float eps) {
        GpuDevice device = tape.device();
        int h = skip.size(-1);
        int rows = skip.numel() / h;
        if (z.size(-1) != 2 * h || z.numel() != 2 * skip.numel()) {
            throw new IllegalArgumentException("gateAddNorm: gate input " + Arrays.toString(z.shape()) + ", skip "
                    + Arrays.toString(skip.shape()));
        }
        int perMember = rowsPerMember("gateAddNorm", skip, weight, rows, h);
        int members = weight.numel() / h;
        DeviceTensor sum = tape.empty(skip.shape());
        DeviceTensor y = tape.empty(skip.shape());
        DeviceTensor mean = tape.empty(rows);
        DeviceTensor rstd = tape.empty(rows);
        device.launch("gate_add_norm_forward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments().pointer(z.address())
                .pointer(skip.address()).pointer(weight.address()).pointer(bias.address()).pointer(sum.address())
                .pointer(y.address()).pointer(mean.address()).pointer(rstd.address()).i32(rows).i32(h).f32(eps)
                .i32(perMember));
        return tape.result(y, g -> {
            boolean weightGrad = weight.requiresGrad();
            try (DeviceTensor gn = weightGrad ? device.empty(rows, h) : null) {
                DeviceVariable.Gradient gs = skip.requiresGrad() ? skip.gradientTarget() : null;
                DeviceVariable.Gradient gz = z.requiresGrad() ? z.gradientTarget() : null;
                device.launch("gate_add_norm_backward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments()
                        .pointer(g.address()).pointer(z.address()).pointer(sum.address()).pointer(mean.address())
                        .pointer(rstd.address()).pointer(weight.address()).pointer(gs == null ? 0L : gs.address())
                        .pointer(gz == null ? 0L : gz.address()).pointer(gn == null ? 0L : gn.address()).i32(rows).i32(h)
                        .i32(gs == null ? 0 : gs.flag()).i32(gz == null ? 0 : gz.flag()).i32(perMember));
                normParameterGradients(device, weight, bias, gn, g, members, perMember, h);
            }
        }, z, skip, weight, bias);
    }

    /** Softmax over the last axis. */
    public static DeviceVariable softmax(Tape tape, DeviceVariable x) {
        return softmax(tape, x, null, 1);
    }

    /**
     * Softmax over the last axis where row r keeps only its first {@code lengths[r / rowsPerLength]} entries
     * (floats holding whole numbers; the rest are 0); null lengths: every entry.
     */
    public static DeviceVariable softmax(Tape tape, DeviceVariable x, DeviceTensor lengths, int rowsPerLength) {
        GpuDevice device = tape.device();
        int len = x.size(-1);
        int rows = x.numel() / len;
        DeviceTensor y = tape.empty(x.shape());
        device.launch("softmax_forward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments().pointer(x.address())
                .pointer(y.address()).i32(rows).i32(len).pointer(lengths == null ? 0L : lengths.address())
                .i32(rowsPerLength));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("softmax_backward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments().pointer(y.address())
                    .pointer(g.address()).pointer(gx.address()).i32(rows).i32(len).i32(gx.flag()));
        }, x);
    }

    /**
     * Σ_v weights[..., v]·inputs[v]: n inputs of one shape (..., len), weights holding n per row ((..., n) or
     * (..., 1, n)); the variable selection's combination without the stacked tensor.
     */
    public static DeviceVariable weightedSum(Tape tape, DeviceVariable[] inputs, DeviceVariable weights) {
        GpuDevice device = tape.device();
        int n = inputs.length;
        int[] shape = inputs[0].shape();
        int len = shape[shape.length - 1];
        int rows = inputs[0].numel() / len;
        if (n > 16 || weights.numel() != rows * n || weights.size(-1) != n) {
            throw new IllegalArgumentException("weightedSum: " + n + " inputs " + Arrays.toString(shape) + ", weights "
                    + Arrays.toString(weights.shape()));
        }
        long[] x = new long[n];
        for (int v = 0; v < n; v++) {
            if (!Arrays.equals(inputs[v].shape(), shape)) {
                throw new IllegalArgumentException("weightedSum: input shapes " + Arrays.toString(shape) + " and "
                        + Arrays.toString(inputs[v].shape()));
            }
            x[v] = inputs[v].address();
        }
        DeviceTensor out = tape.empty(shape);
        device.launch("weighted_sum_forward", rows * len, new KernelArguments().pointers(x, 16).i32(n)
                .pointer(weights.address()).pointer(out.address()).i32(rows).i32(len));
        DeviceVariable[] all = Arrays.copyOf(inputs, n + 1);
        all[n] = weights;
        return tape.result(out, g -> {
            long[] gx = new long[n];
            int[] accumulate = new int[16];
            for (int v = 0; v < n; v++) {
                if (inputs[v].requiresGrad()) {
                    DeviceVariable.Gradient t = inputs[v].gradientTarget();
                    gx[v] = t.address();
                    accumulate[v] = t.flag();
                }
            }
            DeviceVariable.Gradient gw = weights.requiresGrad() ? weights.gradientTarget() : null;
            device.launch("weighted_sum_backward", rowGrid(rows), ROW_BLOCK, 0, new KernelArguments().pointers(x, 16)
                    .i32(n).pointer(weights.address()).pointer(g.address()).pointers(gx, 16).ints(accumulate)
                    .pointer(gw == null ? 0L : gw.address()).i32(gw == null ? 0 : gw.flag()).i32(rows).i32(len));
        }, all);
    }
}
