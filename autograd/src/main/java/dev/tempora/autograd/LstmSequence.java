package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;
import dev.tempora.tensor.kernels.ElementwiseKernels;
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
 * <p>Inside, everything is time-major ((T, B, ·)): a step's pre-activations, activations and
 * states for the whole batch are contiguous blocks, so each step is one recurrent product and one
 * cell-kernel call per run of consecutive running samples. The recurrent products are
 * {@link LstmKernels#recurrentForward} and {@link LstmKernels#recurrentBackward}, not GEMM calls:
 * at the TFT's 16 × 80 × 20 a GEMM's checks and packing cost as much as its arithmetic, and W_hh is
 * transposed once per sequence instead. The input projection of every step is one GEMM up front
 * (and one each for dX and dW_ih in the backward). States are kept for every step, h₀/c₀ first, so
 * the previous hidden states of the whole sequence are one block for dW_hh; the activations are
 * kept only when a backward will need them.
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
        int maxLen = 0;
        for (int l : len) {
            maxLen = Math.max(maxLen, l);
        }
        Shape sh = new Shape(batch, steps, in, hidden, maxLen, len);

        // Pre-activations of every step: bias_ih + bias_hh + x·W_ihᵀ, time-major (T, B, 4H).
        Tensor xt = Tensor.empty(steps, batch, in);
        transpose(xc.storage(), xc.storageOffset(), xt.storage(), 0, batch, steps, in);
        Tensor pre = Tensor.empty(steps, batch, g4);
        float[] z = pre.storage();
        Gemm.sgemm(false, true, maxLen * batch, g4, in, 1f, xt.storage(), 0, in,
                wIh.storage(), wIh.storageOffset(), in, 0f, z, 0, g4);
        Tensor biasSum = biasIh.value().add(biasHh.value()).contiguous();
        ElementwiseKernels.addRowInPlace(z, 0, biasSum.storage(), biasSum.storageOffset(), maxLen * batch, g4);

        // States after each step, the initial ones first: (T + 1, B, H).
        Tensor hs = Tensor.empty(steps + 1, batch, hidden);
        Tensor cs = Tensor.empty(steps + 1, batch, hidden);
        float[] h = hs.storage();
        float[] c = cs.storage();
        copyInto(h0.value(), h);
        copyInto(c0.value(), c);
        // The activations and tanh(c) of every step are kept only for a backward; inference reuses one step's.
        boolean keep = Variable.needsGraph(x, h0, c0, weightIh, weightHh, biasIh, biasHh);
        Tensor act = keep ? Tensor.empty(steps, batch, g4) : Tensor.empty(batch, g4);
        Tensor tanhCs = keep ? Tensor.empty(steps, batch, hidden) : Tensor.empty(batch, hidden);
        recurrence(sh, z, wHh, act.storage(), tanhCs.storage(), keep, h, c);

        int block = batch * hidden;
        Tensor packed = Tensor.empty(batch, steps + 2, hidden);
        float[] out = packed.storage();
        for (int b = 0; b < batch; b++) {
            int row = b * (steps + 2) * hidden;
            for (int t = 0; t < steps; t++) {
                if (t < len[b]) {
                    System.arraycopy(h, (t + 1) * block + b * hidden, out, row + t * hidden, hidden);
                } else {
                    Arrays.fill(out, row + t * hidden, row + (t + 1) * hidden, 0f);
                }
            }
            System.arraycopy(h, maxLen * block + b * hidden, out, row + steps * hidden, hidden);
            System.arraycopy(c, maxLen * block + b * hidden, out, row + (steps + 1) * hidden, hidden);
        }

        Variable result = Variable.fromOp(packed,
                (gp, sink) -> backward(gp, sink, sh, xt, wIh, wHh, act, tanhCs, hs, cs),
                x, h0, c0, weightIh, weightHh, biasIh, biasHh);
        return new Result(result.narrow(1, 0, steps), result.select(1, steps), result.select(1, steps + 1));
    }

    /** The sizes of one call. */
    private record Shape(int batch, int steps, int in, int hidden, int maxLen, int[] len) {}

    /**
     * The time loop of the forward: for each step and block of consecutive running samples, the
     * pre-activations {@code z} (input part and biases) plus h[t-1]·W_hhᵀ, then the cell. Finished
     * samples carry their state over. Activations and tanh(c) go to step t's block of {@code act}
     * and {@code tanhC}, or to their first block when not {@code keep}ing them.
     */
    private static void recurrence(Shape sh, float[] z, Tensor wHh, float[] a, float[] tanhC, boolean keep,
                                   float[] h, float[] c) {
        int batch = sh.batch();
        int hidden = sh.hidden();
        int[] len = sh.len();
        int g4 = 4 * hidden;
        int block = batch * hidden;
        float[] weightHhT = LstmKernels.transposeRecurrentWeights(wHh.storage(), wHh.storageOffset(), hidden);
        float[] gates = Tensor.empty(batch, g4).storage(); // one step's pre-activations
        for (int t = 0; t < sh.maxLen(); t++) {
            int b = 0;
            while (b < batch) {
                if (t >= len[b]) { // finished: the state carries over
                    System.arraycopy(h, t * block + b * hidden, h, (t + 1) * block + b * hidden, hidden);
                    System.arraycopy(c, t * block + b * hidden, c, (t + 1) * block + b * hidden, hidden);
                    b++;
                    continue;
                }
                int end = runEnd(len, b, t);
                LstmKernels.recurrentForward(z, (t * batch + b) * g4, h, t * block + b * hidden, weightHhT,
                        gates, b * g4, end - b, hidden);
                int kept = (keep ? t * batch : 0) + b;
                LstmKernels.cellForward(gates, b * g4, c, t * block + b * hidden, a, kept * g4,
                        c, (t + 1) * block + b * hidden, tanhC, kept * hidden, h, (t + 1) * block + b * hidden,
                        end - b, hidden);
                b = end;
            }
        }
    }

    /** The end of the run of consecutive samples from {@code b} (running at step t) that run at t. */
    private static int runEnd(int[] len, int b, int t) {
        int end = b + 1;
        while (end < len.length && t < len[end]) {
            end++;
        }
        return end;
    }

    private static void backward(Tensor gp, GradientSink sink, Shape sh, Tensor xt, Tensor wIh, Tensor wHh,
                                 Tensor act, Tensor tanhCs, Tensor hs, Tensor cs) {
        int batch = sh.batch();
        int steps = sh.steps();
        int in = sh.in();
        int hidden = sh.hidden();
        int maxLen = sh.maxLen();
        int[] len = sh.len();
        int g4 = 4 * hidden;
        int block = batch * hidden;
        Tensor gc = gp.contiguous();
        float[] g = gc.storage();
        int go = gc.storageOffset();
        int stride = (steps + 2) * hidden;
        float[] a = act.storage();
        float[] c = cs.storage();
        float[] tanhC = tanhCs.storage();

        // Running gradients of h and c, per sample (B, H); the outputs' gradients time-major.
        Tensor dhState = Tensor.empty(batch, hidden);
        Tensor dcState = Tensor.empty(batch, hidden);
        Tensor dcOther = Tensor.empty(batch, hidden);
        float[] dh = dhState.storage();
        float[] dc = dcState.storage();
        float[] dcNext = dcOther.storage();
        for (int b = 0; b < batch; b++) {
            System.arraycopy(g, go + b * stride + steps * hidden, dh, b * hidden, hidden);
            System.arraycopy(g, go + b * stride + (steps + 1) * hidden, dc, b * hidden, hidden);
        }
        Tensor gOut = Tensor.empty(maxLen, batch, hidden);
        float[] gt = gOut.storage();
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < maxLen; t++) {
                System.arraycopy(g, go + b * stride + t * hidden, gt, (t * batch + b) * hidden, hidden);
            }
        }
        Tensor dGates = Tensor.empty(maxLen, batch, g4);
        float[] dz = dGates.storage();
        float[] dhStep = Tensor.empty(batch, hidden).storage();
        for (int t = maxLen - 1; t >= 0; t--) {
            // dh of step t's output: what flows back from step t+1 plus the output's own gradient.
            ElementwiseKernels.binary(dev.tempora.tensor.kernels.BinaryOp.ADD, dh, 0, 1, gt, t * block, 1,
                    dhStep, 0, block);
            int b = 0;
            while (b < batch) {
                if (t >= len[b]) { // not running at t: no gradient to its gates, dc carries over
                    Arrays.fill(dz, (t * batch + b) * g4, (t * batch + b + 1) * g4, 0f);
                    System.arraycopy(dc, b * hidden, dcNext, b * hidden, hidden);
                    b++;
                    continue;
                }
                int end = runEnd(len, b, t);
                LstmKernels.cellBackward(a, (t * batch + b) * g4, c, t * block + b * hidden, tanhC,
                        t * block + b * hidden, dhStep, b * hidden, dc, b * hidden, dz, (t * batch + b) * g4,
                        dcNext, b * hidden, end - b, hidden);
                b = end;
            }
            float[] swap = dc;
            dc = dcNext;
            dcNext = swap;
            Tensor swapTensor = dcState;
            dcState = dcOther;
            dcOther = swapTensor;
            // dh of h[t-1] = dz[t]·W_hh for the samples running at t; the others keep theirs.
            for (b = 0; b < batch; b++) {
                if (t < len[b]) {
                    int end = runEnd(len, b, t);
                    LstmKernels.recurrentBackward(dz, (t * batch + b) * g4, wHh.storage(), wHh.storageOffset(),
                            dh, b * hidden, end - b, hidden);
                    b = end - 1;
                }
            }
        }
        int rows = maxLen * batch;
        if (sink.needs(0)) {
            Tensor dxt = Tensor.empty(steps, batch, in);
            float[] dxtData = dxt.storage();
            Gemm.sgemm(false, false, rows, in, g4, 1f, dz, 0, g4, wIh.storage(), wIh.storageOffset(), in,
                    0f, dxtData, 0, in);
            Arrays.fill(dxtData, rows * in, steps * batch * in, 0f); // steps no sample reaches
            Tensor dx = Tensor.empty(batch, steps, in);
            transpose(dxtData, 0, dx.storage(), 0, steps, batch, in);
            sink.accumulate(0, dx);
        }
        if (sink.needs(1)) {
            sink.accumulate(1, dhState);
        }
        if (sink.needs(2)) {
            sink.accumulate(2, dcState);
        }
        if (sink.needs(3)) {
            Tensor dwIh = Tensor.empty(g4, in);
            Gemm.sgemm(true, false, g4, in, rows, 1f, dz, 0, g4, xt.storage(), 0, in, 0f, dwIh.storage(), 0, in);
            sink.accumulate(3, dwIh);
        }
        if (sink.needs(4)) {
            // The previous hidden states of steps [0, maxLen) are one block: h0 then h[0..maxLen-2].
            Tensor dwHh = Tensor.empty(g4, hidden);
            Gemm.sgemm(true, false, g4, hidden, rows, 1f, dz, 0, g4, hs.storage(), 0, hidden, 0f,
                    dwHh.storage(), 0, hidden);
            sink.accumulate(4, dwHh);
        }
        if (sink.needs(5) || sink.needs(6)) {
            Tensor db = Tensor.empty(g4);
            ReductionKernels.reduce(ReductionKernels.Kind.SUM, dz, 0, 1, rows, g4, db.storage(), 0);
            sink.accumulate(5, db);
            sink.accumulate(6, db);
        }
    }

    /** (outer, inner, width) → (inner, outer, width): rows of {@code width} floats change order. */
    private static void transpose(float[] src, int so, float[] dst, int dOff, int outer, int inner, int width) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                System.arraycopy(src, so + (o * inner + i) * width, dst, dOff + (i * outer + o) * width, width);
            }
        }
    }

    private static void copyInto(Tensor state, float[] dst) {
        Tensor s = state.contiguous();
        System.arraycopy(s.storage(), s.storageOffset(), dst, 0, s.numel());
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
        return lengths.clone();
    }
}
