package dev.tempora.autograd;

import dev.tempora.tensor.Shapes;
import dev.tempora.tensor.Tensor;

/** Index selection (embeddings), gather, masked fill and where. Index and mask tensors get no gradient. */
final class IndexingOps {

    private IndexingOps() {}

    /** table.indexSelect(axis, ids): the backward scatter-adds the gradient rows into a zero table. */
    static Variable indexSelect(Variable x, int axis, Tensor indices) {
        Tensor xv = x.value();
        int a = Shapes.axis(axis, xv.dim());
        return Variable.fromOp(xv.indexSelect(a, indices), (g, sink) -> {
            int[] in = xv.shape();
            int outer = 1;
            for (int d = 0; d < a; d++) {
                outer *= in[d];
            }
            int inner = 1;
            for (int d = a + 1; d < in.length; d++) {
                inner *= in[d];
            }
            Tensor ids = indices.contiguous();
            float[] idx = ids.storage();
            int io = ids.storageOffset();
            int count = ids.numel();
            Tensor gc = g.contiguous();
            float[] gd = gc.storage();
            int go = gc.storageOffset();
            Tensor gx = Tensor.zeros(in);
            float[] out = gx.storage();
            int rows = in[a];
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < count; i++) {
                    int dst = (o * rows + (int) idx[io + i]) * inner;
                    int src = go + (o * count + i) * inner;
                    for (int j = 0; j < inner; j++) {
                        out[dst + j] += gd[src + j];
                    }
                }
            }
            sink.accumulate(0, gx);
        }, x);
    }

    static Variable gather(Variable x, int axis, Tensor index) {
        Tensor xv = x.value();
        return Variable.fromOp(xv.gather(axis, index),
                (g, sink) -> sink.accumulate(0, Tensor.zeros(xv.shape()).scatterAdd(axis, index, g.contiguous())), x);
    }

    static Variable maskedFill(Variable x, Tensor mask, float value) {
        return Variable.fromOp(x.value().maskedFill(mask, value),
                (g, sink) -> sink.accumulate(0, g.maskedFill(mask, 0f)), x);
    }

    static Variable where(Tensor condition, Variable a, Variable b) {
        return Variable.fromOp(Tensor.where(condition, a.value(), b.value()), (g, sink) -> {
            Tensor zero = Tensor.scalar(0f);
            if (sink.needs(0)) {
                sink.accumulate(0, Tensor.where(condition, g, zero));
            }
            if (sink.needs(1)) {
                sink.accumulate(1, Tensor.where(condition, zero, g));
            }
        }, a, b);
    }
}
