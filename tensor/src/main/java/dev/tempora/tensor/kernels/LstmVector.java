package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of {@link LstmKernels}: each gate segment of length H in full vectors, the rest in
 * scalar code with the same {@link FloatMath} functions (every element equals the reference).
 */
final class LstmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LstmVector() {}

    static void cellForward(float[] gates, int go, float[] c, int co, float[] cNew, int cno,
                            float[] hNew, int hno, int hidden) {
        int bound = hidden - hidden % L;
        for (int j = 0; j < bound; j += L) {
            FloatVector i = VectorMath.sigmoid(FloatVector.fromArray(S, gates, go + j));
            FloatVector f = VectorMath.sigmoid(FloatVector.fromArray(S, gates, go + hidden + j));
            FloatVector g = VectorMath.tanh(FloatVector.fromArray(S, gates, go + 2 * hidden + j));
            FloatVector o = VectorMath.sigmoid(FloatVector.fromArray(S, gates, go + 3 * hidden + j));
            FloatVector cn = f.mul(FloatVector.fromArray(S, c, co + j)).add(i.mul(g));
            cn.intoArray(cNew, cno + j);
            o.mul(VectorMath.tanh(cn)).intoArray(hNew, hno + j);
            i.intoArray(gates, go + j);
            f.intoArray(gates, go + hidden + j);
            g.intoArray(gates, go + 2 * hidden + j);
            o.intoArray(gates, go + 3 * hidden + j);
        }
        LstmKernels.cellForwardReference(gates, go + bound, c, co + bound, cNew, cno + bound, hNew, hno + bound,
                hidden, hidden - bound);
    }

    static void cellBackward(float[] gates, int go, float[] cPrev, int cpo, float[] cNew, int cno,
                             float[] dh, int dho, float[] dc, int dco, int hidden) {
        int bound = hidden - hidden % L;
        for (int j = 0; j < bound; j += L) {
            FloatVector i = FloatVector.fromArray(S, gates, go + j);
            FloatVector f = FloatVector.fromArray(S, gates, go + hidden + j);
            FloatVector g = FloatVector.fromArray(S, gates, go + 2 * hidden + j);
            FloatVector o = FloatVector.fromArray(S, gates, go + 3 * hidden + j);
            FloatVector tc = VectorMath.tanh(FloatVector.fromArray(S, cNew, cno + j));
            FloatVector dhv = FloatVector.fromArray(S, dh, dho + j);
            FloatVector dct = FloatVector.fromArray(S, dc, dco + j).add(dhv.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dct.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(gates, go + j);
            dct.mul(FloatVector.fromArray(S, cPrev, cpo + j)).mul(f).mul(f.neg().add(1f)).intoArray(gates, go + hidden + j);
            dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(gates, go + 2 * hidden + j);
            dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(gates, go + 3 * hidden + j);
            dct.mul(f).intoArray(dc, dco + j);
        }
        LstmKernels.cellBackwardReference(gates, go + bound, cPrev, cpo + bound, cNew, cno + bound, dh, dho + bound,
                dc, dco + bound, hidden, hidden - bound);
    }
}
