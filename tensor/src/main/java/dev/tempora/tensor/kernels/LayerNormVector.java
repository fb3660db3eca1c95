package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD rows for {@link LayerNormKernels}, for rows of at least one vector.
 *
 * <p>A row is covered by its full vectors and one more vector ending exactly at the row's end
 * (at {@code len − L}), which overlaps the full vectors before it (entirely, when L divides the
 * row): its stores write the same values again, and in sums its overlapping lanes are zeroed in a
 * register. There is no lane-masked memory access (which the Vector API runs slowly, and near an
 * array's end through a boxed fallback that de-optimises the whole loop), and no tail branch: a
 * vector defined on one branch only would be boxed where the branches merge. The row loops sit in
 * the same method as the row body, so the overlap mask never crosses a call.
 *
 * <p>Rows of at most two vectors (the TFT's hidden sizes) take a path that keeps the weight and
 * bias gradients in registers across rows instead of adding each row into memory.
 */
final class LayerNormVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LayerNormVector() {}

    /** Lanes of the last vector (at len − L) that full vectors already cover. */
    private static VectorMask<Float> overlap(int len) {
        int bound = len - len % L;
        return S.indexInRange(0, bound - (len - L));
    }

    static void forward(float[] x, int xo, float[] w, float[] b, float[] y, int yo, float[] mean, float[] rstd,
                        int so, int rows, int len, float eps) {
        if (len <= 2 * L) {
            forwardShort(x, xo, w, b, y, yo, mean, rstd, so, rows, len, eps);
            return;
        }
        VectorMask<Float> overlap = overlap(len);
        int bound = len - len % L;
        int last = len - L;
        float inverseLength = 1f / len;
        FloatVector wLast = FloatVector.fromArray(S, w, last);
        FloatVector bLast = FloatVector.fromArray(S, b, last);
        for (int r = 0; r < rows; r++) {
            int xs = xo + r * len;
            int ys = yo + r * len;
            FloatVector xLast = FloatVector.fromArray(S, x, xs + last);
            FloatVector vs = xLast.blend(0f, overlap);
            for (int i = 0; i < bound; i += L) {
                vs = vs.add(FloatVector.fromArray(S, x, xs + i));
            }
            float mu = VectorMath.sum(vs) * inverseLength;
            FloatVector dLast = xLast.sub(mu);
            FloatVector dMasked = dLast.blend(0f, overlap);
            FloatVector vv = dMasked.mul(dMasked);
            for (int i = 0; i < bound; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, xs + i).sub(mu);
                vv = d.fma(d, vv);
            }
            float rs = (float) (1.0 / Math.sqrt(VectorMath.sum(vv) * inverseLength + eps));
            if (mean != null) {
                mean[so + r] = mu;
                rstd[so + r] = rs;
            }
            for (int i = 0; i < bound; i += L) {
                FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
                n.fma(FloatVector.fromArray(S, w, i), FloatVector.fromArray(S, b, i)).intoArray(y, ys + i);
            }
            dLast.mul(rs).fma(wLast, bLast).intoArray(y, ys + last);
        }
    }

    /**
     * Rows of L to 2L floats: a first vector at 0 and a last at len − L, two rows per trip so that
     * one row's chain of dependent sums (mean, then variance, then 1/√) overlaps the other's. Each
     * row's operations are exactly those of the general loop.
     */
    private static void forwardShort(float[] x, int xo, float[] w, float[] b, float[] y, int yo, float[] mean,
                                     float[] rstd, int so, int rows, int len, float eps) {
        int last = len - L;
        VectorMask<Float> overlap = S.indexInRange(0, L - last);
        float inverseLength = 1f / len;
        FloatVector wFirst = FloatVector.fromArray(S, w, 0);
        FloatVector bFirst = FloatVector.fromArray(S, b, 0);
        FloatVector wLast = FloatVector.fromArray(S, w, last);
        FloatVector bLast = FloatVector.fromArray(S, b, last);
        int r = 0;
        for (; r + 1 < rows; r += 2) {
            int xa = xo + r * len;
            int xb = xa + len;
            FloatVector a0 = FloatVector.fromArray(S, x, xa);
            FloatVector a1 = FloatVector.fromArray(S, x, xa + last);
            FloatVector b0 = FloatVector.fromArray(S, x, xb);
            FloatVector b1 = FloatVector.fromArray(S, x, xb + last);
            float muA = VectorMath.sum(a1.blend(0f, overlap).add(a0)) * inverseLength;
            float muB = VectorMath.sum(b1.blend(0f, overlap).add(b0)) * inverseLength;
            FloatVector da0 = a0.sub(muA);
            FloatVector da1 = a1.sub(muA);
            FloatVector db0 = b0.sub(muB);
            FloatVector db1 = b1.sub(muB);
            FloatVector ma = da1.blend(0f, overlap);
            FloatVector mb = db1.blend(0f, overlap);
            float rsA = (float) (1.0 / Math.sqrt(VectorMath.sum(da0.fma(da0, ma.mul(ma))) * inverseLength + eps));
            float rsB = (float) (1.0 / Math.sqrt(VectorMath.sum(db0.fma(db0, mb.mul(mb))) * inverseLength + eps));
            if (mean != null) {
                mean[so + r] = muA;
                rstd[so + r] = rsA;
                mean[so + r + 1] = muB;
                rstd[so + r + 1] = rsB;
            }
            int ya = yo + r * len;
            int yb = ya + len;
            da0.mul(rsA).fma(wFirst, bFirst).intoArray(y, ya);
            da1.mul(rsA).fma(wLast, bLast).intoArray(y, ya + last);
            db0.mul(rsB).fma(wFirst, bFirst).intoArray(y, yb);
            db1.mul(rsB).fma(wLast, bLast).intoArray(y, yb + last);
        }
        if (r < rows) {
            int xa = xo + r * len;
            FloatVector a0 = FloatVector.fromArray(S, x, xa);
            FloatVector a1 = FloatVector.fromArray(S, x, xa + last);
            float muA = VectorMath.sum(a1.blend(0f, overlap).add(a0)) * inverseLength;
            FloatVector da0 = a0.sub(muA);
            FloatVector da1 = a1.sub(muA);
            FloatVector ma = da1.blend(0f, overlap);
            float rsA = (float) (1.0 / Math.sqrt(VectorMath.sum(da0.fma(da0, ma.mul(ma))) * inverseLength + eps));
            if (mean != null) {
                mean[so + r] = muA;
                rstd[so + r] = rsA;
            }
            int ya = yo + r * len;
            da0.mul(rsA).fma(wFirst, bFirst).intoArray(y, ya);
            da1.mul(rsA).fma(wLast, bLast).intoArray(y, ya + last);
        }
    }

    static void backward(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, int so, float[] w,
                         float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        if (len <= 2 * L) {
            backwardShort(g, go, x, xo, mean, rstd, so, w, gx, gxo, gw, gb, rows, len);
            return;
        }
        VectorMask<Float> overlap = overlap(len);
        int bound = len - len % L;
        int last = len - L;
        float inverseLength = 1f / len;
        FloatVector wLast = FloatVector.fromArray(S, w, last);
        for (int r = 0; r < rows; r++) {
            int gs = go + r * len;
            int xs = xo + r * len;
            int os = gxo + r * len;
            float mu = mean[so + r];
            float rs = rstd[so + r];
            FloatVector gLast = FloatVector.fromArray(S, g, gs + last).blend(0f, overlap);
            FloatVector nLast = FloatVector.fromArray(S, x, xs + last).sub(mu).mul(rs);
            FloatVector vh = gLast.mul(wLast);
            FloatVector vhn = vh.mul(nLast);
            gLast.fma(nLast, FloatVector.fromArray(S, gw, last)).intoArray(gw, last);
            gLast.add(FloatVector.fromArray(S, gb, last)).intoArray(gb, last);
            for (int i = 0; i < bound; i += L) {
                FloatVector gv = FloatVector.fromArray(S, g, gs + i);
                FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
                FloatVector h = gv.mul(FloatVector.fromArray(S, w, i));
                vh = vh.add(h);
                vhn = h.fma(n, vhn);
                gv.fma(n, FloatVector.fromArray(S, gw, i)).intoArray(gw, i);
                gv.add(FloatVector.fromArray(S, gb, i)).intoArray(gb, i);
            }
            float meanH = VectorMath.sum(vh) * inverseLength;
            float meanHN = VectorMath.sum(vhn) * inverseLength;
            for (int i = 0; i < bound; i += L) {
                FloatVector n = FloatVector.fromArray(S, x, xs + i).sub(mu).mul(rs);
                FloatVector h = FloatVector.fromArray(S, g, gs + i).mul(FloatVector.fromArray(S, w, i));
                h.sub(meanH).sub(n.mul(meanHN)).mul(rs).intoArray(gx, os + i);
            }
            FloatVector hLast = FloatVector.fromArray(S, g, gs + last).mul(wLast);
            hLast.sub(meanH).sub(nLast.mul(meanHN)).mul(rs).intoArray(gx, os + last);
        }
    }

    /**
     * Rows of L to 2L floats: a first vector at 0 and a last at len − L, overlapping it in
     * L − (len − L) lanes; the weight and bias gradients accumulate in four registers, loaded from
     * and stored to gw and gb once.
     */
    private static void backwardShort(float[] g, int go, float[] x, int xo, float[] mean, float[] rstd, int so,
                                      float[] w, float[] gx, int gxo, float[] gw, float[] gb, int rows, int len) {
        int last = len - L;
        VectorMask<Float> overlap = S.indexInRange(0, L - last);
        float inverseLength = 1f / len;
        FloatVector wFirst = FloatVector.fromArray(S, w, 0);
        FloatVector wLast = FloatVector.fromArray(S, w, last);
        // Started from gw and gb, so every lane adds its rows in the same order as memory would.
        FloatVector gwFirst = FloatVector.fromArray(S, gw, 0);
        FloatVector gwLast = FloatVector.fromArray(S, gw, last);
        FloatVector gbFirst = FloatVector.fromArray(S, gb, 0);
        FloatVector gbLast = FloatVector.fromArray(S, gb, last);
        for (int r = 0; r < rows; r++) {
            int gs = go + r * len;
            int xs = xo + r * len;
            int os = gxo + r * len;
            float mu = mean[so + r];
            float rs = rstd[so + r];
            FloatVector gv = FloatVector.fromArray(S, g, gs);
            FloatVector gvLast = FloatVector.fromArray(S, g, gs + last);
            FloatVector gvLastMasked = gvLast.blend(0f, overlap);
            FloatVector n = FloatVector.fromArray(S, x, xs).sub(mu).mul(rs);
            FloatVector nLast = FloatVector.fromArray(S, x, xs + last).sub(mu).mul(rs);
            FloatVector h = gv.mul(wFirst);
            FloatVector hLast = gvLast.mul(wLast);
            FloatVector hLastMasked = gvLastMasked.mul(wLast);
            float meanH = VectorMath.sum(h.add(hLastMasked)) * inverseLength;
            float meanHN = VectorMath.sum(hLastMasked.mul(nLast).add(h.mul(n))) * inverseLength;
            gwFirst = gv.fma(n, gwFirst);
            gbFirst = gbFirst.add(gv);
            gwLast = gvLastMasked.fma(nLast, gwLast);
            gbLast = gbLast.add(gvLastMasked);
            h.sub(meanH).sub(n.mul(meanHN)).mul(rs).intoArray(gx, os);
            hLast.sub(meanH).sub(nLast.mul(meanHN)).mul(rs).intoArray(gx, os + last);
        }
        // The last vector's overlap lanes only ever added zeros; the first vector's store covers them.
        gwLast.intoArray(gw, last);
        gbLast.intoArray(gb, last);
        gwFirst.intoArray(gw, 0);
        gbFirst.intoArray(gb, 0);
    }
}
