package dev.tempora.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** SIMD rows for {@link LayerNormKernels}; the last partial vector is handled with a lane mask. */
final class LayerNormVector {

    private static final VectorSpecies<Float> S = Species.FLOAT;
    private static final int L = Species.LANES;

    private LayerNormVector() {}

    static void forwardRow(float[] x, int xs, float[] w, float[] b, float[] y, int ys,
                           float[] mean, float[] rstd, int row, int len, float eps) {
        FloatVector vs = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            vs = vs.add(FloatVector.fromArray(S, x, xs + i, m));
        }
        float mu = VectorMath.sum(vs) / len;
        FloatVector vv = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector d = FloatVector.fromArray(S, x, xs + i, m).sub(mu).blend(0f, m.not());
            vv = d.fma(d, vv);
        }
        float rs = (float) (1.0 / Math.sqrt(VectorMath.sum(vv) / len + eps));
        if (mean != null) {
            mean[row] = mu;
            rstd[row] = rs;
        }
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector n = FloatVector.fromArray(S, x, xs + i, m).sub(mu).mul(rs);
            if (w != null) {
                n = n.mul(FloatVector.fromArray(S, w, i, m));
            }
            if (b != null) {
                n = n.add(FloatVector.fromArray(S, b, i, m));
            }
            n.intoArray(y, ys + i, m);
        }
    }

    static void backwardRow(float[] g, int gs, float[] x, int xs, float mu, float rs, float[] w,
                            float[] gx, int os, float[] gw, float[] gb, int len) {
        FloatVector vh = FloatVector.zero(S);
        FloatVector vhn = FloatVector.zero(S);
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector gv = FloatVector.fromArray(S, g, gs + i, m);
            FloatVector n = FloatVector.fromArray(S, x, xs + i, m).sub(mu).mul(rs);
            FloatVector h = w == null ? gv : gv.mul(FloatVector.fromArray(S, w, i, m));
            vh = vh.add(h);
            vhn = h.fma(n.blend(0f, m.not()), vhn);
            if (gw != null) {
                gv.fma(n, FloatVector.fromArray(S, gw, i, m)).intoArray(gw, i, m);
            }
            if (gb != null) {
                gv.add(FloatVector.fromArray(S, gb, i, m)).intoArray(gb, i, m);
            }
        }
        float meanH = VectorMath.sum(vh) / len;
        float meanHN = VectorMath.sum(vhn) / len;
        for (int i = 0; i < len; i += L) {
            VectorMask<Float> m = S.indexInRange(i, len);
            FloatVector gv = FloatVector.fromArray(S, g, gs + i, m);
            FloatVector n = FloatVector.fromArray(S, x, xs + i, m).sub(mu).mul(rs);
            FloatVector h = w == null ? gv : gv.mul(FloatVector.fromArray(S, w, i, m));
            h.sub(meanH).sub(n.mul(meanHN)).mul(rs).intoArray(gx, os + i, m);
        }
    }
}
