package dev.tempora.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.function.Executable;

/**
 * Random tensors in several memory layouts, and the naive index loops the tensor tests compare
 * against. The naive side reads elements only through {@link Tensor#get}, which the view tests
 * check by hand.
 */
public final class TestTensors {

    private TestTensors() {}

    /** Uniform values in [-2, 2), reproducible for a seed. */
    public static Tensor random(long seed, int... shape) {
        return Tensor.uniform(seed, -2f, 2f, shape);
    }

    /** Integers drawn uniformly from [lo, hi], stored as floats: ties are common. */
    public static Tensor integers(long seed, int lo, int hi, int... shape) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] v = new float[Shapes.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(lo, hi + 1);
        }
        return Tensor.of(v, shape);
    }

    /**
     * The same values in each layout an op may meet: contiguous, padded (every axis a narrow view
     * of a larger NaN-filled tensor, so reading outside the view shows), and axis-reversed storage
     * seen through a permutation.
     */
    public static List<Tensor> layouts(Tensor t) {
        List<Tensor> out = new ArrayList<>();
        out.add(t.copy());
        out.add(padded(t));
        if (t.dim() >= 2) {
            out.add(reversedStorage(t));
        }
        return out;
    }

    /** A non-contiguous view holding t's values; the storage around it is NaN. */
    public static Tensor padded(Tensor t) {
        int[] big = t.shape();
        for (int i = 0; i < big.length; i++) {
            big[i] += 2;
        }
        Tensor view = Tensor.full(Float.NaN, big);
        for (int axis = 0; axis < big.length; axis++) {
            view = view.narrow(axis, 1, t.size(axis));
        }
        view.copyFrom(t);
        return view;
    }

    /** t's values stored with the axes in reverse order, seen through permute: column-major for a matrix. */
    public static Tensor reversedStorage(Tensor t) {
        int rank = t.dim();
        int[] reversedShape = new int[rank];
        int[] order = new int[rank];
        for (int i = 0; i < rank; i++) {
            reversedShape[i] = t.size(rank - 1 - i);
            order[i] = rank - 1 - i;
        }
        Tensor view = Tensor.full(Float.NaN, reversedShape).permute(order);
        view.copyFrom(t);
        return view;
    }

    /** Calls body with every index of shape in row-major order (once, with an empty index, for a scalar). */
    public static void forEachIndex(int[] shape, Consumer<int[]> body) {
        int n = Shapes.numel(shape);
        int[] index = new int[shape.length];
        for (int flat = 0; flat < n; flat++) {
            body.accept(index.clone());
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /** The index into an operand of shape {@code operand} that broadcasting maps output index {@code out} to. */
    public static int[] broadcastIndex(int[] out, int[] operand) {
        int lead = out.length - operand.length;
        int[] index = new int[operand.length];
        for (int i = 0; i < operand.length; i++) {
            index[i] = operand[i] == 1 ? 0 : out[lead + i];
        }
        return index;
    }

    /** Shape and every element equal (NaN matches NaN; 0 and −0 differ). */
    public static void assertTensorEquals(int[] shape, float[] values, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(values, actual.toFloatArray(), "values of " + actual);
    }

    public static void assertTensorEquals(Tensor expected, Tensor actual) {
        assertTensorEquals(expected.shape(), expected.toFloatArray(), actual);
    }

    /** Same shape and |actual − expected| ≤ atol + rtol·|expected| elementwise; NaN and ±∞ must match. */
    public static void assertTensorClose(Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Float.isNaN(e[i]) ? Float.isNaN(a[i])
                    : Float.isInfinite(e[i]) ? e[i] == a[i]
                    : Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                fail("element " + i + " (flat) of shape " + Shapes.toString(expected.shape()) + ": expected " + e[i]
                        + " but got " + a[i]);
            }
        }
    }

    /** Runs body, expects {@code type}, and checks that the message mentions every fragment. */
    public static <T extends Throwable> T assertThrowsNaming(Class<T> type, Executable body, String... fragments) {
        T error = assertThrows(type, body);
        String message = String.valueOf(error.getMessage());
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), "message \"" + message + "\" should name " + fragment);
        }
        return error;
    }

    /** True when two tensors share storage (a view, not a copy). */
    public static boolean sharesStorage(Tensor a, Tensor b) {
        return a.storage() == b.storage();
    }

    public static void assertCopy(Tensor original, Tensor derived) {
        assertFalse(sharesStorage(original, derived), "expected a copy");
    }
}
