package dev.tempora.tensor;

import dev.tempora.tensor.kernels.LayerNormKernels;
import dev.tempora.tensor.kernels.SoftmaxKernels;

/** Softmax along any axis and layer normalisation over trailing axes, on the row kernels. */
final class Normalization {

    private Normalization() {}

    static Tensor softmax(Tensor x, int axis, boolean log) {
        int a = Shapes.axis(axis, Math.max(1, x.dim()));
        if (x.dim() == 0) {
            return log ? Tensor.zeros() : Tensor.ones();
        }
        boolean last = a == x.dim() - 1;
        Tensor in = last ? x.contiguous() : x.transpose(a, -1).contiguous();
        Tensor out = Tensor.empty(in.shape);
        int len = in.shape[in.dim() - 1];
        int rows = len == 0 ? 0 : in.numel() / len;
        forRows(rows, len, (from, to) -> SoftmaxKernels.forward(in.data, in.offset + from * len, out.data,
                from * len, to - from, len, log));
        return last ? out : out.transpose(a, -1).contiguous();
    }

    /**
     * Layer norm over the last {@code dims} axes; fills {@code mean} and {@code rstd} (one per row)
     * when given, for the backward pass.
     */
    static Tensor layerNorm(Tensor x, int dims, Tensor weight, Tensor bias, float eps, float[] mean, float[] rstd) {
        if (dims < 1 || dims > x.dim()) {
            throw new IllegalArgumentException("layerNorm over " + dims + " trailing axes of shape "
                    + Shapes.toString(x.shape));
        }
        int len = 1;
        for (int i = x.dim() - dims; i < x.dim(); i++) {
            len *= x.shape[i];
        }
        checkAffine("weight", weight, len, x);
        checkAffine("bias", bias, len, x);
        Tensor in = x.contiguous();
        Tensor out = Tensor.empty(x.shape);
        int rows = len == 0 ? 0 : in.numel() / len;
        float[] w = weight == null ? null : weight.denseArray();
        float[] b = bias == null ? null : bias.denseArray();
        int n = len;
        forRows(rows, len, (from, to) -> {
            float[] m = mean == null ? null : new float[to - from];
            float[] r = rstd == null ? null : new float[to - from];
            LayerNormKernels.forward(in.data, in.offset + from * n, w, b, out.data, from * n, m, r, to - from, n, eps);
            if (m != null) {
                System.arraycopy(m, 0, mean, from, to - from);
                System.arraycopy(r, 0, rstd, from, to - from);
            }
        });
        return out;
    }

    private static void checkAffine(String name, Tensor t, int len, Tensor x) {
        if (t != null && t.numel() != len) {
            throw new IllegalArgumentException("layerNorm " + name + " of shape " + Shapes.toString(t.shape)
                    + " does not match the normalised size " + len + " of input shape " + Shapes.toString(x.shape));
        }
    }

    static void forRows(int rows, int len, Parallel.RangeBody body) {
        long work = (long) rows * len;
        if (work < StridedLoop.PARALLEL_THRESHOLD || rows < 2) {
            if (rows > 0) {
                body.run(0, rows);
            }
            return;
        }
        Parallel.forRange(rows, (int) Math.max(1, StridedLoop.PARALLEL_THRESHOLD / Math.max(1, len)), body);
    }
}
