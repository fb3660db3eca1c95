package dev.tempora.tensor.kernels;

/**
 * Element-wise functions of two tensors. Each constant is its own scalar reference; the SIMD
 * versions live in {@link ElementwiseVector}. Comparisons yield 1 or 0, as float masks.
 * Gradients of these are compositions of other ops and live with the autograd ops.
 */
public enum BinaryOp {
    ADD { public float apply(float a, float b) { return a + b; } },
    SUB { public float apply(float a, float b) { return a - b; } },
    MUL { public float apply(float a, float b) { return a * b; } },
    DIV { public float apply(float a, float b) { return a / b; } },
    POW { public float apply(float a, float b) { return FloatMath.pow(a, b); } },
    MAXIMUM { public float apply(float a, float b) { return Math.max(a, b); } },
    MINIMUM { public float apply(float a, float b) { return Math.min(a, b); } },
    EQ { public float apply(float a, float b) { return a == b ? 1f : 0f; } },
    NE { public float apply(float a, float b) { return a != b ? 1f : 0f; } },
    LT { public float apply(float a, float b) { return a < b ? 1f : 0f; } },
    LE { public float apply(float a, float b) { return a <= b ? 1f : 0f; } },
    GT { public float apply(float a, float b) { return a > b ? 1f : 0f; } },
    GE { public float apply(float a, float b) { return a >= b ? 1f : 0f; } };

    /** The scalar reference. */
    public abstract float apply(float a, float b);
}
