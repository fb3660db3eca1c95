package dev.tempora.tensor.kernels;

/**
 * The pointwise part of an LSTM step for a block of consecutive rows (samples), gates laid out
 * per row as torch's [i, f, g, o], each segment {@code hidden} long:
 * <pre>
 *   i = σ(zi), f = σ(zf), g = tanh(zg), o = σ(zo)
 *   c' = f·c + i·g,  h' = o·tanh(c')
 * </pre>
 * Row r of the gate arrays starts at {@code offset + r·4·hidden}, of the state arrays at
 * {@code offset + r·hidden}. Every kernel writes only to arrays it does not read, so vector code
 * may cover a row's end with an overlapping vector. SIMD versions in {@link LstmVector}; the
 * references define results (bit for bit: both apply the same operations in the same order).
 */
public final class LstmKernels {

    private LstmKernels() {}

    /** From pre-activations z and the previous cell state: the activations, c' and h'. */
    public static void cellForward(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                                   float[] cNew, int cno, float[] hNew, int hno, int rows, int hidden) {
        if (VectorSupport.ENABLED && hidden >= VectorSupport.LANES) {
            LstmVector.cellForward(z, zo, cPrev, cpo, act, ao, cNew, cno, hNew, hno, rows, hidden);
        } else {
            cellForwardReference(z, zo, cPrev, cpo, act, ao, cNew, cno, hNew, hno, rows, hidden);
        }
    }

    static void cellForwardReference(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                                            float[] cNew, int cno, float[] hNew, int hno, int rows, int hidden) {
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
                cNew[cno + r * hidden + j] = cn;
                hNew[hno + r * hidden + j] = o * FloatMath.tanh(cn);
                act[ar + j] = i;
                act[ar + hidden + j] = f;
                act[ar + 2 * hidden + j] = g;
                act[ar + 3 * hidden + j] = o;
            }
        }
    }

    /**
     * Given the activations, the previous and new cell states, the gradient dh of h' and dcIn of c'
     * (excluding what flows through h'): the pre-activation gradients dz and dcOut, the gradient of
     * the previous cell state.
     */
    public static void cellBackward(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                                    float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                                    float[] dcOut, int dco, int rows, int hidden) {
        if (VectorSupport.ENABLED && hidden >= VectorSupport.LANES) {
            LstmVector.cellBackward(act, ao, cPrev, cpo, cNew, cno, dh, dho, dcIn, dci, dz, dzo, dcOut, dco, rows, hidden);
        } else {
            cellBackwardReference(act, ao, cPrev, cpo, cNew, cno, dh, dho, dcIn, dci, dz, dzo, dcOut, dco, rows, hidden);
        }
    }

    static void cellBackwardReference(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
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
                float tc = FloatMath.tanh(cNew[cno + s + j]);
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
