package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceBlas;
import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One LSTM layer over a batch-first sequence with per-sample lengths, as
 * {@code dev.tempora.autograd.LstmSequence}: the input projection of all steps is one GEMM, the recurrence
 * one kernel (a block per sample; W_hh in registers up to hidden {@value #MAX_REGISTER_HIDDEN}, beyond that
 * in shared memory or, where it does not fit there either, read from global memory), and the backward one
 * kernel for the gate gradients, then GEMMs for dX, dW_ih, dW_hh and column sums for the biases.
 */
public final class LstmOps {
    /** The widest hidden size whose W_hh the register kernels hold ({@code lstm_forward_r96} and its backward). */
    static final int MAX_REGISTER_HIDDEN = 96;
    /** The dynamic shared memory a kernel may ask for ({@code CudaDriver} opts every kernel in to this much). */
    private static final int MAX_DYNAMIC_SHARED = 96 * 1024;

    private LstmOps() {
    }

    /**
     * Which kernels run a hidden size: the suffix of the register kernels ({@code "_r32"}, {@code "_r64"},
     * {@code "_r96"}: W_hh in registers, threads 4H rounded up to a warp, at most 4 times the suffix), or
     * {@code ""} for the general ones ({@code lstm_forward}, {@code lstm_backward}).
     */
    static String registerSuffix(int hidden, boolean allowRegisters) {
        if (!allowRegisters || hidden > MAX_REGISTER_HIDDEN) {
            return "";
        }
        return hidden <= 32 ? "_r32" : hidden <= 64 ? "_r64" : "_r96";
    }

    /** Whether the general kernels keep W_hh in shared memory: (4H·H + 6H) floats within the opt-in limit. */
    static boolean sharedWeightsFit(int hidden) {
        return 4L * (4L * hidden * hidden + 6L * hidden) <= MAX_DYNAMIC_SHARED;
    }

    /** The outputs (B, T, H) and the final hidden and cell states (B, H). */
    public record Result(DeviceVariable output, DeviceVariable finalHidden, DeviceVariable finalCell) {
    }

    /**
     * @param x       (B, T, in)
     * @param h0, c0  (B, H)
     * @param weightIh (4H, in); weightHh (4H, H); biasIh, biasHh (4H)
     * @param lengths (B) floats holding each sample's length, or null for all T
     */
    public static Result lstm(Tape tape, DeviceVariable x, DeviceVariable h0, DeviceVariable c0, DeviceVariable weightIh,
                              DeviceVariable weightHh, DeviceVariable biasIh, DeviceVariable biasHh, DeviceTensor lengths) {
        return lstm(tape, x, h0, c0, weightIh, weightHh, biasIh, biasHh, lengths, true);
    }

    /** As above; {@code allowRegisters} false runs the general kernels at every size (the tests compare both). */
    static Result lstm(Tape tape, DeviceVariable x, DeviceVariable h0, DeviceVariable c0, DeviceVariable weightIh,
                       DeviceVariable weightHh, DeviceVariable biasIh, DeviceVariable biasHh, DeviceTensor lengths,
                       boolean allowRegisters) {
        GpuDevice device = tape.device();
        int batch = x.size(0);
        int steps = x.size(1);
        int in = x.size(2);
        int hidden = weightHh.size(1);
        int g4 = 4 * hidden;
        if (weightIh.size(0) != g4 || weightIh.size(1) != in || weightHh.size(0) != g4 || h0.size(0) != batch
                || h0.size(1) != hidden || c0.numel() != h0.numel() || g4 > 1024 || batch > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("lstm: input " + Arrays.toString(x.shape()) + ", weights "
                    + Arrays.toString(weightIh.shape()) + " and " + Arrays.toString(weightHh.shape()) + ", states "
                    + Arrays.toString(h0.shape()));
        }
        int rows = batch * steps;
        int[] block = {(g4 + 31) / 32 * 32, 1, 1};
        int[] grid = {batch, 1, 1};
        String suffix = registerSuffix(hidden, allowRegisters);
        boolean sharedWeights = sharedWeightsFit(hidden);
        int shared = !suffix.isEmpty() ? 0 : 4 * ((sharedWeights ? g4 * hidden : 0) + 6 * hidden);
        long lengthAddress = lengths == null ? 0L : lengths.address();

        DeviceTensor pre = tape.empty(batch, steps, g4);
        DeviceBlas.gemm(device, false, true, rows, g4, in, 1f, x.address(), in, weightIh.address(), in, 0f,
                pre.address(), g4);
        DeviceTensor out = tape.empty(batch, steps, hidden);
        DeviceTensor hn = tape.empty(batch, hidden);
        DeviceTensor cn = tape.empty(batch, hidden);
        DeviceTensor act = tape.empty(batch, steps, g4);
        DeviceTensor cs = tape.empty(batch, steps + 1, hidden);
        DeviceTensor hprev = tape.empty(batch, steps, hidden);
        KernelArguments forwardArguments = new KernelArguments().pointer(pre.address())
                .pointer(biasIh.address()).pointer(biasHh.address()).pointer(weightHh.address()).pointer(h0.address())
                .pointer(c0.address()).pointer(lengthAddress).i32(steps).i32(hidden).pointer(out.address())
                .pointer(hn.address()).pointer(cn.address()).pointer(act.address()).pointer(cs.address())
                .pointer(hprev.address());
        device.launch("lstm_forward" + suffix, grid, block, shared,
                suffix.isEmpty() ? forwardArguments.i32(sharedWeights ? 1 : 0) : forwardArguments);

        Consumer<DeviceVariable[]> backward = outputs -> {
            DeviceTensor gOut = Tape.gradientOf(outputs[0]);
            DeviceTensor gHn = Tape.gradientOf(outputs[1]);
            DeviceTensor gCn = Tape.gradientOf(outputs[2]);
            try (DeviceTensor dz = device.empty(batch, steps, g4)) {
                DeviceVariable.Gradient dh0 = h0.requiresGrad() ? h0.gradientTarget() : null;
                DeviceVariable.Gradient dc0 = c0.requiresGrad() ? c0.gradientTarget() : null;
                KernelArguments backwardArguments = new KernelArguments()
                        .pointer(gOut == null ? 0L : gOut.address()).pointer(gHn == null ? 0L : gHn.address())
                        .pointer(gCn == null ? 0L : gCn.address()).pointer(weightHh.address()).pointer(act.address())
                        .pointer(cs.address()).pointer(lengthAddress).i32(steps).i32(hidden).pointer(dz.address())
                        .pointer(dh0 == null ? 0L : dh0.address()).i32(dh0 == null ? 0 : dh0.flag())
                        .pointer(dc0 == null ? 0L : dc0.address()).i32(dc0 == null ? 0 : dc0.flag());
                device.launch("lstm_backward" + suffix, grid, block, shared,
                        suffix.isEmpty() ? backwardArguments.i32(sharedWeights ? 1 : 0) : backwardArguments);
                // Both biases' gradients are dz's column sums: each rides on one weight gradient's GEMM
                // (which sums the rows of dzᵀ it loads), or takes a column sum of its own.
                DeviceVariable.Gradient gbIh = biasIh.requiresGrad() ? biasIh.gradientTarget() : null;
                DeviceVariable.Gradient gbHh = biasHh.requiresGrad() ? biasHh.gradientTarget() : null;
                if (weightIh.requiresGrad()) {
                    DeviceVariable.Gradient gw = weightIh.gradientTarget();
                    DeviceVariable.Gradient gb = in > 0 ? gbIh : null;
                    DeviceBlas.gemm(device, true, false, g4, in, rows, 1f, dz.address(), g4, x.address(), in,
                            gw.flag(), gw.address(), in, 0L, gb == null ? 0L : gb.address(), gb != null && gb.accumulate());
                    gbIh = gb == null ? gbIh : null;
                }
                if (weightHh.requiresGrad()) {
                    DeviceVariable.Gradient gw = weightHh.gradientTarget();
                    DeviceBlas.gemm(device, true, false, g4, hidden, rows, 1f, dz.address(), g4, hprev.address(),
                            hidden, gw.flag(), gw.address(), hidden, 0L, gbHh == null ? 0L : gbHh.address(),
                            gbHh != null && gbHh.accumulate());
                    gbHh = null;
                }
                for (DeviceVariable.Gradient gb : new DeviceVariable.Gradient[] {gbIh, gbHh}) {
                    if (gb != null) {
                        Kernels.columnSums(device, dz.address(), gb.address(), gb.accumulate(), rows, g4);
                    }
                }
                if (x.requiresGrad()) {
                    DeviceVariable.Gradient gx = x.gradientTarget();
                    DeviceBlas.gemm(device, false, false, rows, in, g4, 1f, dz.address(), g4, weightIh.address(), in,
                            gx.flag(), gx.address(), in);
                }
            }
        };
        DeviceVariable[] made = tape.results(new DeviceTensor[] {out, hn, cn}, backward, x, h0, c0, weightIh, weightHh,
                biasIh, biasHh);
        return new Result(made[0], made[1], made[2]);
    }
}
