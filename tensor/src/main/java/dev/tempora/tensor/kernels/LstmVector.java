package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/** SIMD versions of {@link LstmKernels}: each gate segment of length H in full and lane-masked vectors. */
final class LstmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LstmVector() {}

    static void cellForward(float[] gates, int go, float[] c, int co, float[] cNew, int cno,
                            float[] hNew, int hno, int hidden) {
        for (int j = 0; j < hidden; j += L) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector i = ElementwiseVector.sigmoid(FloatVector.fromArray(S, gates, go + j, m));
            FloatVector f = ElementwiseVector.sigmoid(FloatVector.fromArray(S, gates, go + hidden + j, m));
            FloatVector g = VectorMath.tanh(FloatVector.fromArray(S, gates, go + 2 * hidden + j, m));
            FloatVector o = ElementwiseVector.sigmoid(FloatVector.fromArray(S, gates, go + 3 * hidden + j, m));
            FloatVector cn = f.mul(FloatVector.fromArray(S, c, co + j, m)).add(i.mul(g));
            cn.intoArray(cNew, cno + j, m);
            o.mul(VectorMath.tanh(cn)).intoArray(hNew, hno + j, m);
            i.intoArray(gates, go + j, m);
            f.intoArray(gates, go + hidden + j, m);
            g.intoArray(gates, go + 2 * hidden + j, m);
            o.intoArray(gates, go + 3 * hidden + j, m);
        }
    }

    static void cellBackward(float[] gates, int go, float[] cPrev, int cpo, float[] cNew, int cno,
                             float[] dh, int dho, float[] dc, int dco, int hidden) {
        for (int j = 0; j < hidden; j += L) {
            VectorMask<Float> m = S.indexInRange(j, hidden);
            FloatVector i = FloatVector.fromArray(S, gates, go + j, m);
            FloatVector f = FloatVector.fromArray(S, gates, go + hidden + j, m);
            FloatVector g = FloatVector.fromArray(S, gates, go + 2 * hidden + j, m);
            FloatVector o = FloatVector.fromArray(S, gates, go + 3 * hidden + j, m);
            FloatVector tc = VectorMath.tanh(FloatVector.fromArray(S, cNew, cno + j, m));
            FloatVector dhv = FloatVector.fromArray(S, dh, dho + j, m);
            FloatVector dct = FloatVector.fromArray(S, dc, dco + j, m).add(dhv.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dct.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(gates, go + j, m);
            dct.mul(FloatVector.fromArray(S, cPrev, cpo + j, m)).mul(f).mul(f.neg().add(1f)).intoArray(gates, go + hidden + j, m);
            dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(gates, go + 2 * hidden + j, m);
            dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(gates, go + 3 * hidden + j, m);
            dct.mul(f).intoArray(dc, dco + j, m);
        }
    }
}
