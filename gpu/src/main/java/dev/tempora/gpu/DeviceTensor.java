package dev.tempora.gpu;

import dev.tempora.tensor.Tensor;
import java.util.Arrays;

/**
 * A dense, row-major float32 tensor in device memory: an address, a shape and the device that owns it.
 * Views are not modelled; device kernels take explicit sizes and strides instead. Closing returns the memory
 * to the device's pool (tensors made inside a {@link GpuDevice.Scope} are returned when the scope closes).
 */
public final class DeviceTensor implements AutoCloseable {
    private final GpuDevice device;
    private final long address;
    private final int[] shape;
    private final int numel;
    /** The tensor whose memory this one views, or null when it owns its memory. */
    private final DeviceTensor owner;
    private boolean released;

    DeviceTensor(GpuDevice device, long address, int[] shape, DeviceTensor owner) {
        this.device = device;
        this.address = address;
        this.shape = shape.clone();
        this.numel = GpuDevice.numel(shape);
        this.owner = owner;
    }

    /** The device whose memory holds this tensor. */
    public GpuDevice device() {
        return device;
    }

    /** The device address of element 0. */
    public long address() {
        checkLive();
        return address;
    }

    /** The address of element {@code index} (row-major). */
    public long address(long index) {
        return address() + 4L * index;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size along an axis (negative counts from the end). */
    public int size(int axis) {
        return shape[axis < 0 ? shape.length + axis : axis];
    }

    /** The number of axes. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        return numel;
    }

    /** The same memory seen with another shape of the same element count (no copy). */
    public DeviceTensor reshape(int... newShape) {
        if (GpuDevice.numel(newShape) != numel) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " to " + Arrays.toString(newShape));
        }
        return new DeviceTensor(device, address(), newShape, owner == null ? this : owner);
    }

    /**
     * Elements [offset, offset + numel(shape)) of this tensor's memory seen as a tensor of {@code shape} (no
     * copy): a parameter in a flat buffer of them, say.
     */
    public DeviceTensor slice(long offset, int... shape) {
        if (offset < 0 || offset + GpuDevice.numel(shape) > numel) {
            throw new IllegalArgumentException("slice of " + GpuDevice.numel(shape) + " elements at " + offset + " of "
                    + Arrays.toString(this.shape));
        }
        return new DeviceTensor(device, address(offset), shape, owner == null ? this : owner);
    }

    /** Copies the values back to a CPU tensor (waits for the device). */
    public Tensor toTensor() {
        return Tensor.wrap(toFloatArray(), shape);
    }

    /** The values, downloaded row-major (waits for the launches before it). */
    public float[] toFloatArray() {
        float[] values = new float[numel];
        device.driver().download(address(), values, 0, numel);
        return values;
    }

    /** Overwrites the values from a CPU tensor of the same shape. */
    public void copyFrom(Tensor source) {
        if (!Arrays.equals(source.shape(), shape)) {
            throw new IllegalArgumentException("copying " + Arrays.toString(source.shape()) + " into a device tensor of shape "
                    + Arrays.toString(shape));
        }
        device.driver().upload(address(), source.toFloatArray(), 0, numel);
    }

    /** Sets every element to zero (asynchronously, in stream order). */
    public DeviceTensor zero() {
        device.driver().fill(address(), 0, numel);
        return this;
    }

    private void checkLive() {
        if (released || (owner != null && owner.released)) {
            throw new IllegalStateException("device tensor " + Arrays.toString(shape) + " was already released");
        }
    }

    /** Returns the memory to the device's pool; a view releases nothing. */
    @Override
    public void close() {
        if (!released && owner == null) {
            released = true;
            device.release(address, numel);
        }
        released = true;
    }

    @Override
    public String toString() {
        return "DeviceTensor" + Arrays.toString(shape) + (released ? " (released)" : "");
    }
}
