package dev.tempora.gpu.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The argument list of one kernel launch, in the kernel's parameter order: each argument is the bytes of its
 * value, as {@code cuLaunchKernel} takes them (device pointers are 64-bit addresses; structs passed by value
 * are their bytes in the C layout). Built once per launch; drivers read it back with {@link #count()} and
 * {@link #bytes(int)}.
 */
public final class KernelArguments {
    private final List<byte[]> values = new ArrayList<>(12);

    /** An empty list, filled in the kernel's parameter order. */
    public KernelArguments() {}

    /** Appends a device pointer (a 64-bit address). */
    public KernelArguments pointer(long address) {
        return i64(address);
    }

    /** Appends a 32-bit int. */
    public KernelArguments i32(int value) {
        values.add(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
        return this;
    }

    /** Appends a 64-bit int. */
    public KernelArguments i64(long value) {
        values.add(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
        return this;
    }

    /** Appends a 32-bit float. */
    public KernelArguments f32(float value) {
        values.add(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value).array());
        return this;
    }

    /** A struct passed by value: its bytes exactly as the kernel's C declaration lays them out. */
    public KernelArguments struct(byte[] bytes) {
        values.add(bytes.clone());
        return this;
    }

    /** A struct of {@code n} 32-bit integers (e.g. {@code IntList}, {@code Strides4}). */
    public KernelArguments ints(int... ints) {
        ByteBuffer b = ByteBuffer.allocate(4 * ints.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : ints) {
            b.putInt(v);
        }
        values.add(b.array());
        return this;
    }

    /** A struct of device pointers (e.g. {@code PointerList}), padded with zeros to {@code slots} entries. */
    public KernelArguments pointers(long[] addresses, int slots) {
        if (addresses.length > slots) {
            throw new IllegalArgumentException(addresses.length + " pointers for a list of " + slots);
        }
        ByteBuffer b = ByteBuffer.allocate(8 * slots).order(ByteOrder.LITTLE_ENDIAN);
        for (long a : addresses) {
            b.putLong(a);
        }
        values.add(b.array());
        return this;
    }

    /** The number of arguments. */
    public int count() {
        return values.size();
    }

    /** The little-endian bytes of argument {@code index}. */
    public byte[] bytes(int index) {
        return values.get(index);
    }
}
