package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.GluKernels;
import dev.tempora.tensor.kernels.LayerNormKernels;
import dev.tempora.tensor.kernels.ReductionKernels;

import java.util.Arrays;

/**
 * PyTorch Forecasting's GateAddNorm after its gate layer's product, as one op:
 * {@code layerNorm((z_a + c_a)·σ(z_b + c_b) + skip)}, forward and backward together. The gate layer's
 * bias c is added here rather than by the linear layer, which saves a pass over the (…, 2h) gate input
 * each way. Rows run in chunks so that the sum before the normalisation, the only intermediate, is
 * normalised while it is still in the first-level cache; without a tape it lives in one chunk-sized
 * buffer and no statistics are kept.
 */
final class GateNormOps {

    /** Rows per chunk: the sum of a chunk stays in the first-level cache. */
    private static final int CHUNK = 64;

    private GateNormOps() {}

    /** See {@link Functional#gateAddNorm(Variable, Variable, Variable, Variable, Variable, float)}. */
    static Variable gateAddNorm(Variable z, Variable gateBias, Variable skip, Variable weight, Variable bias,
                                float eps) {
        Tensor zv = z.value().contiguous();
        Tensor sv = skip.value().contiguous();
        int h = sv.size(-1);
        if (zv.size(-1) != 2 * h || zv.numel() != 2 * sv.numel() || weight.value().numel() != h
                || bias.value().numel() != h || (gateBias != null && gateBias.value().numel() != 2 * h)) {
            throw new IllegalArgumentException("gateAddNorm: gate input " + Arrays.toString(zv.shape())
                    + (gateBias != null ? ", gate bias " + Arrays.toString(gateBias.shape()) : "")
                    + ", skip " + Arrays.toString(sv.shape()) + ", weight " + Arrays.toString(weight.shape())
                    + " and bias " + Arrays.toString(bias.shape()) + " do not fit (..., 2h), (2h), (..., h), (h), (h)");
        }
        int rows = h == 0 ? 0 : sv.numel() / h;
        float[] c = gateBias != null ? Functional.dense(gateBias.value()) : new float[2 * h];
        float[] w = Functional.dense(weight.value());
        float[] b = Functional.dense(bias.value());
        Variable[] inputs = gateBias != null ? new Variable[] {z, gateBias, skip, weight, bias}
                : new Variable[] {z, skip, weight, bias};
        Tensor y = Tensor.empty(sv.shape());
        if (!Variable.needsGraph(inputs)) {
            Tensor chunk = Tensor.empty(Math.min(rows, CHUNK) * h);
            forward(zv, c, sv, w, b, y, chunk.storage(), false, null, null, rows, h, eps);
            return Variable.constant(y);
        }
        Tensor sum = Tensor.empty(sv.shape());
        float[] mean = Tensor.empty(rows).storage();
        float[] rstd = Tensor.empty(rows).storage();
        forward(zv, c, sv, w, b, y, sum.storage(), true, mean, rstd, rows, h, eps);
        return Variable.fromOp(y, (g, sink) -> {
            Tensor gc = g.contiguous();
            Tensor gs = Tensor.empty(sv.shape());
            Tensor gz = Tensor.empty(zv.shape());
            Tensor gw = Tensor.zeros(h);
            Tensor gb = Tensor.zeros(h);
            for (int r0 = 0; r0 < rows; r0 += CHUNK) {
                int n = Math.min(CHUNK, rows - r0);
                LayerNormKernels.backward(gc.storage(), gc.storageOffset() + r0 * h, sum.storage(), r0 * h, mean, rstd,
                        r0, w, gs.storage(), r0 * h, gw.storage(), gb.storage(), n, h);
                GluKernels.backward(zv.storage(), zv.storageOffset() + r0 * 2 * h, c, gs.storage(), r0 * h,
                        gz.storage(), r0 * 2 * h, n, h);
            }
            int next = 0;
            sink.accumulate(next++, gz);
            if (gateBias != null) {
                if (sink.needs(next)) {
                    // The column sum a linear layer takes for its bias, so the gradient is the unfused one.
                    Tensor gc2 = Tensor.empty(2 * h);
                    ReductionKernels.reduce(ReductionKernels.Kind.SUM, gz.storage(), 0, 1, rows, 2 * h, gc2.storage(), 0);
                    sink.accumulate(next, gc2.reshape(gateBias.shape()));
                }
                next++;
            }
            sink.accumulate(next++, gs);
            sink.accumulate(next++, gw.reshape(weight.shape()));
            sink.accumulate(next, gb.reshape(bias.shape()));
        }, inputs);
    }

    /**
     * The forward over chunks of rows: the gate plus skip into {@code sum} (the whole sum when
     * {@code keepSum}, else one chunk reused), then the chunk's layer norm into y.
     */
    private static void forward(Tensor zv, float[] c, Tensor sv, float[] w, float[] b, Tensor y, float[] sum,
                                boolean keepSum, float[] mean, float[] rstd, int rows, int h, float eps) {
        float[] zd = zv.storage();
        for (int r0 = 0; r0 < rows; r0 += CHUNK) {
            int n = Math.min(CHUNK, rows - r0);
            int so = keepSum ? r0 * h : 0;
            GluKernels.forwardAdd(zd, zv.storageOffset() + r0 * 2 * h, c, sv.storage(), sv.storageOffset() + r0 * h,
                    sum, so, n, h);
            LayerNormKernels.forward(sum, so, w, b, y.storage(), r0 * h, mean, rstd, r0, n, h, eps);
        }
    }
}
