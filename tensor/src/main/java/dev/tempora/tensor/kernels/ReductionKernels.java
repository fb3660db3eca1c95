package dev.tempora.tensor.kernels;

/**
 * Reductions over the middle axis of a contiguous (outer, r, inner) block:
 * {@code out[o*inner + j] = reduce over k of a[ao + (o*r + k)*inner + j]}. Any reduction over any
 * set of axes is brought to this form by the tensor layer. The SIMD versions are in
 * {@link ReductionVector}; the references below define the results.
 */
public final class ReductionKernels {

    /** The combining operation. */
    public enum Kind {
        /** The sum, starting from 0. */
        SUM,
        /** The largest value, starting from −∞. */
        MAX,
        /** The smallest value, starting from +∞. */
        MIN
    }

    private ReductionKernels() {}

    /**
     * Reduces the middle axis of a contiguous (outer, r, inner) block starting at {@code a[ao]} into the (outer,
     * inner) block at {@code out[oo]}. NaN propagates through MAX and MIN.
     */
    public static void reduce(Kind kind, float[] a, int ao, int outer, int r, int inner, float[] out, int oo) {
        if (VectorSupport.ENABLED && r > 0 && (inner >= VectorSupport.LANES || (inner == 1 && r >= VectorSupport.LANES)
                || ReductionVector.chunked(r, inner))) {
            ReductionVector.reduce(kind, a, ao, outer, r, inner, out, oo);
        } else {
            reduceReference(kind, a, ao, outer, r, inner, out, oo);
        }
    }

    static void reduceReference(Kind kind, float[] a, int ao, int outer, int r, int inner, float[] out, int oo) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                float acc = identity(kind);
                for (int k = 0; k < r; k++) {
                    float v = a[ao + (o * r + k) * inner + j];
                    acc = combine(kind, acc, v);
                }
                out[oo + o * inner + j] = acc;
            }
        }
    }

    static float identity(Kind kind) {
        return switch (kind) {
            case SUM -> 0f;
            case MAX -> Float.NEGATIVE_INFINITY;
            case MIN -> Float.POSITIVE_INFINITY;
        };
    }

    // NaN propagates through max and min, as in torch.
    static float combine(Kind kind, float acc, float v) {
        return switch (kind) {
            case SUM -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
        };
    }

    /**
     * Index (0..r-1) of the largest (or smallest) element along the middle axis; the first one on
     * ties, and the first NaN if there is one, as torch.
     */
    public static void argExtreme(float[] a, int ao, int outer, int r, int inner, float[] out, int oo, boolean max) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = ao + o * r * inner + j;
                int best = 0;
                float bestValue = a[base];
                for (int k = 1; k < r && !Float.isNaN(bestValue); k++) {
                    float v = a[base + k * inner];
                    if (Float.isNaN(v) || (max ? v > bestValue : v < bestValue)) {
                        best = k;
                        bestValue = v;
                    }
                }
                out[oo + o * inner + j] = best;
            }
        }
    }
}
