package dev.tempora.autograd;

import dev.tempora.tensor.Shapes;
import dev.tempora.tensor.Tensor;

/** Sum, mean, max/min and variance over any axes, with keepDim. */
final class ReductionOps {

    private ReductionOps() {}

    static Variable sum(Variable x, int[] axes, boolean keepDim) {
        int[] in = x.value().shape();
        int[] ax = Shapes.axes(axes, in.length);
        return Variable.fromOp(x.value().sum(ax, keepDim),
                (g, sink) -> sink.accumulate(0, keepDims(g, in, ax, keepDim).expand(in)), x);
    }

    static Variable mean(Variable x, int[] axes, boolean keepDim) {
        int[] in = x.value().shape();
        int[] ax = Shapes.axes(axes, in.length);
        int count = 1;
        for (int a : ax) {
            count *= in[a];
        }
        float inv = 1f / Math.max(count, 1);
        return Variable.fromOp(x.value().mean(ax, keepDim),
                (g, sink) -> sink.accumulate(0, keepDims(g, in, ax, keepDim).mul(inv).expand(in)), x);
    }

    /**
     * Max or min; the gradient goes to one position per output, the first extreme in row-major order
     * within the reduced block, so ties are broken the same way every run.
     */
    static Variable extreme(Variable x, int[] axes, boolean keepDim, boolean max) {
        Tensor xv = x.value();
        int[] in = xv.shape();
        int[] ax = Shapes.axes(axes, in.length);
        Tensor out = max ? xv.max(ax, keepDim) : xv.min(ax, keepDim);
        return Variable.fromOp(out, (g, sink) -> {
            // Move the reduced axes last and flatten them: (kept..., R) -> argmax over R.
            int[] order = new int[in.length];
            boolean[] reduced = new boolean[in.length];
            for (int a : ax) {
                reduced[a] = true;
            }
            int j = 0;
            int outer = 1;
            for (int i = 0; i < in.length; i++) {
                if (!reduced[i]) {
                    order[j++] = i;
                    outer *= in[i];
                }
            }
            int r = 1;
            for (int a : ax) {
                order[j++] = a;
                r *= in[a];
            }
            Tensor flat = xv.permute(order).reshape(outer, r);
            Tensor arg = max ? flat.argmax(1, false) : flat.argmin(1, false);
            float[] gv = g.contiguous().toFloatArray();
            float[] argv = arg.toFloatArray();
            Tensor gFlat = Tensor.zeros(outer, r);
            float[] gd = gFlat.storage();
            for (int o = 0; o < outer; o++) {
                gd[o * r + (int) argv[o]] = gv[o];
            }
            int[] permutedShape = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                permutedShape[i] = in[order[i]];
            }
            int[] inverse = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                inverse[order[i]] = i;
            }
            sink.accumulate(0, gFlat.reshape(permutedShape).permute(inverse));
        }, x);
    }

    /** Variance as a composition (mean, deviation, square, sum), so its gradient follows. */
    static Variable variance(Variable x, int[] axes, boolean keepDim, int correction) {
        int[] ax = Shapes.axes(axes, x.dim());
        int count = 1;
        for (int a : ax) {
            count *= x.size(a);
        }
        Variable centered = x.sub(mean(x, ax, true));
        return sum(centered.square(), ax, keepDim).mul(1f / Math.max(0, count - correction));
    }

    /** Re-inserts reduced axes as size 1 when the forward dropped them. */
    static Tensor keepDims(Tensor g, int[] in, int[] ax, boolean keepDim) {
        return keepDim ? g : g.reshape(Shapes.reduced(in, ax, true));
    }
}
