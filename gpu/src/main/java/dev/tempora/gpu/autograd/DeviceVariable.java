package dev.tempora.gpu.autograd;

import dev.tempora.gpu.DeviceTensor;
import java.util.Arrays;

/**
 * A value on the device and, when it requires one, its gradient: the device twin of
 * {@code dev.tempora.autograd.Variable}. Three kinds:
 * <ul>
 *   <li>parameters: leaves whose gradient buffer is fixed (the optimiser and a captured graph hold its
 *       address) and receives this step's gradient;
 *   <li>constants: inputs such as the batch, which need no gradient;
 *   <li>op results, made by the ops of this package on a {@link Tape}; their gradient buffer is taken from
 *       the device pool when the backward first reaches them.
 * </ul>
 *
 * <p>Within one backward pass the first contribution to a gradient overwrites the buffer and later ones add
 * to it ({@link #gradientTarget()}), so no gradient needs zeroing first.
 */
public final class DeviceVariable {
    private final DeviceTensor value;
    private final boolean requiresGrad;
    private final boolean parameter;
    private DeviceTensor grad;
    private boolean gradWritten;

    private DeviceVariable(DeviceTensor value, boolean requiresGrad, boolean parameter, DeviceTensor grad) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
        this.grad = grad;
    }

    /** A trainable leaf whose gradient lives in {@code grad} (same shape). */
    public static DeviceVariable parameter(DeviceTensor value, DeviceTensor grad) {
        if (!Arrays.equals(value.shape(), grad.shape())) {
            throw new IllegalArgumentException("parameter " + value + " with gradient " + grad);
        }
        return new DeviceVariable(value, true, true, grad);
    }

    /** A value that needs no gradient. */
    public static DeviceVariable constant(DeviceTensor value) {
        return new DeviceVariable(value, false, false, null);
    }

    static DeviceVariable result(DeviceTensor value, boolean requiresGrad) {
        return new DeviceVariable(value, requiresGrad, false, null);
    }

    /** The value on the device. */
    public DeviceTensor value() {
        return value;
    }

    /** The gradient, or null before the backward has reached this variable. */
    public DeviceTensor grad() {
        return grad;
    }

    /** Whether the backward computes a gradient for this variable. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** A copy of the value's shape. */
    public int[] shape() {
        return value.shape();
    }

    /** The value's size along an axis (negative counts from the end). */
    public int size(int axis) {
        return value.size(axis);
    }

    /** The value's number of elements. */
    public int numel() {
        return value.numel();
    }

    /** The value's device address, for kernel arguments. */
    public long address() {
        return value.address();
    }

    /** Whether this backward pass has written the gradient. */
    boolean gradWritten() {
        return gradWritten;
    }

    /** Starts a backward pass: the next contribution overwrites the gradient. */
    void resetGradient() {
        gradWritten = false;
    }

    /**
     * Where an op's backward puts its contribution to this gradient: the buffer (taken from the pool the
     * first time) and whether to add to what it holds. Marks the gradient written.
     */
    Gradient gradientTarget() {
        if (!requiresGrad) {
            throw new IllegalStateException("a gradient for a variable that requires none: " + value);
        }
        if (grad == null) {
            grad = value.device().empty(value.shape());
        }
        boolean accumulate = gradWritten;
        gradWritten = true;
        return new Gradient(grad, accumulate);
    }

    /**
     * Takes {@code g} as this gradient without a copy when this is its first contribution and the buffer is
     * not fixed; otherwise copies or adds it. An op may hand one gradient tensor to one input only this way
     * (two inputs sharing a buffer would add into each other), and must not write to it afterwards.
     */
    void takeGradient(DeviceTensor g) {
        if (!requiresGrad) {
            return;
        }
        if (!parameter && grad == null && !gradWritten) {
            grad = g.numel() == value.numel() && Arrays.equals(g.shape(), value.shape()) ? g : g.reshape(value.shape());
            gradWritten = true;
            return;
        }
        addGradient(g);
    }

    /** Adds (or, as the first contribution, copies) {@code g} into this gradient. */
    void addGradient(DeviceTensor g) {
        if (!requiresGrad) {
            return;
        }
        if (g.numel() != value.numel()) {
            throw new IllegalArgumentException("gradient " + g + " for " + value);
        }
        Gradient target = gradientTarget();
        Kernels.scale(value.device(), g.address(), 1f, target.address(), g.numel(), target.accumulate());
    }

    /** A gradient buffer to write into, and whether to add to its contents. */
    record Gradient(DeviceTensor tensor, boolean accumulate) {
        long address() {
            return tensor.address();
        }

        /** The kernels' {@code int accumulate} argument. */
        int flag() {
            return accumulate ? 1 : 0;
        }
    }

    @Override
    public String toString() {
        return (parameter ? "parameter " : requiresGrad ? "" : "constant ") + value;
    }
}
