package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.DropoutKernels;
import dev.tempora.tensor.kernels.ElementwiseKernels;
import dev.tempora.tensor.kernels.UnaryOp;

/**
 * Broadcasting arithmetic, element-wise functions and dropout, forward and backward together.
 * Gradients of broadcast operands are summed back to their shapes by the sink.
 */
final class ArithmeticOps {

    private ArithmeticOps() {}

    static Variable add(Variable a, Variable b) {
        return Variable.fromOp(a.value().add(b.value()), (g, sink) -> {
            sink.accumulate(0, g);
            sink.accumulate(1, g);
        }, a, b);
    }

    static Variable sub(Variable a, Variable b) {
        return Variable.fromOp(a.value().sub(b.value()), (g, sink) -> {
            sink.accumulate(0, g);
            if (sink.needs(1)) {
                sink.accumulate(1, g.neg());
            }
        }, a, b);
    }

    static Variable mul(Variable a, Variable b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        return Variable.fromOp(av.mul(bv), (g, sink) -> {
            if (sink.needs(0)) {
                sink.accumulate(0, g.mul(bv));
            }
            if (sink.needs(1)) {
                sink.accumulate(1, g.mul(av));
            }
        }, a, b);
    }

    static Variable div(Variable a, Variable b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        Tensor out = av.div(bv);
        return Variable.fromOp(out, (g, sink) -> {
            Tensor gOverB = g.div(bv);
            sink.accumulate(0, gOverB);
            if (sink.needs(1)) {
                // d(a/b)/db = −a/b² = −out/b
                sink.accumulate(1, gOverB.mul(out).neg());
            }
        }, a, b);
    }

    /** a^b for tensors: d/da = b·a^(b−1), d/db = a^b·ln a (the base must be positive where b needs a gradient). */
    static Variable pow(Variable a, Variable b) {
        Tensor av = a.value();
        Tensor bv = b.value();
        Tensor out = av.pow(bv);
        return Variable.fromOp(out, (g, sink) -> {
            if (sink.needs(0)) {
                sink.accumulate(0, g.mul(bv).mul(av.pow(bv.sub(1f))));
            }
            if (sink.needs(1)) {
                sink.accumulate(1, g.mul(out).mul(av.log()));
            }
        }, a, b);
    }

    static Variable addScalar(Variable a, float c) {
        return Variable.fromOp(a.value().add(c), (g, sink) -> sink.accumulate(0, g), a);
    }

    static Variable mulScalar(Variable a, float c) {
        return Variable.fromOp(a.value().mul(c), (g, sink) -> sink.accumulate(0, g.mul(c)), a);
    }

    /** Any {@link UnaryOp}: the backward is the op's own derivative kernel, fused with the product by g. */
    static Variable unary(Variable x, UnaryOp op, float p, float q) {
        Tensor xv = x.value().contiguous();
        Tensor y = xv.unary(op, p, q);
        return Variable.fromOp(y, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(y.shape());
            ElementwiseKernels.unaryBackward(op, p, q, gc.storage(), gc.storageOffset(), xv.storage(),
                    xv.storageOffset(), y.storage(), y.storageOffset(), gx.storage(), 0, y.numel());
            sink.accumulate(0, gx);
        }, x);
    }

    static Variable dropout(Variable x, float p, boolean training, long seed) {
        if (p < 0f || p >= 1f) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        Tensor xv = x.value().contiguous();
        Tensor out = Tensor.empty(xv.shape());
        DropoutKernels.forward(xv.storage(), xv.storageOffset(), out.storage(), 0, xv.numel(), p, seed);
        return Variable.fromOp(out, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(gc.shape());
            // The mask is recomputed from the seed rather than stored: cheaper than a tensor of it.
            DropoutKernels.forward(gc.storage(), gc.storageOffset(), gx.storage(), 0, gc.numel(), p, seed);
            sink.accumulate(0, gx);
        }, x);
    }
}
