package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;

/** Matrix product with torch.matmul semantics. */
final class LinearAlgebraOps {

    private LinearAlgebraOps() {}

    static Variable matmul(Variable a, Variable b) {
        // 1-d operands become matrices through differentiable views, so the core sees rank ≥ 2.
        if (a.dim() == 1 && b.dim() == 1) {
            return matmul(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        if (a.dim() == 1) {
            return matmul(a.unsqueeze(0), b).squeeze(-2);
        }
        if (b.dim() == 1) {
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        Tensor av = a.value();
        Tensor bv = b.value();
        return Variable.fromOp(av.matmul(bv), (g, sink) -> {
            // C = A·B  =>  dA = dC·Bᵀ, dB = Aᵀ·dC; transposes are views, batch broadcasts summed by the sink.
            if (sink.needs(0)) {
                sink.accumulate(0, g.matmul(bv.transpose(-1, -2)));
            }
            if (sink.needs(1)) {
                sink.accumulate(1, av.transpose(-1, -2).matmul(g));
            }
        }, a, b);
    }
}
