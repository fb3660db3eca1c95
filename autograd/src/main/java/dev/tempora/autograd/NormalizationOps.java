package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.LayerNormKernels;
import dev.tempora.tensor.kernels.SoftmaxKernels;

/** Softmax, log-softmax and layer norm, backed by their fused kernels in both directions. */
final class NormalizationOps {

    private NormalizationOps() {}

    static Variable softmax(Variable x, int axis, boolean log) {
        int a = dev.tempora.tensor.Shapes.axis(axis, Math.max(1, x.dim()));
        Tensor y = log ? x.value().logSoftmax(a) : x.value().softmax(a);
        return Variable.fromOp(y, (g, sink) -> {
            boolean last = a == y.dim() - 1;
            Tensor yl = last ? y : y.transpose(a, -1).contiguous();
            Tensor gl = (last ? g : g.transpose(a, -1)).contiguous();
            int len = yl.size(-1);
            int rows = len == 0 ? 0 : yl.numel() / len;
            Tensor gx = Tensor.empty(yl.shape());
            SoftmaxKernels.backward(yl.storage(), yl.storageOffset(), gl.storage(), gl.storageOffset(),
                    gx.storage(), 0, rows, len, log);
            sink.accumulate(0, last ? gx : gx.transpose(a, -1));
        }, x);
    }

    static Variable layerNorm(Variable x, int dims, Variable weight, Variable bias, float eps) {
        Tensor xv = x.value().contiguous();
        int len = 1;
        for (int i = xv.dim() - dims; i < xv.dim(); i++) {
            len *= xv.size(i);
        }
        int rows = len == 0 ? 0 : xv.numel() / len;
        for (Variable affine : new Variable[] {weight, bias}) {
            if (affine != null && affine.value().numel() != len) {
                throw new IllegalArgumentException("layerNorm: weight/bias of shape "
                        + java.util.Arrays.toString(affine.shape()) + " does not match the normalised size " + len
                        + " of input shape " + java.util.Arrays.toString(xv.shape()));
            }
        }
        float[] mean = Tensor.empty(rows).storage(); // saved for the backward, with 1/std
        float[] rstd = Tensor.empty(rows).storage();
        Tensor y = Tensor.empty(xv.shape());
        float[] w = weight == null ? null : Functional.dense(weight.value());
        float[] b = bias == null ? null : Functional.dense(bias.value());
        LayerNormKernels.forward(xv.storage(), xv.storageOffset(), w, b, y.storage(), 0, mean, rstd, rows, len, eps);
        Variable[] inputs = weight == null
                ? (bias == null ? new Variable[] {x} : new Variable[] {x, bias})
                : (bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias});
        int n = len;
        return Variable.fromOp(y, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gx = Tensor.empty(xv.shape());
            int wi = weight == null ? -1 : 1;
            int bi = bias == null ? -1 : (weight == null ? 1 : 2);
            Tensor gwTensor = wi >= 0 && sink.needs(wi) ? Tensor.zeros(n) : null;
            Tensor gbTensor = bi >= 0 && sink.needs(bi) ? Tensor.zeros(n) : null;
            float[] gw = gwTensor == null ? null : gwTensor.storage();
            float[] gb = gbTensor == null ? null : gbTensor.storage();
            LayerNormKernels.backward(gc.storage(), gc.storageOffset(), xv.storage(), xv.storageOffset(), mean, rstd,
                    w, gx.storage(), 0, gw, gb, rows, n);
            sink.accumulate(0, gx);
            if (gwTensor != null) {
                sink.accumulate(wi, gwTensor.reshape(weight.shape()));
            }
            if (gbTensor != null) {
                sink.accumulate(bi, gbTensor.reshape(bias.shape()));
            }
        }, inputs);
    }
}
