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
                            float[] cNew, int cno, float[] tanhCNew, int tco, float[] hNew, int hno,
                            int rows, int hidden) {
        int g4 = 4 * hidden;
        // i and f (2H columns), o (H), g (H): each a run with its own clamped last vector.
        sigmoidRows(z, zo, act, ao, rows, g4, 2 * hidden);
        sigmoidRows(z, zo + 3 * hidden, act, ao + 3 * hidden, rows, g4, hidden);
        tanhRows(z, zo + 2 * hidden, act, ao + 2 * hidden, rows, g4, hidden);
        cellRows(act, ao, cPrev, cpo, cNew, cno, tanhCNew, tco, hNew, hno, rows, hidden);
    }

    /** c' = f·c + i·g, tanh(c') and h' = o·tanh(c') from the activations. */
    private static void cellRows(float[] act, int ao, float[] cPrev, int cpo, float[] cNew, int cno,
                                 float[] tanhCNew, int tco, float[] hNew, int hno, int rows, int hidden) {
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
                FloatVector tc = VectorMath.tanh(cn);
                cn.intoArray(cNew, cno + s + j);
                tc.intoArray(tanhCNew, tco + s + j);
                o.mul(tc).intoArray(hNew, hno + s + j);
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

    static void cellBackward(float[] act, int ao, float[] cPrev, int cpo, float[] tanhCNew, int tco,
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
                FloatVector tc = FloatVector.fromArray(S, tanhCNew, tco + s);
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

    /**
     * out = pre + h·W_hhᵀ in tiles of four rows by two column vectors (eight independent sums of H
     * fused multiply-adds each), then the remaining rows one at a time. Column vectors are the 4H
     * columns' full vectors and one more clamped to end at the row's end; a pair's second vector is
     * clamped too, so an odd count computes the last vector twice, to the same bits.
     */
    static void recurrentForward(float[] pre, int po, float[] h, int ho, float[] weightHhT,
                                 float[] out, int oo, int rows, int hidden) {
        int g4 = 4 * hidden;
        int last = g4 - L;
        int pairs = ((g4 + L - 1) / L + 1) / 2;
        int quads = rows / 4;
        for (int rq = 0; rq < quads; rq++) {
            int r0 = 4 * rq;
            for (int v = 0; v < pairs; v++) {
                int j0 = Math.min(2 * v * L, last);
                int j1 = Math.min((2 * v + 1) * L, last);
                int z0 = po + r0 * g4;
                FloatVector a00 = FloatVector.fromArray(S, pre, z0 + j0);
                FloatVector a01 = FloatVector.fromArray(S, pre, z0 + j1);
                FloatVector a10 = FloatVector.fromArray(S, pre, z0 + g4 + j0);
                FloatVector a11 = FloatVector.fromArray(S, pre, z0 + g4 + j1);
                FloatVector a20 = FloatVector.fromArray(S, pre, z0 + 2 * g4 + j0);
                FloatVector a21 = FloatVector.fromArray(S, pre, z0 + 2 * g4 + j1);
                FloatVector a30 = FloatVector.fromArray(S, pre, z0 + 3 * g4 + j0);
                FloatVector a31 = FloatVector.fromArray(S, pre, z0 + 3 * g4 + j1);
                int h0 = ho + r0 * hidden;
                for (int p = 0; p < hidden; p++) {
                    FloatVector w0 = FloatVector.fromArray(S, weightHhT, p * g4 + j0);
                    FloatVector w1 = FloatVector.fromArray(S, weightHhT, p * g4 + j1);
                    FloatVector x0 = FloatVector.broadcast(S, h[h0 + p]);
                    FloatVector x1 = FloatVector.broadcast(S, h[h0 + hidden + p]);
                    FloatVector x2 = FloatVector.broadcast(S, h[h0 + 2 * hidden + p]);
                    FloatVector x3 = FloatVector.broadcast(S, h[h0 + 3 * hidden + p]);
                    a00 = x0.fma(w0, a00);
                    a01 = x0.fma(w1, a01);
                    a10 = x1.fma(w0, a10);
                    a11 = x1.fma(w1, a11);
                    a20 = x2.fma(w0, a20);
                    a21 = x2.fma(w1, a21);
                    a30 = x3.fma(w0, a30);
                    a31 = x3.fma(w1, a31);
                }
                int o0 = oo + r0 * g4;
                a00.intoArray(out, o0 + j0);
                a01.intoArray(out, o0 + j1);
                a10.intoArray(out, o0 + g4 + j0);
                a11.intoArray(out, o0 + g4 + j1);
                a20.intoArray(out, o0 + 2 * g4 + j0);
                a21.intoArray(out, o0 + 2 * g4 + j1);
                a30.intoArray(out, o0 + 3 * g4 + j0);
                a31.intoArray(out, o0 + 3 * g4 + j1);
            }
        }
        for (int r = 4 * quads; r < rows; r++) {
            for (int v = 0; v < pairs; v++) {
                int j0 = Math.min(2 * v * L, last);
                int j1 = Math.min((2 * v + 1) * L, last);
                FloatVector a0 = FloatVector.fromArray(S, pre, po + r * g4 + j0);
                FloatVector a1 = FloatVector.fromArray(S, pre, po + r * g4 + j1);
                for (int p = 0; p < hidden; p++) {
                    FloatVector x = FloatVector.broadcast(S, h[ho + r * hidden + p]);
                    a0 = x.fma(FloatVector.fromArray(S, weightHhT, p * g4 + j0), a0);
                    a1 = x.fma(FloatVector.fromArray(S, weightHhT, p * g4 + j1), a1);
                }
                a0.intoArray(out, oo + r * g4 + j0);
                a1.intoArray(out, oo + r * g4 + j1);
            }
        }
    }

    /**
     * dhPrev = dz·W_hh in tiles of four rows by two column vectors of the H columns (clamped as in
     * {@link #recurrentForward}), each a sum of 4H fused multiply-adds from 0, then the remaining rows.
     * W_hh is read in place: its rows already run along the output's columns.
     */
    static void recurrentBackward(float[] dz, int dzo, float[] weightHh, int wo, float[] dhPrev, int dho,
                                  int rows, int hidden) {
        int g4 = 4 * hidden;
        int last = hidden - L;
        int pairs = ((hidden + L - 1) / L + 1) / 2;
        int quads = rows / 4;
        for (int rq = 0; rq < quads; rq++) {
            int r0 = 4 * rq;
            int d0 = dzo + r0 * g4;
            for (int v = 0; v < pairs; v++) {
                int q0 = Math.min(2 * v * L, last);
                int q1 = Math.min((2 * v + 1) * L, last);
                FloatVector a00 = FloatVector.zero(S);
                FloatVector a01 = a00;
                FloatVector a10 = a00;
                FloatVector a11 = a00;
                FloatVector a20 = a00;
                FloatVector a21 = a00;
                FloatVector a30 = a00;
                FloatVector a31 = a00;
                for (int p = 0; p < g4; p++) {
                    FloatVector w0 = FloatVector.fromArray(S, weightHh, wo + p * hidden + q0);
                    FloatVector w1 = FloatVector.fromArray(S, weightHh, wo + p * hidden + q1);
                    FloatVector x0 = FloatVector.broadcast(S, dz[d0 + p]);
                    FloatVector x1 = FloatVector.broadcast(S, dz[d0 + g4 + p]);
                    FloatVector x2 = FloatVector.broadcast(S, dz[d0 + 2 * g4 + p]);
                    FloatVector x3 = FloatVector.broadcast(S, dz[d0 + 3 * g4 + p]);
                    a00 = x0.fma(w0, a00);
                    a01 = x0.fma(w1, a01);
                    a10 = x1.fma(w0, a10);
                    a11 = x1.fma(w1, a11);
                    a20 = x2.fma(w0, a20);
                    a21 = x2.fma(w1, a21);
                    a30 = x3.fma(w0, a30);
                    a31 = x3.fma(w1, a31);
                }
                int o0 = dho + r0 * hidden;
                a00.intoArray(dhPrev, o0 + q0);
                a01.intoArray(dhPrev, o0 + q1);
                a10.intoArray(dhPrev, o0 + hidden + q0);
                a11.intoArray(dhPrev, o0 + hidden + q1);
                a20.intoArray(dhPrev, o0 + 2 * hidden + q0);
                a21.intoArray(dhPrev, o0 + 2 * hidden + q1);
                a30.intoArray(dhPrev, o0 + 3 * hidden + q0);
                a31.intoArray(dhPrev, o0 + 3 * hidden + q1);
            }
        }
        for (int r = 4 * quads; r < rows; r++) {
            for (int v = 0; v < pairs; v++) {
                int q0 = Math.min(2 * v * L, last);
                int q1 = Math.min((2 * v + 1) * L, last);
                FloatVector a0 = FloatVector.zero(S);
                FloatVector a1 = a0;
                for (int p = 0; p < g4; p++) {
                    FloatVector x = FloatVector.broadcast(S, dz[dzo + r * g4 + p]);
                    a0 = x.fma(FloatVector.fromArray(S, weightHh, wo + p * hidden + q0), a0);
                    a1 = x.fma(FloatVector.fromArray(S, weightHh, wo + p * hidden + q1), a1);
                }
                a0.intoArray(dhPrev, dho + r * hidden + q0);
                a1.intoArray(dhPrev, dho + r * hidden + q1);
            }
        }
    }
}
