package dev.tempora.tensor.kernels;

/**
 * Element-wise functions of two tensors. Each constant is its own scalar reference; the SIMD
 * versions live in {@link ElementwiseVector}. Comparisons yield 1 or 0, as float masks.
 * Gradients of these are compositions of other ops and live with the autograd ops.
 */
public enum BinaryOp {
    /** a + b. */
    ADD { @Override public float apply(float a, float b) { return a + b; } },
    /** a − b. */
    SUB { @Override public float apply(float a, float b) { return a - b; } },
    /** a · b. */
    MUL { @Override public float apply(float a, float b) { return a * b; } },
    /** a / b. */
    DIV { @Override public float apply(float a, float b) { return a / b; } },
    /** a raised to b, as {@link FloatMath#pow}. */
    POW { @Override public float apply(float a, float b) { return FloatMath.pow(a, b); } },
    /** The larger; NaN if either is NaN. */
    MAXIMUM { @Override public float apply(float a, float b) { return Math.max(a, b); } },
    /** The smaller; NaN if either is NaN. */
    MINIMUM { @Override public float apply(float a, float b) { return Math.min(a, b); } },
    /** 1 if a == b, else 0. */
    EQ { @Override public float apply(float a, float b) { return a == b ? 1f : 0f; } },
    /** 1 if a != b, else 0. */
    NE { @Override public float apply(float a, float b) { return a != b ? 1f : 0f; } },
    /** 1 if a &lt; b, else 0. */
    LT { @Override public float apply(float a, float b) { return a < b ? 1f : 0f; } },
    /** 1 if a &le; b, else 0. */
    LE { @Override public float apply(float a, float b) { return a <= b ? 1f : 0f; } },
    /** 1 if a &gt; b, else 0. */
    GT { @Override public float apply(float a, float b) { return a > b ? 1f : 0f; } },
    /** 1 if a &ge; b, else 0. */
    GE { @Override public float apply(float a, float b) { return a >= b ? 1f : 0f; } };

    /** The scalar reference. */
    public abstract float apply(float a, float b);
}
