package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of {@link LstmKernels}, for hidden sizes of at least one vector. Each gate segment
 * is covered by its full vectors and one more ending exactly at the segment's end, overlapping the
 * one before (hidden 20 with 16 lanes: vectors at 0 and 4); outputs never alias inputs, so the
 * overlapping lanes are simply computed and written twice. No scalar tail, no mask.
 *
 * <p>The vector bodies are methods that {@link CompilerHints} keeps out of line, each with at most
 * one or two transcendentals: the cell's five inlined into a loop leave C2 past its node budget or
 * with vector constants live across a safepoint, and the vectors are then boxed. A call that
 * passes only arrays and offsets costs little.
 */
final class LstmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LstmVector() {}

    static void cellForward(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                            float[] cNew, int cno, float[] hNew, int hno, int rows, int hidden) {
        int last = hidden - L;
        for (int r = 0; r < rows; r++) {
            int zr = zo + r * 4 * hidden;
            int ar = ao + r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < last; j += L) {
                gatesVector(z, zr + j, act, ar + j, hidden);
            }
            gatesVector(z, zr + last, act, ar + last, hidden);
            for (int j = 0; j < last; j += L) {
                cellVector(act, ar + j, cPrev, cpo + s + j, cNew, cno + s + j, hNew, hno + s + j, hidden);
            }
            cellVector(act, ar + last, cPrev, cpo + s + last, cNew, cno + s + last, hNew, hno + s + last, hidden);
        }
    }

    /** The four gate activations of one vector of columns. */
    static void gatesVector(float[] z, int zo, float[] act, int ao, int hidden) {
        sigmoidVector(z, zo, act, ao);
        sigmoidVector(z, zo + hidden, act, ao + hidden);
        tanhVector(z, zo + 2 * hidden, act, ao + 2 * hidden);
        sigmoidVector(z, zo + 3 * hidden, act, ao + 3 * hidden);
    }

    static void sigmoidVector(float[] x, int xo, float[] out, int oo) {
        VectorMath.sigmoid(FloatVector.fromArray(S, x, xo)).intoArray(out, oo);
    }

    static void tanhVector(float[] x, int xo, float[] out, int oo) {
        VectorMath.tanh(FloatVector.fromArray(S, x, xo)).intoArray(out, oo);
    }

    /** c' = f·c + i·g and h' = o·tanh(c') for one vector of columns. */
    static void cellVector(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                           float[] hNew, int hno, int hidden) {
        FloatVector i = FloatVector.fromArray(S, act, ao);
        FloatVector f = FloatVector.fromArray(S, act, ao + hidden);
        FloatVector g = FloatVector.fromArray(S, act, ao + 2 * hidden);
        FloatVector o = FloatVector.fromArray(S, act, ao + 3 * hidden);
        FloatVector cn = f.mul(FloatVector.fromArray(S, cPrev, cpo)).add(i.mul(g));
        cn.intoArray(cNew, cno);
        o.mul(VectorMath.tanh(cn)).intoArray(hNew, hno);
    }

    static void cellBackward(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                             float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                             float[] dcOut, int dco, int rows, int hidden) {
        int last = hidden - L;
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * 4 * hidden;
            int dr = dzo + r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < last; j += L) {
                backwardVector(act, ar + j, cPrev, cpo + s + j, cNew, cno + s + j, dh, dho + s + j, dcIn,
                        dci + s + j, dz, dr + j, dcOut, dco + s + j, hidden);
            }
            backwardVector(act, ar + last, cPrev, cpo + s + last, cNew, cno + s + last, dh, dho + s + last, dcIn,
                    dci + s + last, dz, dr + last, dcOut, dco + s + last, hidden);
        }
    }

    static void backwardVector(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                                       float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                                       float[] dcOut, int dco, int hidden) {
        FloatVector i = FloatVector.fromArray(S, act, ao);
        FloatVector f = FloatVector.fromArray(S, act, ao + hidden);
        FloatVector g = FloatVector.fromArray(S, act, ao + 2 * hidden);
        FloatVector o = FloatVector.fromArray(S, act, ao + 3 * hidden);
        FloatVector tc = VectorMath.tanh(FloatVector.fromArray(S, cNew, cno));
        FloatVector dhv = FloatVector.fromArray(S, dh, dho);
        FloatVector dct = FloatVector.fromArray(S, dcIn, dci).add(dhv.mul(o).mul(tc.mul(tc).neg().add(1f)));
        dct.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dz, dzo);
        dct.mul(FloatVector.fromArray(S, cPrev, cpo)).mul(f).mul(f.neg().add(1f)).intoArray(dz, dzo + hidden);
        dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dz, dzo + 2 * hidden);
        dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dz, dzo + 3 * hidden);
        dct.mul(f).intoArray(dcOut, dco);
    }
}
