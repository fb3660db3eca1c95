package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import dev.tempora.gpu.driver.KernelArguments;
import java.util.Arrays;

/** Element-wise ops: functions of one tensor, broadcasting sums, dropout, ResampleNorm's gate, the TFT's per-sample affine map. */
public final class ElementwiseOps {
    private ElementwiseOps() {
    }

    /** f(x) element-wise; p and q are the function's parameters ({@link DeviceUnary}). */
    public static DeviceVariable unary(Tape tape, DeviceUnary f, DeviceVariable x, float p, float q) {
        GpuDevice device = tape.device();
        int n = x.numel();
        DeviceTensor y = tape.empty(x.shape());
        device.launch("unary_forward", n, new KernelArguments().i32(f.code).f32(p).f32(q).pointer(x.address())
                .pointer(y.address()).i32(n));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("unary_backward", n, new KernelArguments().i32(f.code).f32(p).f32(q).pointer(g.address())
                    .pointer(x.address()).pointer(y.address()).pointer(gx.address()).i32(n).i32(gx.flag()));
        }, x);
    }

    /** ELU with alpha 1. */
    public static DeviceVariable elu(Tape tape, DeviceVariable x) {
        return unary(tape, DeviceUnary.ELU, x, 1f, 0f);
    }

    /**
     * a + b, where b has a's shape or a's shape with 1 on a run of consecutive axes (the GRN's context
     * (B, 1, H) over (B, T, H)); b's gradient then sums over those axes.
     */
    public static DeviceVariable add(Tape tape, DeviceVariable a, DeviceVariable b) {
        GpuDevice device = tape.device();
        int[] view = broadcastView(a.shape(), b.shape());
        int outer = view[0];
        int r = view[1];
        int inner = view[2];
        DeviceTensor y = tape.empty(a.shape());
        // The index space (1, outer, r, inner); b's stride over r is 0.
        device.launch("binary_broadcast", a.numel(), new KernelArguments().i32(0).pointer(a.address())
                .pointer(b.address()).pointer(y.address())
                .ints(1, outer, r, inner, 0, r * inner, inner, 1, 0, inner, 0, 1).i32(a.numel()));
        return tape.result(y, g -> {
            if (b.requiresGrad()) {
                if (r == 1) {
                    b.addGradient(g);
                } else {
                    DeviceVariable.Gradient gb = b.gradientTarget();
                    Kernels.sumMiddle(device, g.address(), 0L, gb.address(), gb.accumulate(), outer, r, inner);
                }
            }
            a.takeGradient(g);
        }, a, b);
    }

    /** (outer, r, inner) such that b is a's shape with the axes making up r set to 1 (r = 1: same shapes). */
    private static int[] broadcastView(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("add: shapes " + Arrays.toString(a) + " and " + Arrays.toString(b));
        }
        int first = -1;
        int last = -1;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                if (b[i] != 1 || (first >= 0 && last != i - 1)) {
                    throw new IllegalArgumentException("add: " + Arrays.toString(b) + " does not broadcast to "
                            + Arrays.toString(a) + " over one run of axes");
                }
                if (first < 0) {
                    first = i;
                }
                last = i;
            }
        }
        if (first < 0) {
            return new int[] {1, 1, numel(a, 0, a.length)};
        }
        return new int[] {numel(a, 0, first), numel(a, first, last + 1), numel(a, last + 1, a.length)};
    }

    private static int numel(int[] shape, int from, int to) {
        int n = 1;
        for (int i = from; i < to; i++) {
            n *= shape[i];
        }
        return n;
    }

    /**
     * Inverted dropout with the CPU's counter-hash masks: the seed is {@code seeds[index]} in device memory
     * (see {@link DeviceDropoutSeeds}), so a captured step replays with each step's own seeds. The identity
     * on an inference tape or when p is 0, as the CPU's Dropout layer.
     */
    public static DeviceVariable dropout(Tape tape, DeviceVariable x, float p, DeviceDropoutSeeds seeds, int index) {
        if (!tape.isTraining() || p == 0f) {
            return x;
        }
        GpuDevice device = tape.device();
        int n = x.numel();
        long seedAddress = seeds.address();
        DeviceTensor y = tape.empty(x.shape());
        device.launch("dropout", n, new KernelArguments().pointer(x.address()).pointer(y.address()).i32(n).f32(p)
                .pointer(seedAddress).i32(index).i32(0));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("dropout", n, new KernelArguments().pointer(g.address()).pointer(gx.address()).i32(n).f32(p)
                    .pointer(seedAddress).i32(index).i32(gx.flag()));
        }, x);
    }

    /**
     * Dropout over a group's stacked activations x (members, ...): member m gets the mask {@link #dropout}
     * draws for it alone with seed slot {@code slots[m]} (at most 16 members). The identity on an inference
     * tape or when p is 0.
     */
    public static DeviceVariable dropoutMembers(Tape tape, DeviceVariable x, float p, DeviceDropoutSeeds seeds,
                                                int[] slots) {
        if (!tape.isTraining() || p == 0f) {
            return x;
        }
        int members = slots.length;
        if (members < 1 || members > 16 || x.size(0) != members) {
            throw new IllegalArgumentException("dropoutMembers: " + Arrays.toString(x.shape()) + " with " + members
                    + " seed slots");
        }
        GpuDevice device = tape.device();
        int n = x.numel();
        int memberSize = n / members;
        int[] slotList = Arrays.copyOf(slots, 16);
        long seedAddress = seeds.address();
        DeviceTensor y = tape.empty(x.shape());
        device.launch("dropout_members", n, new KernelArguments().pointer(x.address()).pointer(y.address()).i32(n)
                .i32(memberSize).f32(p).pointer(seedAddress).ints(slotList).i32(0));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("dropout_members", n, new KernelArguments().pointer(g.address()).pointer(gx.address()).i32(n)
                    .i32(memberSize).f32(p).pointer(seedAddress).ints(slotList).i32(gx.flag()));
        }, x);
    }

    /**
     * x · 2σ(mask) with mask (len) over x's last axis: ResampleNorm's and AddNorm's trainable gate. With a
     * stacked (members·len) mask, a group's gates over the members' stacked rows (equal counts), member m's
     * rows gated by its own row of the mask.
     */
    public static DeviceVariable maskGate(Tape tape, DeviceVariable x, DeviceVariable mask) {
        GpuDevice device = tape.device();
        int len = x.size(-1);
        int rows = x.numel() / len;
        int members = mask.numel() / len;
        if (members < 1 || mask.numel() != members * len || rows % members != 0) {
            throw new IllegalArgumentException("mask gate: " + Arrays.toString(x.shape()) + " with mask "
                    + Arrays.toString(mask.shape()));
        }
        int perMember = Math.max(rows / members, 1);
        DeviceTensor y = tape.empty(x.shape());
        device.launch("mask_gate_forward", rows * len, new KernelArguments().pointer(x.address()).pointer(mask.address())
                .pointer(y.address()).i32(rows).i32(len).i32(perMember));
        return tape.result(y, g -> {
            if (mask.requiresGrad()) {
                try (DeviceTensor sums = device.empty(members, len)) {
                    Kernels.sumMiddle(device, g.address(), x.address(), sums.address(), false, members, perMember, len);
                    DeviceVariable.Gradient gm = mask.gradientTarget();
                    device.launch("mask_gate_backward_mask", members * len, new KernelArguments()
                            .pointer(sums.address()).pointer(mask.address()).pointer(gm.address()).i32(members * len)
                            .i32(gm.flag()));
                }
            }
            if (x.requiresGrad()) {
                DeviceVariable.Gradient gx = x.gradientTarget();
                device.launch("mask_gate_backward_input", rows * len, new KernelArguments().pointer(g.address())
                        .pointer(mask.address()).pointer(gx.address()).i32(rows).i32(len).i32(gx.flag())
                        .i32(perMember));
            }
        }, x, mask);
    }

    /**
     * y = x·scale_b + center_b for sample b (x's first axis), with (center, scale) pairs in targetScale (B, 2):
     * the TFT's de-normalisation of its output.
     */
    public static DeviceVariable sampleAffine(Tape tape, DeviceVariable x, DeviceTensor targetScale) {
        GpuDevice device = tape.device();
        int samples = x.size(0);
        int per = x.numel() / samples;
        DeviceTensor y = tape.empty(x.shape());
        device.launch("sample_affine_forward", x.numel(), new KernelArguments().pointer(x.address())
                .pointer(targetScale.address()).pointer(y.address()).i32(samples).i32(per));
        return tape.result(y, g -> {
            DeviceVariable.Gradient gx = x.gradientTarget();
            device.launch("sample_affine_backward", x.numel(), new KernelArguments().pointer(g.address())
                    .pointer(targetScale.address()).pointer(gx.address()).i32(samples).i32(per).i32(gx.flag()));
        }, x);
    }
}
