package dev.tempora.tensor.kernels;

/**
 * The pointwise part of an LSTM step for one sample, gates laid out as torch's [i, f, g, o]:
 * <pre>
 *   i = σ(zi), f = σ(zf), g = tanh(zg), o = σ(zo)
 *   c' = f·c + i·g,  h' = o·tanh(c')
 * </pre>
 * The forward overwrites the pre-activations z with the activations (the backward needs those),
 * and the backward overwrites them with the pre-activation gradients. SIMD versions in
 * {@link LstmVector}; the references define results.
 */
public final class LstmKernels {

    private LstmKernels() {}

    /** gates[go .. go+4H) in: pre-activations, out: activations; writes c' and h'. */
    public static void cellForward(float[] gates, int go, float[] c, int co, float[] cNew, int cno,
                                   float[] hNew, int hno, int hidden) {
        if (VectorSupport.ENABLED && hidden >= 4) {
            LstmVector.cellForward(gates, go, c, co, cNew, cno, hNew, hno, hidden);
        } else {
            cellForwardReference(gates, go, c, co, cNew, cno, hNew, hno, hidden, hidden);
        }
    }

    /**
     * The reference for the first {@code columns} positions of each gate segment (gates are {@code
     * hidden} apart); the SIMD version calls it for the positions after its last full vector.
     */
    public static void cellForwardReference(float[] gates, int go, float[] c, int co, float[] cNew, int cno,
                                            float[] hNew, int hno, int hidden, int columns) {
        for (int j = 0; j < columns; j++) {
            float i = sigmoid(gates[go + j]);
            float f = sigmoid(gates[go + hidden + j]);
            float g = FloatMath.tanh(gates[go + 2 * hidden + j]);
            float o = sigmoid(gates[go + 3 * hidden + j]);
            float cn = f * c[co + j] + i * g;
            cNew[cno + j] = cn;
            hNew[hno + j] = o * FloatMath.tanh(cn);
            gates[go + j] = i;
            gates[go + hidden + j] = f;
            gates[go + 2 * hidden + j] = g;
            gates[go + 3 * hidden + j] = o;
        }
    }

    /**
     * Given the activations, the previous and new cell states, and the gradients dh (of h') and dc
     * (of c', excluding what flows through h'), overwrites gates with d(pre-activations) and dc with
     * the gradient of the previous cell state.
     */
    public static void cellBackward(float[] gates, int go, float[] cPrev, int cpo, float[] cNew, int cno,
                                    float[] dh, int dho, float[] dc, int dco, int hidden) {
        if (VectorSupport.ENABLED && hidden >= 4) {
            LstmVector.cellBackward(gates, go, cPrev, cpo, cNew, cno, dh, dho, dc, dco, hidden);
        } else {
            cellBackwardReference(gates, go, cPrev, cpo, cNew, cno, dh, dho, dc, dco, hidden, hidden);
        }
    }

    /** The reference for the first {@code columns} positions of each gate segment. */
    public static void cellBackwardReference(float[] gates, int go, float[] cPrev, int cpo, float[] cNew, int cno,
                                             float[] dh, int dho, float[] dc, int dco, int hidden, int columns) {
        for (int j = 0; j < columns; j++) {
            float i = gates[go + j];
            float f = gates[go + hidden + j];
            float g = gates[go + 2 * hidden + j];
            float o = gates[go + 3 * hidden + j];
            float tc = FloatMath.tanh(cNew[cno + j]);
            float dhj = dh[dho + j];
            // The same operations, in the same order, as the SIMD version: results match bit for bit.
            float dct = dc[dco + j] + dhj * o * (-(tc * tc) + 1f);
            gates[go + j] = dct * g * i * (-i + 1f);
            gates[go + hidden + j] = dct * cPrev[cpo + j] * f * (-f + 1f);
            gates[go + 2 * hidden + j] = dct * i * (-(g * g) + 1f);
            gates[go + 3 * hidden + j] = dhj * tc * o * (-o + 1f);
            dc[dco + j] = dct * f;
        }
    }

    private static float sigmoid(float x) {
        return FloatMath.sigmoid(x);
    }
}
