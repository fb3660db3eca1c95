package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import dev.tempora.gpu.GpuDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The record of one forward pass on the device: each op that needs a gradient adds its backward closure,
 * in forward order, and {@link #backward} runs them in reverse, each closure reading its output's gradient
 * and writing (or adding to) its inputs'. An inference tape records nothing and its results need no
 * gradient, so the same layer code serves training and evaluation.
 *
 * <p>Buffers: ops take their outputs and saved values from the device pool; run a step inside a
 * {@link GpuDevice.Scope} and everything but the parameters goes back to the pool when it closes, so a
 * steady-state step takes nothing new from the driver.
 */
public final class Tape {
    private final GpuDevice device;
    private final boolean training;
    private final List<Entry> entries = new ArrayList<>();

    /** A backward closure and the outputs whose gradients it reads; it runs when any of them got one. */
    private record Entry(DeviceVariable[] outputs, Runnable backward) {
        boolean reached() {
            for (DeviceVariable v : outputs) {
                if (v.gradWritten()) {
                    return true;
                }
            }
            return false;
        }
    }

    private Tape(GpuDevice device, boolean training) {
        this.device = device;
        this.training = training;
    }

    /** A tape that records, for a forward pass followed by {@link #backward}. */
    public static Tape training(GpuDevice device) {
        return new Tape(device, true);
    }

    /** A tape that records nothing: results need no gradient (evaluation, inference). */
    public static Tape inference(GpuDevice device) {
        return new Tape(device, false);
    }

    /** The device the recorded ops run on. */
    public GpuDevice device() {
        return device;
    }

    /** Whether ops record their backward (and dropout is active in the TFT's layers). */
    public boolean isTraining() {
        return training;
    }

    /**
     * The result of an op over {@code inputs}: it requires a gradient when this tape records and some input
     * does, and then {@code backward} (given the result's gradient) is recorded.
     */
    DeviceVariable result(DeviceTensor value, Consumer<DeviceTensor> backward, DeviceVariable... inputs) {
        boolean requires = recordsFor(inputs);
        DeviceVariable out = DeviceVariable.result(value, requires);
        if (requires) {
            entries.add(new Entry(new DeviceVariable[] {out}, () -> backward.accept(out.grad())));
        }
        return out;
    }

    /**
     * The outputs of an op with several: each requires a gradient when this tape records and some input does,
     * and then {@code backward} is recorded once for all of them. It is given the outputs and reads each one's
     * gradient through {@link #gradientOf}, null for an output the backward did not reach.
     */
    DeviceVariable[] results(DeviceTensor[] values, Consumer<DeviceVariable[]> backward, DeviceVariable... inputs) {
        boolean requires = recordsFor(inputs);
        DeviceVariable[] outs = new DeviceVariable[values.length];
        for (int i = 0; i < values.length; i++) {
            outs[i] = DeviceVariable.result(values[i], requires);
        }
        if (requires) {
            entries.add(new Entry(outs, () -> backward.accept(outs)));
        }
        return outs;
    }

    /** Whether an op over {@code inputs} is recorded: this tape records and some input needs a gradient. */
    private boolean recordsFor(DeviceVariable[] inputs) {
        if (training) {
            for (DeviceVariable v : inputs) {
                if (v != null && v.requiresGrad()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The gradient this backward pass gave {@code v}, or null when it gave none. */
    static DeviceTensor gradientOf(DeviceVariable v) {
        return v.gradWritten() ? v.grad() : null;
    }

    /** A tensor from the device pool (an op's output or saved value). */
    DeviceTensor empty(int... shape) {
        return device.empty(shape);
    }

    /**
     * Backpropagates from the scalar {@code loss} (its gradient is 1). Afterwards each of
     * {@code parameters} holds this pass's gradient in its fixed buffer: the first contribution overwrote it,
     * and a parameter the pass did not reach is zeroed, so nothing needs zeroing before.
     */
    public void backward(DeviceVariable loss, List<DeviceVariable> parameters) {
        if (loss.numel() != 1) {
            throw new IllegalArgumentException("backward from a non-scalar " + loss);
        }
        backward(new DeviceVariable[] {loss}, null, parameters);
    }

    /**
     * Backpropagates {@code gradOutputs} (each its output's shape; null: scalar outputs with gradient 1) from
     * {@code outputs}, as {@link #backward(DeviceVariable, List)} does from a loss.
     */
    public void backward(DeviceVariable[] outputs, DeviceTensor[] gradOutputs, List<DeviceVariable> parameters) {
        if (!training) {
            throw new IllegalStateException("backward on an inference tape");
        }
        for (DeviceVariable p : parameters) {
            p.resetGradient();
        }
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].requiresGrad()) {
                throw new IllegalArgumentException("backward from " + outputs[i] + ", which depends on no parameter");
            }
            DeviceVariable.Gradient seed = outputs[i].gradientTarget();
            if (gradOutputs == null) {
                device.driver().fill(seed.address(), Float.floatToRawIntBits(1f), 1);
            } else {
                Kernels.scale(device, gradOutputs[i].address(), 1f, seed.address(), outputs[i].numel(), seed.accumulate());
            }
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            Entry e = entries.get(i);
            if (e.reached()) {
                e.backward().run();
            }
        }
        for (DeviceVariable p : parameters) {
            if (!p.gradWritten()) {
                p.grad().zero();
            }
        }
    }
}
