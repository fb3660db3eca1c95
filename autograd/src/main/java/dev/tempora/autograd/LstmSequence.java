package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.Gemm;
import dev.tempora.tensor.kernels.LstmKernels;
import dev.tempora.tensor.kernels.ReductionKernels;

import java.util.Arrays;

/**
 * One LSTM layer over a whole batch-first sequence as a single autograd op, with torch's equations
 * and gate order [i, f, g, o] and PyTorch Forecasting's packed-sequence semantics: sample b runs
 * for its own {@code lengths[b]} steps; its outputs after that are 0 and its final state is the
 * state after its last step (the initial state when its length is 0).
 *
 * <p>The input projection of every step is one GEMM up front (and one each for dX and dW_ih in the
 * backward); only the small recurrent GEMM h·W_hhᵀ and the pointwise cell run per step.
 *
 * <p>The result is packed in one tensor (B, T + 2, H): steps [0, T) are the outputs, step T the
 * final h and step T + 1 the final c. {@link Result} unpacks it into views.
 */
public final class LstmSequence {

    private LstmSequence() {}

    /** The outputs (B, T, H) and the final states (B, H) of a layer, views of one packed variable. */
    public record Result(Variable output, Variable finalHidden, Variable finalCell) {}

    /**
     * @param x       input (B, T, in)
     * @param h0      initial hidden state (B, H)
     * @param c0      initial cell state (B, H)
     * @param weightIh (4H, in); weightHh (4H, H); biasIh, biasHh (4H)
     * @param lengths per-sample lengths in [0, T], or null for all T
     */
    public static Result apply(Variable x, Variable h0, Variable c0, Variable weightIh, Variable weightHh,
                               Variable biasIh, Variable biasHh, int[] lengths) {
        Tensor xc = x.value().contiguous();
        if (xc.dim() != 3) {
            throw new IllegalArgumentException("lstm: input must be (batch, time, features), got shape "
                    + Arrays.toString(xc.shape()));
        }
        int batch = xc.size(0);
        int steps = xc.size(1);
        int in = xc.size(2);
        Tensor wIh = weightIh.value().contiguous();
        Tensor wHh = weightHh.value().contiguous();
        int hidden = wHh.size(1);
        int g4 = 4 * hidden;
        if (wIh.size(0) != g4 || wIh.size(1) != in || wHh.size(0) != g4) {
            throw new IllegalArgumentException("lstm: weights " + Arrays.toString(wIh.shape()) + " and "
                    + Arrays.toString(wHh.shape()) + " do not fit input size " + in + " and hidden size " + hidden);
        }
        checkState("h0", h0, batch, hidden);
        checkState("c0", c0, batch, hidden);
        int[] len = lengths == null ? full(batch, steps) : checkLengths(lengths, batch, steps);

        // Pre-activations of every step: bias_ih + bias_hh + x·W_ihᵀ, as (B, T, 4H).
        Tensor gates = Tensor.empty(batch, steps, g4);
        float[] gd = gates.storage();
        float[] biasSum = biasIh.value().add(biasHh.value()).toFloatArray();
        for (int r = 0; r < batch * steps; r++) {
            System.arraycopy(biasSum, 0, gd, r * g4, g4);
        }
        Gemm.sgemm(false, true, batch * steps, g4, in, 1f, xc.storage(), xc.storageOffset(), in,
                wIh.storage(), wIh.storageOffset(), in, 1f, gd, 0, g4);

        Tensor packed = Tensor.zeros(batch, steps + 2, hidden);
        float[] out = packed.storage();
        Tensor cells = Tensor.empty(batch, steps, hidden);
        float[] cd = cells.storage();
        float[] h = h0.value().contiguous().toFloatArray();
        float[] c = c0.value().contiguous().toFloatArray();
        float[] hInit = h.clone();
        float[] cInit = c.clone();
        int maxLen = 0;
        for (int l : len) {
            maxLen = Math.max(maxLen, l);
        }
        for (int t = 0; t < maxLen; t++) {
            // Recurrent part for every sample at once: gates[:, t, :] += h · W_hhᵀ.
            Gemm.sgemmSerial(false, true, batch, g4, hidden, 1f, h, 0, hidden, wHh.storage(), wHh.storageOffset(),
                    hidden, 1f, gd, t * g4, steps * g4);
            for (int b = 0; b < batch; b++) {
                if (t >= len[b]) {
                    continue;
                }
                int cell = (b * steps + t) * hidden;
                int o = (b * (steps + 2) + t) * hidden;
                LstmKernels.cellForward(gd, (b * steps + t) * g4, c, b * hidden, cd, cell, out, o, hidden);
                System.arraycopy(cd, cell, c, b * hidden, hidden);
                System.arraycopy(out, o, h, b * hidden, hidden);
            }
        }
        for (int b = 0; b < batch; b++) {
            System.arraycopy(h, b * hidden, out, (b * (steps + 2) + steps) * hidden, hidden);
            System.arraycopy(c, b * hidden, out, (b * (steps + 2) + steps + 1) * hidden, hidden);
        }

        Variable result = Variable.fromOp(packed, (gp, sink) -> backward(gp, sink, xc, wIh, wHh, gates, cells,
                packed, hInit, cInit, len, batch, steps, in, hidden), x, h0, c0, weightIh, weightHh, biasIh, biasHh);
        return new Result(result.narrow(1, 0, steps), result.select(1, steps), result.select(1, steps + 1));
    }

    private static void backward(Tensor gp, GradientSink sink, Tensor xc, Tensor wIh, Tensor wHh, Tensor gates,
                                 Tensor cells, Tensor packed, float[] h0, float[] c0, int[] len,
                                 int batch, int steps, int in, int hidden) {
        int g4 = 4 * hidden;
        int stride = (steps + 2) * hidden;
        float[] g = gp.contiguous().toFloatArray();
        float[] out = packed.storage();
        float[] cd = cells.storage();
        // The gate activations become the pre-activation gradients in place; work on a copy so the
        // saved activations survive (a retained graph may run backward again).
        Tensor dGates = gates.copy();
        float[] dg = dGates.storage();
        float[] dh = new float[batch * hidden];
        float[] dc = new float[batch * hidden];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(g, b * stride + steps * hidden, dh, b * hidden, hidden);
            System.arraycopy(g, b * stride + (steps + 1) * hidden, dc, b * hidden, hidden);
        }
        float[] dhStep = new float[batch * hidden];
        float[] dhPrev = new float[batch * hidden];
        for (int t = steps - 1; t >= 0; t--) {
            boolean any = false;
            for (int b = 0; b < batch; b++) {
                int row = (b * steps + t) * g4;
                if (t >= len[b]) {
                    Arrays.fill(dg, row, row + g4, 0f);
                    continue;
                }
                any = true;
                int gOut = b * stride + t * hidden;
                for (int j = 0; j < hidden; j++) {
                    dhStep[b * hidden + j] = dh[b * hidden + j] + g[gOut + j];
                }
                float[] cPrev = t == 0 ? c0 : cd;
                int cPrevOffset = t == 0 ? b * hidden : (b * steps + t - 1) * hidden;
                LstmKernels.cellBackward(dg, row, cPrev, cPrevOffset, cd, (b * steps + t) * hidden,
                        dhStep, b * hidden, dc, b * hidden, hidden);
            }
            if (!any) {
                continue;
            }
            // dh_{t-1} = dGates_t · W_hh for the samples still running at t.
            Gemm.sgemmSerial(false, false, batch, hidden, g4, 1f, dg, t * g4, steps * g4,
                    wHh.storage(), wHh.storageOffset(), hidden, 0f, dhPrev, 0, hidden);
            for (int b = 0; b < batch; b++) {
                if (t < len[b]) {
                    System.arraycopy(dhPrev, b * hidden, dh, b * hidden, hidden);
                }
            }
        }
        int rows = batch * steps;
        if (sink.needs(0)) {
            Tensor dx = Tensor.empty(batch, steps, in);
            Gemm.sgemm(false, false, rows, in, g4, 1f, dg, 0, g4, wIh.storage(), wIh.storageOffset(), in,
                    0f, dx.storage(), 0, in);
            sink.accumulate(0, dx);
        }
        if (sink.needs(1)) {
            sink.accumulate(1, Tensor.wrap(dh, batch, hidden));
        }
        if (sink.needs(2)) {
            sink.accumulate(2, Tensor.wrap(dc, batch, hidden));
        }
        if (sink.needs(3)) {
            Tensor dwIh = Tensor.empty(g4, in);
            Gemm.sgemm(true, false, g4, in, rows, 1f, dg, 0, g4, xc.storage(), xc.storageOffset(), in,
                    0f, dwIh.storage(), 0, in);
            sink.accumulate(3, dwIh);
        }
        if (sink.needs(4)) {
            // h_{t-1} for every (b, t): h0 at t = 0, else the previous output (zero rows of dGates
            // make the values at padded steps irrelevant).
            Tensor hPrev = Tensor.empty(batch, steps, hidden);
            float[] hp = hPrev.storage();
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h0, b * hidden, hp, b * steps * hidden, hidden);
                if (steps > 1) {
                    System.arraycopy(out, b * stride, hp, (b * steps + 1) * hidden, (steps - 1) * hidden);
                }
            }
            Tensor dwHh = Tensor.empty(g4, hidden);
            Gemm.sgemm(true, false, g4, hidden, rows, 1f, dg, 0, g4, hp, 0, hidden, 0f, dwHh.storage(), 0, hidden);
            sink.accumulate(4, dwHh);
        }
        if (sink.needs(5) || sink.needs(6)) {
            Tensor db = Tensor.empty(g4);
            ReductionKernels.reduce(ReductionKernels.Kind.SUM, dg, 0, 1, rows, g4, db.storage(), 0);
            sink.accumulate(5, db);
            sink.accumulate(6, db);
        }
    }

    private static void checkState(String name, Variable s, int batch, int hidden) {
        int[] shape = s.shape();
        if (shape.length != 2 || shape[0] != batch || shape[1] != hidden) {
            throw new IllegalArgumentException("lstm: " + name + " must be (" + batch + ", " + hidden + "), got "
                    + Arrays.toString(shape));
        }
    }

    private static int[] full(int batch, int steps) {
        int[] l = new int[batch];
        Arrays.fill(l, steps);
        return l;
    }

    private static int[] checkLengths(int[] lengths, int batch, int steps) {
        if (lengths.length != batch) {
            throw new IllegalArgumentException("lstm: " + lengths.length + " lengths for a batch of " + batch);
        }
        for (int l : lengths) {
            if (l < 0 || l > steps) {
                throw new IllegalArgumentException("lstm: length " + l + " outside [0, " + steps + "]");
            }
        }
        return lengths;
    }
}
