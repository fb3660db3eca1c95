package dev.tempora.tensor;

import dev.tempora.tensor.kernels.ReductionKernels;
import dev.tempora.tensor.kernels.ReductionKernels.Kind;

/** Reductions over any set of axes, brought to the kernels' (outer, r, inner) form. */
final class Reductions {

    private Reductions() {}

    static Tensor sum(Tensor x, int[] axes, boolean keepDim) {
        return reduce(Kind.SUM, x, axes, keepDim);
    }

    static Tensor mean(Tensor x, int[] axes, boolean keepDim) {
        int[] ax = Shapes.axes(axes, x.dim());
        Tensor s = reduce(Kind.SUM, x, axes, keepDim);
        int count = 1;
        for (int a : ax) {
            count *= x.shape[a];
        }
        if (count == 0) {
            return s.fill(Float.NaN); // torch: the mean of nothing is NaN
        }
        return s.mulInPlace(1f / count);
    }

    static Tensor max(Tensor x, int[] axes, boolean keepDim) {
        return reduce(Kind.MAX, x, axes, keepDim);
    }

    static Tensor min(Tensor x, int[] axes, boolean keepDim) {
        return reduce(Kind.MIN, x, axes, keepDim);
    }

    static Tensor variance(Tensor x, int[] axes, boolean keepDim, int correction) {
        int[] ax = Shapes.axes(axes, x.dim());
        int count = 1;
        for (int a : ax) {
            count *= x.shape[a];
        }
        // Two passes (mean, then squared deviations) keep the precision that E[x²]−E[x]² loses.
        Tensor centered = x.sub(mean(x, ax, true));
        Tensor ss = reduce(Kind.SUM, centered.square(), ax, keepDim);
        return ss.mulInPlace(1f / Math.max(0, count - correction));
    }

    static Tensor argExtreme(Tensor x, int axis, boolean keepDim, boolean max) {
        int a = Shapes.axis(axis, x.dim());
        if (x.shape[a] == 0) {
            throw new IllegalArgumentException((max ? "argmax" : "argmin") + " over an empty axis " + a
                    + " of shape " + Shapes.toString(x.shape));
        }
        Block b = Block.of(x, new int[] {a});
        Tensor out = Tensor.empty(Shapes.reduced(x.shape, new int[] {a}, keepDim));
        ReductionKernels.argExtreme(b.data.data, b.data.offset, b.outer, b.r, b.inner, out.data, 0, max);
        return out;
    }

    private static Tensor reduce(Kind kind, Tensor x, int[] axes, boolean keepDim) {
        int[] ax = Shapes.axes(axes, x.dim());
        int[] outShape = Shapes.reduced(x.shape, ax, keepDim);
        Tensor out = Tensor.empty(outShape);
        if (x.numel() == 0) {
            if (kind != Kind.SUM && out.numel() > 0) {
                throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT)
                        + " over an empty axis of shape " + Shapes.toString(x.shape));
            }
            return out.fill(0f);
        }
        if (ax.length == 0) { // a 0-d tensor
            return out.copyFrom(x.reshape(outShape));
        }
        Block b = Block.of(x, ax);
        if (b.outer >= 4 && (long) b.outer * b.r * b.inner >= StridedLoop.PARALLEL_THRESHOLD) {
            Parallel.forRange(b.outer, 1, (from, to) -> ReductionKernels.reduce(kind, b.data.data,
                    b.data.offset + from * b.r * b.inner, to - from, b.r, b.inner, out.data, from * b.inner));
        } else {
            ReductionKernels.reduce(kind, b.data.data, b.data.offset, b.outer, b.r, b.inner, out.data, 0);
        }
        return out;
    }

    /** A contiguous tensor whose reduced axes form the middle of (outer, r, inner). */
    private record Block(Tensor data, int outer, int r, int inner) {
        static Block of(Tensor x, int[] ax) {
            boolean consecutive = ax[ax.length - 1] - ax[0] == ax.length - 1;
            if (consecutive) {
                Tensor c = x.contiguous();
                int outer = 1;
                int r = 1;
                int inner = 1;
                for (int i = 0; i < x.dim(); i++) {
                    if (i < ax[0]) {
                        outer *= x.shape[i];
                    } else if (i <= ax[ax.length - 1]) {
                        r *= x.shape[i];
                    } else {
                        inner *= x.shape[i];
                    }
                }
                return new Block(c, outer, r, inner);
            }
            // Move the reduced axes last, copy, and reduce rows.
            int[] order = new int[x.dim()];
            boolean[] reduced = new boolean[x.dim()];
            for (int a : ax) {
                reduced[a] = true;
            }
            int j = 0;
            int outer = 1;
            int r = 1;
            for (int i = 0; i < x.dim(); i++) {
                if (!reduced[i]) {
                    order[j++] = i;
                    outer *= x.shape[i];
                }
            }
            for (int a : ax) {
                order[j++] = a;
                r *= x.shape[a];
            }
            return new Block(x.permute(order).contiguous(), outer, r, 1);
        }
    }
}
