package dev.tempora.tensor.kernels;

/**
 * The pointwise part of an LSTM step for a block of consecutive rows (samples), gates laid out
 * per row as torch's [i, f, g, o], each segment {@code hidden} long:
 * <pre>
 *   i = σ(zi), f = σ(zf), g = tanh(zg), o = σ(zo)
 *   c' = f·c + i·g,  h' = o·tanh(c')
 * </pre>
 * The forward also writes tanh(c'), which the backward reads instead of computing it again.
 * Row r of the gate arrays starts at {@code offset + r·4·hidden}, of the state arrays at
 * {@code offset + r·hidden}. Every kernel writes only to arrays it does not read, so vector code
 * may cover a row's end with an overlapping vector. SIMD versions in {@link LstmVector}; the
 * references define results (bit for bit: both apply the same operations in the same order).
 *
 * <p>The recurrent products of a step ({@link #recurrentForward}, {@link #recurrentBackward}) are
 * here too rather than in {@link Gemm}: they are 16 × 80 × 20 for the TFT, run once per step, and a
 * general GEMM call (checks, packing both operands, dispatch) costs as much as the arithmetic.
 */
public final class LstmKernels {

    private LstmKernels() {}

    /** From pre-activations z and the previous cell state: the activations, c', tanh(c') and h'. */
    public static void cellForward(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                                   float[] cNew, int cno, float[] tanhCNew, int tco, float[] hNew, int hno,
                                   int rows, int hidden) {
        if (VectorSupport.ENABLED && hidden >= VectorSupport.LANES) {
            LstmVector.cellForward(z, zo, cPrev, cpo, act, ao, cNew, cno, tanhCNew, tco, hNew, hno, rows, hidden);
        } else {
            cellForwardReference(z, zo, cPrev, cpo, act, ao, cNew, cno, tanhCNew, tco, hNew, hno, rows, hidden);
        }
    }

    static void cellForwardReference(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                                     float[] cNew, int cno, float[] tanhCNew, int tco, float[] hNew, int hno,
                                     int rows, int hidden) {
        int g4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * g4;
            int ar = ao + r * g4;
            for (int j = 0; j < hidden; j++) {
                float i = FloatMath.sigmoid(z[zr + j]);
                float f = FloatMath.sigmoid(z[zr + hidden + j]);
                float g = FloatMath.tanh(z[zr + 2 * hidden + j]);
                float o = FloatMath.sigmoid(z[zr + 3 * hidden + j]);
                float cn = f * cPrev[cpo + r * hidden + j] + i * g;
                float tc = FloatMath.tanh(cn);
                cNew[cno + r * hidden + j] = cn;
                tanhCNew[tco + r * hidden + j] = tc;
                hNew[hno + r * hidden + j] = o * tc;
                act[ar + j] = i;
                act[ar + hidden + j] = f;
                act[ar + 2 * hidden + j] = g;
                act[ar + 3 * hidden + j] = o;
            }
        }
    }

    /**
     * W_hh (4H × H, row-major at {@code offset}) transposed to H × 4H, the layout
     * {@link #recurrentForward} reads: a step's recurrent product then loads each weight row along the
     * gates. Packed once per sequence, not per step.
     */
    public static float[] transposeRecurrentWeights(float[] weightHh, int offset, int hidden) {
        int g4 = 4 * hidden;
        float[] transposed = new float[hidden * g4];
        for (int j = 0; j < g4; j++) {
            for (int p = 0; p < hidden; p++) {
                transposed[p * g4 + j] = weightHh[offset + j * hidden + p];
            }
        }
        return transposed;
    }

    /**
     * One step's pre-activations for a block of rows: {@code out = pre + h·W_hhᵀ}, with W_hhᵀ as
     * {@link #transposeRecurrentWeights} packs it. Rows of pre and out are 4H apart, rows of h are H
     * apart. Each element starts from pre and adds h[p]·w[p] for p = 0, 1, …, H − 1 with one fused
     * multiply-add each, in that order, so every path gives the same bits.
     */
    public static void recurrentForward(float[] pre, int po, float[] h, int ho, float[] weightHhT,
                                        float[] out, int oo, int rows, int hidden) {
        if (VectorSupport.ENABLED && 4 * hidden >= VectorSupport.LANES) {
            LstmVector.recurrentForward(pre, po, h, ho, weightHhT, out, oo, rows, hidden);
        } else {
            recurrentForwardReference(pre, po, h, ho, weightHhT, out, oo, rows, hidden);
        }
    }

    static void recurrentForwardReference(float[] pre, int po, float[] h, int ho, float[] weightHhT,
                                          float[] out, int oo, int rows, int hidden) {
        int g4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < g4; j++) {
                float sum = pre[po + r * g4 + j];
                for (int p = 0; p < hidden; p++) {
                    sum = Math.fma(h[ho + r * hidden + p], weightHhT[p * g4 + j], sum);
                }
                out[oo + r * g4 + j] = sum;
            }
        }
    }

    /**
     * The recurrent part of a step's backward for a block of rows: {@code dhPrev = dz·W_hh}, W_hh
     * (4H × H) row-major at {@code wo}. Rows of dz are 4H apart, rows of dhPrev H apart. Each element
     * starts from 0 and adds dz[p]·w[p] for p = 0, 1, …, 4H − 1 with one fused multiply-add each.
     */
    public static void recurrentBackward(float[] dz, int dzo, float[] weightHh, int wo, float[] dhPrev, int dho,
                                         int rows, int hidden) {
        if (VectorSupport.ENABLED && hidden >= VectorSupport.LANES) {
            LstmVector.recurrentBackward(dz, dzo, weightHh, wo, dhPrev, dho, rows, hidden);
        } else {
            recurrentBackwardReference(dz, dzo, weightHh, wo, dhPrev, dho, rows, hidden);
        }
    }

    static void recurrentBackwardReference(float[] dz, int dzo, float[] weightHh, int wo, float[] dhPrev, int dho,
                                           int rows, int hidden) {
        int g4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            for (int q = 0; q < hidden; q++) {
                float sum = 0f;
                for (int p = 0; p < g4; p++) {
                    sum = Math.fma(dz[dzo + r * g4 + p], weightHh[wo + p * hidden + q], sum);
                }
                dhPrev[dho + r * hidden + q] = sum;
            }
        }
    }

    /**
     * Given the activations, the previous cell state, tanh of the new one (as {@link #cellForward}
     * wrote it), the gradient dh of h' and dcIn of c' (excluding what flows through h'): the
     * pre-activation gradients dz and dcOut, the gradient of the previous cell state.
     */
    public static void cellBackward(float[] act, int ao, float[] cPrev, int cpo, float[] tanhCNew, int tco,
                                    float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                                    float[] dcOut, int dco, int rows, int hidden) {
        if (VectorSupport.ENABLED && hidden >= VectorSupport.LANES) {
            LstmVector.cellBackward(act, ao, cPrev, cpo, tanhCNew, tco, dh, dho, dcIn, dci, dz, dzo, dcOut, dco,
                    rows, hidden);
        } else {
            cellBackwardReference(act, ao, cPrev, cpo, tanhCNew, tco, dh, dho, dcIn, dci, dz, dzo, dcOut, dco,
                    rows, hidden);
        }
    }

    static void cellBackwardReference(float[] act, int ao, float[] cPrev, int cpo, float[] tanhCNew, int tco,
                                             float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                                             float[] dcOut, int dco, int rows, int hidden) {
        int g4 = 4 * hidden;
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * g4;
            int dr = dzo + r * g4;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = act[ar + j];
                float f = act[ar + hidden + j];
                float g = act[ar + 2 * hidden + j];
                float o = act[ar + 3 * hidden + j];
                float tc = tanhCNew[tco + s + j];
                float dhj = dh[dho + s + j];
                float dct = dcIn[dci + s + j] + dhj * o * (-(tc * tc) + 1f);
                dz[dr + j] = dct * g * i * (-i + 1f);
                dz[dr + hidden + j] = dct * cPrev[cpo + s + j] * f * (-f + 1f);
                dz[dr + 2 * hidden + j] = dct * i * (-(g * g) + 1f);
                dz[dr + 3 * hidden + j] = dhj * tc * o * (-o + 1f);
                dcOut[dco + s + j] = dct * f;
            }
        }
    }
}
