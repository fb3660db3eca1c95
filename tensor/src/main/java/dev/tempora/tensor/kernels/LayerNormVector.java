package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link LayerNormKernels}, for rows of at least one vector. A row's end that does
 * not fill a vector is covered by one more full vector ending at the row's end, overlapping the
 * previous one: stores of the overlap write the same values again, and in sums the overlapping
 * lanes are zeroed in a register. No lane-masked memory access, which the Vector API runs slowly
 * (and, near an array's end, through a boxed fallback that de-optimises the whole loop).
 */
final class LayerNormVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LayerNormVector() {}

    /** Lanes of the last vector (at len − L) that the full vectors before it already covered. */
    static VectorMask<Float> overlap(int len) {
        int covered = L - len % L;
        return S.indexInRange(0, len % L == 0 ? 0 : covered);
    }

    static void forwardRow(float[] x, int xs, float[] w, float[] b, float[] y, int ys,
                           float[] mean, float[] rstd, int row, int len, float eps, VectorMask<Float> overlap) {
        int bound = len - len % L;
        int last = len - L;
        boolean tail = bound < len;
        FloatVector vs = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            vs = vs.add(FloatVector.fromArray(S, x, xs + i));
        }
        if (tail) {
            vs = vs.add(FloatVector.fromArray(S, x, xs + last).blend(0f, overlap));
        }
        float mu = VectorMath.sum(vs) / len;
        FloatVector vv = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, xs + i).sub(mu);
            vv = d.fma(d, vv);
        }
        if (tail) {
            FloatVector d = FloatVector.fromArray(S, x, xs + last).sub(mu).blend(0f, overlap);
            vv = d.fma(d, vv);
        }
        float rs = (float) (1.0 / Math.sqrt(VectorMath.sum(vv) / len + eps));
        if (mean != null) {
            mean[row] = mu;
            rstd[row] = rs;
        }
        for (int i = 0; i < bound; i += L) {
            FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
            n.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(y, ys + i);
        }
        if (tail) {
            FloatVector n = FloatVector.fromArray(S, x, xs + last).sub(mu).mul(rs);
            n.fma(FloatVector.fromArray(S, w, last), FloatVector.fromArray(S, b, last)).intoArray(y, ys + last);
        }
    }

    static void backwardRow(float[] g, int gs, float[] x, int xs, float mu, float rs, float[] w,
                            float[] gx, int os, float[] gw, float[] gb, int len, VectorMask<Float> overlap) {
        int bound = len - len % L;
        int last = len - L;
        boolean tail = bound < len;
        FloatVector vh = FloatVector.zero(S);
        FloatVector vhn = FloatVector.zero(S);
        for (int i = 0; i < bound; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, gs + i);
            FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
            FloatVector h = gv.mul(FloatVector.fromArray(S, w, i));
            vh = vh.add(h);
            vhn = h.fma(n, vhn);
            gv.fma(n, FloatVector.fromArray(S, gw, i)).intoArray(gw, i);
            gv.add(FloatVector.fromArray(S, gb, i)).intoArray(gb, i);
        }
        if (tail) {
            FloatVector gv = FloatVector.fromArray(S, g, gs + last).blend(0f, overlap);
            FloatVector n = FloatVector.fromArray(S, x, xs + last).sub(mu).mul(rs);
            FloatVector h = gv.mul(FloatVector.fromArray(S, w, last));
            vh = vh.add(h);
            vhn = h.fma(n, vhn);
            gv.fma(n, FloatVector.fromArray(S, gw, last)).intoArray(gw, last);
            gv.add(FloatVector.fromArray(S, gb, last)).intoArray(gb, last);
        }
        float meanH = VectorMath.sum(vh) / len;
        float meanHN = VectorMath.sum(vhn) / len;
        for (int i = 0; i < bound; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, gs + i);
            FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
            FloatVector h = gv.mul(FloatVector.fromArray(S, w, i));
            h.sub(meanH).sub(n.mul(meanHN)).mul(rs).intoArray(gx, os + i);
        }
        if (tail) {
            FloatVector gv = FloatVector.fromArray(S, g, gs + last);
            FloatVector n = FloatVector.fromArray(S, x, xs + last).sub(mu).mul(rs);
            FloatVector h = gv.mul(FloatVector.fromArray(S, w, last));
            h.sub(meanH).sub(n.mul(meanHN)).mul(rs).intoArray(gx, os + last);
        }
    }
}
