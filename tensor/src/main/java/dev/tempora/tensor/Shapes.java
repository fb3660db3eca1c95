package dev.tempora.tensor;

import java.util.Arrays;

/** Shape arithmetic: broadcasting, axis normalisation, strides. All errors name the shapes involved. */
public final class Shapes {

    private Shapes() {}

    /** Number of elements of a shape (1 for a scalar). */
    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements, more than a Java array can hold");
        }
        return (int) n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] strides = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    /** The numpy broadcast of two shapes; the error names both and the operation. */
    public static int[] broadcast(int[] a, int[] b, String op) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast together (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalises a possibly negative axis (-1 is the last) and checks its range. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for a tensor of rank " + rank);
        }
        return a;
    }

    /** Normalised, sorted, distinct axes; an empty array means all axes. */
    public static int[] axes(int[] axes, int rank) {
        if (axes.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axis(axes[i], rank);
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException("axis " + out[i] + " appears twice in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    /** The shape after reducing {@code axes} (normalised), keeping them as size 1 or dropping them. */
    public static int[] reduced(int[] shape, int[] axes, boolean keepDim) {
        boolean[] reduce = new boolean[shape.length];
        for (int a : axes) {
            reduce[a] = true;
        }
        int[] out = new int[keepDim ? shape.length : shape.length - axes.length];
        int j = 0;
        for (int i = 0; i < shape.length; i++) {
            if (!reduce[i]) {
                out[j++] = shape[i];
            } else if (keepDim) {
                out[j++] = 1;
            }
        }
        return out;
    }

    /** The axes along which {@code from} was broadcast to reach {@code to}: what a gradient must be summed over. */
    public static int[] broadcastAxes(int[] from, int[] to) {
        int lead = to.length - from.length;
        int count = 0;
        int[] tmp = new int[to.length];
        for (int i = 0; i < to.length; i++) {
            if (i < lead || (from[i - lead] == 1 && to[i] != 1)) {
                tmp[count++] = i;
            }
        }
        return Arrays.copyOf(tmp, count);
    }

    /** The shape as error messages print it, {@code [2, 3]}. */
    public static String toString(int[] shape) {
        return Arrays.toString(shape);
    }
}
