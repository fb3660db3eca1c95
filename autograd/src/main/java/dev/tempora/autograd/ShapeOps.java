package dev.tempora.autograd;

import dev.tempora.tensor.Shapes;
import dev.tempora.tensor.Tensor;

/** Views and joins: the backward of a view is the inverse view (or a slice) of the gradient. */
final class ShapeOps {

    private ShapeOps() {}

    static Variable reshape(Variable x, int[] shape) {
        int[] in = x.value().shape();
        return Variable.fromOp(x.value().reshape(shape), (g, sink) -> sink.accumulate(0, g.reshape(in)), x);
    }

    static Variable flatten(Variable x, int from, int to) {
        int[] in = x.value().shape();
        return Variable.fromOp(x.value().flatten(from, to), (g, sink) -> sink.accumulate(0, g.reshape(in)), x);
    }

    static Variable permute(Variable x, int[] order) {
        int rank = x.dim();
        int[] inverse = new int[rank];
        for (int i = 0; i < rank; i++) {
            inverse[Shapes.axis(order[i], rank)] = i;
        }
        return Variable.fromOp(x.value().permute(order), (g, sink) -> sink.accumulate(0, g.permute(inverse)), x);
    }

    static Variable transpose(Variable x, int a, int b) {
        return Variable.fromOp(x.value().transpose(a, b), (g, sink) -> sink.accumulate(0, g.transpose(a, b)), x);
    }

    static Variable narrow(Variable x, int axis, int start, int length) {
        int a = Shapes.axis(axis, x.dim());
        return Variable.fromOp(x.value().narrow(a, start, length),
                (g, sink) -> sink.accumulateSlice(0, a, start, g), x);
    }

    static Variable select(Variable x, int axis, int index) {
        int a = Shapes.axis(axis, x.dim());
        int ix = index < 0 ? index + x.size(a) : index;
        return Variable.fromOp(x.value().select(a, ix),
                (g, sink) -> sink.accumulateSlice(0, a, ix, g.unsqueeze(a)), x);
    }

    static Variable unsqueeze(Variable x, int axis) {
        int[] in = x.value().shape();
        return Variable.fromOp(x.value().unsqueeze(axis), (g, sink) -> sink.accumulate(0, g.reshape(in)), x);
    }

    static Variable squeeze(Variable x, int axis) {
        int[] in = x.value().shape();
        return Variable.fromOp(x.value().squeeze(axis), (g, sink) -> sink.accumulate(0, g.reshape(in)), x);
    }

    /** The gradient of a broadcast is summed over the broadcast axes (the sink does it). */
    static Variable expand(Variable x, int[] shape) {
        return Variable.fromOp(x.value().expand(shape), (g, sink) -> sink.accumulate(0, g), x);
    }

    static Variable contiguous(Variable x) {
        if (x.value().isContiguous()) {
            return x;
        }
        return Variable.fromOp(x.value().contiguous(), (g, sink) -> sink.accumulate(0, g), x);
    }

    static Variable[] split(Variable x, int axis, int[] sizes) {
        int a = Shapes.axis(axis, x.dim());
        Tensor[] parts = x.value().split(a, sizes);
        Variable[] out = new Variable[parts.length];
        int start = 0;
        for (int i = 0; i < parts.length; i++) {
            int s = start;
            out[i] = Variable.fromOp(parts[i], (g, sink) -> sink.accumulateSlice(0, a, s, g), x);
            start += sizes[i];
        }
        return out;
    }

    static Variable concat(int axis, Variable[] parts) {
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].value();
        }
        Tensor out = Tensor.concat(axis, values);
        int a = Shapes.axis(axis, out.dim());
        return Variable.fromOp(out, (g, sink) -> {
            int start = 0;
            for (int i = 0; i < values.length; i++) {
                int len = values[i].size(a);
                if (sink.needs(i)) {
                    sink.accumulate(i, g.narrow(a, start, len));
                }
                start += len;
            }
        }, parts);
    }

    static Variable stack(int axis, Variable[] parts) {
        Variable[] expanded = new Variable[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].value().sameShape(parts[0].value())) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.toString(parts[0].shape()) + " and "
                        + Shapes.toString(parts[i].shape()) + " differ");
            }
            expanded[i] = unsqueeze(parts[i], axis);
        }
        return concat(axis, expanded);
    }
}
