package dev.tempora.autograd;

import dev.tempora.tensor.Tensor;

import java.util.Arrays;

/**
 * Resampling along the last axis, forward and backward together: pooling with kernel = stride in
 * ceil mode (torch's {@code max_pool1d} / {@code avg_pool1d} as N-HiTS configures them) and
 * interpolation to a given size (torch's {@code F.interpolate}, modes linear with
 * {@code align_corners=False} and nearest). Plain scalar loops: the rows are short (an encoder's
 * length), so there is no vector kernel and these loops are their own reference.
 */
final class ResamplingOps {

    private ResamplingOps() {}

    /**
     * Pools windows of {@code kernel} consecutive values of the last axis, stride {@code kernel}, in
     * ceil mode: a last, shorter window covers the remainder, so (…, L) becomes (…, ⌈L/kernel⌉). Max
     * pooling propagates NaN and sends the gradient to the window's first largest value (torch's
     * choice); average pooling divides by the window's own length (torch's divisor with no padding).
     */
    static Variable pool1d(Variable x, int kernel, boolean max) {
        Tensor xv = x.value().contiguous();
        if (xv.dim() == 0 || kernel < 1) {
            throw new IllegalArgumentException((max ? "max" : "average") + " pooling: needs a kernel of at least 1 and an "
                    + "input with a last axis, got kernel " + kernel + " and shape " + Arrays.toString(xv.shape()));
        }
        int length = xv.size(-1);
        int windows = (length + kernel - 1) / kernel;
        int rows = length == 0 ? 0 : xv.numel() / length;
        int[] outShape = xv.shape();
        outShape[outShape.length - 1] = windows;
        Tensor y = Tensor.empty(outShape);
        float[] in = xv.storage();
        int offset = xv.storageOffset();
        float[] out = y.storage();
        // The input position that won each max window, kept for the backward.
        int[] winners = max ? new int[rows * windows] : null;
        for (int r = 0; r < rows; r++) {
            int row = offset + r * length;
            for (int w = 0; w < windows; w++) {
                int start = w * kernel;
                int end = Math.min(start + kernel, length);
                if (max) {
                    int best = start;
                    float value = in[row + start];
                    for (int t = start + 1; t < end && !Float.isNaN(value); t++) {
                        float v = in[row + t];
                        if (v > value || Float.isNaN(v)) {
                            value = v;
                            best = t;
                        }
                    }
                    winners[r * windows + w] = best;
                    out[r * windows + w] = value;
                } else {
                    float sum = 0f;
                    for (int t = start; t < end; t++) {
                        sum += in[row + t];
                    }
                    out[r * windows + w] = sum / (end - start);
                }
            }
        }
        int[] inShape = xv.shape();
        return Variable.fromOp(y, (g, sink) -> {
            float[] gd = g.contiguous().toFloatArray();
            Tensor gx = Tensor.zeros(inShape);
            float[] gxd = gx.storage();
            for (int r = 0; r < rows; r++) {
                for (int w = 0; w < windows; w++) {
                    float grad = gd[r * windows + w];
                    if (max) {
                        gxd[r * length + winners[r * windows + w]] += grad;
                    } else {
                        int start = w * kernel;
                        int end = Math.min(start + kernel, length);
                        float share = grad / (end - start);
                        for (int t = start; t < end; t++) {
                            gxd[r * length + t] += share;
                        }
                    }
                }
            }
            sink.accumulate(0, gx);
        }, x);
    }

    /**
     * Resizes the last axis to {@code size} by interpolation: (…, n) becomes (…, size). Each output
     * position reads two input positions with weights summing to one ({@link #interpolationTable}); the
     * backward scatters the gradient back with the same weights.
     */
    static Variable interpolate1d(Variable x, int size, boolean linear) {
        Tensor xv = x.value().contiguous();
        if (xv.dim() == 0 || xv.size(-1) < 1 || size < 1) {
            throw new IllegalArgumentException("interpolation: needs at least one input value and an output size of at "
                    + "least 1, got shape " + Arrays.toString(xv.shape()) + " and size " + size);
        }
        int length = xv.size(-1);
        int rows = xv.numel() / length;
        Table table = interpolationTable(length, size, linear);
        int[] outShape = xv.shape();
        outShape[outShape.length - 1] = size;
        Tensor y = Tensor.empty(outShape);
        float[] in = xv.storage();
        int offset = xv.storageOffset();
        float[] out = y.storage();
        for (int r = 0; r < rows; r++) {
            int row = offset + r * length;
            for (int j = 0; j < size; j++) {
                out[r * size + j] = in[row + table.low[j]] * table.lowWeight[j] + in[row + table.high[j]] * table.highWeight[j];
            }
        }
        int[] inShape = xv.shape();
        return Variable.fromOp(y, (g, sink) -> {
            float[] gd = g.contiguous().toFloatArray();
            Tensor gx = Tensor.zeros(inShape);
            float[] gxd = gx.storage();
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < size; j++) {
                    float grad = gd[r * size + j];
                    gxd[r * length + table.low[j]] += grad * table.lowWeight[j];
                    gxd[r * length + table.high[j]] += grad * table.highWeight[j];
                }
            }
            sink.accumulate(0, gx);
        }, x);
    }

    /**
     * Which two inputs each output reads, and with which weights.
     *
     * @param low        the lower input position of each output
     * @param high       the upper input position (the lower one at the right edge, and for nearest)
     * @param lowWeight  the lower position's weight
     * @param highWeight the upper position's weight (0 for nearest)
     */
    record Table(int[] low, int[] high, float[] lowWeight, float[] highWeight) {}

    /**
     * torch's index and weight computation, in float as its CPU kernel does, with scale = n / size (no
     * scale factor given). Linear, {@code align_corners=False}: source = scale·(j + ½) − ½, clamped below
     * at 0; low = ⌊source⌋, high = low + 1 unless low is the last input; the weights are 1 − λ and λ with
     * λ = source − low clamped to [0, 1]. Nearest (torch's legacy mode): source = min(⌊j·scale⌋, n − 1).
     */
    static Table interpolationTable(int length, int size, boolean linear) {
        float scale = (float) length / size;
        int[] low = new int[size];
        int[] high = new int[size];
        float[] lowWeight = new float[size];
        float[] highWeight = new float[size];
        for (int j = 0; j < size; j++) {
            if (linear) {
                float source = Math.max(scale * (j + 0.5f) - 0.5f, 0f);
                int index = Math.min((int) Math.floor(source), length - 1);
                float lambda = Math.min(Math.max(source - index, 0f), 1f);
                low[j] = index;
                high[j] = index < length - 1 ? index + 1 : index;
                lowWeight[j] = 1f - lambda;
                highWeight[j] = lambda;
            } else {
                int index = Math.min((int) Math.floor(j * scale), length - 1);
                low[j] = index;
                high[j] = index;
                lowWeight[j] = 1f;
                highWeight[j] = 0f;
            }
        }
        return new Table(low, high, lowWeight, highWeight);
    }
}
