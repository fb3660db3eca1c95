package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of {@link LstmKernels}, for hidden sizes of at least one vector. Each gate segment
 * is covered by its full vectors and one more ending exactly at the segment's end, overlapping the
 * one before (hidden 20 with 16 lanes: vectors at 0 and 4); outputs never alias inputs, so the
 * overlapping lanes are simply computed and written twice. No scalar tail, no mask.
 *
 * <p>Each loop holds one transcendental, once, in a method {@link CompilerHints} keeps out of
 * line: the cell's five inlined into one compile unit push C2 past its node budget, and the
 * vectors are then boxed. Loops are counted, the last trip clamped to the
 * row's end (C2 keeps a safepoint in a loop it cannot count, with vector constants live across it,
 * and boxes those too).
 */
final class LstmVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LstmVector() {}

    static void cellForward(float[] z, int zo, float[] cPrev, int cpo, float[] act, int ao,
                            float[] cNew, int cno, float[] hNew, int hno, int rows, int hidden) {
        int g4 = 4 * hidden;
        // i and f (2H columns), o (H), g (H): each a run with its own clamped last vector.
        sigmoidRows(z, zo, act, ao, rows, g4, 2 * hidden);
        sigmoidRows(z, zo + 3 * hidden, act, ao + 3 * hidden, rows, g4, hidden);
        tanhRows(z, zo + 2 * hidden, act, ao + 2 * hidden, rows, g4, hidden);
        cellRows(act, ao, cPrev, cpo, cNew, cno, hNew, hno, rows, hidden);
    }

    /** c' = f·c + i·g and h' = o·tanh(c') from the activations. */
    private static void cellRows(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                                 float[] hNew, int hno, int rows, int hidden) {
        int last = hidden - L;
        int vectors = (hidden + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * 4 * hidden;
            int s = r * hidden;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                FloatVector i = FloatVector.fromArray(S, act, ar + j);
                FloatVector f = FloatVector.fromArray(S, act, ar + hidden + j);
                FloatVector g = FloatVector.fromArray(S, act, ar + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, act, ar + 3 * hidden + j);
                FloatVector cn = f.mul(FloatVector.fromArray(S, cPrev, cpo + s + j)).add(i.mul(g));
                cn.intoArray(cNew, cno + s + j);
                o.mul(VectorMath.tanh(cn)).intoArray(hNew, hno + s + j);
            }
        }
    }

    /** σ over columns [0, n) of rows {@code stride} apart. */
    private static void sigmoidRows(float[] x, int xo, float[] out, int oo, int rows, int stride, int n) {
        int last = n - L;
        int vectors = (n + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < vectors; k++) {
                int j = r * stride + Math.min(k * L, last);
                VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + j)).intoArray(out, oo + j);
            }
        }
    }

    /** tanh over columns [0, n) of rows {@code stride} apart. */
    private static void tanhRows(float[] x, int xo, float[] out, int oo, int rows, int stride, int n) {
        int last = n - L;
        int vectors = (n + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < vectors; k++) {
                int j = r * stride + Math.min(k * L, last);
                VectorMath.tanh(FloatVector.fromArray(S, x, xo + j)).intoArray(out, oo + j);
            }
        }
    }

    static void cellBackward(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                             float[] dh, int dho, float[] dcIn, int dci, float[] dz, int dzo,
                             float[] dcOut, int dco, int rows, int hidden) {
        int last = hidden - L;
        int vectors = (hidden + L - 1) / L;
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * 4 * hidden;
            int dr = dzo + r * 4 * hidden;
            for (int k = 0; k < vectors; k++) {
                int j = Math.min(k * L, last);
                int s = r * hidden + j;
                FloatVector i = FloatVector.fromArray(S, act, ar + j);
                FloatVector f = FloatVector.fromArray(S, act, ar + hidden + j);
                FloatVector g = FloatVector.fromArray(S, act, ar + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, act, ar + 3 * hidden + j);
                FloatVector tc = VectorMath.tanh(FloatVector.fromArray(S, cNew, cno + s));
                FloatVector dhv = FloatVector.fromArray(S, dh, dho + s);
                FloatVector dct = FloatVector.fromArray(S, dcIn, dci + s).add(dhv.mul(o).mul(tc.mul(tc).neg().add(1f)));
                dct.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(dz, dr + j);
                dct.mul(FloatVector.fromArray(S, cPrev, cpo + s)).mul(f).mul(f.neg().add(1f)).intoArray(dz, dr + hidden + j);
                dct.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(dz, dr + 2 * hidden + j);
                dhv.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(dz, dr + 3 * hidden + j);
                dct.mul(f).intoArray(dcOut, dco + s);
            }
        }
    }
}
