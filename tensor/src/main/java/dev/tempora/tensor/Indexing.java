package dev.tempora.tensor;

import java.util.Arrays;

/** Concatenation, index selection (embedding lookup), gather and scatter-add. */
final class Indexing {

    private Indexing() {}

    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat needs at least one tensor");
        }
        int rank = parts[0].dim();
        int a = Shapes.axis(axis, rank);
        int[] shape = parts[0].shape.clone();
        int total = 0;
        for (Tensor p : parts) {
            if (p.dim() != rank) {
                throw new IllegalArgumentException("concat: shapes " + Shapes.toString(parts[0].shape) + " and "
                        + Shapes.toString(p.shape) + " have different ranks");
            }
            for (int d = 0; d < rank; d++) {
                if (d != a && p.shape[d] != shape[d]) {
                    throw new IllegalArgumentException("concat along axis " + a + ": shapes "
                            + Shapes.toString(parts[0].shape) + " and " + Shapes.toString(p.shape)
                            + " differ in axis " + d);
                }
            }
            total += p.shape[a];
        }
        shape[a] = total;
        Tensor out = Tensor.empty(shape);
        int start = 0;
        for (Tensor p : parts) {
            Elementwise.copyInto(p, out.narrow(a, start, p.shape[a]));
            start += p.shape[a];
        }
        return out;
    }

    static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        return indexSelect(x, axis, Tensor.of(toFloats(indices), indices.length));
    }

    /** The axis is replaced by the index tensor's shape: table (V, E) with ids (B, T) gives (B, T, E). */
    static Tensor indexSelect(Tensor x, int axis, Tensor indices) {
        int a = Shapes.axis(axis, x.dim());
        // Read the ids where they are (a contiguous copy only for strided ids), checked in one pass.
        Tensor ids = indices.contiguous();
        int count = ids.numel();
        for (int i = 0; i < count; i++) {
            checkIndex(ids.data[ids.offset + i], x.shape[a], "indexSelect", x.shape, a);
        }
        int outer = 1;
        for (int d = 0; d < a; d++) {
            outer *= x.shape[d];
        }
        int inner = 1;
        for (int d = a + 1; d < x.dim(); d++) {
            inner *= x.shape[d];
        }
        int[] shape = new int[x.dim() - 1 + indices.dim()];
        int j = 0;
        for (int d = 0; d < a; d++) {
            shape[j++] = x.shape[d];
        }
        for (int d = 0; d < indices.dim(); d++) {
            shape[j++] = indices.shape[d];
        }
        for (int d = a + 1; d < x.dim(); d++) {
            shape[j++] = x.shape[d];
        }
        Tensor src = x.contiguous();
        Tensor out = Tensor.empty(shape);
        int rows = x.shape[a];
        int n = inner;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < count; i++) {
                int id = (int) ids.data[ids.offset + i];
                System.arraycopy(src.data, src.offset + (o * rows + id) * n, out.data, (o * count + i) * n, n);
            }
        }
        return out;
    }

    static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = Shapes.axis(axis, x.dim());
        checkIndexShape("gather", x, index, a);
        int[] idx = checkedIndices(index, x.shape[a], "gather", x.shape, a);
        Tensor out = Tensor.empty(index.shape);
        int[] pos = new int[index.dim()];
        for (int flat = 0; flat < idx.length; flat++) {
            int off = x.offset;
            for (int d = 0; d < pos.length; d++) {
                off += (d == a ? idx[flat] : pos[d]) * x.strides[d];
            }
            out.data[flat] = x.data[off];
            increment(pos, index.shape);
        }
        return out;
    }

    static Tensor scatterAdd(Tensor x, int axis, Tensor index, Tensor src) {
        int a = Shapes.axis(axis, x.dim());
        checkIndexShape("scatterAdd", x, index, a);
        // As torch: src may be larger than index; only its elements at index's positions are added.
        boolean fits = src.dim() == index.dim();
        for (int d = 0; fits && d < index.dim(); d++) {
            fits = index.shape[d] <= src.shape[d];
        }
        if (!fits) {
            throw new IllegalArgumentException("scatterAdd: index shape " + Shapes.toString(index.shape)
                    + " does not fit in source shape " + Shapes.toString(src.shape));
        }
        int[] idx = checkedIndices(index, x.shape[a], "scatterAdd", x.shape, a);
        Tensor out = x.copy();
        int[] pos = new int[index.dim()];
        for (int flat = 0; flat < idx.length; flat++) {
            int off = 0;
            int srcOff = src.offset;
            for (int d = 0; d < pos.length; d++) {
                off += (d == a ? idx[flat] : pos[d]) * out.strides[d];
                srcOff += pos[d] * src.strides[d];
            }
            out.data[off] += src.data[srcOff];
            increment(pos, index.shape);
        }
        return out;
    }

    private static void checkIndexShape(String op, Tensor x, Tensor index, int a) {
        if (index.dim() != x.dim()) {
            throw new IllegalArgumentException(op + ": index shape " + Shapes.toString(index.shape)
                    + " must have the rank of input shape " + Shapes.toString(x.shape));
        }
        for (int d = 0; d < x.dim(); d++) {
            if (d != a && index.shape[d] > x.shape[d]) {
                throw new IllegalArgumentException(op + ": index shape " + Shapes.toString(index.shape)
                        + " exceeds input shape " + Shapes.toString(x.shape) + " in axis " + d);
            }
        }
    }

    private static int[] checkedIndices(Tensor indices, int bound, String op, int[] shape, int axis) {
        float[] f = indices.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = checkIndex(f[i], bound, op, shape, axis);
        }
        return out;
    }

    private static int checkIndex(float f, int bound, String op, int[] shape, int axis) {
        int v = (int) f;
        if (v != f || v < 0 || v >= bound) {
            throw new IndexOutOfBoundsException(op + ": index " + f + " is not an integer in [0, " + bound
                    + ") for axis " + axis + " of shape " + Arrays.toString(shape));
        }
        return v;
    }

    private static void increment(int[] pos, int[] shape) {
        for (int d = pos.length - 1; d >= 0; d--) {
            if (++pos[d] < shape[d]) {
                return;
            }
            pos[d] = 0;
        }
    }

    private static float[] toFloats(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return f;
    }
}
